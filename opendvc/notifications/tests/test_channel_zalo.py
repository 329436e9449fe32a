"""The Zalo ZNS adapter speaks the ZNS API to a real local HTTP server: the template request,
the error codes that mean "this person cannot get it" versus "try again", server errors and
dropped connections, and signed webhook receipts."""

import hashlib
import json

import pytest

from opendvc.notifications.channels.base import (
    ForgedCallback,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from opendvc.notifications.channels.zns import ZnsAdapter
from opendvc.notifications.models import Message

from .fake_providers import DROP, http_provider

pytestmark = pytest.mark.django_db

TEMPLATE = {"template_id": "231456", "template_data": {"ma_ho_so": "T24-STP-261123-0001"}}
SENT = {"error": 0, "message": "Success", "data": {"msg_id": "zns-msg-77", "sent_time": "1"}}
APP_ID, OA_SECRET = "4321987", "oa-secret-khoa"


@pytest.fixture
def zns(settings):
    settings.ZNS_ACCESS_TOKEN = "ma-truy-cap"
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET = APP_ID, OA_SECRET
    started = []

    def start(*answers):
        server = http_provider(*answers)
        running = server.__enter__()
        settings.ZNS_API_URL = f"{running.url}/message/template"
        started.append(server)
        return running

    yield start
    for server in started:
        server.__exit__(None, None, None)


def zalo(**fields) -> Message:
    values = {
        "key": "dossier-status:1",
        "channel": "zalo",
        "event": "dossier.received",
        "to": "0912345678",
        "body": "Ho so T24-STP-261123-0001 da duoc tiep nhan.",
        "data": TEMPLATE,
        **fields,
    }
    return Message.objects.create(**values)


def test_a_template_message_is_sent_in_the_shape_of_zns(zns):
    server = zns((200, SENT))
    message = zalo()

    result = ZnsAdapter().send(message)

    assert result == SendResult(provider_id="zns-msg-77")
    (request,) = server.seen
    assert (request.method, request.path) == ("POST", "/message/template")
    assert request.headers["access_token"] == "ma-truy-cap"
    assert request.json() == {
        "phone": "84912345678",
        "template_id": "231456",
        "template_data": {"ma_ho_so": "T24-STP-261123-0001"},
        "tracking_id": f"odvc-{message.pk}",
    }


def test_a_message_without_a_zns_template_is_not_sent(zns):
    server = zns()

    with pytest.raises(PermanentFailure, match="no ZNS template"):
        ZnsAdapter().send(zalo(data={}))

    assert server.seen == []


@pytest.mark.parametrize("code", [-108, -109, -114, -118, -119, -131, -139])
def test_a_person_or_template_zalo_refuses_is_a_permanent_failure(zns, code):
    zns((200, {"error": code, "message": "..."}))

    with pytest.raises(PermanentFailure, match=f"Zalo {code}"):
        ZnsAdapter().send(zalo())


@pytest.mark.parametrize("code", [-100, -115, -124, -133, -144, -147, -999])
def test_limits_the_operators_settings_and_unknown_codes_are_temporary(zns, code):
    zns((200, {"error": code, "message": "Access token is invalid"}))

    with pytest.raises(TemporaryFailure, match=f"Zalo {code}"):
        ZnsAdapter().send(zalo())


@pytest.mark.parametrize(
    "answer",
    [(500, {"error": -100}), (429, b"slow down"), (200, b"<html></html>"), DROP],
    ids=["http-500", "http-429", "not-json", "dropped"],
)
def test_server_errors_and_dropped_connections_are_temporary(zns, answer):
    zns(answer)

    with pytest.raises(TemporaryFailure):
        ZnsAdapter().send(zalo())


def test_there_is_no_status_query(zns):
    assert ZnsAdapter().query_status("zns-msg-77") is None


def receipt(rf, *, event_name="user_received_message", secret=OA_SECRET, header=None, **message):
    event = {
        "app_id": APP_ID,
        "sender": {"id": "579745863508352884"},
        "recipient": {"id": "2512523625412515"},
        "event_name": event_name,
        "message": message or {"msg_id": "zns-msg-77", "tracking_id": "odvc-12",
                               "delivery_time": "1732330800000"},
        "timestamp": "1732330801000",
    }  # fmt: skip
    body = json.dumps(event).encode()
    mac = hashlib.sha256(APP_ID.encode() + body + b"1732330801000" + secret.encode()).hexdigest()
    return rf.post(
        "/thong-bao/callback/zalo/",
        data=body,
        content_type="application/json",
        headers={"X-ZEvent-Signature": f"mac={mac}" if header is None else header},
    )


def test_a_signed_receipt_says_the_message_was_delivered(rf, settings):
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET = APP_ID, OA_SECRET

    (update,) = ZnsAdapter().parse_callback(receipt(rf))

    assert (update.provider_id, update.request_id, update.delivered) == (
        "zns-msg-77",
        "odvc-12",
        True,
    )
    assert update.payload["event_name"] == "user_received_message"


@pytest.mark.parametrize(
    "options",
    [{"secret": "khoa-khac"}, {"header": ""}, {"header": "mac=" + "ab" * 32}, {"header": "mac=ữ"}],
    ids=["other-secret", "unsigned", "made-up", "not-hex"],
)
def test_a_receipt_not_signed_with_the_oa_secret_is_forged(rf, settings, options):
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET = APP_ID, OA_SECRET

    with pytest.raises(ForgedCallback):
        ZnsAdapter().parse_callback(receipt(rf, **options))


def test_other_oa_events_are_ignored(rf, settings):
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET = APP_ID, OA_SECRET

    assert ZnsAdapter().parse_callback(receipt(rf, event_name="follow", user_id="1")) == []


def test_a_receipt_naming_no_message_or_not_json_is_malformed(rf, settings):
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET = APP_ID, OA_SECRET

    with pytest.raises(ValueError):
        ZnsAdapter().parse_callback(receipt(rf, delivery_time="1"))
    with pytest.raises(ValueError):
        ZnsAdapter().parse_callback(rf.post("/", data=b"{", content_type="application/json"))
