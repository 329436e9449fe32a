"""Dossiers (hồ sơ): what a citizen or business files, its documents, status history and clock.

Status codes 1–10 are the national coordination system's, so they can be synced upward as they
are; 0 is our own draft, a dossier being filled in that no agency sees yet.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac

from opendvc.accounts.models import StaffRole
from opendvc.catalog.models import Procedure, ProcedureCase, RequiredDocument
from opendvc.directory.models import Agency


class Status(models.IntegerChoices):
    DRAFT = 0, "Nháp"
    NEW = 1, "Mới đăng ký"
    RECEIVED = 2, "Được tiếp nhận"
    REFUSED = 3, "Không được tiếp nhận"
    PROCESSING = 4, "Đang xử lý"
    SUPPLEMENT = 5, "Yêu cầu bổ sung"
    FINANCIAL_OBLIGATION = 6, "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = 7, "Rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    FINISHED = 9, "Đã xử lý xong"
    RETURNED = 10, "Đã trả kết quả"


# The legal clock runs in these statuses (a supplement request pauses it; before reception
# and after the decision there is no clock).
CLOCK_RUNNING = (Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL_OBLIGATION)


class RefusalReason(models.TextChoices):
    NOT_COMPETENT = "NOT_COMPETENT", "Không thuộc thẩm quyền giải quyết"
    INCOMPLETE = "INCOMPLETE", "Hồ sơ không đầy đủ, không hợp lệ"
    NOT_ELIGIBLE = "NOT_ELIGIBLE", "Không đủ điều kiện theo quy định"
    DUPLICATE = "DUPLICATE", "Hồ sơ trùng lặp"
    OTHER = "OTHER", "Lý do khác"


class SupplementReason(models.TextChoices):
    MISSING = "MISSING", "Thiếu giấy tờ"
    INVALID = "INVALID", "Giấy tờ không hợp lệ"
    EXPIRED = "EXPIRED", "Giấy tờ hết hiệu lực"
    ILLEGIBLE = "ILLEGIBLE", "Bản chụp, bản quét không đọc được"
    MISMATCH = "MISMATCH", "Thông tin không khớp với tờ khai"
    OTHER = "OTHER", "Lý do khác"


class StopReason(models.TextChoices):
    APPLICANT_REQUEST = "APPLICANT_REQUEST", "Theo đề nghị của người nộp"
    LEGAL_CHANGE = "LEGAL_CHANGE", "Căn cứ pháp lý thay đổi"
    NOT_ELIGIBLE = "NOT_ELIGIBLE", "Không đủ điều kiện giải quyết"
    NO_SUPPLEMENT = "NO_SUPPLEMENT", "Quá hạn bổ sung hồ sơ"
    OTHER = "OTHER", "Lý do khác"


# Reason codes of refusals, stops and supplement requests, in words (history, API, messages).
REASON_LABELS = {
    **dict(SupplementReason.choices),
    **dict(StopReason.choices),
    **dict(RefusalReason.choices),
}


class DossierCounter(models.Model):
    """The last sequence number given to an agency's dossiers on one local day.

    Locked with select_for_update while a code is taken, so two submissions never share one.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm mã hồ sơ"
        verbose_name_plural = "bộ đếm mã hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class DossierQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status=Status.DRAFT)

    def for_citizen(self, user):
        """The applicant's own dossiers, drafts included."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(applicant=user)

    def for_agency(self, agency: Agency):
        """Dossiers an agency received; drafts are the applicant's alone."""
        return self.submitted().filter(agency=agency)

    def for_official(self, user):
        """Submitted dossiers of every agency where the official holds a role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        # The agency ids first, as a list: a join through the roles would need DISTINCT, which
        # on a large table costs a sort of every matching row before the first page.
        agencies = StaffRole.objects.filter(user=user).values_list("agency_id", flat=True)
        return self.submitted().filter(agency_id__in=sorted(set(agencies)))

    def in_status(self, *statuses: int):
        return self.filter(status__in=statuses)

    def clock_running(self):
        return self.filter(status__in=CLOCK_RUNNING, due_at__isnull=False)

    def overdue(self, *, now: datetime):
        """Dossiers whose legal time has run out while still in the agency's hands."""
        return self.clock_running().filter(due_at__lt=now)

    def due_soon(self, *, now: datetime, days: int = 2):
        """Dossiers not yet overdue whose due moment falls within `days` calendar days."""
        return self.clock_running().filter(due_at__gte=now, due_at__lt=now + timedelta(days=days))

    def with_is_overdue(self, *, now: datetime):
        return self.annotate(
            is_overdue=Case(
                When(Q(status__in=CLOCK_RUNNING) & Q(due_at__lt=now), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def late_for_766(self):
        """Decided dossiers that count as late in the Decision 766 indicators: decided after
        the due moment, or asked for a supplement more than once during processing."""
        decided = self.filter(finished_at__isnull=False)
        return decided.filter(Q(finished_at__gt=models.F("due_at")) | Q(supplement_count__gt=1))


class Dossier(models.Model):
    """One filing of one procedure case with one receiving agency."""

    Status = Status

    class Channel(models.IntegerChoices):
        COUNTER = 1, "Trực tiếp"
        ONLINE = 2, "Trực tuyến"
        POSTAL = 3, "Bưu chính"

    class ApplicantType(models.TextChoices):
        CITIZEN = "CITIZEN", "Công dân"
        BUSINESS = "BUSINESS", "Doanh nghiệp, tổ chức"

    # Given at submission; a draft has none.
    code = models.CharField(max_length=100, unique=True, null=True, blank=True)
    # A hash of the tracking secret printed on the receipt (see check_secret); the plain
    # value is shown once, at submission.
    secret_hash = models.CharField(max_length=128, blank=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    case = models.ForeignKey(ProcedureCase, on_delete=models.PROTECT, related_name="dossiers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers")
    # Null for a dossier registered at the counter for someone without an account.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_type = models.CharField(
        max_length=10, choices=ApplicantType.choices, default=ApplicantType.CITIZEN
    )
    # What the applicant declared when filing, kept even if their account changes.
    applicant_name = models.CharField(max_length=200)
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_id_number = models.CharField(max_length=20, blank=True)
    channel = models.PositiveSmallIntegerField(choices=Channel.choices, default=Channel.ONLINE)
    status = models.PositiveSmallIntegerField(
        choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    form_data = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # refused, withdrawn or stopped
    # While a supplement is awaited the clock stops: the whole working days that were left.
    paused_at = models.DateTimeField(null=True, blank=True)
    working_days_left = models.PositiveIntegerField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    resubmission_count = models.PositiveSmallIntegerField(default=0)

    # Decision 766 indicators.
    is_paid_online = models.BooleanField(default=False)
    is_eid_verified = models.BooleanField(default=False)
    # An electronic result (a signed PDF here, or a legacy system's e-result link).
    has_electronic_result = models.BooleanField(default=False)
    result_summary = models.TextField(blank=True)
    result_url = models.URLField(max_length=500, blank=True)
    # Set for dossiers loaded from a legacy system by `opendvc import_dossiers`.
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["agency", "status"], name="dossier_agency_status"),
            # The staff inbox: an agency's dossiers newest first, paged without sorting them all.
            models.Index(fields=["agency", "-submitted_at", "-id"], name="dossier_agency_inbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__gte=0, status__lte=10), name="dossier_status_in_range"
            ),
            models.CheckConstraint(
                condition=Q(channel__gte=1, channel__lte=3), name="dossier_channel_in_range"
            ),
            models.CheckConstraint(
                condition=Q(status=0) | Q(code__isnull=False, submitted_at__isnull=False),
                name="dossier_submitted_has_code",
            ),
            models.CheckConstraint(
                condition=Q(status=0, code__isnull=True) | ~Q(status=0),
                name="dossier_draft_has_no_code",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"Nháp #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_paused(self) -> bool:
        return self.status == Status.SUPPLEMENT

    def is_overdue(self, now: datetime) -> bool:
        return self.status in CLOCK_RUNNING and self.due_at is not None and self.due_at < now

    # The tracking secret is 10 symbols drawn at random from 32: 50 bits, no dictionary to try
    # first, so a slow password hash (0.2–0.7 s of CPU, 100 MiB) buys nothing a key does not.
    # Its hash is HMAC-SHA256 keyed by SECRET_KEY, with a salt of its own: a copy of the
    # database alone gives nothing to guess against, and hashing takes microseconds.
    SECRET_HMAC_SALT = "opendvc.dossiers.tracking-secret"

    @classmethod
    def hash_secret(cls, secret: str, *, salt: str = "", key: str | None = None) -> str:
        """`hmac$<salt>$<hex>` of the secret as typed anywhere (any case, spaces around)."""
        salt = salt or get_random_string(16)
        value = f"{salt}${secret.strip().upper()}"
        mac = salted_hmac(cls.SECRET_HMAC_SALT, value, secret=key, algorithm="sha256")
        return f"hmac${salt}${mac.hexdigest()}"

    def check_secret(self, secret: str) -> bool:
        encoded = self.secret_hash
        if not encoded.startswith("hmac$"):
            # Secrets hashed before with make_password (Argon2) still verify: no row needs
            # rewriting, and the hash names the hasher that made it.
            return bool(encoded) and check_password(secret.strip().upper(), encoded)
        salt = encoded.split("$")[1]
        # A rotated SECRET_KEY stays in SECRET_KEY_FALLBACKS: receipts printed before still work.
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        return any(
            constant_time_compare(self.hash_secret(secret, salt=salt, key=key), encoded)
            for key in keys
        )


def component_upload_to(instance: "ComponentFile", filename: str) -> str:
    dossier = instance.component.dossier
    folder = dossier.code or f"draft-{dossier.pk}"
    # The stored name is not the applicant's: it could be long, or carry a path.
    return f"dossiers/{folder}/{instance.sha256[:16]}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    suffix = filename[dot:].lower() if dot > 0 else ""
    return suffix if len(suffix) <= 6 and suffix[1:].isalnum() else ""


class DossierComponent(models.Model):
    """One document of the dossier (thành phần hồ sơ), named as the case named it then."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    required_document = models.ForeignKey(
        RequiredDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.TextField()
    is_required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Decision 766: digitised at reception, reused from another dossier or result, or taken
    # from the applicant's personal store.
    is_digitised = models.BooleanField(default=False)
    is_reused = models.BooleanField(default=False)
    is_from_vault = models.BooleanField(default=False)

    class Meta:
        ordering = ["dossier", "position", "pk"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self) -> str:
        return self.name[:80]


class ComponentFile(models.Model):
    component = models.ForeignKey(DossierComponent, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=component_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["component", "pk"]
        verbose_name = "tệp thành phần hồ sơ"
        verbose_name_plural = "tệp thành phần hồ sơ"

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """The status history: every transition, who made it, when and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="history")
    from_status = models.PositiveSmallIntegerField(choices=Status.choices)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "at", "pk"]
        verbose_name = "lịch sử trạng thái"
        verbose_name_plural = "lịch sử trạng thái"
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status__lte=10, to_status__gte=1, to_status__lte=10),
                name="status_change_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.from_status} → {self.to_status}"


class SupplementRequest(models.Model):
    """A request for more documents. `reasons`: [{"component": id|None, "code", "note"}]."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    requested_at = models.DateTimeField()
    # Null only for a request imported from a legacy system that did not say who made it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The status the dossier goes back to on resubmission (2 or 4), and its frozen clock.
    from_status = models.PositiveSmallIntegerField(choices=Status.choices)
    due_at_before = models.DateTimeField(null=True, blank=True)
    working_days_left = models.PositiveIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resumed_at = models.DateTimeField(null=True, blank=True)  # the new effective reception

    class Meta:
        ordering = ["dossier", "requested_at", "pk"]
        verbose_name = "yêu cầu bổ sung"
        verbose_name_plural = "yêu cầu bổ sung"
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(answered_at__isnull=True),
                name="one_open_supplement_per_dossier",
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=[Status.RECEIVED, Status.PROCESSING]),
                name="supplement_from_received_or_processing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.requested_at:%d/%m/%Y %H:%M}"


class Apology(models.Model):
    """The apology letter (phiếu xin lỗi): at most one per dossier, with a new due moment."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    issued_at = models.DateTimeField()
    # Null only for a letter imported from a legacy system that did not say who issued it.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    previous_due_at = models.DateTimeField(null=True, blank=True)
    new_due_at = models.DateTimeField()

    class Meta:
        verbose_name = "phiếu xin lỗi"
        verbose_name_plural = "phiếu xin lỗi"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="apology_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.new_due_at:%d/%m/%Y}"


class ProcessingStep(models.Model):
    """One step of an agency's processing of a procedure case (quy trình nội bộ): what is done,
    by which role, in how many working days. Edited by the agency's administrator; a dossier
    copies the steps when it is forwarded, so later edits never change a dossier in flight."""

    class Role(models.TextChoices):
        SPECIALIST = "SPECIALIST", "Chuyên viên"
        LEADER = "LEADER", "Lãnh đạo"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="processing_steps")
    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    working_days = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["agency", "case", "position"]
        verbose_name = "bước xử lý"
        verbose_name_plural = "bước xử lý"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "case", "position"], name="processing_step_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class DossierStep(models.Model):
    """A processing step of one dossier, copied from its agency's steps when forwarded (4).
    The current step is the first one not completed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=ProcessingStep.Role.choices)
    working_days = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "position"]
        verbose_name = "bước xử lý của hồ sơ"
        verbose_name_plural = "bước xử lý của hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="dossier_step_unique"),
        ]
        indexes = [models.Index(fields=["role", "completed_at"], name="dossier_step_queue")]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.position}. {self.name}"


class SignedResult(models.Model):
    """The electronic result: a PDF signed with the agency's certificate (PAdES), and what the
    public verification page (reached from the QR code printed on it) shows."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="signed_result")
    # In the QR code and the verification URL; unguessable, unlike the dossier code.
    token = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="dossiers/results/", max_length=300)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(max_length=300)  # the certificate's subject
    certificate_serial = models.CharField(max_length=80)
    certificate_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "kết quả điện tử đã ký số"
        verbose_name_plural = "kết quả điện tử đã ký số"

    def __str__(self) -> str:
        return f"{self.dossier}: {self.signed_at:%d/%m/%Y}"


class SubmissionKey(models.Model):
    """An API client's Idempotency-Key for a submission: the same key, from the same account,
    returns the same dossier instead of submitting twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "khoá chống nộp trùng"
        verbose_name_plural = "khoá chống nộp trùng"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key
