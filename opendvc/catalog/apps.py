from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "opendvc.catalog"
    label = "catalog"
