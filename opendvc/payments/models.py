"""Online payment of fees and charges (phí, lệ phí) for a dossier, through a gateway that speaks
the VNPay 2.1.0 protocol (the real one, or the built-in sandbox).

Only the gateway's server-to-server notification (IPN) marks a payment paid; the states and
their allowed transitions are the explicit graph in states.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from opendvc.catalog.models import Fee
from opendvc.directory.models import Agency
from opendvc.dossiers.models import Dossier


class AgencyFee(models.Model):
    """The amount an agency charges for a catalog fee whose amount the province decides (the
    catalog gives 0 with a description). Set by the agency's administrator."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="fee_amounts")
    fee = models.ForeignKey(Fee, on_delete=models.CASCADE, related_name="agency_amounts")
    amount = models.BigIntegerField()  # VND
    # Charged for each copy the applicant asks for (the e-form's "số lượng bản sao").
    is_per_copy = models.BooleanField(default=False)
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "mức thu của cơ quan"
        verbose_name_plural = "mức thu của cơ quan"
        constraints = [
            models.UniqueConstraint(fields=["agency", "fee"], name="agency_fee_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="agency_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.fee_id}: {self.amount:,} đ"


class Payment(models.Model):
    """One attempt to pay a dossier's fees online; its `txn_ref` is the gateway's order id."""

    class State(models.TextChoices):
        CREATED = "CREATED", "Đã tạo"
        STARTED = "STARTED", "Đang thanh toán"
        SUCCESS = "SUCCESS", "Đã thanh toán"
        FAILED = "FAILED", "Không thành công"
        CANCELLED = "CANCELLED", "Đã huỷ"
        EXPIRED = "EXPIRED", "Hết hạn"
        REFUNDED = "REFUNDED", "Đã hoàn tiền"

    class Purpose(models.TextChoices):
        BEFORE_RECEPTION = "BEFORE_RECEPTION", "Thu trước khi tiếp nhận"
        OBLIGATION = "OBLIGATION", "Nghĩa vụ tài chính"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.CREATED, db_index=True
    )
    amount = models.BigIntegerField()  # VND; the gateway is sent amount × 100
    currency = models.CharField(max_length=3, default="VND")
    description = models.CharField(max_length=255)  # vnp_OrderInfo
    # What is paid: [{"fee": id|None, "kind": "FEE"|"CHARGE"|"OTHER", "label", "amount"}].
    lines = models.JSONField(default=list)
    gateway = models.CharField(max_length=20, default="vnpay")
    txn_ref = models.CharField(max_length=100, unique=True)  # vnp_TxnRef

    # Idempotent creation: the same key from the same account returns this payment; the same
    # key with another body is refused. `request_hash` is the SHA-256 of the normalised body.
    idempotency_key = models.CharField(max_length=255, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # failed, cancelled or expired
    refunded_at = models.DateTimeField(null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refund_reason = models.TextField(blank=True)

    # What the gateway said (vnp_TransactionNo, vnp_BankCode, vnp_CardType, vnp_ResponseCode,
    # vnp_TransactionStatus, vnp_PayDate).
    transaction_no = models.CharField(max_length=50, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    card_type = models.CharField(max_length=20, blank=True)
    response_code = models.CharField(max_length=4, blank=True)
    transaction_status = models.CharField(max_length=4, blank=True)
    pay_date = models.CharField(max_length=14, blank=True)  # yyyyMMddHHmmss, GMT+7

    # The electronic receipt (biên lai điện tử): numbered per agency and year once paid.
    receipt_year = models.PositiveSmallIntegerField(null=True, blank=True)
    receipt_number = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "thanh toán"
        verbose_name_plural = "thanh toán"
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="payment_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "receipt_year", "receipt_number"],
                condition=Q(receipt_number__isnull=False),
                name="payment_receipt_number_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["agency", "state"], name="payment_agency_state")]

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.get_state_display()})"


class ReceiptCounter(models.Model):
    """The last receipt number an agency gave in a year; locked while a number is taken."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm số biên lai"
        verbose_name_plural = "bộ đếm số biên lai"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="receipt_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"


class GatewayMessage(models.Model):
    """Every message exchanged with the gateway, as received or sent: the evidence for
    reconciliation and disputes."""

    class Kind(models.TextChoices):
        RETURN = "RETURN", "Trở về từ cổng thanh toán"
        IPN = "IPN", "Thông báo kết quả (IPN)"
        QUERY = "QUERY", "Truy vấn giao dịch"
        REFUND = "REFUND", "Hoàn tiền"

    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    params = models.JSONField(default=dict)  # what came in (or went out), signature included
    is_signature_valid = models.BooleanField(null=True)
    answer = models.CharField(max_length=4, blank=True)  # RspCode we answered, or theirs

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "thông điệp cổng thanh toán"
        verbose_name_plural = "thông điệp cổng thanh toán"

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%d/%m/%Y %H:%M:%S} {self.answer}"


class Reconciliation(models.Model):
    """One run of `opendvc reconcile_payments`: what it checked and what did not match."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    day = models.DateField()  # the business day reported on
    checked = models.PositiveIntegerField(default=0)
    settled = models.PositiveIntegerField(default=0)
    # [{"txn_ref", "ours": state, "gateway": {...}, "what": text}]
    mismatches = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "đối soát thanh toán"
        verbose_name_plural = "đối soát thanh toán"

    def __str__(self) -> str:
        return f"{self.day}: {len(self.mismatches)}"


class PrepaymentRule(models.Model):
    """An agency collects a procedure's fees before it receives the dossier (thu trước): the
    applicant may pay online as soon as the dossier is filed (status 1)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="prepayment_rules")
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.CASCADE, related_name="prepayment_rules"
    )
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "thu phí trước khi tiếp nhận"
        verbose_name_plural = "thu phí trước khi tiếp nhận"
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure"], name="prepayment_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id}"
