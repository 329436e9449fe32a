"""The applicant pays: create the payment (idempotent, one open per dossier), start it at the
gateway; and payments nobody finished expire."""

import hashlib
import json
import secrets
from base64 import b32encode
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from opendvc.dossiers.models import Dossier, Status

from .. import fees, states
from ..gateways import vnpay
from ..models import Payment, PrepaymentRule
from ._steps import audit, expire, lock_payment, move
from .errors import IdempotencyConflict, NotAllowed, NotPayable

VN = ZoneInfo("Asia/Ho_Chi_Minh")
State = Payment.State
Purpose = Payment.Purpose


def request_hash(dossier: Dossier, purpose: str | None) -> str:
    """The SHA-256 of the normalised request, to tell a replay from another request."""
    body = json.dumps({"dossier": dossier.code, "purpose": purpose or ""}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def new_txn_ref(now: datetime) -> str:
    """`<yymmdd><16 base32 characters>`: unique, and it tells nothing about the dossier."""
    return f"{now.astimezone(VN):%y%m%d}{b32encode(secrets.token_bytes(10)).decode()}"


def purpose_now(dossier: Dossier) -> str:
    """What a payment of the dossier would be for now. Raises NotPayable."""
    if dossier.status == Status.FINANCIAL_OBLIGATION:
        return Purpose.OBLIGATION
    prepaid = PrepaymentRule.objects.filter(
        agency_id=dossier.agency_id, procedure_id=dossier.procedure_id
    ).exists()
    if dossier.status == Status.NEW and prepaid and not dossier.is_paid_online:
        return Purpose.BEFORE_RECEPTION
    raise NotPayable("Hồ sơ hiện không có khoản phí, lệ phí nào cần nộp trực tuyến.")


def _replay(by, key: str, digest: str) -> Payment | None:
    if not key:
        return None
    used = Payment.objects.filter(created_by=by, idempotency_key=key).first()
    if used is not None and used.request_hash != digest:
        raise IdempotencyConflict("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.")
    return used


def create_payment(
    *, dossier: Dossier, by, idempotency_key: str, now: datetime, purpose: str | None = None
) -> Payment:
    """The applicant asks to pay what the dossier owes now. The same key with the same request
    returns the payment it made; a payment still open for the dossier is returned rather than
    a second one made. Raises NotAllowed (not the applicant), IdempotencyConflict, NotPayable."""
    if by is None or dossier.applicant_id != by.pk:
        raise NotAllowed("Chỉ người nộp hồ sơ mới thanh toán được phí, lệ phí của hồ sơ.")
    digest = request_hash(dossier, purpose)
    replay = _replay(by, idempotency_key, digest)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            return _create(dossier, by, idempotency_key, digest, now, purpose)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer as its replay.
        replay = _replay(by, idempotency_key, digest)
        if replay is None:
            raise
        return replay


def _create(dossier, by, key, digest, now, purpose) -> Payment:
    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk").get()
    dossier.refresh_from_db()
    wanted = purpose_now(dossier)
    if purpose and purpose != wanted:
        raise NotPayable("Hồ sơ hiện không có khoản phí, lệ phí nào cần nộp cho mục đích này.")
    for open_payment in dossier.payments.filter(state__in=states.OPEN, purpose=wanted):
        if open_payment.expires_at > now:
            return open_payment
        expire(open_payment, now)
    bill = fees.bill_for(dossier)
    if bill.unset:
        raise NotPayable("Cơ quan chưa công bố mức thu, chưa thể thanh toán trực tuyến.")
    if not bill.is_payable:
        raise NotPayable("Hồ sơ không có khoản phí, lệ phí nào cần nộp.")
    payment = Payment.objects.create(
        dossier=dossier,
        agency_id=dossier.agency_id,
        payer=by,
        purpose=wanted,
        amount=bill.total,
        description=f"Thanh toan phi, le phi ho so {dossier.code}",
        lines=[line.as_json() for line in bill.lines],
        txn_ref=new_txn_ref(now),
        idempotency_key=key,
        request_hash=digest if key else "",
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES),
    )
    audit("created", payment, by, now, dossier=dossier.code, amount=payment.amount)
    return payment


def return_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("payments:vnpay_return")


def start_payment(*, payment: Payment, ip: str, now: datetime) -> str:
    """The payer goes to the gateway: the payment is started (once) and the signed payment URL
    returned. Raises NotPayable (expired), IllegalMove (no longer open)."""
    with transaction.atomic():
        locked = lock_payment(payment)
        is_late = locked.state in states.OPEN and locked.expires_at <= now
        if is_late:
            expire(locked, now)  # kept: the error below is raised once this has committed
        elif locked.state == State.CREATED:
            move(locked, State.STARTED)
            locked.started_at = now
            locked.save(update_fields=["state", "started_at"])
            audit("started", locked, locked.payer, now)
        elif locked.state != State.STARTED:
            move(locked, State.STARTED)  # raises IllegalMove with the state in words
    payment.state, payment.started_at = locked.state, locked.started_at
    if is_late:
        raise NotPayable("Giao dịch đã hết hạn, vui lòng tạo giao dịch mới.")
    return vnpay.payment_url(
        vnpay.config(),
        txn_ref=locked.txn_ref,
        amount_vnd=locked.amount,
        order_info=locked.description,
        ip=ip or "127.0.0.1",
        created_at=locked.started_at,
        expires_at=locked.expires_at,
        return_url=return_url(),
    )


def expire_payments(*, now: datetime) -> int:
    """Expire the open payments whose time is up; return how many. Raises nothing."""
    due = Payment.objects.filter(state__in=states.OPEN, expires_at__lte=now)
    expired = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=pk)
            if payment.state in states.OPEN and payment.expires_at <= now:
                expire(payment, now)
                expired += 1
    return expired
