from django.urls import path

from . import views_chat, views_citizen, views_staff

app_name = "assistant"
urlpatterns = [
    path("hoi-dap/", views_citizen.faq_list, name="faq"),
    path("hoi-dap/<int:pk>/", views_citizen.faq_detail, name="detail"),
    path("hoi-dap/linh-vuc/<slug:slug>/", views_citizen.faq_field, name="field"),
    path("hoi-dap/dat-cau-hoi/", views_citizen.ask, name="ask"),
    path("hoi-dap/cua-toi/", views_citizen.mine, name="mine"),
    path("hoi-dap/cua-toi/<int:pk>/", views_citizen.mine_detail, name="mine_detail"),
    path("tro-ly-ao/", views_chat.chat_page, name="chat"),
    path("tro-ly-ao/hoi/", views_chat.chat_ask, name="chat_ask"),
    path("tro-ly-ao/moi/", views_chat.chat_new, name="chat_new"),
    path("can-bo/tro-ly-ao/chua-tra-loi/", views_chat.unanswered, name="chat_unanswered"),
    path("can-bo/hoi-dap/", views_staff.staff_list, name="staff_list"),
    path("can-bo/hoi-dap/<int:pk>/", views_staff.staff_detail, name="staff_detail"),
    path("can-bo/hoi-dap/<int:pk>/tra-loi/", views_staff.staff_answer, name="staff_answer"),
    path("can-bo/hoi-dap/<int:pk>/cong-khai/", views_staff.staff_publish, name="staff_publish"),
    path("can-bo/hoi-dap/<int:pk>/an/", views_staff.staff_hide, name="staff_hide"),
    path("can-bo/hoi-dap/<int:pk>/tu-choi/", views_staff.staff_reject, name="staff_reject"),
    path("can-bo/hoi-dap/<int:pk>/noi-dung/", views_staff.staff_wording, name="staff_wording"),
]
