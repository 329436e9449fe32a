"""Directory API v1: agencies and administrative units."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from opendvc.api import ErrorOut, error_body

from .forms import MAX_PAGE, MAX_QUERY_LENGTH
from .models import AdminUnit, Agency

router = Router(tags=["directory"])


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)


class AgencyQuery(PageQuery):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="Tên cơ quan, có hoặc không dấu.")
    kind: Agency.Kind | None = Field(None, description="Loại cơ quan.")
    level: Agency.Level | None = Field(None, description="Cấp: BO, TINH, XA, KHAC.")
    unit: str | None = Field(
        None, max_length=10, description="Mã đơn vị hành chính; một tỉnh gồm cả các xã."
    )


class UnitQuery(PageQuery):
    parent: str | None = Field(
        None, max_length=10, description="Mã tỉnh: các xã, phường của tỉnh. Bỏ trống: 34 tỉnh."
    )


class AgencyOut(Schema):
    code: str
    name: str
    slug: str
    kind: str
    level: str
    admin_unit: str | None = Field(description="Code of the administrative unit, if any.")
    url: str


class AgencyPageOut(Schema):
    items: list[AgencyOut]
    total: int
    page: int
    page_size: int


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    unit_type: str
    level: str
    parent: str | None = Field(description="Code of the province, for a commune.")
    url: str


class UnitPageOut(Schema):
    items: list[UnitOut]
    total: int
    page: int
    page_size: int


def _page(queryset: QuerySet, params: PageQuery) -> tuple[list, int]:
    start = (params.page - 1) * params.page_size
    return list(queryset[start : start + params.page_size]), queryset.count()


def _agency(agency: Agency) -> dict:
    return {
        "code": agency.code,
        "name": agency.name,
        "slug": agency.slug,
        "kind": agency.kind,
        "level": agency.level,
        "admin_unit": agency.admin_unit.code if agency.admin_unit else None,
        "url": agency.get_absolute_url(),
    }


@router.get(
    "/agencies",
    response={200: AgencyPageOut, 400: ErrorOut, 422: ErrorOut},
    summary="List agencies",
    description=(
        "Agencies of the demo province first, then by name. `q` matches names with or "
        "without diacritics. Errors: 422 `invalid_input` for `q` over 200 characters, "
        "`page` < 1, `page_size` outside 1–100, an unknown `kind` or `level`; 400 "
        "`unknown_filter` for a `unit` code that names no administrative unit."
    ),
)
def list_agencies(request: HttpRequest, params: Query[AgencyQuery]):
    agencies = Agency.objects.active().select_related("admin_unit")
    if params.unit:
        unit = AdminUnit.objects.filter(code=params.unit).first()
        if unit is None:
            details = [{"field": "unit", "message": "Không có đơn vị hành chính này."}]
            return Status(400, error_body("unknown_filter", "Bộ lọc không tồn tại.", details))
        agencies = agencies.in_unit(unit)
    if params.kind:
        agencies = agencies.filter(kind=params.kind)
    if params.level:
        agencies = agencies.filter(level=params.level)
    if params.q.strip():
        agencies = agencies.name_matches(params.q)
    items, total = _page(agencies.province_first(settings.DEMO_PROVINCE_CODE), params)
    return {
        "items": [_agency(a) for a in items],
        "total": total,
        "page": params.page,
        "page_size": params.page_size,
    }


def _unit(unit: AdminUnit, parent_code: str | None) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "unit_type": unit.unit_type,
        "level": unit.level,
        "parent": parent_code,
        "url": unit.get_absolute_url(),
    }


@router.get(
    "/admin-units",
    response={200: UnitPageOut, 404: ErrorOut, 422: ErrorOut},
    summary="List administrative units",
    description=(
        "Without `parent`: the 34 provinces. With `parent` = a province code: its communes, "
        "by code. 404 `not_found` for an unknown `parent`; 422 `invalid_input` for `page` "
        "< 1 or `page_size` outside 1–100."
    ),
)
def list_admin_units(request: HttpRequest, params: Query[UnitQuery]):
    if params.parent:
        parent = get_object_or_404(AdminUnit, code=params.parent)
        units = parent.children.order_by("code")
    else:
        parent, units = None, AdminUnit.objects.provinces().order_by("code")
    items, total = _page(units, params)
    parent_code = parent.code if parent else None
    return {
        "items": [_unit(u, parent_code) for u in items],
        "total": total,
        "page": params.page,
        "page_size": params.page_size,
    }
