"""Slips, signed results and the public verification page (spliced into dossiers/urls.py)."""

from django.urls import path

from . import views_documents as documents

urlpatterns = [
    path("ho-so/<str:code>/phieu/<slug:kind>.pdf", documents.citizen_slip, name="slip"),
    path("ho-so/<str:code>/ket-qua.pdf", documents.citizen_result, name="result"),
    path("can-bo/ho-so/<str:code>/phieu/<slug:kind>.pdf", documents.staff_slip, name="staff_slip"),
    path("can-bo/ho-so/<str:code>/ket-qua.pdf", documents.staff_result, name="staff_result"),
    path("xac-thuc/<str:token>/", documents.verify, name="verify"),
    path("xac-thuc/<str:token>/tai-ve.pdf", documents.verify_download, name="verify_download"),
]
