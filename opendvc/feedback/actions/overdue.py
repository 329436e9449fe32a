"""The periodic flag on items whose running stage is past its due moment."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from opendvc.notifications import outbox
from opendvc.notifications.events import moment

from ..models import Feedback
from ._common import audit

State = Feedback.State
# What the agency has not done in time, by the state the item waits in.
STAGES = {
    State.RECEIVED: "Tiếp nhận hoặc từ chối phản ánh, kiến nghị",
    State.ACCEPTED: "Trả lời phản ánh, kiến nghị",
    State.DRAFTED: "Duyệt và gửi trả lời",
    State.ANSWERED: "Quyết định công khai câu trả lời",
}


def flag_overdue(*, now: datetime) -> int:
    """Flag, once per stage, every item now overdue; the agency's list and its supervisor's
    view show them, and both agencies are e-mailed at their published address. Returns how
    many were flagged. Raises nothing."""
    flagged = 0
    due = Feedback.objects.overdue(now=now).filter(overdue_flagged_at=None)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            feedback = Feedback.objects.select_for_update().get(pk=pk)
            if feedback.due_at and feedback.due_at < now and feedback.overdue_flagged_at is None:
                feedback.overdue_flagged_at = now
                feedback.save(update_fields=["overdue_flagged_at"])
                audit(feedback, "flag_overdue", None, now, due_at=feedback.due_at.isoformat())
                _tell_agencies(feedback, now)
                flagged += 1
    return flagged


def _tell_agencies(feedback: Feedback, now: datetime) -> None:
    """E-mail the responsible agency and its supervisor (`Agency.parent`), where each has an
    address; once per agency and stage (the key holds the due moment of the stage)."""
    agency = feedback.agency
    context = {
        "feedback_code": feedback.code,
        "agency_name": agency.name,
        "stage": STAGES.get(feedback.state, feedback.get_state_display()),
        "due_at": moment(feedback.due_at),
        "url": settings.SITE_URL.rstrip("/")
        + reverse("feedback:staff_detail", kwargs={"code": feedback.code}),
    }
    for told in (agency, agency.parent):
        if told is not None and told.email:
            outbox.notify(
                event="feedback.overdue",
                context=context,
                key=f"feedback-overdue:{feedback.pk}:{feedback.due_at.isoformat()}:{told.pk}",
                now=now,
                email=told.email,
                reference=feedback.code,
                agency=told,
            )
