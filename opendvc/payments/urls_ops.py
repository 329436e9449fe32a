"""Receipts, the staff payments pages and the reconciliation reports (spliced into urls.py)."""

from django.urls import path

from . import views_receipt, views_staff

urlpatterns = [
    path(
        "ho-so/<str:code>/thanh-toan/<int:payment_id>/bien-lai.pdf",
        views_receipt.citizen_receipt,
        name="receipt",
    ),
    path("can-bo/thanh-toan/", views_staff.payment_list, name="staff_list"),
    path("can-bo/thanh-toan/xuat-csv/", views_staff.payment_csv, name="staff_csv"),
    path("can-bo/thanh-toan/doi-soat/", views_staff.reconciliation_list, name="reconciliations"),
    path("can-bo/thanh-toan/<int:payment_id>/", views_staff.payment_detail, name="staff_detail"),
    path(
        "can-bo/thanh-toan/<int:payment_id>/hoan-tien/",
        views_staff.payment_refund,
        name="staff_refund",
    ),
    path(
        "can-bo/thanh-toan/<int:payment_id>/bien-lai.pdf",
        views_receipt.staff_receipt,
        name="staff_receipt",
    ),
]
