import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from opendvc.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD = {
    "full_name": "  Đỗ   Thị Hoa ",
    "kind": "CITIZEN",
    "phone": "+84 912 000 111",
    "email": "",
    "password1": "Hoa-dang-ky-2025",
    "password2": "Hoa-dang-ky-2025",
}


def test_a_citizen_signs_up_with_a_phone_number_and_is_signed_in(client):
    response = client.post("/tai-khoan/dang-ky/", GOOD)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    user = User.objects.get(phone="0912000111")
    assert user.full_name == "Đỗ Thị Hoa" and user.email is None and user.kind == "CITIZEN"
    assert client.get("/tai-khoan/").context["user"] == user
    entry = AuditEntry.objects.get(action="accounts.citizen_signed_up")
    assert entry.target_id == str(user.pk) and entry.payload["has_phone"] is True


def test_sign_up_needs_a_phone_number_or_an_email(client):
    response = client.post("/tai-khoan/dang-ky/", {**GOOD, "phone": ""})
    assert response.status_code == 400
    assert "Vui lòng nhập số điện thoại hoặc email." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"email": "not-an-email"}, "Nhập địa chỉ email."),
        ({"password2": "khac-hoan-toan-1"}, "Hai mật khẩu không khớp."),
        ({"password1": "12345678", "password2": "12345678"}, "Mật khẩu"),
        ({"full_name": " "}, "Trường này là bắt buộc"),
    ],
)
def test_sign_up_rejects_bad_input_with_a_clear_message(client, change, message):
    response = client.post("/tai-khoan/dang-ky/", {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_a_phone_number_already_registered(client, citizen):
    response = client.post("/tai-khoan/dang-ky/", {**GOOD, "phone": citizen.phone})
    assert response.status_code == 400
    assert "Số điện thoại này đã được đăng ký." in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_refuses_an_email_already_registered_whatever_its_case(client, citizen):
    response = client.post("/tai-khoan/dang-ky/", {**GOOD, "email": "AN@Example.VN"})
    assert "Email này đã được đăng ký." in response.content.decode()


@pytest.mark.parametrize(
    "login", ["an@example.vn", "AN@EXAMPLE.VN", "0912345678", "+84 912 345 678"]
)
def test_a_citizen_signs_in_with_phone_or_email(client, citizen, login):
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": login, "password": "Mat-khau-an-toan-1"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == citizen.pk
    assert AuditEntry.objects.filter(action="accounts.signed_in", actor_id=citizen.pk).exists()


def test_a_wrong_password_is_refused_and_audited_without_the_full_login(client, citizen):
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": "sai-mat-khau"}
    )
    assert response.status_code == 400
    assert "Số điện thoại/email hoặc mật khẩu không đúng." in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.sign_in_failed")
    assert entry.payload["identifier"] == "an@***"


def test_repeated_failures_lock_the_login_for_a_while(client, citizen):
    for _ in range(5):
        client.post("/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": "sai"})
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "an@example.vn", "password": "Mat-khau-an-toan-1"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_out_is_post_only_and_audited(client, citizen):
    client.force_login(citizen)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    response = client.post("/tai-khoan/dang-xuat/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.signed_out", actor_id=citizen.pk).exists()


def test_the_profile_page_needs_sign_in(client):
    response = client.get("/tai-khoan/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_password_reset_by_email_end_to_end(client, citizen):
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "an@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/dat-lai-mat-khau/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Mat-khau-moi-2026")
    assert AuditEntry.objects.get(action="accounts.password_changed").payload == {"how": "reset"}
    # The link works once.
    assert "không hợp lệ" in client.get(form_url).content.decode()


def test_password_reset_does_not_reveal_whether_an_email_is_registered(client):
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "nobody@example.vn"})
    assert (
        response.status_code == 302 and response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    )
    assert mail.outbox == []


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(client):
    client.post("/tai-khoan/dang-ky/", GOOD)
    assert User.objects.get().password.startswith("argon2$")


def test_argon2_is_the_production_hasher():
    from django.conf import settings as live

    # conftest swaps hashers for speed; the project's own settings module must keep Argon2 first.
    from opendvc import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert live.AUTH_USER_MODEL == "accounts.User"
