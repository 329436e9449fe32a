from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from opendvc.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri-he-thong/", admin.site.urls),
    path("api/v1/", include("opendvc.api_urls")),
    path("tai-khoan/", include("opendvc.accounts.urls")),
    path("", include("opendvc.directory.urls")),
    path("", include("opendvc.dossiers.urls")),
    path("", include("opendvc.payments.urls")),
    path("", include("opendvc.notifications.urls")),
    path("", include("opendvc.feedback.urls")),
    path("", include("opendvc.surveys.urls")),
    path("", include("opendvc.vault.urls")),
    path("", include("opendvc.assistant.urls")),
    path("", include("opendvc.catalog.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
