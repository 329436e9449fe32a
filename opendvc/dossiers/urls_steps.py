"""Processing steps on the staff site: the step editor, the queue, and a dossier's step."""

from django.urls import path

from . import views_steps

urlpatterns: list = [
    path("can-bo/quy-trinh/", views_steps.step_cases, name="step_cases"),
    path("can-bo/quy-trinh/<int:case_pk>/", views_steps.step_editor, name="step_editor"),
    path("can-bo/hang-doi/", views_steps.queue, name="queue"),
    path(
        "can-bo/ho-so/<str:code>/hoan-thanh-buoc/",
        views_steps.step_complete,
        name="step_complete",
    ),
    path("can-bo/ho-so/<str:code>/tra-lai-buoc/", views_steps.step_return, name="step_return"),
]
