"""One line of the import file, checked on its own (no database): its fields, its history and
its supplement requests must tell one consistent story."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime

from ..models import Dossier, Status, SupplementReason
from . import fields as f
from .fields import BadLine

CHANNELS = {"COUNTER": 1, "ONLINE": 2, "POSTAL": 3}
APPLICANT_TYPES = set(Dossier.ApplicantType.values)
REASON_CODES = tuple(SupplementReason.values)
# Statuses a dossier leaves by a supplement request (the request returns it there).
SUPPLEMENT_FROM = (Status.RECEIVED, Status.PROCESSING)
CLOSING = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)
PLACEHOLDER_NAME = "(dữ liệu chuyển đổi)"


class NotJson(BadLine):
    """The line is not a JSON object at all (as opposed to a JSON object with bad fields)."""


@dataclass(slots=True)
class Step:
    at: datetime
    status: int
    action: str
    note: str
    reason_code: str


@dataclass(frozen=True)
class Supplement:
    requested_at: datetime
    answered_at: datetime | None
    from_status: int
    # A request left unanswered when the dossier moved on (withdrawn, stopped…) is closed at
    # that move, as the withdraw action does, so only a dossier in 5 keeps one open.
    closed_at: datetime | None
    # [{"component": name or None, "code", "note"}]; names become ids once components exist.
    reasons: list[dict]


@dataclass(slots=True)
class Component:
    name: str
    is_digitised: bool
    is_reused: bool
    is_from_vault: bool


@dataclass(frozen=True)
class ApologyLetter:
    issued_at: datetime
    reason: str
    new_due_at: datetime


@dataclass
class ImportedDossier:
    line: int
    code: str
    procedure_code: str
    case: str | int | None
    agency_code: str
    channel: int
    applicant_type: str
    name: str
    phone: str
    email: str
    status: int
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    history: list[Step]
    supplements: list[Supplement] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    apology: ApologyLetter | None = None
    is_paid_online: bool = False
    is_eid_verified: bool = False
    has_electronic_result: bool = False
    result_url: str = ""


def parse_line(text: str, number: int) -> ImportedDossier:
    """The dossier described by one line. Raises BadLine with the reason."""
    try:
        row = json.loads(text.strip())
    except json.JSONDecodeError as error:
        raise NotJson(f"JSON không hợp lệ ({error.msg}, ký tự {error.pos + 1})") from None
    if not isinstance(row, dict):
        raise NotJson("dòng không phải một đối tượng JSON")
    submitted_at = f.moment(f.present(row, "submitted_at"), "submitted_at")
    status = f.status(f.present(row, "status"), "status")
    history = _history(row, submitted_at, status)
    components = _components(row)
    dossier = ImportedDossier(
        line=number,
        code=f.text(row, "code", max_length=100, required=True),
        procedure_code=f.text(row, "procedure_code", max_length=40, required=True),
        case=_case(row),
        agency_code=f.text(row, "agency_code", max_length=60, required=True),
        channel=_channel(row),
        applicant_type=_applicant_type(row),
        name=f.text(row, "name", max_length=200) or PLACEHOLDER_NAME,
        phone=f.text(row, "phone", max_length=20),
        email=f.email(row),
        status=status,
        submitted_at=submitted_at,
        received_at=f.optional_moment(row, "received_at") or _first(history, Status.RECEIVED),
        due_at=f.optional_moment(row, "due_at"),
        finished_at=f.optional_moment(row, "finished_at") or _first(history, Status.FINISHED),
        returned_at=f.optional_moment(row, "returned_at") or _first(history, Status.RETURNED),
        closed_at=f.optional_moment(row, "closed_at")
        or (history[-1].at if status in CLOSING else None),
        history=history,
        supplements=_supplements(row, history, status, {c.name for c in components}),
        components=components,
        apology=_apology(row),
        is_paid_online=f.flag(row, "paid_online"),
        is_eid_verified=f.flag(row, "eid_verified"),
        has_electronic_result=f.flag(row, "e_result"),
        result_url=f.url(row, "result_url"),
    )
    _check_times(dossier)
    return dossier


def _channel(row: dict) -> int:
    value = f.present(row, "channel")
    if isinstance(value, str) and value.strip().upper() in CHANNELS:
        return CHANNELS[value.strip().upper()]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 3:
        return value
    raise BadLine(f"kênh nộp “{value}” không hợp lệ (1, 2, 3 hoặc COUNTER, ONLINE, POSTAL)")


def _applicant_type(row: dict) -> str:
    value = f.text(row, "applicant_type", max_length=10, required=True).upper()
    if value not in APPLICANT_TYPES:
        raise BadLine(f"loại người nộp “{value}” không hợp lệ (CITIZEN hoặc BUSINESS)")
    return value


def _case(row: dict) -> str | int | None:
    value = row.get("case")
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip()
    return f.integer(value, "case")


def _history(row: dict, submitted_at: datetime, status: int) -> list[Step]:
    items = f.objects(row, "history")
    if not items:
        raise BadLine("thiếu trường “history” (cần ít nhất một bước)")
    steps = []
    for number, item in enumerate(items, start=1):
        where = f"history[{number}]"
        at = f.moment(f.present(item, "at"), f"{where}.at")
        if steps and at < steps[-1].at:
            raise BadLine(f"lịch sử không nhất quán: {where} sớm hơn bước trước")
        steps.append(
            Step(
                at=at,
                status=f.status(f.present(item, "status"), f"{where}.status"),
                action=f.text(item, "action", max_length=40) or "import",
                note=f.text(item, "note", max_length=5000),
                reason_code=f.text(item, "reason_code", max_length=40),
            )
        )
    if steps[0].at < submitted_at:
        raise BadLine("lịch sử không nhất quán: bước đầu tiên sớm hơn thời điểm nộp")
    if steps[-1].status != status:
        raise BadLine(
            f"lịch sử không nhất quán: bước cuối có trạng thái {steps[-1].status}, "
            f"khác trạng thái hồ sơ {status}"
        )
    return steps


def _first(history: list[Step], status: int) -> datetime | None:
    return next((step.at for step in history if step.status == status), None)


def _status_before(history: list[Step], at: datetime) -> int:
    """The status a supplement request at `at` took the dossier from. The request's own step
    (to 5) may carry the same moment, so a trailing 5 is looked past."""
    earlier = [step.status for step in history if step.at <= at]
    if earlier and earlier[-1] == Status.SUPPLEMENT:
        earlier.pop()
    return earlier[-1] if earlier else Status.DRAFT


def _supplements(row: dict, history: list[Step], status: int, names: set[str]) -> list:
    supplements: list[Supplement] = []
    items = f.objects(row, "supplements")
    for number, item in enumerate(items, start=1):
        where = f"supplements[{number}]"
        requested_at = f.moment(f.present(item, "requested_at"), f"{where}.requested_at")
        answered_at = f.optional_moment(item, "answered_at", where=f"{where}.answered_at")
        if answered_at is not None and answered_at < requested_at:
            raise BadLine(f"{where}: answered_at sớm hơn requested_at")
        if supplements:
            before = supplements[-1]
            if before.answered_at is None or requested_at < before.answered_at:
                raise BadLine(f"{where}: yêu cầu trước chưa được trả lời khi có yêu cầu này")
        from_status = _status_before(history, requested_at)
        if from_status not in SUPPLEMENT_FROM:
            raise BadLine(
                f"{where}: trạng thái trước yêu cầu bổ sung là {from_status} theo lịch sử, "
                "phải là 2 hoặc 4"
            )
        reasons = [_reason(r, f"{where}.reasons", names) for r in f.objects(item, "reasons")]
        supplements.append(Supplement(requested_at, answered_at, from_status, None, reasons))
    last = supplements[-1] if supplements else None
    if status == Status.SUPPLEMENT and (last is None or last.answered_at):
        raise BadLine("trạng thái 5 (yêu cầu bổ sung) nhưng không có yêu cầu bổ sung đang chờ")
    if status != Status.SUPPLEMENT and last is not None and last.answered_at is None:
        moved = [s.at for s in history if s.at > last.requested_at and s.status != 5]
        supplements[-1] = replace(last, closed_at=moved[0] if moved else history[-1].at)
    return supplements


def _reason(item: dict, where: str, names: set[str]) -> dict:
    code = f.text(item, "code", max_length=20, required=True).upper()
    if code not in REASON_CODES:
        raise BadLine(f"{where}: mã lý do “{code}” không hợp lệ ({', '.join(REASON_CODES)})")
    component = f.text(item, "component", max_length=10000) or None
    if component is not None and component not in names:
        raise BadLine(f"{where}: thành phần “{component[:60]}” không có trong “components”")
    return {"component": component, "code": code, "note": f.text(item, "note", max_length=5000)}


def _components(row: dict) -> list[Component]:
    return [
        Component(
            name=f.text(item, "name", max_length=10000, required=True),
            is_digitised=f.flag(item, "digitised"),
            is_reused=f.flag(item, "reused"),
            is_from_vault=f.flag(item, "from_vault"),
        )
        for item in f.objects(row, "components")
    ]


def _apology(row: dict) -> ApologyLetter | None:
    value = row.get("apology")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadLine("trường “apology” phải là một đối tượng")
    letter = ApologyLetter(
        issued_at=f.moment(f.present(value, "issued_at"), "apology.issued_at"),
        reason=f.text(value, "reason", max_length=5000, required=True),
        new_due_at=f.moment(f.present(value, "new_due_at"), "apology.new_due_at"),
    )
    if letter.new_due_at <= letter.issued_at:
        raise BadLine("apology: new_due_at phải sau issued_at")
    return letter


def _check_times(dossier: ImportedDossier) -> None:
    for name in ("received_at", "finished_at", "returned_at", "closed_at"):
        value = getattr(dossier, name)
        if value is not None and value < dossier.submitted_at:
            raise BadLine(f"thời điểm “{name}” sớm hơn “submitted_at”")
    if dossier.status in (Status.FINISHED, Status.RETURNED) and dossier.finished_at is None:
        raise BadLine(f"trạng thái {dossier.status} cần “finished_at” (hoặc bước 9 trong lịch sử)")
    if dossier.returned_at and dossier.finished_at and dossier.returned_at < dossier.finished_at:
        raise BadLine("thời điểm “returned_at” sớm hơn “finished_at”")
    apology = dossier.apology
    if apology and dossier.due_at and apology.new_due_at <= dossier.due_at:
        raise BadLine("apology: new_due_at phải sau due_at")
