"""The message that tells the payer their online payment was received, through the outbox."""

from django.utils import timezone

from opendvc.dossiers.notices import addresses, dossier_url
from opendvc.notifications import outbox

from .models import Payment
from .receipts import money, receipt_number


def payment_received(payment: Payment, *, now) -> None:
    """Queue the message (call inside the settling transaction); once per payment."""
    dossier = payment.dossier
    outbox.notify(
        event="payment.received",
        context={
            "applicant_name": dossier.applicant_name,
            "dossier_code": dossier.code,
            "procedure_name": dossier.procedure.name,
            "agency_name": dossier.agency.name,
            "url": dossier_url(dossier),
            "status": dossier.get_status_display(),
            "changed_at": timezone.localtime(now).strftime("%H:%M %d/%m/%Y"),
            "amount": money(payment.amount),
            "receipt_number": receipt_number(payment) if payment.receipt_number else "",
        },
        key=f"payment-received:{payment.pk}",
        now=now,
        user=dossier.applicant,
        **addresses(dossier),
        reference=dossier.code,
        agency=dossier.agency,
    )
