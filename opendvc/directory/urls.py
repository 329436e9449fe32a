from django.urls import path

from . import views_citizen

app_name = "directory"
urlpatterns = [
    path("co-quan/", views_citizen.agency_list, name="agency_list"),
    path("co-quan/<slug:slug>/", views_citizen.agency_detail, name="agency"),
    path("dia-ban/", views_citizen.unit_list, name="unit_list"),
    path("dia-ban/<str:code>/", views_citizen.unit_detail, name="unit"),
]
