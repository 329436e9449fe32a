"""Notification pages: the citizen's preferences and messages, the providers' callbacks, and
the staff's template editor and message views."""

from . import urls_admin, urls_callbacks, urls_citizen, urls_staff

app_name = "notifications"
urlpatterns = [
    *urls_citizen.urlpatterns,
    *urls_callbacks.urlpatterns,
    *urls_admin.urlpatterns,
    *urls_staff.urlpatterns,
]
