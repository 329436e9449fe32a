"""Jobs of the payments app: thin django-tasks functions over actions."""

import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def refund_duplicate(payment_id: int) -> str:
    """Refund a payment paid after another one of its dossier (idempotent). A refusal is
    logged; the daily reconciliation tries again and lists it until it is refunded."""
    from .actions import RefundRefused, refund_duplicate
    from .models import Payment

    payment = Payment.objects.get(pk=payment_id)
    try:
        return refund_duplicate(payment=payment, now=timezone.now()).state
    except RefundRefused:
        logger.exception("Duplicate payment %s not refunded yet", payment.txn_ref)
        return payment.state
