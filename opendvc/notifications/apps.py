from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "opendvc.notifications"
    label = "notifications"
    verbose_name = "Thông báo"
