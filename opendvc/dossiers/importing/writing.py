"""From a parsed line to unsaved rows (`plan`), and from planned rows to the database with one
bulk insert per table (`insert`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from opendvc.core import calendar

from ..models import Apology, Dossier, DossierComponent, Status, StatusChange, SupplementRequest
from .fields import BadLine
from .parsing import ImportedDossier


@dataclass
class Planned:
    line: int
    dossier: Dossier
    components: list[DossierComponent]
    history: list[StatusChange]
    # Each request with the component names its reasons point at (ids exist only after insert).
    supplements: list[tuple[SupplementRequest, list[dict]]]
    apology: Apology | None


def plan(item: ImportedDossier, target, *, user, now: datetime) -> Planned:
    """The rows of one dossier, unsaved. Raises BadLine when a moment is beyond the calendar."""
    try:
        return _plan(item, target, user=user, now=now)
    except ValueError as error:
        raise BadLine(f"thời điểm ngoài phạm vi lịch làm việc ({error})") from None


def _plan(item: ImportedDossier, target, *, user, now: datetime) -> Planned:
    due_at = item.apology.new_due_at if item.apology else item.due_at
    dossier = Dossier(
        code=item.code,
        procedure_id=target.procedure_id,
        case_id=target.case_id,
        agency_id=target.agency_id,
        applicant_type=item.applicant_type,
        applicant_name=item.name,
        applicant_phone=item.phone,
        applicant_email=item.email,
        channel=item.channel,
        status=item.status,
        created_at=item.submitted_at,
        submitted_at=item.submitted_at,
        received_at=item.received_at,
        due_at=due_at,
        original_due_at=item.due_at,
        finished_at=item.finished_at,
        returned_at=item.returned_at,
        closed_at=item.closed_at,
        supplement_count=len(item.supplements),
        resubmission_count=sum(1 for s in item.supplements if s.answered_at is not None),
        is_paid_online=item.is_paid_online,
        is_eid_verified=item.is_eid_verified,
        has_electronic_result=item.has_electronic_result,
        result_url=item.result_url,
        imported_at=now,
    )
    supplements = [_supplement(dossier, s, user) for s in item.supplements]
    if item.status == Status.SUPPLEMENT:
        _pause(dossier, supplements[-1][0])
    return Planned(
        line=item.line,
        dossier=dossier,
        components=[
            DossierComponent(
                dossier=dossier,
                name=c.name,
                position=position,
                is_digitised=c.is_digitised,
                is_reused=c.is_reused,
                is_from_vault=c.is_from_vault,
            )
            for position, c in enumerate(item.components)
        ],
        history=_history(dossier, item, now),
        supplements=supplements,
        apology=_apology(dossier, item, user),
    )


def _history(dossier: Dossier, item: ImportedDossier, now: datetime) -> list[StatusChange]:
    changes, before = [], Status.DRAFT
    for step in item.history:
        changes.append(
            StatusChange(
                dossier=dossier,
                from_status=before,
                to_status=step.status,
                action=step.action,
                actor=None,
                at=step.at,
                reason_code=step.reason_code,
                note=step.note,
                # The legacy system told the applicant (or not); marking the change as handled
                # keeps the e-mail sweep from sending years-old news.
                emailed_at=now,
            )
        )
        before = step.status
    return changes


def _supplement(dossier: Dossier, supplement, user) -> tuple[SupplementRequest, list[dict]]:
    answered_at = supplement.answered_at or supplement.closed_at
    request = SupplementRequest(
        dossier=dossier,
        requested_at=supplement.requested_at,
        requested_by=user,
        from_status=supplement.from_status,
        answered_at=answered_at,
        answered_by=None,
        resumed_at=(
            calendar.effective_reception(supplement.answered_at) if supplement.answered_at else None
        ),
    )
    return request, supplement.reasons


def _pause(dossier: Dossier, request: SupplementRequest) -> None:
    # As request_supplement leaves it: the clock frozen with the whole working days left, so
    # the applicant's resubmission here restarts it.
    request.due_at_before = dossier.due_at
    if dossier.due_at is not None:
        request.working_days_left = calendar.working_days_left(request.requested_at, dossier.due_at)
    dossier.paused_at = request.requested_at
    dossier.working_days_left = request.working_days_left
    dossier.due_at = None


def _apology(dossier: Dossier, item: ImportedDossier, user) -> Apology | None:
    if item.apology is None:
        return None
    return Apology(
        dossier=dossier,
        issued_at=item.apology.issued_at,
        issued_by=user,
        reason=item.apology.reason,
        previous_due_at=item.due_at,
        new_due_at=item.apology.new_due_at,
    )


def insert(planned: list[Planned]) -> None:
    """Insert the planned rows, one bulk insert per table. Primary keys come back from the
    insert (SQLite ≥ 3.35, PostgreSQL), so children are linked afterwards."""
    for p in planned:
        p.dossier.pk = None  # a retry after a refused batch must not reuse rolled-back ids
    Dossier.objects.bulk_create([p.dossier for p in planned])
    components = []
    for p in planned:
        for component in p.components:
            component.pk, component.dossier = None, p.dossier
            components.append(component)
    DossierComponent.objects.bulk_create(components)
    StatusChange.objects.bulk_create([_linked(c, p) for p in planned for c in p.history])
    requests = []
    for p in planned:
        ids = {}
        for component in reversed(p.components):  # the first of two same-named wins
            ids[component.name] = component.pk
        for request, reasons in p.supplements:
            request.reasons = [{**r, "component": ids.get(r["component"])} for r in reasons]
            requests.append(_linked(request, p))
    SupplementRequest.objects.bulk_create(requests)
    Apology.objects.bulk_create([_linked(p.apology, p) for p in planned if p.apology])


def _linked(row, p: Planned):
    row.pk, row.dossier = None, p.dossier
    return row
