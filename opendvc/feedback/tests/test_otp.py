"""The one-time code for senders without an account: sent, stored as a hash, expires, allows a
few tries, and rate limited per address and per client."""

from datetime import timedelta

import pytest
import time_machine

from opendvc.feedback.models import Feedback, Verification
from opendvc.notifications.models import Message

from .factories import MONDAY

pytestmark = pytest.mark.django_db
VERIFY = "/phan-anh-kien-nghi/xac-nhan/"
CODE = "/phan-anh-kien-nghi/xac-nhan/nhap-ma/"
SEND = "/phan-anh-kien-nghi/gui/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def sent_code() -> str:
    return Message.objects.filter(event="verification.code").latest("pk").context["code"]


def test_someone_without_an_account_confirms_a_phone_and_sends(client, agency):
    asked = client.get(SEND)
    client.post(VERIFY, {"address": "0901 234 567"})
    code = sent_code()
    verification = Verification.objects.get()
    confirmed = client.post(CODE, {"code": code})
    response = client.post(
        SEND,
        {
            "kind": "CONDUCT",
            "title": "Thái độ",
            "content": "Cán bộ chậm",
            "name": "Lê Hoa",
            "agency": agency.pk,
        },
    )
    feedback = Feedback.objects.get()

    assert asked.status_code == 302 and asked.url == VERIFY
    assert code not in verification.code_hash and len(verification.code_hash) == 64
    assert Message.objects.get(event="verification.code").to == "0901234567"
    assert confirmed.url == SEND
    assert response.status_code == 302
    assert (feedback.sender, feedback.sender_phone, feedback.sender_name) == (
        None,
        "0901234567",
        "Lê Hoa",
    )
    verification.refresh_from_db()
    assert verification.used_at is not None
    assert client.get(SEND).status_code == 302  # the confirmation is spent with the sending


def test_a_wrong_code_is_refused_and_counted(client):
    client.post(VERIFY, {"address": "hoa@example.vn"})
    wrong = "000000" if sent_code() != "000000" else "111111"

    response = client.post(CODE, {"code": wrong})

    assert response.status_code == 400
    assert "Mã xác nhận không đúng. Bạn còn 4 lần thử." in response.content.decode()
    assert Verification.objects.get().attempts == 1
    assert client.get(SEND).status_code == 302


def test_an_expired_code_is_refused(client, frozen):
    client.post(VERIFY, {"address": "hoa@example.vn"})
    code = sent_code()
    frozen.shift(timedelta(minutes=11))

    response = client.post(CODE, {"code": code})

    assert "Mã xác nhận đã hết hạn" in response.content.decode()
    assert Verification.objects.get().confirmed_at is None


def test_after_five_wrong_tries_even_the_right_code_is_refused(client):
    client.post(VERIFY, {"address": "hoa@example.vn"})
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(CODE, {"code": wrong})

    response = client.post(CODE, {"code": code})

    assert "nhập sai quá số lần cho phép" in response.content.decode()
    assert Verification.objects.get().confirmed_at is None


def test_codes_are_rate_limited_per_address(client):
    for _ in range(3):
        client.post(VERIFY, {"address": "hoa@example.vn"})

    response = client.post(VERIFY, {"address": "HOA@example.vn"})

    assert response.status_code == 400
    assert "quá nhiều mã xác nhận tới địa chỉ này" in response.content.decode()
    assert 'value="HOA@example.vn"' in response.content.decode()  # what was typed is kept
    assert Verification.objects.count() == 3


def test_codes_are_rate_limited_per_client(client):
    for n in range(10):
        client.post(VERIFY, {"address": f"nguoi{n}@example.vn"})

    response = client.post(VERIFY, {"address": "nguoi99@example.vn"})

    assert "quá nhiều mã xác nhận từ máy của bạn" in response.content.decode()
    assert Verification.objects.count() == 10


def test_an_address_that_is_neither_phone_nor_email_is_refused(client):
    response = client.post(VERIFY, {"address": "12345"})

    assert response.status_code == 400
    assert "số điện thoại di động (10 chữ số) hoặc địa chỉ e-mail" in response.content.decode()


def test_the_procedure_is_kept_through_the_code_step(client, agency):
    from opendvc.catalog.tests.factories import ProcedureFactory

    ProcedureFactory(code="1.001193").implementing_agencies.add(agency)

    asked = client.get(SEND + "?thu-tuc=1.001193")
    sent_to = client.post(asked.url, {"address": "hoa@example.vn"})
    confirmed = client.post(sent_to.url, {"code": sent_code()})
    page = client.get(confirmed.url).content.decode()

    assert confirmed.url == SEND + "?thu-tuc=1.001193"
    assert 'value="1.001193"' in page and f'<option value="{agency.pk}" selected>' in page
