"""The SMS brandname adapter speaks the eSMS API to a real local HTTP server: the request it
sends, each class of answer, server errors and dropped connections, status queries, and signed
delivery reports."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from opendvc.notifications import outbox
from opendvc.notifications.channels.base import (
    ForgedCallback,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from opendvc.notifications.channels.esms import EsmsAdapter, signature
from opendvc.notifications.models import Message, Preference

from .fake_providers import DROP, SLOW, http_provider

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
ACCEPTED = {"CodeResult": "100", "CountRegenerate": 0, "SMSID": "e1a2b3c4-sms-0001"}
SECRET = "bi-mat-callback"
CONTEXT = {
    "applicant_name": "Nguyễn Văn An",
    "dossier_code": "T24-STP-261123-0001",
    "procedure_name": "Thủ tục đăng ký khai sinh",
    "agency_name": "Sở Tư pháp tỉnh Bắc Ninh",
    "url": "https://dichvucong.example.vn/ho-so/T24-STP-261123-0001/",
    "status": "Đang xử lý",
    "changed_at": "09:00 23/11/2026",
}


@pytest.fixture(autouse=True)
def esms_settings(settings):
    settings.ESMS_API_KEY, settings.ESMS_SECRET_KEY = "khoa-api", "khoa-bi-mat"
    settings.ESMS_BRANDNAME = "BACNINH-DVC"
    settings.ESMS_CALLBACK_SECRET = SECRET
    settings.SITE_URL = "https://dichvucong.example.vn"
    return settings


@pytest.fixture
def provider(esms_settings):
    def start(*answers):
        server = http_provider(*answers)
        running = server.__enter__()
        esms_settings.ESMS_API_URL = f"{running.url}/MainService.svc/json"
        started.append(server)
        return running

    started = []
    yield start
    for server in started:
        server.__exit__(None, None, None)


def sms(**fields) -> Message:
    values = {
        "key": "dossier-status:1",
        "channel": "sms",
        "event": "dossier.received",
        "to": "0912345678",
        "body": "Ho so T24-STP-261123-0001 da duoc tiep nhan.",
        **fields,
    }
    return Message.objects.create(**values)


def test_a_message_is_sent_in_the_shape_of_the_brandname_api(provider):
    server = provider((200, ACCEPTED))
    message = sms()

    result = EsmsAdapter().send(message)

    assert result == SendResult(provider_id="e1a2b3c4-sms-0001")
    (request,) = server.seen
    assert (request.method, request.path) == ("POST", SEND_PATH)
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "ApiKey": "khoa-api",
        "SecretKey": "khoa-bi-mat",
        "Phone": "0912345678",
        "Content": "Ho so T24-STP-261123-0001 da duoc tiep nhan.",
        "Brandname": "BACNINH-DVC",
        "SmsType": "2",
        "IsUnicode": "0",
        "RequestId": f"odvc-{message.pk}",
        "CallbackUrl": "https://dichvucong.example.vn/thong-bao/callback/sms/"
        f"?ref=odvc-{message.pk}&sig={signature(SECRET, f'odvc-{message.pk}')}",
    }


def test_an_international_number_is_sent_in_the_national_form(provider):
    server = provider((200, ACCEPTED))

    EsmsAdapter().send(sms(to="+84 912 345 678"))

    assert server.seen[0].json()["Phone"] == "0912345678"


def test_a_request_id_the_provider_has_seen_counts_as_sent(provider):
    provider((200, {"CodeResult": "124", "ErrorMessage": "Duplicate RequestId"}))

    result = EsmsAdapter().send(sms())

    assert result.was_duplicate is True


@pytest.mark.parametrize("code", ["99", "104", "108", "146", "177"])
def test_answers_that_will_not_change_are_permanent_failures(provider, code):
    provider((200, {"CodeResult": code, "ErrorMessage": "..."}))

    with pytest.raises(PermanentFailure, match=f"eSMS {code}"):
        EsmsAdapter().send(sms())


@pytest.mark.parametrize("code", ["101", "103", "140", "555"])
def test_the_operators_problems_and_unknown_answers_are_temporary(provider, code):
    provider((200, {"CodeResult": code, "ErrorMessage": "Tai khoan khong du"}))

    with pytest.raises(TemporaryFailure, match=f"eSMS {code}"):
        EsmsAdapter().send(sms())


@pytest.mark.parametrize(
    "answer",
    [(500, {"Message": "Internal error"}), (503, b"<html>busy</html>"), (200, b"not json"), DROP],
    ids=["http-500", "http-503", "not-json", "dropped"],
)
def test_server_errors_and_dropped_connections_are_temporary(provider, answer):
    provider(answer)

    with pytest.raises(TemporaryFailure):
        EsmsAdapter().send(sms())


def test_a_provider_slower_than_the_timeout_is_a_temporary_failure(provider, settings):
    settings.NOTIFY_HTTP_TIMEOUT = 1
    provider(SLOW)

    with pytest.raises(TemporaryFailure, match="Không kết nối được"):
        EsmsAdapter().send(sms())


def test_nothing_listening_is_a_temporary_failure(esms_settings):
    with http_provider() as server:
        url = server.url
    esms_settings.ESMS_API_URL = url  # closed again

    with pytest.raises(TemporaryFailure):
        EsmsAdapter().send(sms())


@pytest.mark.parametrize(
    "answer, delivered, error_code",
    [
        ({"SendStatus": 5, "SendSuccess": 1, "SendFailed": 0}, True, ""),
        ({"SendStatus": 5, "SendSuccess": 0, "SendFailed": 1}, False, "failed"),
        ({"SendStatus": 4, "SendSuccess": 0, "SendFailed": 0}, False, "rejected"),
    ],
)
def test_the_status_of_a_message_is_asked_for_by_its_smsid(provider, answer, delivered, error_code):
    server = provider(
        (200, {"CodeResponse": "100", "SMSID": "sms-9", "TotalReceiver": 1, **answer})
    )

    update = EsmsAdapter().query_status("sms-9")

    assert (update.provider_id, update.delivered, update.error_code) == (
        "sms-9",
        delivered,
        error_code,
    )
    (request,) = server.seen
    assert (request.method, request.path) == ("GET", "/MainService.svc/json/GetSendStatus")
    assert request.query == {"RefId": "sms-9", "ApiKey": "khoa-api", "SecretKey": "khoa-bi-mat"}


@pytest.mark.parametrize(
    "answer",
    [
        {"CodeResponse": "100", "SendStatus": 2, "SendSuccess": 0, "SendFailed": 0},
        {"CodeResponse": "100", "SendStatus": 5, "SendSuccess": 0, "SendFailed": 0},
        {"CodeResponse": "105"},
    ],
    ids=["waiting", "at-the-network", "unknown-smsid"],
)
def test_no_status_while_the_provider_does_not_know(provider, answer):
    provider((200, {"SMSID": "sms-9", **answer}))

    assert EsmsAdapter().query_status("sms-9") is None


def report(rf, fields: dict, *, secret: str = SECRET, sig: str | None = None, ref="odvc-12"):
    """eSMS's call of the CallbackUrl given for message odvc-12, the report in the query."""
    sign = signature(secret, ref) if sig is None else sig
    return rf.get("/thong-bao/callback/sms/", {"ref": ref, "sig": sign, **fields})


def test_a_signed_delivery_report_is_read(rf):
    fields = {"SMSID": "sms-9", "RequestId": "odvc-12", "SendStatus": "5", "SendSuccess": "1",
              "SendFailed": "0", "phonenumber": "0912345678"}  # fmt: skip

    (update,) = EsmsAdapter().parse_callback(report(rf, fields))

    assert update.provider_id == "sms-9"
    assert update.request_id == "odvc-12"
    assert update.delivered is True
    assert update.payload == {"ref": "odvc-12", **fields}


def test_a_failed_report_keeps_the_providers_error_code(rf):
    fields = {"SMSID": "sms-9", "SendStatus": "5", "SendSuccess": "0", "SendFailed": "1",
              "ErrorCode": "DELIVRD-TIMEOUT"}  # fmt: skip

    (update,) = EsmsAdapter().parse_callback(report(rf, fields))

    assert (update.delivered, update.error_code) == (False, "DELIVRD-TIMEOUT")


def test_a_report_still_on_its_way_says_nothing(rf):
    fields = {"SMSID": "sms-9", "SendStatus": "7", "SendSuccess": "0", "SendFailed": "0"}

    assert EsmsAdapter().parse_callback(report(rf, fields)) == []


@pytest.mark.parametrize(
    "options",
    [
        {"secret": "doan-mo"},
        {"sig": ""},
        {"sig": "00" * 32},
        {"sig": "chữ-ký"},
        {"ref": ""},
        {"fields": {"RequestId": "odvc-13"}},
    ],
    ids=["other-secret", "unsigned", "made-up", "not-hex", "no-reference", "another-message"],
)
def test_a_report_not_through_the_signed_callback_url_is_forged(rf, options):
    fields = {"SMSID": "sms-9", "SendStatus": "5", "SendSuccess": "1", "SendFailed": "0"}
    fields.update(options.pop("fields", {}))

    with pytest.raises(ForgedCallback):
        EsmsAdapter().parse_callback(report(rf, fields, **options))


def test_a_signed_report_without_an_smsid_is_malformed(rf):
    with pytest.raises(ValueError):
        EsmsAdapter().parse_callback(report(rf, {"SendStatus": "5"}))


def test_through_the_outbox_a_wrong_number_falls_back_to_email(provider, settings, citizen):
    settings.NOTIFY_PROVIDERS = {"email": "sandbox", "sms": "esms", "zalo": "sandbox"}
    Preference.objects.create(user=citizen, use_zalo=False)
    server = provider((200, {"CodeResult": "108", "ErrorMessage": "Phone invalid"}))
    message = outbox.notify(
        event="dossier.processing", context=CONTEXT, key="dossier-status:9", now=MORNING,
        user=citizen, email=citizen.email, phone="0912345678",
    )  # fmt: skip

    outbox.dispatch(now=MORNING)

    message.refresh_from_db()
    assert (message.channel, message.state) == ("sms", Message.State.FAILED)
    assert message.error.startswith("eSMS 108")
    assert server.seen[0].json()["RequestId"] == f"odvc-{message.pk}"
    email = Message.objects.get(fallback_of=message)
    assert (email.channel, email.to, email.state) == ("email", "an@example.vn", "sent")


def test_through_the_outbox_an_accepted_sms_is_sent_with_its_smsid(provider, settings, citizen):
    settings.NOTIFY_PROVIDERS = {"email": "sandbox", "sms": "esms", "zalo": "sandbox"}
    Preference.objects.create(user=citizen, use_zalo=False)
    provider((200, ACCEPTED))
    message = outbox.notify(
        event="dossier.processing", context=CONTEXT, key="dossier-status:9", now=MORNING,
        user=citizen, phone="0912345678", email="",
    )  # fmt: skip

    outbox.dispatch(now=MORNING)

    message.refresh_from_db()
    assert (message.channel, message.state) == ("sms", "sent")
    assert message.provider_id == "e1a2b3c4-sms-0001"
