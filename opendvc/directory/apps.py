from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "opendvc.directory"
    label = "directory"
