"""Dossiers API v1: public tracking of a dossier by its code and a second factor."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from opendvc.api import ErrorOut, error_body
from opendvc.core.http import client_ip

from . import tracking
from .forms import MAX_CODE_LENGTH, MAX_PHONE_LENGTH, MAX_SECRET_LENGTH, TrackingForm

router = Router(tags=["dossiers"])


class TrackQuery(Schema):
    code: str = Field(..., max_length=MAX_CODE_LENGTH, description="Mã hồ sơ trên giấy tiếp nhận.")
    secret: str = Field(
        "",
        max_length=MAX_SECRET_LENGTH,
        description="Mã bí mật tra cứu in trên giấy tiếp nhận (không phân biệt hoa thường).",
    )
    phone: str = Field(
        "",
        max_length=MAX_PHONE_LENGTH,
        description="Or the phone number used to file: 0912345678, 0912 345 678, +84912345678.",
    )


class TrackedStatusOut(Schema):
    at: datetime
    status: int = Field(description="Mã trạng thái theo hệ thống quốc gia (1–10).")
    status_label: str


class TrackedDossierOut(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    agency_name: str = Field(description="Cơ quan tiếp nhận.")
    status: int = Field(description="Mã trạng thái theo hệ thống quốc gia (1–10).")
    status_label: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None = Field(description="Hạn trả kết quả; null while paused or none.")
    finished_at: datetime | None
    returned_at: datetime | None
    timeline: list[TrackedStatusOut] = Field(description="Dates and statuses only.")


@router.get(
    "/dossiers/track",
    response={200: TrackedDossierOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Track a dossier without an account",
    description=(
        "The public view of a submitted dossier: procedure, receiving agency, national status, "
        "dates and the timeline of statuses; never names, personal data, form data or files. "
        "Needs `code` and a second factor: `secret` (printed on the receipt) or `phone` (the "
        "number used to file); when both are given both must match. Errors: 404 `not_found` "
        "for an unknown code, a draft or a wrong second factor, with one identical body; 429 "
        "`rate_limited` after too many failed lookups from one client or for one code; 422 "
        "`invalid_input` when both second factors are missing, a value is too long or the "
        "phone number is not a Vietnamese mobile number."
    ),
)
def track_dossier(request: HttpRequest, response: HttpResponse, params: Query[TrackQuery]):
    # A dossier's state, or a refusal, is never to be kept by a shared cache.
    add_never_cache_headers(response)
    form = TrackingForm(params.dict())
    if not form.is_valid():
        details = form.error_details()
        return Status(422, error_body("invalid_input", "Dữ liệu không hợp lệ.", details))
    data = form.cleaned_data
    try:
        dossier = tracking.track(
            code=data["code"],
            secret=data["secret"],
            phone=data["phone"],
            ip=client_ip(request),
        )
    except tracking.RateLimited as error:
        return Status(429, error_body("rate_limited", str(error)))
    if dossier is None:
        return Status(404, error_body("not_found", tracking.not_found_message()))
    return tracking.public_view(dossier)
