"""Catalog API v1: search procedures, read one procedure, list fields."""

from typing import Literal

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from opendvc.api import ErrorOut, error_body

from .forms import MAX_PAGE, MAX_QUERY_LENGTH, unknown_filters
from .models import Field as CatalogField
from .models import Procedure, ProcedureCase
from .search import ProcedureSummary, SearchFilters, search_procedures
from .views_citizen import PUBLIC_PROCEDURE

router = Router(tags=["catalog"])


class ProcedureQuery(Schema):
    """Search input. Out-of-range values answer 422 `invalid_input`; a field, agency or
    publisher slug that names nothing answers 400 `unknown_filter`."""

    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="Từ khóa, có hoặc không dấu.")
    field: str | None = Field(None, max_length=200, description="Field slug (lĩnh vực).")
    agency: str | None = Field(None, max_length=200, description="Implementing agency slug.")
    publisher: str | None = Field(None, max_length=200, description="Publishing agency slug.")
    level: Literal["BO", "TINH", "XA"] | None = Field(None, description="Cấp thực hiện.")
    online: Literal["TOAN_TRINH", "MOT_PHAN", "ANY"] | None = Field(
        None, description="Online level; ANY is any online level."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    fields: list[str]
    agencies: list[str]
    level: list[str]
    online_level: str
    url: str


class ProcedurePageOut(Schema):
    items: list[ProcedureSummaryOut]
    total: int
    page: int
    page_size: int
    suggestions: list[str] = Field(description="“Did you mean” queries when nothing matched.")


class AgencyRefOut(Schema):
    slug: str
    name: str


class FieldOut(Schema):
    slug: str
    name: str
    procedure_count: int


class DocumentOut(Schema):
    # The document's id names its file part in a one-request filing (`component_<id>`).
    id: int
    group: str
    name: str
    original_qty: int
    copy_qty: int
    is_required: bool
    forms: list[dict]


class CaseOut(Schema):
    code: str
    name: str
    processing_amount: float | None
    processing_unit: str
    documents: list[DocumentOut]


class ChannelOut(Schema):
    channel: str
    processing_amount: float | None
    processing_unit: str
    processing_text: str
    description: str


class FeeOut(Schema):
    kind: str
    channel: str
    amount: int = Field(description="VND; 0 with a description means “see the description”.")
    description: str


class ProcedureOut(Schema):
    code: str
    name: str
    kind: str
    url: str
    fields: list[str]
    publishing_agency: AgencyRefOut | None
    agencies: list[AgencyRefOut]
    level: list[str]
    online_level: str
    target_groups: list
    steps: list[dict]
    requirements: str
    legal_basis: list[dict]
    results: list[dict]
    receiving_address: str
    channels: list[ChannelOut]
    fees: list[FeeOut]
    cases: list[CaseOut]


def _summary(item: ProcedureSummary) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "fields": list(item.fields),
        "agencies": list(item.agencies),
        "level": list(item.levels),
        "online_level": item.online_level,
        "url": item.url,
    }


@router.get(
    "/procedures",
    response={200: ProcedurePageOut, 400: ErrorOut, 422: ErrorOut},
    summary="Search procedures",
    description=(
        "Ranked by relevance when `q` is given, otherwise by popularity. `q` may hold any "
        "text (HTML, SQL, emoji): it is only searched, never interpreted. A page past the "
        "last answers 200 with no items and the true `total`. Errors: 422 `invalid_input` "
        "for a `q` over 200 characters, `page` < 1 or not a number, `page_size` outside "
        "1–100, an unknown `level` or `online`; 400 `unknown_filter` for a `field`, "
        "`agency` or `publisher` slug that names nothing."
    ),
)
def list_procedures(request: HttpRequest, params: Query[ProcedureQuery]):
    values = {name: getattr(params, name) for name in ("field", "agency", "publisher")}
    unknown = unknown_filters(values)
    if unknown:
        return Status(400, error_body("unknown_filter", "Bộ lọc không tồn tại.", unknown))
    filters = SearchFilters(**values, level=params.level, online=params.online)
    found = search_procedures(
        params.q.strip(), filters, page=params.page, page_size=params.page_size
    )
    # The result lines come from the search index itself: no query per page.
    return {
        "items": [_summary(item) for item in found.items],
        "total": found.total,
        "page": found.page,
        "page_size": found.page_size,
        "suggestions": found.suggestions,
    }


def _agency(agency) -> dict:
    return {"slug": agency.slug, "name": agency.name}


@router.get(
    "/procedures/{code}",
    response={200: ProcedureOut, 404: ErrorOut},
    summary="One procedure, in full",
    description="404 `not_found` for an unknown, abolished or internal procedure.",
)
def get_procedure(request: HttpRequest, code: str):
    procedure = get_object_or_404(
        Procedure.objects.public()
        .select_related("publishing_agency")
        .prefetch_related(
            "fields",
            "implementing_agencies",
            "channels",
            "fees",
            Prefetch("cases", ProcedureCase.objects.prefetch_related("documents")),
        ),
        code=code,
    )
    publisher = procedure.publishing_agency
    return {
        "code": procedure.code,
        "name": procedure.name,
        "url": procedure.get_absolute_url(),
        "fields": [field.name for field in procedure.fields.all()],
        "level": procedure.levels,
        "online_level": procedure.online_level,
        "kind": procedure.kind,
        "publishing_agency": _agency(publisher) if publisher else None,
        "agencies": [_agency(agency) for agency in procedure.implementing_agencies.all()],
        "target_groups": procedure.target_groups,
        "steps": procedure.steps,
        "requirements": procedure.requirements,
        "legal_basis": procedure.legal_basis,
        "results": procedure.results,
        "receiving_address": procedure.receiving_address,
        "channels": list(procedure.channels.all()),
        "fees": list(procedure.fees.all()),
        "cases": [
            {**_case_fields(case), "documents": list(case.documents.all())}
            for case in procedure.cases.all()
        ],
    }


def _case_fields(case: ProcedureCase) -> dict:
    return {
        "code": case.code,
        "name": case.name,
        "processing_amount": case.processing_amount,
        "processing_unit": case.processing_unit,
    }


@router.get(
    "/fields",
    response=list[FieldOut],
    summary="All fields (lĩnh vực) with their number of public procedures",
)
def list_fields(request: HttpRequest):
    fields = CatalogField.objects.annotate(
        procedure_count=Count("procedures", filter=PUBLIC_PROCEDURE)
    ).order_by("name")
    return list(fields)
