"""From a parsed line to rows (`plan`), and from planned rows to the database (`insert`).

Rows are plain dicts keyed by attribute name, written with one `executemany` per table: an
import is hundreds of thousands of rows, and building a model instance and letting
`bulk_create` compile each of them costs several times the insert itself. The values are the
model's own (defaults, adapted datetimes and JSON), so the rows are what `save()` would write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection, models

from opendvc.core import calendar

from ..models import Apology, Dossier, DossierComponent, Status, StatusChange, SupplementRequest
from .fields import BadLine
from .parsing import ImportedDossier, Supplement


@dataclass(frozen=True)
class Target:
    """What a line's codes resolve to."""

    procedure_id: int
    case_id: int
    agency_id: int


@dataclass
class Planned:
    line: int
    code: str
    agency_code: str
    dossier: dict
    components: list[dict]
    history: list[dict]
    # Each request with the component names its reasons point at (ids exist only after insert).
    supplements: list[tuple[dict, list[dict]]]
    apology: dict | None


def plan(item: ImportedDossier, target: Target, *, now: datetime) -> Planned:
    """The rows of one dossier. Raises BadLine when a moment is beyond the calendar."""
    try:
        return _plan(item, target, now=now)
    except ValueError as error:
        raise BadLine(f"thời điểm ngoài phạm vi lịch làm việc ({error})") from None


def _plan(item: ImportedDossier, target: Target, *, now: datetime) -> Planned:
    dossier = {
        "code": item.code,
        "procedure_id": target.procedure_id,
        "case_id": target.case_id,
        "agency_id": target.agency_id,
        "applicant_type": item.applicant_type,
        "applicant_name": item.name,
        "applicant_phone": item.phone,
        "applicant_email": item.email,
        "channel": item.channel,
        "status": item.status,
        "created_at": item.submitted_at,
        "submitted_at": item.submitted_at,
        "received_at": item.received_at,
        "due_at": item.apology.new_due_at if item.apology else item.due_at,
        "original_due_at": item.due_at,
        "finished_at": item.finished_at,
        "returned_at": item.returned_at,
        "closed_at": item.closed_at,
        "supplement_count": len(item.supplements),
        "resubmission_count": sum(1 for s in item.supplements if s.answered_at is not None),
        "is_paid_online": item.is_paid_online,
        "is_eid_verified": item.is_eid_verified,
        "has_electronic_result": item.has_electronic_result,
        "result_url": item.result_url,
        "imported_at": now,
    }
    supplements = [_supplement(s) for s in item.supplements]
    if item.status == Status.SUPPLEMENT:
        _pause(dossier, supplements[-1][0])
    components = [
        {
            "name": c.name,
            "position": position,
            "is_digitised": c.is_digitised,
            "is_reused": c.is_reused,
            "is_from_vault": c.is_from_vault,
        }
        for position, c in enumerate(item.components)
    ]
    return Planned(
        line=item.line,
        code=item.code,
        agency_code=item.agency_code,
        dossier=dossier,
        components=components,
        history=_history(item, now),
        supplements=supplements,
        apology=_apology(item),
    )


def _history(item: ImportedDossier, now: datetime) -> list[dict]:
    changes, before = [], Status.DRAFT
    for step in item.history:
        changes.append(
            {
                "from_status": before,
                "to_status": step.status,
                "action": step.action,
                "at": step.at,
                "reason_code": step.reason_code,
                "note": step.note,
            }
        )
        before = step.status
    return changes


def _supplement(supplement: Supplement) -> tuple[dict, list[dict]]:
    answered_at = supplement.answered_at
    request = {
        "requested_at": supplement.requested_at,
        "requested_by_id": None,  # a legacy export does not say who
        "from_status": supplement.from_status,
        "answered_at": answered_at or supplement.closed_at,
        "resumed_at": calendar.effective_reception(answered_at) if answered_at else None,
    }
    return request, supplement.reasons


def _pause(dossier: dict, request: dict) -> None:
    # As request_supplement leaves it: the clock frozen with the whole working days left, so
    # a resubmission here restarts it.
    due = dossier["due_at"]
    left = calendar.working_days_left(request["requested_at"], due) if due else None
    request.update(due_at_before=due, working_days_left=left)
    dossier.update(paused_at=request["requested_at"], working_days_left=left, due_at=None)


def _apology(item: ImportedDossier) -> dict | None:
    if item.apology is None:
        return None
    return {
        "issued_at": item.apology.issued_at,
        "issued_by_id": None,
        "reason": item.apology.reason,
        "previous_due_at": item.due_at,
        "new_due_at": item.apology.new_due_at,
    }


def insert(planned: list[Planned]) -> None:
    """Insert the planned rows, children after the dossier ids are known."""
    _insert(Dossier, [p.dossier for p in planned])
    ids = dict(Dossier.objects.filter(code__in=[p.code for p in planned]).values_list("code", "pk"))
    _insert(
        DossierComponent,
        [{**c, "dossier_id": ids[p.code]} for p in planned for c in p.components],
    )
    _insert(StatusChange, [{**h, "dossier_id": ids[p.code]} for p in planned for h in p.history])
    components = _component_ids(planned, ids)
    _insert(
        SupplementRequest,
        [
            {
                **request,
                "dossier_id": ids[p.code],
                "reasons": [
                    {**r, "component": components.get((ids[p.code], r["component"]))}
                    for r in reasons
                ],
            }
            for p in planned
            for request, reasons in p.supplements
        ],
    )
    _insert(Apology, [{**p.apology, "dossier_id": ids[p.code]} for p in planned if p.apology])


def _component_ids(planned: list[Planned], ids: dict[str, int]) -> dict[tuple[int, str], int]:
    """(dossier id, component name) → component id, for the reasons that name one; the first
    of two same-named components wins."""
    wanted = [
        ids[p.code]
        for p in planned
        if any(r["component"] for _, reasons in p.supplements for r in reasons)
    ]
    found: dict[tuple[int, str], int] = {}
    rows = DossierComponent.objects.filter(dossier_id__in=wanted).order_by("-pk")
    for dossier_id, name, pk in rows.values_list("dossier_id", "name", "pk"):
        found[(dossier_id, name)] = pk
    return found


def _insert(model: type[models.Model], rows: list[dict]) -> None:
    if not rows:
        return
    table = _table(model)
    pairs = table.columns
    params = [[row.get(name, default) for name, default in pairs] for row in rows]
    # The same few moments recur across a batch (the import moment on every history row, a
    # submission that is also a reception…): each is adapted once.
    moments: dict[datetime, object] = {}
    adapt = connection.ops.adapt_datetimefield_value
    for values in params:
        for i in table.moments:
            value = values[i]
            if value is not None:
                adapted = moments.get(value)
                if adapted is None:
                    adapted = moments[value] = adapt(value)
                values[i] = adapted
        for i, field, default in table.prepared:
            if values[i] is not default:
                values[i] = field.get_db_prep_save(values[i], connection)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if not hasattr(raw, "copy"):
            cursor.executemany(table.insert, params)  # SQLite: one statement, stepped per row
            return
        # PostgreSQL (psycopg 3): executemany would be a round trip per row, COPY is one stream.
        with connection.wrap_database_errors, raw.copy(table.copy) as copy:
            for values in params:
                copy.write_row(values)


@dataclass(frozen=True)
class _Table:
    insert: str
    copy: str
    # (attribute name, the value an unsaved instance would store) for every column but the id
    columns: list[tuple[str, object]]
    moments: list[int]  # positions of datetime columns
    prepared: list[tuple[int, models.Field, object]]  # other columns the field must prepare


@cache
def _table(model: type[models.Model]) -> _Table:
    blank = model()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = [field.get_db_prep_save(field.pre_save(blank, True), connection) for field in fields]
    quote = connection.ops.quote_name
    name = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    plain = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
    return _Table(
        insert=f"INSERT INTO {name} ({columns}) VALUES ({marks})",
        copy=f"COPY {name} ({columns}) FROM STDIN",
        columns=[(field.attname, default) for field, default in zip(fields, defaults, strict=True)],
        moments=[i for i, field in enumerate(fields) if isinstance(field, models.DateTimeField)],
        prepared=[
            (i, field, defaults[i])
            for i, field in enumerate(fields)
            if not isinstance(field, plain + (models.DateTimeField, models.ForeignKey))
        ],
    )
