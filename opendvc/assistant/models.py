"""Questions and answers (hỏi – đáp): citizens ask about a procedure, agencies answer, and the
answers become a public FAQ; later the assistant's knowledge base."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse

from opendvc.accounts.models import StaffRole
from opendvc.catalog.models import Field, Procedure
from opendvc.directory.models import Agency

TITLE_MAX = 200
TEXT_MAX = 4000
ANSWER_MAX = 8000
REASON_MAX = 1000
# The target for an answer: five working days from the question (core/calendar.py).
ANSWER_DAYS = 5
SOON = timedelta(days=2)  # "due soon", as on the dossier inbox


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Question.State.PUBLISHED)

    def for_official(self, user):
        """Questions routed to an agency where the official holds a role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        agencies = StaffRole.objects.filter(user=user).values_list("agency_id", flat=True)
        return self.filter(agency_id__in=sorted(set(agencies)))

    def waiting(self):
        return self.filter(state=Question.State.NEW)

    def overdue(self, *, now: datetime):
        return self.waiting().filter(due_at__lt=now)

    def due_soon(self, *, now: datetime):
        return self.waiting().filter(due_at__gte=now, due_at__lt=now + SOON)


class Question(models.Model):
    """One citizen's question to one agency, its answer, and the wording the public sees."""

    class State(models.TextChoices):
        NEW = "NEW", "Chờ trả lời"
        ANSWERED = "ANSWERED", "Đã trả lời"
        PUBLISHED = "PUBLISHED", "Đã công khai"
        HIDDEN = "HIDDEN", "Không công khai"
        REJECTED = "REJECTED", "Từ chối trả lời"

    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    field = models.ForeignKey(
        Field, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="questions")
    # Kept when the account is deleted: the answer stays useful to others.
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    title = models.CharField(max_length=TITLE_MAX)
    text = models.TextField(max_length=TEXT_MAX)
    # What the public sees once published: the staff may anonymise the asker's wording.
    public_title = models.CharField(max_length=TITLE_MAX, blank=True)
    public_text = models.TextField(max_length=TEXT_MAX, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    reject_reason = models.TextField(max_length=REASON_MAX, blank=True)
    answer = models.TextField(max_length=ANSWER_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_questions",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "procedure"], name="question_state_procedure"),
            models.Index(fields=["agency", "state", "due_at"], name="question_agency_due"),
        ]
        constraints = [
            # A question is never public without an answer.
            models.CheckConstraint(
                condition=~models.Q(state="PUBLISHED") | ~models.Q(answer=""),
                name="question_published_has_answer",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="REJECTED") | ~models.Q(reject_reason=""),
                name="question_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assistant:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def shown_title(self) -> str:
        return self.public_title or self.title

    @property
    def shown_text(self) -> str:
        return self.public_text or self.text

    @property
    def asker_initials(self) -> str:
        """The asker as the public sees them: "Nguyễn Văn An" → "N.V.A."."""
        name = self.asker.full_name if self.asker_id and self.asker else ""
        return "".join(f"{word[0].upper()}." for word in name.split())

    def due_state(self, now: datetime) -> str | None:
        """'overdue', 'due_soon' or 'on_time' while the question waits for its answer."""
        if self.state != self.State.NEW:
            return None
        if self.due_at < now:
            return "overdue"
        return "due_soon" if self.due_at < now + SOON else "on_time"


# The chat assistant ------------------------------------------------------------------------


class Conversation(models.Model):
    """A chat with the assistant, kept only while it may continue (see chat.purge)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The procedure the last answer was about: a follow-up ("còn lệ phí?") is about it too.
    procedure_code = models.CharField(max_length=40, blank=True)
    # The last clarifying question: {"codes": [...], "aspects": [...]}; "2" or a code picks one.
    choices = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "cuộc trò chuyện"
        verbose_name_plural = "cuộc trò chuyện"

    def __str__(self) -> str:
        return str(self.pk)


class Turn(models.Model):
    """One question and its answer. Texts are stored masked (no phone, e-mail or ID number)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    question = models.TextField()
    answer = models.TextField()
    intent = models.CharField(max_length=20)
    procedure_codes = models.JSONField(default=list, blank=True)
    # What the answer pointed to ({"label", "url"}): the record, filing online, help, PAKN.
    links = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["conversation", "created_at", "pk"]
        verbose_name = "lượt hỏi"
        verbose_name_plural = "lượt hỏi"

    def __str__(self) -> str:
        return self.question[:80]


class UnansweredQuestion(models.Model):
    """A question the assistant could not answer, masked and counted, for administrators to
    improve the catalog and the help base. Outlives the conversations it came from."""

    key = models.CharField(max_length=200, unique=True)  # folded text: one row per wording
    text = models.CharField(max_length=500)
    count = models.PositiveIntegerField(default=1)
    last_asked_at = models.DateTimeField()

    class Meta:
        ordering = ["-count", "-last_asked_at"]
        verbose_name = "câu hỏi chưa trả lời được"
        verbose_name_plural = "câu hỏi chưa trả lời được"

    def __str__(self) -> str:
        return f"{self.text[:80]} ({self.count})"
