from django.urls import path

from . import views_citizen

urlpatterns = [
    path("tai-khoan/thong-bao/", views_citizen.preferences, name="preferences"),
    path("tai-khoan/tin-nhan/", views_citizen.my_messages, name="my_messages"),
    path("tai-khoan/tin-nhan/<int:pk>/", views_citizen.my_message, name="my_message"),
    path("thong-bao/huy-dang-ky/<str:token>/", views_citizen.unsubscribe, name="unsubscribe"),
]
