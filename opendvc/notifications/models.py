"""The outbox: every message to a citizen is a row, sent by the task worker, once per key.

A message goes out on one channel. When that channel fails for good (or the citizen has none),
the outbox queues the same notice on the next channel of the fallback order, as a new row that
points back at the failed one; so each row is one attempt at one address, with its own state.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    ZALO = "zalo", "Zalo"
    SMS = "sms", "SMS"
    EMAIL = "email", "E-mail"


# Zalo first (free to the citizen, rich), then SMS (reaches every phone), then e-mail.
FALLBACK_ORDER = (Channel.ZALO, Channel.SMS, Channel.EMAIL)


class Template(models.Model):
    """One version of the text of an event on a channel, written by an administrator.

    Versions are never edited: saving makes the next version, and the highest one is used.
    An event and channel without any row use the built-in text (version 0, defaults.py).
    `subject` and `body` are Django template text over the event's variables (events.py).
    """

    event = models.CharField(max_length=60)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    # Zalo ZNS: the id of the template approved by Zalo, and which event variables fill its
    # parameters ({"ZNS parameter": "variable"}).
    zns_template_id = models.CharField(max_length=40, blank=True)
    zns_params = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "channel", "-version"]
        verbose_name = "mẫu thông báo"
        verbose_name_plural = "mẫu thông báo"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "version"], name="notification_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel} v{self.version}"


class MessageQuerySet(models.QuerySet):
    def about(self, reference: str) -> "MessageQuerySet":
        """The messages about one thing, e.g. a dossier by its code."""
        return self.filter(reference=reference)

    def due(self, *, now) -> "MessageQuerySet":
        """Waiting to be sent, or claimed by a worker whose lease ran out (it died mid-send)."""
        return self.filter(
            state__in=[Message.State.QUEUED, Message.State.SENDING], next_attempt_at__lte=now
        )


class Message(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Chờ gửi"
        SENDING = "sending", "Đang gửi"
        SENT = "sent", "Đã gửi"
        DELIVERED = "delivered", "Đã nhận"
        FAILED = "failed", "Không gửi được"

    class Kind(models.TextChoices):
        # About the person's own dossier, payment or petition: sent to everyone who gave an
        # address. Announcements (outreach) need separate consent and can be unsubscribed.
        SERVICE = "service", "Về hồ sơ của bạn"
        ANNOUNCEMENT = "announcement", "Thông tin tuyên truyền"

    # The caller's idempotency key (e.g. "dossier-status:812"): one row per key and channel.
    key = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    event = models.CharField(max_length=60)
    is_urgent = models.BooleanField(default=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    # The address on this channel: an e-mail address, or a phone number as 0XXXXXXXXX.
    to = models.CharField(max_length=254)
    # Every address the notice may use, and the variables it was written from: a fallback
    # renders the same notice for the next channel from these.
    addresses = models.JSONField(default=dict)
    context = models.JSONField(default=dict)
    # What the message is about, for the dossier timeline and the staff views (a dossier code),
    # and the agency whose officials may see it.
    reference = models.CharField(max_length=60, blank=True, db_index=True)
    agency = models.ForeignKey(
        "directory.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    template = models.ForeignKey(
        Template, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    template_version = models.PositiveIntegerField(default=0)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    data = models.JSONField(default=dict, blank=True)  # Zalo ZNS template data
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a queued message may be sent (quiet hours, back-off), or when a worker's claim on a
    # message being sent lapses.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    provider_id = models.CharField(max_length=100, blank=True, db_index=True)
    # The token of the worker that claimed the message for sending (outbox.claim).
    claim = models.CharField(max_length=32, blank=True)
    error = models.CharField(max_length=500, blank=True)
    fallback_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallback"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "tin nhắn"
        verbose_name_plural = "tin nhắn"
        constraints = [
            models.UniqueConstraint(fields=["key", "channel"], name="message_key_channel"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="message_due",
            ),
            models.Index(fields=["recipient", "-created_at"], name="message_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.channel} ({self.get_state_display()})"

    @property
    def request_id(self) -> str:
        """The id the provider de-duplicates on: the same for every attempt of this message."""
        return f"odvc-{self.pk}"


class DeliveryReport(models.Model):
    """A provider's verified callback about a message: delivered, or failed with its code."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", "Đã nhận"
        FAILED = "failed", "Không gửi được"

    channel = models.CharField(max_length=10, choices=Channel.choices)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    provider_id = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error_code = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "báo cáo gửi tin"
        verbose_name_plural = "báo cáo gửi tin"

    def __str__(self) -> str:
        return f"{self.channel} {self.provider_id}: {self.outcome}"


def new_unsubscribe_token() -> str:
    return secrets.token_urlsafe(24)


class Preference(models.Model):
    """How a person wants to hear from the portal. No row means the defaults: every channel
    they have an address for, quiet hours 22:00–07:00, no announcements."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    use_zalo = models.BooleanField(default=True)
    use_sms = models.BooleanField(default=True)
    use_email = models.BooleanField(default=True)
    # Non-urgent SMS and Zalo messages wait out these local hours (start after end wraps
    # midnight). Both empty: no quiet hours.
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    accepts_announcements = models.BooleanField(default=False)
    announcements_changed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=40, unique=True, default=new_unsubscribe_token)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tùy chọn nhận thông báo"
        verbose_name_plural = "tùy chọn nhận thông báo"
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="preference_quiet_hours_both_or_none",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}"


class SandboxDelivery(models.Model):
    """What a sandbox channel would have sent. Like the real providers, it de-duplicates on
    the request id: a request repeated after a crash counts in `requests`, not as a second
    message."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    request_id = models.CharField(max_length=100)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    provider_id = models.CharField(max_length=100)
    outcome = models.CharField(max_length=10, blank=True)  # delivered / failed, as simulated
    requests = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "tin nhắn thử nghiệm"
        verbose_name_plural = "tin nhắn thử nghiệm"
        constraints = [
            models.UniqueConstraint(fields=["channel", "request_id"], name="sandbox_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.to}"
