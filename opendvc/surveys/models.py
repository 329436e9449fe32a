"""Satisfaction with a dossier (the Circular 01/2018/TT-VPCP index) and electronic surveys."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from opendvc.directory.models import Agency
from opendvc.dossiers.models import Dossier, Status

from .criteria import KEYS, MAX_SCORE, Overall

COMMENT_MAX = 1000
# Results are delivered (10) or the decision is made (9): the handling can be judged.
RATEABLE = (Status.FINISHED, Status.RETURNED)


def _score(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name)


class DossierRating(models.Model):
    """The applicant's one rating of how their dossier was handled. Written once, by the
    applicant (online) or at a kiosk with the receipt; nobody edits it afterwards."""

    class Channel(models.TextChoices):
        ONLINE = "ONLINE", "Trực tuyến"
        KIOSK = "KIOSK", "Ki-ốt tại bộ phận một cửa"

    Overall = Overall

    # One-to-one: the database itself refuses a second rating of a dossier.
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    # Null when rated at a kiosk by someone without an account.
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    time_legal = _score("thời gian so với quy định")
    time_units = _score("thời gian tại từng cơ quan")
    contacts = _score("số lần liên hệ")
    agencies = _score("số cơ quan phải liên hệ")
    reception = _score("tiếp nhận hồ sơ")
    publicity = _score("công khai thủ tục")
    attitude = _score("thái độ cán bộ")
    feedback_response = _score("xử lý phản ánh, kiến nghị")
    online_quality = _score("dịch vụ công trực tuyến")
    overall = models.PositiveSmallIntegerField("đánh giá chung", choices=Overall.choices)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX)
    rated_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-rated_at", "-pk"]
        verbose_name = "đánh giá hài lòng"
        verbose_name_plural = "đánh giá hài lòng"
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="rating_overall_in_range"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{key}__lte": MAX_SCORE}), name=f"rating_{key}_in_range"
                )
                for key in KEYS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_overall_display()}"

    @property
    def total(self) -> int:
        """The circular's points, out of 18."""
        return sum(getattr(self, key) for key in KEYS)

    @property
    def scores(self) -> list[int]:
        return [getattr(self, key) for key in KEYS]


def new_token() -> str:
    return secrets.token_urlsafe(12)


class SurveyQuerySet(models.QuerySet):
    def open_at(self, now):
        return self.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)


class Survey(models.Model):
    """An electronic survey (khảo sát điện tử) built by an administrator or an agency's
    communication officer, answered through its public link."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Null: a survey of the whole portal, which only administrators own.
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    # In the public link; unguessable, so an unpublished draft cannot be found by counting.
    token = models.CharField(max_length=32, unique=True, default=new_token)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    # Anonymous: anyone may answer, once per device; otherwise once per signed-in person.
    is_anonymous = models.BooleanField(default=False)
    is_published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = "khảo sát"
        verbose_name_plural = "khảo sát"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now) -> bool:
        return self.is_published and self.opens_at <= now < self.closes_at


class Question(models.Model):
    """One question. Options are a list of texts (single and multiple choice, and the shared
    scale of a matrix); a matrix also has rows. An answer names an option by its index."""

    class Kind(models.TextChoices):
        SINGLE = "SINGLE", "Chọn một"
        MULTIPLE = "MULTIPLE", "Chọn nhiều"
        TEXT = "TEXT", "Trả lời tự do"
        SCALE = "SCALE", "Thang điểm 1–5"
        MATRIX = "MATRIX", "Bảng (nhiều dòng, cùng một thang)"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    is_required = models.BooleanField(default=False)
    options = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    # Shown only when this earlier question's answer is, or includes, the option at this index.
    condition_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="dependents"
    )
    condition_option = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = "câu hỏi khảo sát"
        verbose_name_plural = "câu hỏi khảo sát"
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position"),
            models.CheckConstraint(
                condition=Q(condition_question__isnull=True, condition_option__isnull=True)
                | Q(condition_question__isnull=False, condition_option__isnull=False),
                name="question_condition_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    @property
    def scale(self) -> list[str]:
        """The answer levels a value indexes: the options, or 1–5 for a scale question."""
        if self.kind == self.Kind.SCALE:
            return [str(n) for n in range(1, 6)]
        return list(self.options)


class SurveyResponse(models.Model):
    """One person's (or, for an anonymous survey, one device's) answers to a survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A random id kept in a signed cookie on the answering device (anonymous surveys).
    device = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["survey", "submitted_at", "pk"]
        verbose_name = "phiếu trả lời khảo sát"
        verbose_name_plural = "phiếu trả lời khảo sát"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="one_response_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "device"], condition=~Q(device=""), name="one_response_per_device"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.submitted_at:%d/%m/%Y %H:%M}"


class Answer(models.Model):
    """One value of a response: a chosen option (one row per option for multiple choice), a
    1–5 score, a matrix cell (row and scale index) or a text. One row per value lets the
    results count in SQL."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    row = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question", "row", "value"]
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        indexes = [models.Index(fields=["question", "row", "value"], name="answer_count")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:40]}"
