"""The providers' delivery callbacks: only signed ones count; a receipt marks the message
delivered, a failure report fails it and queues the notice on the next channel, a report about
an unknown message is kept, and the same report twice changes nothing more."""

import hashlib
import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from opendvc.notifications import outbox
from opendvc.notifications.channels.esms import signature
from opendvc.notifications.models import DeliveryReport, Message, Preference

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SECRET, APP_ID, OA_SECRET = "bi-mat-callback", "4321987", "oa-secret-khoa"
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
def secrets_and_sandbox(settings):
    # Sending goes through the sandbox; callbacks are read as the real providers send them.
    settings.NOTIFY_PROVIDERS = {"email": "sandbox", "sms": "sandbox", "zalo": "sandbox"}
    settings.ESMS_CALLBACK_SECRET = SECRET
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET = APP_ID, OA_SECRET


def sent_on(channel: str, citizen) -> Message:
    """A notice to the citizen, sent (through the sandbox) on `channel`."""
    Preference.objects.create(user=citizen, use_zalo=channel == "zalo")
    message = outbox.notify(
        event="dossier.processing", context=CONTEXT, key="dossier-status:5", now=MORNING,
        user=citizen, email=citizen.email, phone=citizen.phone,
    )  # fmt: skip
    outbox.dispatch(now=MORNING)
    message.refresh_from_db()
    assert (message.channel, message.state) == (channel, Message.State.SENT)
    return message


def sms_report(client, fields: dict, *, secret: str = SECRET, ref: str = ""):
    """eSMS's GET of the CallbackUrl we gave for the message the report names."""
    ref = ref or fields.get("RequestId") or "odvc-0"
    signed = {"ref": ref, "sig": signature(secret, ref)}
    return client.get(reverse("notifications:callback_sms"), {**signed, **fields})


def delivered(message: Message) -> dict:
    return {"SMSID": message.provider_id, "RequestId": message.request_id, "SendStatus": "5",
            "SendSuccess": "1", "SendFailed": "0", "phonenumber": message.to}  # fmt: skip


def failed(message: Message) -> dict:
    return {**delivered(message), "SendSuccess": "0", "SendFailed": "1", "ErrorCode": "EXPIRED"}


def test_a_forged_sms_report_is_refused_and_changes_nothing(client, citizen, caplog):
    message = sent_on("sms", citizen)

    with caplog.at_level(logging.WARNING, logger="opendvc.notifications.views_callbacks"):
        response = sms_report(client, failed(message), secret="doan-mo")

    assert response.status_code == 403
    assert response.json() == {"error": "invalid signature"}
    assert DeliveryReport.objects.count() == 0
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert not Message.objects.filter(fallback_of=message).exists()
    assert "Forged sms callback" in caplog.text
    assert message.provider_id not in caplog.text  # the body is not logged


def test_a_delivered_sms_report_marks_the_message_delivered(client, citizen):
    message = sent_on("sms", citizen)

    response = sms_report(client, delivered(message))

    assert response.status_code == 200
    assert response.json() == {"received": 1}
    message.refresh_from_db()
    assert message.state == Message.State.DELIVERED
    assert message.delivered_at is not None
    report = DeliveryReport.objects.get()
    assert (report.message, report.channel, report.outcome) == (message, "sms", "delivered")
    assert report.provider_id == message.provider_id


def test_a_failed_sms_report_fails_the_message_and_falls_back_to_email(client, citizen):
    message = sent_on("sms", citizen)

    response = sms_report(client, failed(message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.state, message.error) == (Message.State.FAILED, "EXPIRED")
    report = DeliveryReport.objects.get()
    assert (report.outcome, report.error_code) == ("failed", "EXPIRED")
    email = Message.objects.get(fallback_of=message)
    assert (email.channel, email.to, email.state) == ("email", "an@example.vn", "queued")
    assert "T24-STP-261123-0001" in email.subject


def test_the_same_failure_report_twice_falls_back_once(client, citizen):
    message = sent_on("sms", citizen)

    first = sms_report(client, failed(message))
    again = sms_report(client, failed(message))

    assert (first.status_code, again.status_code) == (200, 200)
    assert Message.objects.filter(key=message.key, channel="email").count() == 1
    message.refresh_from_db()
    assert message.state == Message.State.FAILED


def test_the_same_receipt_twice_keeps_the_first_delivery_time(client, citizen):
    message = sent_on("sms", citizen)
    sms_report(client, delivered(message))
    message.refresh_from_db()
    first_time = message.delivered_at

    response = sms_report(client, delivered(message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.state, message.delivered_at) == (Message.State.DELIVERED, first_time)


def test_a_late_failure_after_a_receipt_does_not_undo_it(client, citizen):
    message = sent_on("sms", citizen)
    sms_report(client, delivered(message))

    sms_report(client, failed(message))

    message.refresh_from_db()
    assert message.state == Message.State.DELIVERED
    assert not Message.objects.filter(fallback_of=message).exists()


def test_a_report_about_an_unknown_message_is_kept(client):
    fields = {"SMSID": "khong-ro", "SendStatus": "5", "SendSuccess": "1", "SendFailed": "0"}

    response = sms_report(client, fields)

    assert response.status_code == 200
    report = DeliveryReport.objects.get()
    assert (report.message, report.provider_id, report.outcome) == (None, "khong-ro", "delivered")
    assert report.payload == {**fields, "ref": "odvc-0", "RequestId": "odvc-0"}


def test_a_report_still_on_its_way_is_acknowledged_and_not_recorded(client, citizen):
    message = sent_on("sms", citizen)

    response = sms_report(client, {**delivered(message), "SendStatus": "7"})

    assert response.json() == {"received": 0}
    assert DeliveryReport.objects.count() == 0


def test_a_signed_but_malformed_report_is_a_bad_request(client):
    response = sms_report(client, {"SendStatus": "5"})

    assert response.status_code == 400
    assert DeliveryReport.objects.count() == 0


def test_callbacks_take_only_the_methods_providers_use(client):
    assert client.get(reverse("notifications:callback_zalo")).status_code == 405
    assert client.put(reverse("notifications:callback_sms")).status_code == 405


def zalo_receipt(client, message: Message, *, secret: str = OA_SECRET):
    event = {
        "app_id": APP_ID,
        "event_name": "user_received_message",
        "message": {"msg_id": message.provider_id, "tracking_id": message.request_id,
                    "delivery_time": "1763863200000"},
        "timestamp": "1763863201000",
    }  # fmt: skip
    body = json.dumps(event).encode()
    mac = hashlib.sha256(APP_ID.encode() + body + b"1763863201000" + secret.encode()).hexdigest()
    return client.post(
        reverse("notifications:callback_zalo"),
        data=body,
        content_type="application/json",
        headers={"X-ZEvent-Signature": f"mac={mac}"},
    )


def test_a_signed_zalo_receipt_marks_the_message_delivered(client, citizen):
    message = sent_on("zalo", citizen)

    response = zalo_receipt(client, message)

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.state == Message.State.DELIVERED
    report = DeliveryReport.objects.get()
    assert (report.message, report.channel, report.outcome) == (message, "zalo", "delivered")


def test_a_forged_zalo_receipt_is_refused(client, citizen):
    message = sent_on("zalo", citizen)

    response = zalo_receipt(client, message, secret="khoa-khac")

    assert response.status_code == 403
    assert DeliveryReport.objects.count() == 0
    message.refresh_from_db()
    assert message.state == Message.State.SENT
