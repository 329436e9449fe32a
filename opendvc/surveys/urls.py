from django.urls import path

from . import views_builder, views_public, views_rating, views_report

app_name = "surveys"
urlpatterns = [
    # The applicant rates a dossier; anyone with the receipt rates it at the desk's kiosk.
    path("ho-so/<str:code>/danh-gia/", views_rating.rate, name="rate"),
    path("danh-gia/", views_rating.kiosk, name="kiosk"),
    path("danh-gia/phieu/", views_rating.kiosk_rate, name="kiosk_rate"),
    path("can-bo/danh-gia-hai-long/", views_report.satisfaction, name="satisfaction"),
    # Electronic surveys: answering through the public link, building and results.
    path("khao-sat/", views_public.open_surveys, name="open_surveys"),
    path("khao-sat/<str:token>/", views_public.answer, name="answer"),
    path("can-bo/khao-sat/", views_builder.survey_list, name="builder_list"),
    path("can-bo/khao-sat/tao-moi/", views_builder.survey_create, name="builder_create"),
    path("can-bo/khao-sat/<int:pk>/", views_builder.survey_detail, name="builder_detail"),
    path("can-bo/khao-sat/<int:pk>/sua/", views_builder.survey_edit, name="builder_edit"),
    path("can-bo/khao-sat/<int:pk>/cau-hoi/", views_builder.question_add, name="question_add"),
    path(
        "can-bo/khao-sat/<int:pk>/cau-hoi/<int:question_pk>/xoa/",
        views_builder.question_delete,
        name="question_delete",
    ),
    path("can-bo/khao-sat/<int:pk>/cong-bo/", views_builder.survey_publish, name="builder_publish"),
    path("can-bo/khao-sat/<int:pk>/ma-qr.<str:fmt>", views_builder.survey_qr, name="builder_qr"),
    path("can-bo/khao-sat/<int:pk>/ket-qua/", views_builder.survey_results, name="results"),
    path("can-bo/khao-sat/<int:pk>/ket-qua.<str:fmt>", views_builder.survey_export, name="export"),
]
