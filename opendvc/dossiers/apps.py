from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "opendvc.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ"
