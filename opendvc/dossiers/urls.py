from django.urls import path

from . import urls_counter, urls_documents, urls_steps, views_citizen, views_public
from . import views_staff as staff

app_name = "dossiers"
urlpatterns = [
    path("tra-cuu-ho-so/", views_public.track, name="track"),
    # Slips, signed results and their public verification; processing steps and queues; the
    # desk's counter and postal registration and the citizen's supplement answer. Before the
    # generic patterns below, which would otherwise take their fixed words for dossier codes.
    *urls_documents.urlpatterns,
    *urls_steps.urlpatterns,
    *urls_counter.urlpatterns,
    # The citizen files online: start, e-form, documents, check, receipt; their dossiers.
    path("thu-tuc/<str:code>/nop-ho-so/", views_citizen.start, name="start"),
    path("ho-so/", views_citizen.mine, name="mine"),
    path("ho-so/<int:pk>/to-khai/", views_citizen.draft_form, name="form"),
    path("ho-so/<int:pk>/giay-to/", views_citizen.attachments, name="attachments"),
    path("ho-so/<int:pk>/giay-to/<int:component_pk>/them/", views_citizen.attach, name="attach"),
    path("ho-so/<int:pk>/tep/<int:file_pk>/xoa/", views_citizen.remove, name="remove_file"),
    path("ho-so/<int:pk>/kiem-tra/", views_citizen.review, name="review"),
    path("ho-so/<str:code>/bien-nhan/", views_citizen.receipt, name="receipt"),
    path("ho-so/<str:code>/rut/", views_citizen.withdraw, name="withdraw"),
    path("ho-so/<str:code>/", views_citizen.detail, name="detail"),
    # The staff site: its own URL tree under can-bo/ho-so/.
    path("can-bo/ho-so/", staff.staff_inbox, name="staff_inbox"),
    path("can-bo/ho-so/tiep-nhan-nhieu/", staff.staff_bulk_accept, name="staff_bulk_accept"),
    path("can-bo/ho-so/<str:code>/", staff.staff_detail, name="staff_detail"),
    path("can-bo/ho-so/<str:code>/tep/<int:file_id>/", staff.staff_file, name="staff_file"),
    path("can-bo/ho-so/<str:code>/<str:action>/", staff.staff_action, name="staff_action"),
]
