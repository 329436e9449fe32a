"""The desk's counter and postal registration, and the applicant's supplement answer. Spliced
into urls.py before the generic `ho-so/<code>/` and `can-bo/ho-so/<code>/<action>/` patterns."""

from django.urls import path

from . import views_counter as counter
from . import views_supplement as supplement

urlpatterns = [
    path("can-bo/tiep-nhan/", counter.counter_start, name="counter_start"),
    path("can-bo/tiep-nhan/<int:pk>/giay-to/", counter.counter_documents, name="counter_documents"),
    path(
        "can-bo/tiep-nhan/<int:pk>/tep/<int:file_pk>/xoa/",
        counter.counter_remove_file,
        name="counter_remove_file",
    ),
    path("can-bo/tiep-nhan/<int:pk>/xac-nhan/", counter.counter_confirm, name="counter_confirm"),
    path("can-bo/tiep-nhan/<int:pk>/huy/", counter.counter_discard, name="counter_discard"),
    path("ho-so/<str:code>/bo-sung/", supplement.supplement, name="supplement"),
    path(
        "ho-so/<str:code>/bo-sung/<int:component_pk>/them/",
        supplement.supplement_attach,
        name="supplement_attach",
    ),
    path(
        "ho-so/<str:code>/bo-sung/tep/<int:file_pk>/xoa/",
        supplement.supplement_remove,
        name="supplement_remove",
    ),
    path("ho-so/<str:code>/bo-sung/gui/", supplement.supplement_send, name="supplement_send"),
]
