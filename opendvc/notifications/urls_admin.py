from django.urls import path

from . import views_templates

urlpatterns = [
    path("can-bo/mau-thong-bao/", views_templates.template_list, name="templates"),
    path(
        "can-bo/mau-thong-bao/<str:event>/<str:channel>/",
        views_templates.template_edit,
        name="template_edit",
    ),
    path(
        "can-bo/mau-thong-bao/<str:event>/<str:channel>/lich-su/",
        views_templates.template_history,
        name="template_history",
    ),
    path(
        "can-bo/mau-thong-bao/<str:event>/<str:channel>/khoi-phuc/",
        views_templates.template_restore,
        name="template_restore",
    ),
]
