"""The payment box on the applicant's dossier page, and money in Vietnamese."""

from django import template
from django.urls import NoReverseMatch, reverse

from .. import actions, fees
from ..models import Payment

register = template.Library()


@register.filter
def dong(amount) -> str:
    """50000 → "50.000 ₫"."""
    return f"{int(amount or 0):,}".replace(",", ".") + " ₫"


@register.simple_tag
def payment_box(dossier, user) -> dict | None:
    """What the dossier's applicant has to pay now and what they paid online; None for anyone
    else, and for a draft."""
    if not getattr(user, "is_authenticated", False) or dossier.applicant_id != user.pk:
        return None
    if dossier.is_draft:
        return None
    try:
        actions.purpose_now(dossier)
        bill = fees.bill_for(dossier)
    except actions.NotPayable:
        bill = None
    paid = list(dossier.payments.filter(state=Payment.State.SUCCESS))
    for payment in paid:
        payment.receipt_url = receipt_url(dossier.code, payment.pk)
    if not paid and (bill is None or not bill.lines):
        return None
    return {"bill": bill, "paid": paid}


@register.simple_tag
def receipt_link(payment: Payment) -> str:
    """The address of a paid payment's receipt (for its applicant)."""
    return receipt_url(payment.dossier.code, payment.pk)


def receipt_url(code: str, payment_id: int) -> str:
    try:
        return reverse("payments:receipt", kwargs={"code": code, "payment_id": payment_id})
    except NoReverseMatch:  # the receipt page is not there yet: its agreed address
        return f"/ho-so/{code}/thanh-toan/{payment_id}/bien-lai.pdf"
