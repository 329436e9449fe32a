"""The built-in sandbox gateway (payments/sandbox/…): 404 unless settings.PAYMENTS_SANDBOX."""

from django.urls import path

from .sandbox import views

urlpatterns = [
    path("payments/sandbox/pay", views.pay, name="sandbox_pay"),
    path("payments/sandbox/api", views.merchant_api, name="sandbox_api"),
]
