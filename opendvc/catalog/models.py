"""The procedure catalog (công khai TTHC): procedures, their cases, documents, fees and forms."""

from django.db import models
from django.urls import reverse

from opendvc.directory.models import Agency


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. "Hộ tịch"."""

    code = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=300, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    """A life or business event (sự kiện), grouping the procedures it calls for."""

    class Audience(models.TextChoices):
        CITIZEN = "CITIZEN", "Công dân"
        BUSINESS = "BUSINESS", "Doanh nghiệp"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.CITIZEN)

    class Meta:
        ordering = ["name"]
        verbose_name = "sự kiện"
        verbose_name_plural = "sự kiện"

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(state=Procedure.State.ABOLISHED)

    def public(self):
        """What citizens may see: active, and not internal to the administration."""
        return self.active().exclude(kind=Procedure.Kind.STANDARD_INTERNAL)


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính), keyed by its national code."""

    class Kind(models.TextChoices):
        STANDARD = "STANDARD", "Thủ tục chuẩn quốc gia"
        SPECIFIC = "SPECIFIC", "Thủ tục đặc thù của địa phương"
        STANDARD_INTERNAL = "STANDARD_INTERNAL", "Thủ tục nội bộ"

    class State(models.TextChoices):
        ACTIVE = "ACTIVE", "Đang áp dụng"
        UPDATED = "UPDATED", "Đã cập nhật"
        ABOLISHED = "ABOLISHED", "Đã bãi bỏ"

    class OnlineLevel(models.TextChoices):
        FULL = "TOAN_TRINH", "Dịch vụ công trực tuyến toàn trình"
        PARTIAL = "MOT_PHAN", "Dịch vụ công trực tuyến một phần"
        NONE = "", "Không cung cấp trực tuyến"

    code = models.CharField(max_length=40, unique=True)  # mã TTHC, e.g. 1.001193
    portal_id = models.CharField(max_length=40, blank=True)
    name = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STANDARD)
    state = models.CharField(max_length=12, choices=State.choices, default=State.ACTIVE)
    fields = models.ManyToManyField(Field, related_name="procedures", blank=True)
    life_events = models.ManyToManyField(LifeEvent, related_name="procedures", blank=True)
    publishing_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="published"
    )
    implementing_agencies = models.ManyToManyField(Agency, related_name="implemented", blank=True)
    # A procedure may be carried out at several levels at once.
    is_ministry_level = models.BooleanField(default=False)
    is_province_level = models.BooleanField(default=False)
    is_commune_level = models.BooleanField(default=False)
    online_level = models.CharField(
        max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE, blank=True
    )
    target_groups = models.JSONField(default=list, blank=True)
    decision_no = models.CharField(max_length=120, blank=True)
    steps = models.JSONField(default=list, blank=True)  # [{"name", "description"}]
    requirements = models.TextField(blank=True)
    legal_basis = models.JSONField(default=list, blank=True)  # [{"code", "name"}]
    results = models.JSONField(default=list, blank=True)  # [{"code", "name"}]
    receiving_address = models.TextField(blank=True)
    # Which sources filled this record, e.g. ["list", "details"]; the importer merges by code.
    sources = models.JSONField(default=list, blank=True)
    popularity = models.PositiveIntegerField(default=0)
    # A hash of the merged source record: the importer leaves a procedure whose sources
    # did not change untouched, so that re-running it is cheap and changes nothing.
    fingerprint = models.CharField(max_length=64, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:procedure", kwargs={"code": self.code})

    @property
    def levels(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.is_ministry_level, "BO"),
                (self.is_province_level, "TINH"),
                (self.is_commune_level, "XA"),
            )
            if flag
        ]

    @property
    def is_online(self) -> bool:
        return bool(self.online_level)


class ProcessingUnit(models.TextChoices):
    WORKING_DAY = "WORKING_DAY", "ngày làm việc"
    DAY = "DAY", "ngày"
    HOUR = "HOUR", "giờ"
    MONTH = "MONTH", "tháng"
    OTHER = "OTHER", "khác"


class Channel(models.TextChoices):
    DIRECT = "DIRECT", "Trực tiếp"
    ONLINE = "ONLINE", "Trực tuyến"
    POSTAL = "POSTAL", "Dịch vụ bưu chính"


class ProcedureCase(models.Model):
    """A case (trường hợp) of a procedure: it fixes the documents, time and fees."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="cases")
    code = models.CharField(max_length=60, blank=True)
    name = models.TextField()
    processing_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    processing_unit = models.CharField(
        max_length=12, choices=ProcessingUnit.choices, default=ProcessingUnit.WORKING_DAY
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = "trường hợp"
        verbose_name_plural = "trường hợp"

    def __str__(self) -> str:
        return self.name


class ProcedureChannel(models.Model):
    """How a procedure can be filed (trực tiếp / trực tuyến / bưu chính), with its time."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    processing_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    processing_unit = models.CharField(
        max_length=12, choices=ProcessingUnit.choices, default=ProcessingUnit.WORKING_DAY
    )
    processing_text = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = "cách thức thực hiện"
        verbose_name_plural = "cách thức thực hiện"

    def __str__(self) -> str:
        return self.get_channel_display()


class Fee(models.Model):
    """A fee or charge (phí, lệ phí). An amount of 0 with a description means "see text"."""

    class Kind(models.TextChoices):
        FEE = "FEE", "Phí"
        CHARGE = "CHARGE", "Lệ phí"
        OTHER = "OTHER", "Khác"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHARGE)
    amount = models.BigIntegerField(default=0)  # VND
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:,} đ"


class RequiredDocument(models.Model):
    """A document of the dossier (thành phần hồ sơ), within a case and a group."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="documents")
    group = models.CharField(max_length=500, blank=True)
    name = models.TextField()
    original_qty = models.PositiveSmallIntegerField(default=0)
    copy_qty = models.PositiveSmallIntegerField(default=0)
    is_required = models.BooleanField(default=True)
    forms = models.JSONField(default=list, blank=True)  # [{"name", "url"}] downloadable forms
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "position"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self) -> str:
        return self.name[:80]
