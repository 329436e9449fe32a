"""Core API v1: legal time (the due date of a processing time in Vietnamese working days)."""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime, TypeAdapter
from pydantic import ValidationError as PydanticError

from opendvc.api import ErrorOut, error_body

from . import calendar

router = Router(tags=["calendar"])

_moment = TypeAdapter(AwareDatetime)


class DueDateQuery(Schema):
    received_at: str = Field(
        ...,
        max_length=40,
        description="Thời điểm nộp hồ sơ, ISO 8601 có múi giờ (2026-02-13T10:00:00+07:00). "
        "An unencoded `+` that arrives as a space is read as `+`.",
    )
    amount: Decimal = Field(
        ...,
        ge=0,
        description="Thời hạn giải quyết; may have a fraction (0.5 working day = half of the "
        "office hours of the next working day). Maximum per unit: "
        + ", ".join(f"{unit} {n}" for unit, n in calendar.MAX_AMOUNT.items())
        + ".",
    )
    unit: Literal["WORKING_DAY", "DAY", "HOUR", "MONTH"] = Field(
        ..., description="Đơn vị: WORKING_DAY, DAY (ngày lịch), HOUR (giờ làm việc), MONTH."
    )


class DueDateOut(Schema):
    effective_received_at: str = Field(
        description="Thời điểm tiếp nhận: the submission itself inside office hours of a working "
        "day, else the opening of the next working day (ISO 8601, +07:00)."
    )
    due_at: str = Field(description="Hạn trả kết quả (ISO 8601, +07:00).")


def _invalid(field: str, message: str) -> Status:
    details = [{"field": field, "message": message}]
    return Status(422, error_body("invalid_input", "Dữ liệu không hợp lệ.", details))


@router.get(
    "/calendar/due-date",
    response={200: DueDateOut, 422: ErrorOut},
    summary="Due date of a processing time",
    description=(
        "The effective reception moment of a submission and the legal due moment of a "
        "processing time counted from it, by the Vietnamese working-day calendar (public "
        "holidays, Tết, compensatory days off, make-up Saturdays and days entered by the "
        "administrators) and the office hours (default 07:30–17:00). The reception day is not "
        "counted (Civil Code 2015 Art. 147); WORKING_DAY ends at the close of office hours of "
        "the N-th working day; DAY and MONTH end on their last day, or the next working day "
        "when it is a day off (Art. 148); HOUR counts working hours. Errors: 422 "
        "`invalid_input` for a datetime without offset or unreadable, an unknown unit, a "
        "negative, non-numeric or too large amount."
    ),
)
def due_date(request: HttpRequest, params: Query[DueDateQuery]):
    text = params.received_at.strip()
    if len(text) > 19 and text[-6] == " ":
        text = f"{text[:-6]}+{text[-5:]}"
    try:
        received_at = _moment.validate_python(text)
    except PydanticError:
        return _invalid("received_at", "Cần thời điểm ISO 8601 có múi giờ, ví dụ +07:00.")
    try:
        effective = calendar.effective_reception(received_at)
    except (ValueError, OverflowError):
        return _invalid("received_at", "Thời điểm nằm ngoài lịch.")
    try:
        due = calendar.due_at(effective, params.amount, params.unit)
    except ValueError as error:
        return _invalid("amount", str(error))
    return {"effective_received_at": effective.isoformat(), "due_at": due.isoformat()}
