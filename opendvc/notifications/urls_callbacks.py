from django.urls import path

from . import views_callbacks, views_sandbox

urlpatterns = [
    path("thong-bao/callback/sms/", views_callbacks.callback_sms, name="callback_sms"),
    path("thong-bao/callback/zalo/", views_callbacks.callback_zalo, name="callback_zalo"),
    path("thong-bao/hop-thu-thu-nghiem/", views_sandbox.sandbox, name="sandbox"),
]
