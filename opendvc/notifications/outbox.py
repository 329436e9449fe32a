"""Queue messages with the action that causes them, and send them once each.

- `notify` writes the message row inside the caller's transaction and, once it commits, enqueues
  its send: a message exists if and only if the action happened. The key makes a repeated call
  a no-op.
- A sender first *claims* messages (state `sending`, a lease until `next_attempt_at`), then
  calls the channel's adapter, then records the outcome. A worker killed mid-send leaves the
  claim to lapse; the next dispatch sends the message again with the same request id, which
  the providers (and the sandbox) de-duplicate, so the person gets it once.
- A temporary failure is retried with exponential back-off; a permanent one, or too many
  temporary ones, fails the message and queues the same notice on the next channel.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from . import channels, preferences, rendering
from .channels.base import ChannelError, DeliveryUpdate, SendResult, TemporaryFailure
from .events import EVENTS
from .models import Channel, DeliveryReport, Message

logger = logging.getLogger(__name__)
State = Message.State
WIPED = "(Mã xác nhận đã được gửi; nội dung không được lưu lại.)"
Outcome = DeliveryReport.Outcome


def notify(
    *,
    event: str,
    context: dict,
    key: str,
    now: datetime,
    user=None,
    email: str = "",
    phone: str = "",
    reference: str = "",
    agency=None,
) -> Message | None:
    """Queue `event` for a person on the first channel they can be reached on, once per key.

    Call it inside the action's transaction. `user` is the account, if any; `email` and
    `phone` are the addresses to use (the ones the person gave on the dossier); `reference`
    and `agency` say what it is about and whose officials may see it. Returns the
    message, or None when the person cannot or did not agree to be reached."""
    existing = Message.objects.filter(key=key).order_by("pk").first()
    if existing is not None:
        return existing
    spec = EVENTS[event]
    preference = preferences.preference_for(user.pk if user else None)
    if spec.kind == Message.Kind.ANNOUNCEMENT and not preference.accepts_announcements:
        return None
    addresses = {"email": (email or "").strip(), "phone": (phone or "").strip()}
    usable = preferences.channels_for(addresses, preference)
    if not usable:
        return None
    return _queue(
        channel=usable[0],
        key=key,
        event=event,
        user_id=user.pk if user else None,
        addresses=addresses,
        context=context,
        reference=reference,
        agency_id=agency.pk if agency else None,
        preference=preference,
        now=now,
    )


def _queue(
    *,
    channel,
    key,
    event,
    user_id,
    addresses,
    context,
    reference,
    agency_id,
    preference,
    now,
    fallback_of=None,
) -> Message:
    spec = EVENTS[event]
    rendered = rendering.render(event, channel, context)
    release = preferences.release_at(preference, channel=channel, is_urgent=spec.is_urgent, now=now)
    message = Message.objects.create(
        key=key,
        channel=channel,
        kind=spec.kind,
        event=event,
        is_urgent=spec.is_urgent,
        recipient_id=user_id,
        to=preferences.address_on(channel, addresses),
        addresses=addresses,
        context=context,
        reference=reference,
        agency_id=agency_id,
        template=rendered.template,
        template_version=rendered.version,
        subject=rendered.subject,
        body=rendered.body,
        data=rendered.data,
        next_attempt_at=release,
        created_at=now,
        fallback_of=fallback_of,
    )
    if release <= now:
        transaction.on_commit(lambda: _enqueue_send(message.pk), robust=True)
    return message


def _enqueue_send(message_id: int) -> None:
    from .tasks import send_message  # tasks imports this module

    send_message.enqueue(message_id=message_id)


def lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: base, 2×base, 4×base… capped at an hour."""
    seconds = settings.NOTIFY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 3600))


def claim(*, now: datetime, limit: int = 100, ids: list[int] | None = None) -> list[Message]:
    """Take up to `limit` due messages for this worker: one UPDATE marks them with a fresh
    token, so two workers never hold the same message (on SQLite the write lock orders them;
    on PostgreSQL, rows another worker is claiming are skipped)."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = Message.objects.due(now=now).order_by("next_attempt_at", "pk")
        if ids is not None:
            due = due.filter(pk__in=ids)
        picked = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        if not picked:
            return []
        Message.objects.due(now=now).filter(pk__in=picked).update(
            state=State.SENDING,
            claim=token,
            attempts=F("attempts") + 1,
            next_attempt_at=now + lease(),
        )
    return list(Message.objects.filter(pk__in=picked, claim=token).order_by("pk"))


def deliver(message: Message, *, now: datetime) -> str:
    """Send one claimed message and record what happened. Returns the new state."""
    return deliver_batch([message], now=now)[message.pk]


def deliver_batch(messages: list[Message], *, now: datetime) -> dict[int, str]:
    """Send claimed messages, then record every outcome in one transaction (a commit per
    message would bound the outbox by the database's disk). Returns each message's new state;
    a message whose adapter broke keeps its claim, which lapses, and is tried again."""
    outcomes: dict[int, SendResult | ChannelError] = {}
    for channel in {m.channel for m in messages}:
        group = [m for m in messages if m.channel == channel]
        adapter = channels.adapter_for(channel)
        if hasattr(adapter, "send_batch"):
            try:
                outcomes.update(adapter.send_batch(group))
            except Exception:
                logger.exception("A batch of %s messages could not be sent", channel)
            continue
        for message in group:
            try:
                outcomes[message.pk] = adapter.send(message)
            except ChannelError as error:
                outcomes[message.pk] = error
            except Exception:
                logger.exception("Message %s could not be sent", message.pk)
    states = {}
    with transaction.atomic():
        for message in messages:
            if message.pk in outcomes:
                states[message.pk] = _record(message, outcomes[message.pk], now=now)
    return states


def _record(message: Message, outcome, *, now: datetime) -> str:
    mine = Message.objects.filter(pk=message.pk, claim=message.claim, state=State.SENDING)
    if isinstance(outcome, SendResult):
        sent = {"state": State.SENT, "sent_at": now, "provider_id": outcome.provider_id[:100]}
        if EVENTS[message.event].is_secret:
            sent.update(body=WIPED, subject="", context={}, data={})
        mine.update(**sent, error="")
        return State.SENT
    error = str(outcome)[:500]
    if isinstance(outcome, TemporaryFailure) and message.attempts < settings.NOTIFY_MAX_ATTEMPTS:
        mine.update(
            state=State.QUEUED,
            claim="",
            next_attempt_at=now + backoff(message.attempts),
            error=error,
        )
        return State.QUEUED
    if mine.update(state=State.FAILED, failed_at=now, error=error):
        fall_back(message, now=now)
    return State.FAILED


def fall_back(message: Message, *, now: datetime) -> Message | None:
    """Queue the notice of a failed message on the person's next channel, if any."""
    preference = preferences.preference_for(message.recipient_id)
    usable = preferences.channels_for(message.addresses, preference)
    later = [c for c in usable if _rank(c) > _rank(message.channel)]
    if not later or Message.objects.filter(key=message.key, channel=later[0]).exists():
        return None
    try:
        return _queue(
            channel=later[0],
            key=message.key,
            event=message.event,
            user_id=message.recipient_id,
            addresses=message.addresses,
            context=message.context,
            reference=message.reference,
            agency_id=message.agency_id,
            preference=preference,
            now=now,
            fallback_of=message,
        )
    except rendering.NoTemplate:
        logger.error(
            "No %s text for %s; message %s has no fallback", later[0], message.event, message.pk
        )
        return None


def _rank(channel: str) -> int:
    return [Channel.ZALO, Channel.SMS, Channel.EMAIL].index(channel)


def send_message(*, message_id: int, now: datetime) -> str | None:
    """Send one message if it is due (the task enqueued on commit). Returns its new state, or
    None when it was not due: sent already, claimed by another worker, or waiting."""
    claimed = claim(now=now, ids=[message_id], limit=1)
    return deliver(claimed[0], now=now) if claimed else None


def dispatch(*, now: datetime, limit: int = 500) -> int:
    """Send what is due: messages a lost task left, retries whose back-off ran out, messages
    held by quiet hours, claims that lapsed. Returns how many it tried."""
    tried = 0
    while tried < limit:
        batch = claim(now=now, limit=min(200, limit - tried))
        if not batch:
            break
        deliver_batch(batch, now=now)
        tried += len(batch)
    return tried


def record_delivery(*, channel: str, update: DeliveryUpdate, now: datetime) -> Message | None:
    """Record a provider's verified report, move the message to delivered or failed, and on a
    failure queue the notice on the next channel. Reports about unknown messages are kept too."""
    with transaction.atomic():
        message = _reported_message(channel, update)
        DeliveryReport.objects.create(
            channel=channel,
            message=message,
            provider_id=update.provider_id[:100],
            outcome=Outcome.DELIVERED if update.delivered else Outcome.FAILED,
            error_code=update.error_code[:40],
            payload=update.payload,
            received_at=now,
        )
        if message is None:
            return None
        open_states = [State.SENDING, State.SENT]
        mine = Message.objects.filter(pk=message.pk, state__in=open_states)
        if update.delivered:
            mine.update(state=State.DELIVERED, delivered_at=now)
        elif mine.update(state=State.FAILED, failed_at=now, error=update.error_code[:500]):
            fall_back(message, now=now)
    message.refresh_from_db()
    return message


def _reported_message(channel: str, update: DeliveryUpdate) -> Message | None:
    found = Message.objects.select_for_update().filter(channel=channel)
    if update.request_id.startswith("odvc-") and update.request_id[5:].isdigit():
        return found.filter(pk=int(update.request_id[5:])).first()
    if update.provider_id:
        return found.filter(provider_id=update.provider_id).first()
    return None


def poll(*, now: datetime, limit: int = 200) -> int:
    """Ask the providers about sent messages no callback has reported on (a lost callback).
    Returns how many reports it recorded."""
    # E-mail has no delivery status to ask for: accepted by the mail server is the end of it.
    waiting = (
        Message.objects.filter(
            channel__in=[Channel.ZALO, Channel.SMS],
            state=State.SENT,
            sent_at__lt=now - timedelta(minutes=1),
            sent_at__gte=now - timedelta(days=3),
        )
        .exclude(provider_id="")
        .order_by("sent_at")[:limit]
    )
    recorded = 0
    for message in waiting:
        try:
            update = channels.adapter_for(message.channel).query_status(message.provider_id)
        except Exception:
            logger.exception("Status of message %s not available", message.pk)
            continue
        if update is not None:
            record_delivery(channel=message.channel, update=update, now=now)
            recorded += 1
    return recorded


def periodic(*, now: datetime) -> None:
    """The heartbeat's job (settings.OPENDVC_PERIODIC_JOBS)."""
    dispatch(now=now)
    poll(now=now)
