from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "opendvc.core"
    label = "core"
