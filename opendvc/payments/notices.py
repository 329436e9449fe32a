"""The message that tells the payer their online payment was received, through the outbox."""

from opendvc.core.money import vnd
from opendvc.dossiers.notices import addresses, dossier_url
from opendvc.notifications import outbox
from opendvc.notifications.events import moment

from .models import Payment
from .receipts import receipt_number


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
            "changed_at": moment(now),
            "amount": vnd(payment.amount),
            "receipt_number": receipt_number(payment) if payment.receipt_number else "",
        },
        key=f"payment-received:{payment.pk}",
        now=now,
        user=dossier.applicant,
        **addresses(dossier),
        reference=dossier.code,
        agency=dossier.agency,
    )
