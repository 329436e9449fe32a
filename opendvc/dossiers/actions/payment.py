"""What a dossier learns from the payment gateway outside the financial-obligation status."""

from datetime import datetime

from django.db import transaction

from opendvc.audit.actions import record

from ..models import Dossier
from ._steps import lock


def record_online_payment(*, dossier: Dossier, now: datetime) -> Dossier:
    """The applicant paid the dossier's fees online before reception (thu trước): the dossier
    records it for the Decision 766 indicators; its status does not change. Told by the payment
    gateway, so no one acts. Recording twice changes nothing. Raises nothing."""
    with transaction.atomic():
        lock(dossier)
        if not dossier.is_paid_online:
            dossier.is_paid_online = True
            dossier.save(update_fields=["is_paid_online"])
            record(
                action="dossiers.paid_online",
                actor=None,
                target=dossier,
                payload={"code": dossier.code, "status": dossier.status},
                now=now,
            )
    return dossier
