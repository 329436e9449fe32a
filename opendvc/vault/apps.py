from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "opendvc.vault"
    label = "vault"
    verbose_name = "Kho dữ liệu điện tử của cá nhân, tổ chức"
