"""The personal e-data store (Kho dữ liệu điện tử của cá nhân, tổ chức): documents kept once,
reused with consent, and a log of who used them.

The electronic results of a person's finished dossiers are not copied here: they are read live
from `dossiers.SignedResult` (see `results_for`), so there is one file and one truth, nothing to
keep in step, and a result appears the moment it is signed.
"""

from datetime import date

from django.conf import settings
from django.db import models

from opendvc.directory.models import Agency
from opendvc.dossiers.models import Dossier, DossierComponent


class DocumentType(models.Model):
    """A kind of document a person keeps (giấy tờ): CCCD, birth certificate, diploma…"""

    class Validity(models.TextChoices):
        # Decides what "expired" means for a stored copy of this type.
        PERMANENT = "PERMANENT", "Không thời hạn"
        UNTIL_EXPIRY = "UNTIL_EXPIRY", "Đến ngày hết hạn ghi trên giấy tờ"
        MONTHS_FROM_ISSUE = "MONTHS_FROM_ISSUE", "Một số tháng kể từ ngày cấp"

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    validity = models.CharField(max_length=20, choices=Validity.choices)
    valid_months = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "loại giấy tờ"
        verbose_name_plural = "loại giấy tờ"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(validity="MONTHS_FROM_ISSUE") | models.Q(valid_months__gt=0),
                name="document_type_months_given",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StoredDocumentQuerySet(models.QuerySet):
    def of(self, owner):
        return self.filter(owner=owner)

    def used_bytes(self, owner) -> int:
        return self.of(owner).aggregate(total=models.Sum("size"))["total"] or 0


class StoredDocument(models.Model):
    """One document in a person's store, encrypted on disk under the private vault folder."""

    class Source(models.TextChoices):
        UPLOAD = "UPLOAD", "Tự tải lên"
        DIGITISED = "DIGITISED", "Số hóa tại Bộ phận một cửa"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stored_documents"
    )
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    number = models.CharField(max_length=60, blank=True)
    issuer = models.CharField(max_length=200, blank=True)
    issued_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField(null=True, blank=True)
    # A random name relative to the vault folder; never derived from the person or the file.
    path = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()  # of the plain file: what counts against the quota
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The service centre's agency for a digitised copy.
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StoredDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["document_type__position", "-created_at", "-pk"]
        verbose_name = "giấy tờ trong kho dữ liệu"
        verbose_name_plural = "giấy tờ trong kho dữ liệu"

    def __str__(self) -> str:
        return f"{self.document_type_id}: {self.original_name}"

    def valid_until(self) -> date | None:
        """The last day the document is valid, None when it does not expire (or is unknown).
        Reads the type: select_related it on lists."""
        kind = self.document_type
        if kind.validity == DocumentType.Validity.UNTIL_EXPIRY:
            return self.expiry_date
        if kind.validity == DocumentType.Validity.MONTHS_FROM_ISSUE and self.issued_date:
            months = self.issued_date.month - 1 + (kind.valid_months or 0)
            year, month = self.issued_date.year + months // 12, months % 12 + 1
            return _clamped(year, month, self.issued_date.day)
        return self.expiry_date

    def is_expired(self, today: date) -> bool:
        until = self.valid_until()
        return until is not None and until < today


def _clamped(year: int, month: int, day: int) -> date:
    # 31 January plus one month is the last day of February.
    for last in (day, 30, 29, 28):
        try:
            return date(year, month, min(day, last))
        except ValueError:
            continue
    raise ValueError(day)


class StoredDocumentUse(models.Model):
    """A dossier refers to a stored document (taken from the store while filing, or attached at
    the counter). Only through such a reference may an official of the dossier's agency open
    the document."""

    document = models.ForeignKey(StoredDocument, on_delete=models.CASCADE, related_name="uses")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="vault_uses")
    component = models.ForeignKey(
        DossierComponent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "giấy tờ dùng cho hồ sơ"
        verbose_name_plural = "giấy tờ dùng cho hồ sơ"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "dossier", "component"], name="vault_use_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.dossier_id}"


class DataAccess(models.Model):
    """One row of the person's data-use log: who, of which agency, through which dossier, opened
    which document, when. Kept when the document is deleted (the names are copied)."""

    class Kind(models.TextChoices):
        VIEWED = "VIEWED", "Xem giấy tờ"
        DIGITISED = "DIGITISED", "Số hóa và đưa vào kho"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_accesses"
    )
    document = models.ForeignKey(
        StoredDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document_label = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    official_name = models.CharField(max_length=150)
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dossier_code = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["owner", "-at"], name="vault_access_owner_at")]
        verbose_name = "lượt sử dụng dữ liệu"
        verbose_name_plural = "nhật ký sử dụng dữ liệu"

    def __str__(self) -> str:
        return f"{self.official_name} – {self.document_label}"


class SubjectRequest(models.Model):
    """A data subject's request under Law 91/2025/QH15, with the date it must be answered by."""

    class Kind(models.TextChoices):
        EXPORT = "EXPORT", "Cung cấp (tải về) toàn bộ dữ liệu"
        DELETE = "DELETE", "Xóa giấy tờ tự tải lên"

    class State(models.TextChoices):
        RECEIVED = "RECEIVED", "Đã tiếp nhận"
        DONE = "DONE", "Đã thực hiện"
        REFUSED = "REFUSED", "Không thực hiện được"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subject_requests"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "yêu cầu của chủ thể dữ liệu"
        verbose_name_plural = "yêu cầu của chủ thể dữ liệu"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"
