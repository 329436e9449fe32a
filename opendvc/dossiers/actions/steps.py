"""Processing steps (quy trình nội bộ): an agency's steps per procedure case, copied into a
dossier when the desk forwards it, then completed one by one by the specialist and the leader.

The current step of a dossier is the first one not completed; it alone has `started_at` set
and `completed_at` empty. The last step is always a leader's: it is closed by the decision
(finish_dossier, "Hoàn thành xử lý"), never by complete_step.
"""

import math
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from opendvc.accounts.models import StaffRole
from opendvc.audit.actions import record
from opendvc.catalog.models import ProcedureCase
from opendvc.core import calendar
from opendvc.directory.models import Agency

from .. import workflow
from ..models import Dossier, DossierStep, ProcessingStep, Status
from ._steps import due, lock
from .errors import IllegalTransition, InvalidRequest, NotAllowed

Role = ProcessingStep.Role
STEP_ROLES = frozenset(Role.values)
MAX_WORKING_DAYS = 1000  # the calendar's own bound for a time in working days


# --- an agency's steps --------------------------------------------------------------------


def default_steps(case: ProcedureCase) -> list[dict]:
    """The steps of an agency that has defined none: the specialist appraises in all the legal
    working days but one, the leader approves and signs in one."""
    days = 1
    if case.processing_unit == "WORKING_DAY" and case.processing_amount is not None:
        days = max(1, math.ceil(case.processing_amount) - 1)
    return [
        {"name": "Thẩm định hồ sơ", "role": Role.SPECIALIST, "working_days": days},
        {"name": "Phê duyệt, ký kết quả", "role": Role.LEADER, "working_days": 1},
    ]


def agency_steps(agency: Agency, case: ProcedureCase) -> list[dict]:
    """The steps the agency defined for the case, in order; empty if it defined none."""
    rows = ProcessingStep.objects.filter(agency=agency, case=case).order_by("position")
    return [{"name": s.name, "role": s.role, "working_days": s.working_days} for s in rows]


def steps_for(agency: Agency, case: ProcedureCase) -> list[dict]:
    """What a dossier of this case at this agency goes through: its steps, else the defaults."""
    return agency_steps(agency, case) or default_steps(case)


def legal_working_days(case: ProcedureCase) -> Decimal | None:
    if case.processing_unit != "WORKING_DAY" or case.processing_amount is None:
        return None
    return Decimal(case.processing_amount)


def step_errors(case: ProcedureCase, steps: list[dict]) -> list[str]:
    """Every rule the steps break, as messages for the administrator (empty: they are fine)."""
    if not steps:
        return ["Quy trình cần có ít nhất một bước."]
    errors = []
    for number, step in enumerate(steps, start=1):
        if not str(step.get("name", "")).strip():
            errors.append(f"Bước {number}: cần nhập tên bước.")
        if step.get("role") not in STEP_ROLES:
            errors.append(f"Bước {number}: cần chọn người thực hiện là chuyên viên hoặc lãnh đạo.")
        days = step.get("working_days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            errors.append(f"Bước {number}: số ngày làm việc phải từ 1 trở lên.")
        elif days > MAX_WORKING_DAYS:
            errors.append(f"Bước {number}: số ngày làm việc không quá {MAX_WORKING_DAYS}.")
    if steps[-1].get("role") != Role.LEADER:
        errors.append("Bước cuối cùng phải do lãnh đạo thực hiện (lãnh đạo phê duyệt, ký kết quả).")
    legal = legal_working_days(case)
    total = sum(s["working_days"] for s in steps if isinstance(s.get("working_days"), int))
    # Steps count whole days; a legal time of 2.5 days leaves room for 3 days of steps, the
    # dossier's own due moment still being the limit.
    if legal is not None and total > math.ceil(legal):
        errors.append(
            f"Tổng số ngày làm việc của các bước ({total}) vượt quá thời hạn giải quyết "
            f"của trường hợp ({legal.normalize():f} ngày làm việc)."
        )
    return errors


def admin_agencies(user):
    """The active agencies where the user is the agency administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    return Agency.objects.active().filter(
        staff_roles__user=user, staff_roles__role=StaffRole.Role.AGENCY_ADMIN
    )


def received_cases(agency: Agency):
    """The procedure cases the agency receives dossiers of (as actions.filing decides it):
    procedures implemented by the agency itself or a generic agency it stands for."""
    generic = Q(pk=agency.pk) | Q(instances=agency) | Q(concrete_agencies=agency)
    implementers = Agency.objects.filter(generic).values("pk")
    return (
        ProcedureCase.objects.filter(procedure__implementing_agencies__in=implementers)
        .exclude(procedure__state="ABOLISHED")
        .distinct()
    )


def save_processing_steps(
    *, agency: Agency, case: ProcedureCase, steps: list[dict], by, now: datetime
) -> list[ProcessingStep]:
    """Replace the agency's steps for the case with `steps` ([{"name", "role",
    "working_days"}], in order). Dossiers already forwarded keep the steps they copied.
    Raises NotAllowed (not the agency's administrator), InvalidRequest (the agency does not
    receive the case, or the steps break a rule: the message lists every one)."""
    if not admin_agencies(by).filter(pk=agency.pk).exists():
        raise NotAllowed("Bạn không có quyền sửa quy trình xử lý của cơ quan này.")
    if not received_cases(agency).filter(pk=case.pk).exists():
        raise InvalidRequest("Cơ quan này không tiếp nhận hồ sơ của trường hợp đã chọn.")
    cleaned = [
        {
            "name": str(s.get("name", "")).strip(),
            "role": s.get("role"),
            "working_days": s.get("working_days"),
        }
        for s in steps
    ]
    errors = step_errors(case, cleaned)
    if errors:
        raise InvalidRequest(" ".join(errors))
    with transaction.atomic():
        existing = ProcessingStep.objects.select_for_update().filter(agency=agency, case=case)
        before = [
            {"name": s.name, "role": s.role, "working_days": s.working_days}
            for s in existing.order_by("position")
        ]
        existing.delete()
        rows = ProcessingStep.objects.bulk_create(
            ProcessingStep(agency=agency, case=case, position=number, **step)
            for number, step in enumerate(cleaned, start=1)
        )
        record(
            action="dossiers.save_processing_steps",
            actor=by,
            target=case,
            payload={"agency": agency.code, "case": case.pk, "before": before, "after": cleaned},
            now=now,
        )
    return rows


# --- a dossier's steps --------------------------------------------------------------------


def _start(step: DossierStep, dossier: Dossier, now: datetime) -> None:
    """Start a step now; its due moment never falls after the dossier's."""
    step.started_at = now
    step.completed_at = None
    step.completed_by = None
    step.due_at = _capped(due(now, step.working_days, "WORKING_DAY"), dossier)


def _capped(at: datetime | None, dossier: Dossier) -> datetime | None:
    """A step's due moment, never after the dossier's own."""
    if dossier.due_at is not None and (at is None or at > dossier.due_at):
        return dossier.due_at
    return at


def start_steps(dossier: Dossier, now: datetime) -> None:
    """Copy the agency's steps (or the defaults) into the dossier and start the first. A
    dossier that has steps already keeps them: back from a supplement or a payment, the
    current step goes on. The caller holds the dossier's lock."""
    if dossier.steps.exists():
        return
    rows = [
        DossierStep(dossier=dossier, position=number, **step)
        for number, step in enumerate(steps_for(dossier.agency, dossier.case), start=1)
    ]
    _start(rows[0], dossier, now)
    DossierStep.objects.bulk_create(rows)


def resume_current_step(dossier: Dossier) -> None:
    """After a supplement, run the current step's clock again: the working days it had left
    when the supplement was requested count from the new reception, never past the dossier's
    new due moment. For resubmit_supplement to call once back in processing (lock held)."""
    request = dossier.supplements.filter(resumed_at__isnull=False).order_by("-answered_at").first()
    step = dossier.steps.filter(started_at__isnull=False, completed_at__isnull=True).first()
    if request is None or step is None or step.due_at is None:
        return
    if request.requested_at < step.started_at:
        return  # asked before this step started: its clock never stopped
    left = calendar.working_days_left(request.requested_at, step.due_at)
    resumed = due(request.resumed_at, left, "WORKING_DAY") if left else request.resumed_at
    step.due_at = _capped(resumed, dossier)
    step.save(update_fields=["due_at"])


def current_step(dossier: Dossier) -> DossierStep | None:
    """The first step not completed, or None (no steps, or all completed)."""
    return dossier.steps.filter(completed_at__isnull=True).order_by("position").first()


def _holder_step(dossier: Dossier, by, verb: str) -> tuple[DossierStep, list[DossierStep]]:
    """The current step and all steps, once `by` is known to hold its role and the dossier
    to be in processing (the caller holds the lock)."""
    roles = workflow.roles_of(by, dossier)
    if not roles & STEP_ROLES:
        raise NotAllowed("Bạn không có quyền xử lý hồ sơ này.")
    if dossier.status != Status.PROCESSING:
        raise IllegalTransition(
            f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”, không thể {verb}."
        )
    steps = list(dossier.steps.select_for_update().order_by("position"))
    current = next((s for s in steps if s.completed_at is None), None)
    if current is None:
        raise IllegalTransition("Hồ sơ không có bước xử lý nào đang thực hiện.")
    if current.role not in roles:
        raise NotAllowed(
            f"Bước “{current.name}” do {current.get_role_display().lower()} thực hiện; "
            "bạn không có quyền này."
        )
    return current, steps


def _audit(action: str, dossier: Dossier, by, now: datetime, **payload) -> None:
    record(
        action=f"dossiers.{action}",
        actor=by,
        target=dossier,
        payload={"code": dossier.code, **payload},
        now=now,
    )


def complete_step(*, dossier: Dossier, by, note: str = "", now: datetime) -> DossierStep:
    """The holder of the current step's role completes it, and the next step starts. The last
    step (the leader's approval) is completed by the decision, not here. Returns the step
    started. Raises NotAllowed (not the holder of the step's role), IllegalTransition (not in
    processing, no step under way, or the current step is the last)."""
    with transaction.atomic():
        lock(dossier)
        current, steps = _holder_step(dossier, by, "hoàn thành bước xử lý")
        if current is steps[-1]:
            raise IllegalTransition(
                "Đây là bước cuối cùng: lãnh đạo phê duyệt bằng thao tác “Hoàn thành xử lý”."
            )
        current.completed_at = now
        current.completed_by = by
        current.note = note.strip()
        current.save(update_fields=["completed_at", "completed_by", "note"])
        following = steps[steps.index(current) + 1]
        _start(following, dossier, now)
        following.note = ""
        following.save(update_fields=["started_at", "due_at", "completed_at", "note"])
        _audit(
            "complete_step", dossier, by, now, step=current.position, name=current.name, note=note
        )
    return following


def return_step(*, dossier: Dossier, by, note: str, now: datetime) -> DossierStep:
    """The holder of the current step's role sends the dossier back to the step before (the
    leader to the specialist, say), with the reason, which the reopened step shows as its
    note. Returns the reopened step. Raises InvalidRequest (no reason), NotAllowed,
    IllegalTransition (not in processing, or already at the first step)."""
    if not note.strip():
        raise InvalidRequest("Cần ghi rõ lý do trả lại bước trước.")
    with transaction.atomic():
        lock(dossier)
        current, steps = _holder_step(dossier, by, "trả lại bước trước")
        if current is steps[0]:
            raise IllegalTransition("Đây là bước đầu tiên, không có bước trước để trả lại.")
        previous = steps[steps.index(current) - 1]
        current.started_at = None
        current.due_at = None
        current.save(update_fields=["started_at", "due_at"])
        _start(previous, dossier, now)
        previous.note = note.strip()
        previous.save(
            update_fields=["started_at", "due_at", "completed_at", "completed_by", "note"]
        )
        _audit(
            "return_step", dossier, by, now, step=current.position, to=previous.position, note=note
        )
    return previous


def ready_to_decide(dossier: Dossier) -> bool:
    """Whether the leader may decide now, as far as the steps go: the current step is the last
    (the leader's approval), or the dossier has no steps (imported, or forwarded before steps
    existed)."""
    return _blocking_step(dossier) is None


def _blocking_step(dossier: Dossier) -> DossierStep | None:
    steps = list(dossier.steps.order_by("position"))
    current = next((s for s in steps if s.completed_at is None), None)
    return current if current is not None and current is not steps[-1] else None


def check_ready_to_decide(dossier: Dossier) -> None:
    """Raise IllegalTransition unless the dossier's current step is its last (the leader's
    approval). A dossier without steps (imported, or forwarded before steps existed) passes."""
    blocking = _blocking_step(dossier)
    if blocking is not None:
        raise IllegalTransition(
            f"Chưa thể phê duyệt: hồ sơ đang ở bước “{blocking.name}”, "
            "cần hoàn thành các bước trước bước phê duyệt của lãnh đạo."
        )


def close_final_step(dossier: Dossier, by, now: datetime) -> None:
    """Mark the last step completed by the leader who decided (the caller holds the lock)."""
    dossier.steps.filter(completed_at__isnull=True).update(completed_at=now, completed_by=by)
