"""What the workflow actions share: the lock, the role check and the audit entry."""

from datetime import datetime

from opendvc.accounts.models import StaffRole
from opendvc.audit.actions import record

from ..models import Feedback
from .errors import IllegalTransition, NotAllowed

Role = StaffRole.Role
State = Feedback.State
HANDLERS = {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER}
DRAFTERS = {Role.SPECIALIST, Role.LEADER}
APPROVERS = {Role.LEADER}
PUBLISHERS = {Role.LEADER, Role.COMMUNICATION_OFFICER}


def lock(feedback: Feedback) -> None:
    """Lock the row and reload it, so the checks see the committed state."""
    Feedback.objects.select_for_update().filter(pk=feedback.pk).values_list("pk").get()
    feedback.refresh_from_db()


def roles_at(user, agency_id: int) -> set[str]:
    return set(
        StaffRole.objects.filter(user=user, agency_id=agency_id, user__is_active=True).values_list(
            "role", flat=True
        )
    )


def check(feedback: Feedback, by, roles: set[str], states: set[str]) -> None:
    if not roles_at(by, feedback.agency_id) & roles:
        raise NotAllowed("Vai trò của bạn tại cơ quan không cho phép thao tác này.")
    check_state(feedback, states)


def check_state(feedback: Feedback, states: set[str]) -> None:
    if feedback.state not in states:
        raise IllegalTransition(
            f"Phản ánh, kiến nghị đang ở trạng thái “{feedback.get_state_display()}”, "
            "không thể thực hiện thao tác này."
        )


class Unsigned:
    """The audit's actor for a sender without an account, named by the item, not by person."""

    pk = None

    def __init__(self, feedback: Feedback) -> None:
        self.label = f"Người gửi {feedback.code}"

    def __str__(self) -> str:
        return self.label


def audit(feedback: Feedback, action: str, by, now: datetime, **payload) -> None:
    record(
        action=f"feedback.{action}",
        actor=by,
        target=feedback,
        payload={"code": feedback.code, "state": feedback.state, **payload},
        now=now,
    )


def set_due(feedback: Feedback, due: datetime | None) -> None:
    # A new stage starts unflagged: the flag is about the stage that ran late.
    feedback.due_at = due
    feedback.overdue_flagged_at = None
