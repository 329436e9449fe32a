"""The outbox sends each notice once, on the person's first reachable channel, after the
action commits; it retries with back-off, falls back Zalo → SMS → e-mail, survives a worker
killed mid-send without a second message, and respects quiet hours and consent."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from opendvc.notifications import channels, outbox
from opendvc.notifications.channels.base import SendResult, TemporaryFailure
from opendvc.notifications.models import Message, Preference, SandboxDelivery

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# A Monday at 09:00 in Hà Nội: outside anyone's quiet hours.
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=HANOI)
CONTEXT = {
    "applicant_name": "Nguyễn Văn An",
    "dossier_code": "T24-STP-261123-0001",
    "procedure_name": "Thủ tục đăng ký khai sinh",
    "agency_name": "Sở Tư pháp tỉnh Bắc Ninh",
    "url": "https://dichvucong.example.vn/ho-so/T24-STP-261123-0001/",
    "status": "Được tiếp nhận",
    "changed_at": "09:00 23/11/2026",
    "due_at": "17:00 26/11/2026",
}


@pytest.fixture(autouse=True)
def sandbox_everywhere(settings):
    settings.NOTIFY_PROVIDERS = {"email": "sandbox", "sms": "sandbox", "zalo": "sandbox"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def tell(user, *, event="dossier.received", key="dossier-status:1", now=MORNING, **addresses):
    addresses = addresses or {"email": user.email, "phone": user.phone}
    return outbox.notify(event=event, context=CONTEXT, key=key, now=now, user=user, **addresses)


def delivered_to(channel):
    return list(SandboxDelivery.objects.filter(channel=channel).values_list("to", flat=True))


def test_a_notice_goes_out_once_the_action_commits(citizen, django_capture_on_commit_callbacks):
    with time_machine.travel(MORNING, tick=False):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                message = tell(citizen)
                assert SandboxDelivery.objects.count() == 0  # not before the commit

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.channel == "zalo"
    assert message.state == Message.State.SENT
    assert message.attempts == 1
    assert delivered_to("zalo") == ["0912345678"]
    assert "T24-STP-261123-0001" in message.body


def test_an_action_that_rolls_back_leaves_no_message(citizen):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(citizen)
        raise RuntimeError("the action failed")

    assert Message.objects.count() == 0


def test_the_same_key_never_makes_a_second_message(citizen, django_capture_on_commit_callbacks):
    with time_machine.travel(MORNING, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = tell(citizen)
        with django_capture_on_commit_callbacks(execute=True):
            again = tell(citizen)

    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert SandboxDelivery.objects.count() == 1


@pytest.mark.parametrize(
    ("addresses", "preference", "first"),
    [
        ({"email": "an@example.vn", "phone": "0912345678"}, {}, "zalo"),
        ({"email": "an@example.vn", "phone": "0912345678"}, {"use_zalo": False}, "sms"),
        (
            {"email": "an@example.vn", "phone": "0912345678"},
            {"use_zalo": False, "use_sms": False},
            "email",
        ),
        ({"email": "an@example.vn", "phone": ""}, {}, "email"),
    ],
)
def test_the_first_channel_follows_the_order_and_the_persons_choices(
    citizen, addresses, preference, first
):
    if preference:
        Preference.objects.create(user=citizen, **preference)

    message = tell(citizen, **addresses)

    assert message.channel == first
    assert message.to == (addresses["email"] if first == "email" else addresses["phone"])


def test_nobody_to_reach_queues_nothing(citizen):
    Preference.objects.create(user=citizen, use_zalo=False, use_sms=False)

    assert tell(citizen, email="", phone="0912345678") is None
    assert Message.objects.count() == 0


def test_a_phone_without_zalo_falls_back_to_sms_then_an_undelivered_sms_to_email(citizen):
    # The sandbox: a number ending in 00 has no Zalo; an SMS to one ending in 01 is undelivered.
    with time_machine.travel(MORNING, tick=False):
        zalo = tell(citizen, email="an@example.vn", phone="0912345600")
        outbox.dispatch(now=MORNING)
        zalo.refresh_from_db()
        sms = zalo.fallback

    assert zalo.state == Message.State.FAILED
    assert "Zalo" in zalo.error
    assert sms.channel == "sms" and sms.state == Message.State.SENT
    assert sms.body.isascii()  # SMS goes out without diacritics

    citizen.phone = "0912345601"
    other = tell(citizen, key="dossier-status:2", email="an@example.vn", phone="0912345601")
    Message.objects.filter(pk=other.pk).update(channel="sms")  # as if Zalo had failed already
    outbox.dispatch(now=MORNING)
    outbox.poll(now=MORNING + timedelta(minutes=5))

    other.refresh_from_db()
    assert other.state == Message.State.FAILED
    assert other.reports.get().outcome == "failed"
    assert other.fallback.channel == "email"
    assert other.fallback.to == "an@example.vn"


class Flaky:
    """An adapter whose provider is down for the first `failures` calls."""

    channel = "zalo"
    calls = 0

    def __init__(self, failures):
        self.failures = failures

    def send(self, message):
        Flaky.calls += 1
        if Flaky.calls <= self.failures:
            raise TemporaryFailure("provider busy")
        return SendResult(provider_id=f"p-{Flaky.calls}")


@pytest.fixture
def flaky_zalo(monkeypatch):
    real = channels.adapter_for
    Flaky.calls = 0

    def use(failures):
        monkeypatch.setattr(
            channels,
            "adapter_for",
            lambda channel: Flaky(failures) if channel == "zalo" else real(channel),
        )

    return use


def test_a_temporary_failure_is_retried_with_exponential_back_off(citizen, settings, flaky_zalo):
    settings.NOTIFY_BACKOFF_SECONDS = 30
    flaky_zalo(failures=2)
    message = tell(citizen)

    outbox.dispatch(now=MORNING)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.QUEUED, 1)
    assert message.next_attempt_at == MORNING + timedelta(seconds=30)
    assert message.error == "provider busy"

    assert outbox.dispatch(now=MORNING + timedelta(seconds=29)) == 0  # still backing off
    outbox.dispatch(now=MORNING + timedelta(seconds=30))
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == MORNING + timedelta(seconds=90)  # then 60 s

    outbox.dispatch(now=MORNING + timedelta(seconds=90))
    message.refresh_from_db()
    assert (message.state, message.attempts, message.provider_id) == ("sent", 3, "p-3")


def test_too_many_temporary_failures_fail_over_to_the_next_channel(citizen, settings, flaky_zalo):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    flaky_zalo(failures=100)
    message = tell(citizen)

    moment = MORNING
    for _ in range(3):
        outbox.dispatch(now=moment)
        moment += timedelta(hours=2)

    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.FAILED, 3)
    assert message.fallback.channel == "sms"
    assert message.fallback.state == Message.State.SENT
    assert Flaky.calls == 3


def test_a_worker_killed_mid_send_does_not_send_twice(citizen, settings):
    settings.NOTIFY_LEASE_SECONDS = 300
    message = tell(citizen)
    # A worker claims the message and the provider takes it, then the worker dies before it
    # can record the outcome.
    (claimed,) = outbox.claim(now=MORNING, ids=[message.pk])
    channels.adapter_for("zalo").send(claimed)

    assert outbox.dispatch(now=MORNING + timedelta(seconds=299)) == 0  # its claim still holds
    assert outbox.dispatch(now=MORNING + timedelta(seconds=300)) == 1  # the claim lapsed

    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.SENT, 2)
    delivery = SandboxDelivery.objects.get()  # one message reached the person…
    assert delivery.requests == 2  # …though the provider was asked twice, with one request id
    assert message.provider_id == delivery.provider_id


def test_two_workers_never_hold_the_same_message(citizen):
    messages = [tell(citizen, key=f"k{n}") for n in range(5)]

    first = outbox.claim(now=MORNING, limit=3)
    second = outbox.claim(now=MORNING, limit=10)
    third = outbox.claim(now=MORNING, limit=10)

    assert len(first) == 3 and len(second) == 2 and third == []
    assert {m.pk for m in first} | {m.pk for m in second} == {m.pk for m in messages}


def test_quiet_hours_hold_sms_and_zalo_until_morning_but_not_urgent_messages_or_email(citizen):
    Preference.objects.create(user=citizen, quiet_from=time(21, 30), quiet_until=time(6, 45))
    night = datetime(2026, 11, 23, 23, 10, tzinfo=HANOI)

    held = tell(citizen, now=night)
    urgent = tell(citizen, key="k-urgent", event="dossier.submitted", now=night)
    email = tell(citizen, key="k-email", now=night, email="an@example.vn", phone="")

    morning = datetime(2026, 11, 24, 6, 45, tzinfo=HANOI)
    assert held.next_attempt_at == morning
    assert urgent.next_attempt_at == night
    assert email.next_attempt_at == night
    outbox.dispatch(now=night + timedelta(minutes=5))
    held.refresh_from_db()
    assert held.state == Message.State.QUEUED
    outbox.dispatch(now=morning)
    held.refresh_from_db()
    assert held.state == Message.State.SENT


def test_people_who_never_chose_get_default_quiet_hours(citizen):
    night = datetime(2026, 11, 23, 22, 30, tzinfo=HANOI)

    message = tell(citizen, now=night)

    assert message.next_attempt_at == datetime(2026, 11, 24, 7, 0, tzinfo=HANOI)


ANNOUNCEMENT = {"title": "Nộp hồ sơ trực tuyến", "text": "Không cần đến cơ quan.", "url": "x"}


def test_announcements_go_only_to_people_who_agreed(citizen, other_citizen):
    Preference.objects.create(user=other_citizen, accepts_announcements=True)

    def announce(user):
        return outbox.notify(
            event="announcement",
            context=ANNOUNCEMENT,
            key=f"campaign-1:{user.pk}",
            now=MORNING,
            user=user,
            email=user.email,
            phone=user.phone,
        )

    assert announce(citizen) is None
    sent = announce(other_citizen)
    assert sent.kind == Message.Kind.ANNOUNCEMENT
    assert sent.to == other_citizen.phone


def test_messages_about_a_dossier_need_no_announcement_consent(citizen):
    Preference.objects.create(user=citizen, accepts_announcements=False)

    assert tell(citizen) is not None


def test_a_one_time_code_is_wiped_from_the_outbox_once_sent(citizen):
    message = outbox.notify(
        event="verification.code",
        context={"code": "482913", "purpose": "gửi phản ánh, kiến nghị", "minutes": "10"},
        key="otp:1",
        now=MORNING,
        email="an@example.vn",
    )
    assert "482913" in message.body

    outbox.dispatch(now=MORNING)

    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert "482913" not in message.body + message.subject + str(message.context)
    assert "482913" in SandboxDelivery.objects.get().body  # the person got it
