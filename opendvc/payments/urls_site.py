"""The gateway's return and IPN, the applicant's payment page and the agency's fee page
(spliced into urls.py, namespace `payments`)."""

from django.urls import path

from . import views_citizen, views_fees, views_gateway

urlpatterns = [
    path("payments/vnpay/ipn", views_gateway.vnpay_ipn, name="vnpay_ipn"),
    path("payments/vnpay/return", views_gateway.vnpay_return, name="vnpay_return"),
    path("ho-so/<str:code>/thanh-toan/", views_citizen.pay, name="pay"),
    path("ho-so/<str:code>/thanh-toan/bat-dau/", views_citizen.start, name="start"),
    path("can-bo/thanh-toan/muc-thu/", views_fees.agency_fees, name="agency_fees"),
    path("can-bo/thanh-toan/muc-thu/dat/", views_fees.set_agency_fee, name="set_agency_fee"),
    path("can-bo/thanh-toan/muc-thu/thu-truoc/", views_fees.set_prepayment, name="set_prepayment"),
]
