"""Feedback and petitions (phản ánh, kiến nghị — PAKN): filing, routing, the statutory clock,
answers and their publication."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import constant_time_compare, salted_hmac

from opendvc.catalog.models import Procedure
from opendvc.directory.models import Agency

# Ten characters without 0/O, 1/I/L: read aloud and typed from a receipt without mistakes.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 10


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under SECRET_KEY: a copy of the database gives no code back."""
    return salted_hmac(f"opendvc.feedback.{purpose}", value, algorithm="sha256").hexdigest()


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


class FeedbackQuerySet(models.QuerySet):
    def for_sender(self, user):
        return self.filter(sender=user) if user.is_authenticated else self.none()

    def for_agencies(self, agency_ids):
        return self.filter(agency_id__in=agency_ids)

    def overdue(self, *, now):
        """Items whose running stage (taking in, answering, publishing) is past its due
        moment. A stage with no clock (waiting for the sender, closed) has due_at null."""
        return self.filter(due_at__lt=now)

    def published(self):
        return self.filter(
            state=Feedback.State.ANSWERED, publication=Feedback.Publication.PUBLIC
        ).exclude(published_at=None)


class Feedback(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "REGULATION", "Về quy định hành chính, thủ tục hành chính"
        CONDUCT = "CONDUCT", "Về hành vi, thái độ phục vụ của cán bộ, công chức"

    class State(models.TextChoices):
        RECEIVED = "RECEIVED", "Mới tiếp nhận"
        ACCEPTED = "ACCEPTED", "Đang xử lý"
        NEEDS_INFO = "NEEDS_INFO", "Chờ người gửi bổ sung thông tin"
        DRAFTED = "DRAFTED", "Chờ lãnh đạo duyệt trả lời"
        ANSWERED = "ANSWERED", "Đã trả lời"
        REJECTED = "REJECTED", "Không tiếp nhận"
        MERGED = "MERGED", "Đã gộp vào phản ánh khác"

    class Publication(models.TextChoices):
        UNDECIDED = "UNDECIDED", "Chưa quyết định"
        PUBLIC = "PUBLIC", "Công khai"
        PRIVATE = "PRIVATE", "Không công khai"

    class Rating(models.TextChoices):
        NONE = "", "Chưa đánh giá"
        SATISFIED = "SATISFIED", "Hài lòng"
        UNSATISFIED = "UNSATISFIED", "Chưa hài lòng"

    code = models.CharField(max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    content = models.TextField()
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="feedback")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    sender_name = models.CharField(max_length=150)
    sender_email = models.EmailField(blank=True)
    sender_phone = models.CharField(max_length=15, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVED)
    created_at = models.DateTimeField()
    received_at = models.DateTimeField(help_text="Effective reception (office hours).")
    # The statutory moments, each in working days from reception (clock.py).
    accept_due_at = models.DateTimeField()
    info_due_at = models.DateTimeField()
    answer_due_at = models.DateTimeField(null=True, blank=True)
    publish_due_at = models.DateTimeField(null=True, blank=True)
    # The due moment of the stage now running; null while nobody at the agency has to act.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    # The answer clock frozen while the sender is asked for more information.
    paused_at = models.DateTimeField(null=True, blank=True)
    working_days_left = models.PositiveIntegerField(null=True, blank=True)
    info_request = models.TextField(blank=True)
    info_reply = models.TextField(blank=True)
    reject_reason = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    publication = models.CharField(
        max_length=10, choices=Publication.choices, default=Publication.UNDECIDED
    )
    published_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField(max_length=12, choices=Rating.choices, blank=True, default="")
    reopen_until = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="MERGED") | Q(merged_into__isnull=False),
                name="feedback_merged_points_at_kept",
            ),
            models.CheckConstraint(
                condition=~Q(publication="PUBLIC") | Q(state="ANSWERED"),
                name="feedback_public_only_when_answered",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def set_secret(self, secret: str) -> None:
        self.secret_hash = keyed_hash("secret", secret.strip().upper())

    def check_secret(self, secret: str) -> bool:
        typed = keyed_hash("secret", (secret or "").strip().upper())
        return bool(self.secret_hash) and constant_time_compare(typed, self.secret_hash)

    @property
    def public_content(self) -> str:
        """The content as published: the sender's name, phones and e-mails hidden."""
        from .text import redact

        return redact(self.content, self.sender_name)

    @property
    def public_answer(self) -> str:
        from .text import redact

        return redact(
            self.answer,
            self.sender_name,
            self.sender_email,
            self.sender_phone,
            every_address=False,
        )

    @property
    def is_public(self) -> bool:
        return (
            self.state == self.State.ANSWERED
            and self.publication == self.Publication.PUBLIC
            and self.published_at is not None
        )


def attachment_upload_to(instance: "FeedbackFile", filename: str) -> str:
    # Only the checked suffix reaches the disk; the sender's name for the file is kept apart.
    return f"feedback/{instance.feedback.code}/{secrets.token_hex(8)}{filename[-5:]}"


class FeedbackFile(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    display_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "tệp đính kèm phản ánh"
        verbose_name_plural = "tệp đính kèm phản ánh"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name


class Verification(models.Model):
    """A one-time code sent to a phone number or an e-mail address. Only its hash is kept;
    the token (a random string) names the verification in the session or the API."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Số điện thoại"

    token = models.CharField(max_length=43, unique=True)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    address = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã xác nhận"
        verbose_name_plural = "mã xác nhận"

    def __str__(self) -> str:
        return f"{self.channel} {self.pk}"

    def hash_code(self, code: str) -> str:
        return keyed_hash("otp", f"{self.token}:{code.strip()}")
