from django.urls import path

from . import views_citizen as citizen
from . import views_public as public
from . import views_staff as staff

app_name = "feedback"
P = "phan-anh-kien-nghi/"
S = "can-bo/phan-anh-kien-nghi/"
urlpatterns = [
    # The fixed words come before the public answer's <code>.
    path(P + "gui/", citizen.send, name="send"),
    path(P + "xac-nhan/", citizen.verify, name="verify"),
    path(P + "xac-nhan/nhap-ma/", citizen.verify_code, name="verify_code"),
    path(P + "da-gui/<str:code>/", citizen.receipt, name="receipt"),
    path(P + "theo-doi/", citizen.follow, name="follow"),
    path(P + "theo-doi/<str:code>/", citizen.follow_detail, name="follow_detail"),
    path(P + "theo-doi/<str:code>/bo-sung/", citizen.reply, name="reply"),
    path(P + "theo-doi/<str:code>/danh-gia/", citizen.rate, name="rate"),
    path(P + "theo-doi/<str:code>/mo-lai/", citizen.reopen, name="reopen"),
    path(P + "cua-toi/", citizen.mine, name="mine"),
    path(P, public.answers, name="answers"),
    path(P + "<str:code>/", public.answer, name="answer"),
    path(S, staff.staff_list, name="staff_list"),
    path(S + "qua-han-don-vi-truc-thuoc/", staff.staff_overdue_children, name="staff_overdue"),
    path(S + "<str:code>/", staff.staff_detail, name="staff_detail"),
    path(S + "<str:code>/tep/<int:file_id>/", staff.staff_file, name="staff_file"),
    path(S + "<str:code>/<str:action>/", staff.staff_action, name="staff_action"),
]
