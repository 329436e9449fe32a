from django.urls import path

from . import views_citizen, views_staff

app_name = "vault"
urlpatterns = [
    path("tai-khoan/kho-du-lieu/", views_citizen.store, name="store"),
    path("tai-khoan/kho-du-lieu/tai-len/", views_citizen.upload, name="upload"),
    path("tai-khoan/kho-du-lieu/<int:pk>/tai-ve/", views_citizen.download, name="download"),
    path("tai-khoan/kho-du-lieu/<int:pk>/xoa/", views_citizen.delete, name="delete"),
    path("tai-khoan/kho-du-lieu/ket-qua/<int:pk>/", views_citizen.result_download, name="result"),
    path("tai-khoan/kho-du-lieu/xuat/", views_citizen.export, name="export"),
    path("tai-khoan/kho-du-lieu/yeu-cau-xoa/", views_citizen.request_deletion, name="erase"),
    path("can-bo/kho-du-lieu/so-hoa/", views_staff.digitise, name="digitise"),
    path(
        "can-bo/ho-so/<str:code>/kho-du-lieu/<int:pk>/",
        views_staff.dossier_document,
        name="dossier_document",
    ),
]
