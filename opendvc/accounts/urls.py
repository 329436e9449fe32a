from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views_citizen as views
from . import views_profile, views_tokens

app_name = "accounts"

T = "accounts/citizen/"

urlpatterns = [
    path("dang-ky/", views.signup, name="signup"),
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.sign_out, name="logout"),
    path("", views.profile, name="profile"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("ma-truy-cap-api/", views_tokens.api_tokens, name="api_tokens"),
    path("thong-tin-ca-nhan/", views_profile.profile_data, name="profile_data"),
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(
            template_name=T + "password_reset.html",
            email_template_name=T + "password_reset_email.txt",
            subject_template_name=T + "password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name=T + "password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=T + "password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
