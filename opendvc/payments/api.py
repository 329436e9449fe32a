"""Payments API v1 for the applicant: pay a dossier's fees, and see one's own payments.

Another person's dossier or payment answers 404 `not_found`, exactly like one that does not
exist. Errors: 409 `not_payable` (nothing to pay online now), 409 `idempotency_key_reused`
(the key was used with another request), 409 `illegal_transition`, 403 `forbidden`, 422.
"""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut, api, error_body

from . import access, actions, states
from .models import Payment

router = Router(tags=["payments"], auth=signed_in)

ERRORS = {
    actions.NotPayable: (409, "not_payable"),
    actions.IdempotencyConflict: (409, "idempotency_key_reused"),
    actions.IllegalMove: (409, "illegal_transition"),
    actions.AmountMismatch: (409, "amount_mismatch"),
    actions.NotAllowed: (403, "forbidden"),
    actions.InvalidRequest: (422, "invalid_request"),
    actions.RefundRefused: (502, "gateway_refused"),
}


def on_payment_error(request: HttpRequest, exc: actions.PaymentError):
    status, code = next(
        (answer for kind, answer in ERRORS.items() if isinstance(exc, kind)),
        (422, "invalid_request"),
    )
    return api.create_response(request, error_body(code, str(exc)), status=status)


api.add_exception_handler(actions.PaymentError, on_payment_error)


class PaymentIn(Schema):
    purpose: Payment.Purpose | None = Field(
        None, description="Left out: what the dossier owes now (OBLIGATION in status 6)."
    )


class LineOut(Schema):
    kind: str
    label: str
    amount: int


class PaymentOut(Schema):
    id: int
    state: str
    amount: int = Field(description="VND")
    currency: str
    pay_url: str | None = Field(description="The gateway's signed page, while payable.")
    expires_at: datetime


class PaymentDetailOut(PaymentOut):
    dossier_code: str
    purpose: str
    lines: list[LineOut]
    paid_at: datetime | None
    receipt_number: int | None
    receipt_year: int | None


IDEMPOTENCY = Header(
    ...,
    alias="Idempotency-Key",
    min_length=1,
    max_length=255,
    description="Required, 1–255 characters, chosen by the client (a UUID is fine).",
)
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _out(payment: Payment, pay_url: str | None = None) -> dict:
    return {
        "id": payment.pk,
        "state": payment.state,
        "amount": payment.amount,
        "currency": payment.currency,
        "pay_url": pay_url,
        "expires_at": payment.expires_at,
    }


@router.post(
    "/dossiers/{code}/payments",
    response={200: PaymentOut, 201: PaymentOut, **WRITE},
    summary="Pay a dossier's fees",
    description=(
        "Makes (201) the payment of what the dossier owes now and returns the gateway's "
        "`pay_url`. The same `Idempotency-Key` with the same body answers 200 with the same "
        "payment; with another body 409 `idempotency_key_reused`. While a payment of the "
        "dossier is open it is returned (200) rather than a second one made. 409 `not_payable` "
        "when there is nothing to pay online now."
    ),
)
def create(request: HttpRequest, code: str, payload: PaymentIn | None = None, key=IDEMPOTENCY):
    dossier = access.get_dossier_for_payer_or_404(request.user, code)
    purpose = payload.purpose if payload else None
    known = Payment.objects.filter(created_by=request.user, idempotency_key=key).exists()
    now = timezone.now()
    payment = actions.create_payment(
        dossier=dossier, by=request.user, idempotency_key=key, now=now, purpose=purpose
    )
    pay_url = None
    if payment.state in states.OPEN:
        try:
            pay_url = actions.start_payment(payment=payment, ip=_ip(request), now=now)
        except actions.PaymentError:  # expired meanwhile: the state says so
            payment.refresh_from_db()
    made = not known and payment.idempotency_key == key and payment.created_at == now
    return Status(201 if made else 200, _out(payment, pay_url))


@router.get(
    "/payments/{int:payment_id}",
    response={200: PaymentDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="One of my payments",
)
def detail(request: HttpRequest, payment_id: int):
    payment = access.get_payment_for_citizen_or_404(request.user, payment_id)
    return {
        **_out(payment),
        "dossier_code": payment.dossier.code,
        "purpose": payment.purpose,
        "lines": payment.lines,
        "paid_at": payment.paid_at,
        "receipt_number": payment.receipt_number,
        "receipt_year": payment.receipt_year,
    }


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "127.0.0.1"
