from django.urls import path

from . import views_staff

urlpatterns = [
    path("can-bo/tin-nhan/", views_staff.message_list, name="staff_messages"),
    path("can-bo/tin-nhan/<int:pk>/", views_staff.message_detail, name="staff_message"),
    path("can-bo/thong-bao/thong-ke/", views_staff.volumes, name="volumes"),
]
