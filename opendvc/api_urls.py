from django.urls import path

from opendvc.api import api

urlpatterns = [path("", api.urls)]
