"""E-mail goes out over a real SMTP conversation: Vietnamese subject and body intact, a
Message-ID fixed by the message row, the one-click unsubscribe headers on announcements, and
the server's answers mapped to permanent or temporary failures."""

from datetime import datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from opendvc.notifications import outbox
from opendvc.notifications.channels.base import PermanentFailure, TemporaryFailure
from opendvc.notifications.channels.email import EmailAdapter
from opendvc.notifications.models import Message, Preference

from .fake_providers import MailRecorder, free_port, smtp_server

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SUBJECT = "Hồ sơ T24-STP-261123-0001 đã được tiếp nhận"
BODY = "Kính gửi Nguyễn Văn An,\n\nSở Tư pháp tỉnh Bắc Ninh đã tiếp nhận hồ sơ của bạn."


def email_message(**fields) -> Message:
    values = {
        "key": "dossier-status:1",
        "channel": "email",
        "event": "dossier.received",
        "to": "an@example.vn",
        "subject": SUBJECT,
        "body": BODY,
        **fields,
    }
    return Message.objects.create(**values)


def test_an_email_goes_through_a_real_smtp_exchange(settings):
    settings.SITE_URL = "https://dichvucong.example.vn"
    message = email_message()

    with smtp_server(settings, MailRecorder()) as server:
        result = EmailAdapter().send(message)

    (envelope,) = server.envelopes
    assert envelope.rcpt_tos == ["an@example.vn"]
    (received,) = server.messages()
    assert str(received["Subject"]).strip() == SUBJECT
    assert received.get_content().replace("\r\n", "\n").strip() == BODY  # CRLF on the wire
    assert received["Message-ID"] == f"<notification-{message.pk}@dichvucong.example.vn>"
    assert received["From"] == settings.DEFAULT_FROM_EMAIL
    assert received["List-Unsubscribe"] is None  # about the person's dossier: no unsubscribe
    assert result.provider_id == f"<notification-{message.pk}@dichvucong.example.vn>"


def test_a_resend_is_the_same_message(settings):
    message = email_message()

    with smtp_server(settings, MailRecorder()) as server:
        EmailAdapter().send(message)
        EmailAdapter().send(message)

    first, second = server.messages()
    assert first["Message-ID"] == second["Message-ID"]


def test_in_the_embedded_outbox_folder_a_resend_replaces_the_file(settings, tmp_path):
    settings.EMAIL_BACKEND = "opendvc.core.mail.OutboxBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    message = email_message()

    EmailAdapter().send(message)
    EmailAdapter().send_batch([message])

    (written,) = (tmp_path / "outbox").iterdir()
    assert written.name == f"notification-{message.pk}@127.0.0.1.eml"
    saved = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert str(saved["Subject"]).strip() == SUBJECT


def test_an_announcement_carries_the_one_click_unsubscribe_headers(settings, citizen):
    message = email_message(kind=Message.Kind.ANNOUNCEMENT, event="announcement", recipient=citizen)

    with smtp_server(settings, MailRecorder()) as server:
        EmailAdapter().send(message)

    (received,) = server.messages()
    token = Preference.objects.get(user=citizen).unsubscribe_token
    expected = f"<{settings.SITE_URL}/thong-bao/huy-dang-ky/{token}/>"
    assert str(received["List-Unsubscribe"]).strip() == expected  # long: folded
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_refused_address_is_a_permanent_failure(settings):
    recorder = MailRecorder(rcpt_reply="550 5.1.1 No such mailbox")

    with smtp_server(settings, recorder), pytest.raises(PermanentFailure, match="550"):
        EmailAdapter().send(email_message())

    assert recorder.envelopes == []


def test_refused_content_is_a_permanent_failure(settings):
    recorder = MailRecorder(data_reply="554 5.7.1 Message rejected")

    with smtp_server(settings, recorder), pytest.raises(PermanentFailure, match="554"):
        EmailAdapter().send(email_message())


def test_a_server_asking_to_try_later_is_a_temporary_failure(settings):
    recorder = MailRecorder(rcpt_reply="451 4.7.1 Greylisted, try again later")

    with smtp_server(settings, recorder), pytest.raises(TemporaryFailure, match="451"):
        EmailAdapter().send(email_message())


def test_a_busy_server_at_the_data_stage_is_a_temporary_failure(settings):
    recorder = MailRecorder(data_reply="452 4.3.1 Insufficient system storage")

    with smtp_server(settings, recorder), pytest.raises(TemporaryFailure, match="452"):
        EmailAdapter().send(email_message())


def test_no_mail_server_listening_is_a_temporary_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()

    with pytest.raises(TemporaryFailure):
        EmailAdapter().send(email_message())


def test_a_batch_goes_over_one_connection_and_a_refused_address_fails_alone(settings):
    recorder = MailRecorder(refused={"khong-co@example.vn": "550 5.1.1 No such mailbox"})
    first, refused, last = (
        email_message(key=f"k{n}", to=to)
        for n, to in enumerate(["an@example.vn", "khong-co@example.vn", "binh@example.vn"])
    )

    with smtp_server(settings, recorder) as server:
        outcomes = EmailAdapter().send_batch([first, refused, last])

    assert outcomes[first.pk].provider_id == f"<notification-{first.pk}@127.0.0.1>"
    assert outcomes[last.pk].provider_id == f"<notification-{last.pk}@127.0.0.1>"
    assert isinstance(outcomes[refused.pk], PermanentFailure)
    assert [e.rcpt_tos for e in server.envelopes] == [["an@example.vn"], ["binh@example.vn"]]
    assert len(server.peers) == 1


def test_a_batch_with_no_mail_server_fails_each_message_for_now(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    messages = [email_message(key="k1"), email_message(key="k2")]

    outcomes = EmailAdapter().send_batch(messages)

    assert all(isinstance(outcomes[m.pk], TemporaryFailure) for m in messages)


def test_email_has_no_callbacks_and_no_status(rf):
    with pytest.raises(ValueError):
        EmailAdapter().parse_callback(rf.post("/"))
    assert EmailAdapter().query_status("<notification-1@127.0.0.1>") is None


def test_the_outbox_delivers_its_notices_over_one_smtp_connection(settings, citizen):
    settings.NOTIFY_PROVIDERS = {"email": "mail", "sms": "sandbox", "zalo": "sandbox"}
    context = {
        "applicant_name": "Nguyễn Văn An",
        "dossier_code": "T24-STP-261123-0001",
        "procedure_name": "Thủ tục đăng ký khai sinh",
        "agency_name": "Sở Tư pháp tỉnh Bắc Ninh",
        "url": "https://dichvucong.example.vn/ho-so/T24-STP-261123-0001/",
        "status": "Được tiếp nhận",
        "changed_at": "09:00 23/11/2026",
    }
    message = outbox.notify(
        event="dossier.received", context=context, key="dossier-status:7", now=MORNING,
        user=citizen, email=citizen.email,
    )  # fmt: skip

    outbox.notify(
        event="dossier.received", context=context, key="dossier-status:8", now=MORNING,
        user=citizen, email="an.khac@example.vn",
    )  # fmt: skip

    with smtp_server(settings, MailRecorder()) as server:
        assert outbox.dispatch(now=MORNING) == 2

    message.refresh_from_db()
    assert message.channel == "email"
    assert message.state == Message.State.SENT
    assert message.provider_id == f"<notification-{message.pk}@127.0.0.1>"
    assert Message.objects.filter(state=Message.State.SENT).count() == 2
    received = server.messages()[0]
    assert str(received["Subject"]).strip() == SUBJECT
    assert "Sở Tư pháp tỉnh Bắc Ninh đã tiếp nhận hồ sơ của bạn." in received.get_content()
    assert [e.rcpt_tos for e in server.envelopes] == [["an@example.vn"], ["an.khac@example.vn"]]
    assert len(server.peers) == 1  # the batch shared one connection
