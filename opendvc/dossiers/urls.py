from django.urls import path

from . import views_public

app_name = "dossiers"
urlpatterns = [
    path("tra-cuu-ho-so/", views_public.track, name="track"),
]
