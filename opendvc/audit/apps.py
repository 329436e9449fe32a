from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "opendvc.audit"
    label = "audit"
