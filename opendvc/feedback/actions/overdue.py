"""The periodic flag on items whose running stage is past its due moment."""

from datetime import datetime

from django.db import transaction

from ..models import Feedback
from ._common import audit


def flag_overdue(*, now: datetime) -> int:
    """Flag, once per stage, every item now overdue; the agency's list and its supervisor's
    view show them. Returns how many were flagged. Raises nothing."""
    flagged = 0
    due = Feedback.objects.overdue(now=now).filter(overdue_flagged_at=None)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            feedback = Feedback.objects.select_for_update().get(pk=pk)
            if feedback.due_at and feedback.due_at < now and feedback.overdue_flagged_at is None:
                feedback.overdue_flagged_at = now
                feedback.save(update_fields=["overdue_flagged_at"])
                audit(feedback, "flag_overdue", None, now, due_at=feedback.due_at.isoformat())
                flagged += 1
    return flagged
