from django.urls import path

from . import views_citizen, views_public

app_name = "dossiers"
urlpatterns = [
    path("tra-cuu-ho-so/", views_public.track, name="track"),
    # The citizen files online: start, e-form, documents, check, receipt; their dossiers.
    path("thu-tuc/<str:code>/nop-ho-so/", views_citizen.start, name="start"),
    path("ho-so/", views_citizen.mine, name="mine"),
    path("ho-so/<int:pk>/to-khai/", views_citizen.draft_form, name="form"),
    path("ho-so/<int:pk>/giay-to/", views_citizen.attachments, name="attachments"),
    path(
        "ho-so/<int:pk>/giay-to/<int:component_pk>/them/", views_citizen.attach, name="attach"
    ),
    path("ho-so/<int:pk>/tep/<int:file_pk>/xoa/", views_citizen.remove, name="remove_file"),
    path("ho-so/<int:pk>/kiem-tra/", views_citizen.review, name="review"),
    path("ho-so/<str:code>/bien-nhan/", views_citizen.receipt, name="receipt"),
    path("ho-so/<str:code>/rut/", views_citizen.withdraw, name="withdraw"),
    path("ho-so/<str:code>/", views_citizen.detail, name="detail"),
]
