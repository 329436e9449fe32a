from django.urls import path

from . import views_citizen

app_name = "catalog"
urlpatterns = [
    path("", views_citizen.home, name="home"),
    path("thu-tuc/", views_citizen.procedure_list, name="list"),
    path("thu-tuc/<str:code>/", views_citizen.procedure_detail, name="procedure"),
    path("linh-vuc/", views_citizen.field_list, name="fields"),
    path("linh-vuc/<slug:slug>/", views_citizen.field_detail, name="field"),
    path("su-kien/<slug:slug>/", views_citizen.life_event_detail, name="life_event"),
]
