"""Personal access tokens: made once by a command, checked on every API request, revoked;
and the site's session cookie as the other way in, with its CSRF check."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from opendvc.accounts.models import ApiToken
from opendvc.accounts.tokens import TokenError, create_token, revoke_token
from opendvc.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
MINE = "/api/v1/dossiers"  # needs a signed-in user
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def assert_unauthorized(response) -> None:
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_valid_token_signs_its_owner_in_and_records_its_use(client, citizen):
    token, raw = create_token(user=citizen, name="Ứng dụng của tôi", now=NOW)

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        response = client.get(MINE, headers=bearer(raw))

    assert response.status_code == 200
    assert response.json()["count"] == 0
    token.refresh_from_db()
    assert token.last_used_at == NOW + timedelta(hours=1)


def test_only_the_tokens_hash_is_stored(citizen):
    token, raw = create_token(user=citizen, name="CI", now=NOW)

    assert raw.startswith(f"odvc_{token.prefix}_")
    assert raw not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    assert not ApiToken.objects.filter(key_hash__contains=raw[-20:]).exists()
    entry = AuditEntry.objects.get(action="accounts.api_token_created")
    assert raw not in str(entry.payload)


def test_a_revoked_token_is_refused(client, citizen):
    token, raw = create_token(user=citizen, name="CI", now=NOW)
    revoke_token(token=token, by=citizen, now=NOW)

    assert_unauthorized(client.get(MINE, headers=bearer(raw)))
    assert AuditEntry.objects.filter(action="accounts.api_token_revoked").count() == 1


def test_only_the_owner_revokes_a_token(citizen, other_citizen):
    token, _raw = create_token(user=citizen, name="CI", now=NOW)

    with pytest.raises(TokenError):
        revoke_token(token=token, by=other_citizen, now=NOW)

    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    "value",
    [
        "odvc_abcdefgh_khong-phai-ma-that",
        "khong-co-dang-thuc",
        "odvc__",
        "",
    ],
    ids=["unknown", "malformed", "empty-parts", "empty"],
)
def test_a_wrong_token_is_refused(client, citizen, value):
    create_token(user=citizen, name="CI", now=NOW)

    assert_unauthorized(client.get(MINE, headers=bearer(value)))


def test_a_tampered_token_with_a_real_prefix_is_refused(client, citizen):
    _token, raw = create_token(user=citizen, name="CI", now=NOW)

    assert_unauthorized(
        client.get(MINE, headers=bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B")))
    )


def test_the_token_of_a_locked_account_is_refused(client, citizen):
    _token, raw = create_token(user=citizen, name="CI", now=NOW)
    citizen.is_active = False
    citizen.save()

    assert_unauthorized(client.get(MINE, headers=bearer(raw)))


def test_a_wrong_token_never_falls_back_to_the_session(client, citizen):
    client.force_login(citizen)

    assert client.get(MINE).status_code == 200
    assert_unauthorized(client.get(MINE, headers=bearer("odvc_abcdefgh_sai")))


def test_nobody_signed_in_gets_401(client):
    assert_unauthorized(client.get(MINE))
    assert_unauthorized(client.post(MINE, {}, content_type="application/json"))


def test_a_session_request_that_changes_something_needs_the_csrf_token(citizen):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)

    response = browser.post(MINE, {"procedure_code": "1"}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert browser.get(MINE).status_code == 200  # reading needs no token


def test_a_token_request_needs_no_csrf_token(citizen):
    _token, raw = create_token(user=citizen, name="CI", now=NOW)
    api_client = Client(enforce_csrf_checks=True)

    response = api_client.post(
        MINE, {"procedure_code": "0.000"}, content_type="application/json", headers=bearer(raw)
    )

    assert response.status_code == 422  # past sign-in: an unknown procedure


def test_an_anonymous_request_with_no_csrf_token_gets_401_not_403():
    response = Client(enforce_csrf_checks=True).post(MINE, {}, content_type="application/json")

    assert_unauthorized(response)


def test_the_command_prints_the_token_once_for_an_email_or_a_phone(client, citizen):
    out = StringIO()
    call_command("create_api_token", "0912 345 678", "--name", "Máy chủ tích hợp", stdout=out)

    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=citizen)
    assert token.name == "Máy chủ tích hợp" and raw.startswith(f"odvc_{token.prefix}_")
    assert client.get(MINE, headers=bearer(raw)).status_code == 200

    call_command("create_api_token", "AN@example.vn", "--name", "Thứ hai", stdout=StringIO())
    assert ApiToken.objects.filter(user=citizen).count() == 2


def test_the_command_refuses_an_unknown_account_or_an_empty_name(citizen):
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("create_api_token", "ai@example.vn", "--name", "CI", stdout=StringIO())
    with pytest.raises(CommandError, match="Tên mã truy cập"):
        call_command("create_api_token", "an@example.vn", "--name", "  ", stdout=StringIO())
    assert not ApiToken.objects.exists()


PAGE = "/tai-khoan/ma-truy-cap-api/"


def test_the_page_makes_a_token_and_shows_it_once(client, citizen):
    client.force_login(citizen)

    response = client.post(PAGE, {"name": "Phần mềm kế toán"}, follow=True)

    token = ApiToken.objects.get(user=citizen)
    raw = response.context["new_token"]
    assert raw.startswith(f"odvc_{token.prefix}_") and raw in response.text
    assert "Phần mềm kế toán" in response.text
    assert client.get(MINE, headers=bearer(raw)).status_code == 200
    again = client.get(PAGE)
    assert raw not in again.text and f"odvc_{token.prefix}_…" in again.text


def test_the_page_refuses_an_empty_name(client, citizen):
    client.force_login(citizen)

    response = client.post(PAGE, {"name": "   "})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_page_revokes_a_token(client, citizen):
    token, raw = create_token(user=citizen, name="CI", now=NOW)
    client.force_login(citizen)

    response = client.post(PAGE, {"revoke": token.pk}, follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None and "Đã thu hồi" in response.text
    client.logout()
    assert_unauthorized(client.get(MINE, headers=bearer(raw)))


def test_the_page_never_revokes_another_accounts_token(client, citizen, other_citizen):
    token, _raw = create_token(user=citizen, name="CI", now=NOW)
    client.force_login(other_citizen)

    response = client.post(PAGE, {"revoke": token.pk})

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert citizen.api_tokens.get().name not in client.get(PAGE).text


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(PAGE)

    assert response.status_code == 302 and "dang-nhap" in response.url
