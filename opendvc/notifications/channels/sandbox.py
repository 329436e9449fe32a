"""Sandbox channels, on by default: they record what would have been sent, and behave like the
providers where it matters to the outbox.

- De-duplication: a request id seen before is not a second message; it counts as a repeat.
- Simulated outcomes, so fallback and failure views can be tried without a provider:
  a phone number ending in 00 has no Zalo account (a permanent failure on sending), and an
  SMS to a number ending in 01 is reported undelivered when its status is asked for.
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from ..models import Channel, SandboxDelivery
from .base import DeliveryUpdate, PermanentFailure, SendResult

NO_ZALO_SUFFIX = "00"
UNDELIVERED_SMS_SUFFIX = "01"


class _Sandbox:
    channel = ""

    def check(self, message) -> None:
        """Raise what the provider would raise for this message."""

    def outcome(self, message) -> str:
        return "delivered"

    def send(self, message) -> SendResult:
        self.check(message)
        try:
            with transaction.atomic():
                row = SandboxDelivery.objects.create(
                    channel=self.channel,
                    request_id=message.request_id,
                    to=message.to,
                    subject=message.subject,
                    body=message.body,
                    data=message.data,
                    provider_id=f"sbx-{uuid.uuid4().hex[:20]}",
                    outcome=self.outcome(message),
                )
        except IntegrityError:
            row = SandboxDelivery.objects.get(channel=self.channel, request_id=message.request_id)
            SandboxDelivery.objects.filter(pk=row.pk).update(requests=F("requests") + 1)
            return SendResult(provider_id=row.provider_id, was_duplicate=True)
        return SendResult(provider_id=row.provider_id)

    def send_batch(self, messages) -> dict:
        """Record many messages in one transaction (the bench sends 100,000). Falls back to one
        at a time when another worker is recording the same request ids."""
        outcomes: dict = {}
        ready = []
        for message in messages:
            try:
                self.check(message)
            except PermanentFailure as error:
                outcomes[message.pk] = error
            else:
                ready.append(message)
        try:
            with transaction.atomic():
                outcomes.update(self._record_all(ready))
        except IntegrityError:
            for message in ready:
                outcomes[message.pk] = self.send(message)
        return outcomes

    def _record_all(self, messages) -> dict:
        ids = [m.request_id for m in messages]
        known = dict(
            SandboxDelivery.objects.select_for_update()
            .filter(channel=self.channel, request_id__in=ids)
            .values_list("request_id", "provider_id")
        )
        SandboxDelivery.objects.filter(channel=self.channel, request_id__in=list(known)).update(
            requests=F("requests") + 1
        )
        rows = [
            SandboxDelivery(
                channel=self.channel,
                request_id=m.request_id,
                to=m.to,
                subject=m.subject,
                body=m.body,
                data=m.data,
                provider_id=f"sbx-{uuid.uuid4().hex[:20]}",
                outcome=self.outcome(m),
            )
            for m in messages
            if m.request_id not in known
        ]
        SandboxDelivery.objects.bulk_create(rows)
        made = {row.request_id: row.provider_id for row in rows}
        return {
            m.pk: SendResult(
                provider_id=known.get(m.request_id) or made[m.request_id],
                was_duplicate=m.request_id in known,
            )
            for m in messages
        }

    def parse_callback(self, request: HttpRequest) -> list[DeliveryUpdate]:
        raise ValueError("The sandbox sends no callbacks; ask query_status.")

    def query_status(self, provider_id: str) -> DeliveryUpdate | None:
        row = SandboxDelivery.objects.filter(channel=self.channel, provider_id=provider_id).first()
        if row is None or not row.outcome:
            return None
        delivered = row.outcome == "delivered"
        return DeliveryUpdate(
            provider_id=provider_id,
            delivered=delivered,
            error_code="" if delivered else "sandbox-undelivered",
            request_id=row.request_id,
        )


class SandboxZalo(_Sandbox):
    channel = Channel.ZALO

    def check(self, message) -> None:
        if message.to.endswith(NO_ZALO_SUFFIX):
            raise PermanentFailure("Số điện thoại chưa đăng ký Zalo (hộp thử nghiệm).")


class SandboxSms(_Sandbox):
    channel = Channel.SMS

    def outcome(self, message) -> str:
        return "failed" if message.to.endswith(UNDELIVERED_SMS_SUFFIX) else "delivered"


class SandboxEmail(_Sandbox):
    channel = Channel.EMAIL
