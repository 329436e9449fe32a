"""The steps every action shares: lock, check against the workflow, move and record."""

from datetime import datetime

from opendvc.audit.actions import record
from opendvc.core import calendar

from .. import notices, workflow
from ..models import Dossier, Status, StatusChange
from .errors import IllegalTransition, InvalidRequest, NotAllowed

TIMED_UNITS = {"WORKING_DAY", "DAY", "HOUR", "MONTH"}


def lock(dossier: Dossier) -> None:
    """Lock the row and reload it, so checks see the committed state."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk").get()
    dossier.refresh_from_db()


def check(dossier: Dossier, by, action: str, *, system: bool = False) -> None:
    if not system and not workflow.may_act(by, dossier, action):
        raise NotAllowed("Bạn không có quyền thực hiện thao tác này với hồ sơ.")
    if not workflow.allows(action, dossier.status):
        raise IllegalTransition(
            f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”, "
            "không thể thực hiện thao tác này."
        )


def move(
    dossier: Dossier,
    *,
    to: int,
    action: str,
    by,
    now: datetime,
    reason_code: str = "",
    note: str = "",
    payload: dict | None = None,
) -> None:
    """Save the new status with its history row and audit entry (caller holds the lock), and
    queue the message telling the applicant (notices.py), which goes out once this commits."""
    if to not in workflow.TRANSITIONS[action][dossier.status]:
        raise IllegalTransition("Chuyển trạng thái không hợp lệ.")
    before = dossier.status
    dossier.status = to
    dossier.save()
    change = StatusChange.objects.create(
        dossier=dossier,
        from_status=before,
        to_status=to,
        action=action,
        actor=by,
        at=now,
        reason_code=reason_code,
        note=note,
    )
    record(
        action=f"dossiers.{action}",
        actor=by,
        target=dossier,
        payload={"code": dossier.code, "from": before, "to": to, **(payload or {})},
        now=now,
    )
    reasons = (payload or {}).get("reasons") if to == Status.SUPPLEMENT else None
    notices.status_changed(change, supplement_reasons=reasons)


def due(received_at: datetime, amount, unit: str) -> datetime | None:
    # A case without a legal time in days, hours or months has no due moment to watch.
    if amount is None or unit not in TIMED_UNITS:
        return None
    try:
        return calendar.due_at(received_at, amount, unit)
    except ValueError:
        # Catalog data beyond the calendar's range (say, 9,999 months): no deadline to watch
        # rather than a dossier the desk cannot receive.
        return None


def coded(code: str, choices, what: str) -> str:
    if code not in choices.values:
        raise InvalidRequest(f"Cần chọn {what} hợp lệ.")
    return code
