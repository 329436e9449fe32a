from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opendvc.accounts"
    label = "accounts"
