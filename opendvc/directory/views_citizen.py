"""The citizen site's directory: agencies and administrative units."""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from opendvc.core.paging import page_links

from .forms import AgencyFilterForm, UnitSearchForm
from .models import AdminUnit, Agency, Desk
from .text import fold, key

AGENCIES_PER_PAGE = 20
PROCEDURES_PER_PAGE = 20
MAX_UNIT_MATCHES = 50


def paginate(request: HttpRequest, items, per_page: int, number: int, param: str = "page"):
    """A page of `items` and what the pagination template needs. A page past the end is
    empty rather than an error."""
    paginator = Paginator(items, per_page)
    try:
        objects = list(paginator.page(number).object_list)
    except EmptyPage:
        objects = []
    query = request.GET.copy()
    query.pop(param, None)
    return {
        "objects": objects,
        "total": paginator.count,
        "current_page": number,
        "last_page": paginator.num_pages,
        "page_links": page_links(number, paginator.num_pages),
        "query_without_page": query.urlencode(),
        "param": param,
    }


def _page_number(request: HttpRequest, param: str) -> int:
    value = request.GET.get(param, "")
    return int(value) if value.isdigit() and 0 < int(value) <= 10_000 else 1


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    form = AgencyFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "directory/citizen/agency_list.html", {"form": form}, status=400)
    data = form.cleaned_data
    agencies = Agency.objects.active().select_related("admin_unit")
    if data["kind"]:
        agencies = agencies.filter(kind=data["kind"])
    if data["level"]:
        agencies = agencies.filter(level=data["level"])
    if data["q"]:
        agencies = agencies.name_matches(data["q"])
    agencies = agencies.province_first(settings.DEMO_PROVINCE_CODE)
    page = paginate(request, agencies, AGENCIES_PER_PAGE, data["page"] or 1)
    context = {"form": form, "q": data["q"], "page": page}
    return render(request, "directory/citizen/agency_list.html", context)


def _procedures_of(agency: Agency):
    """Public procedures the agency carries out and those it published, lightest columns.
    A concrete office carries out the procedures of the generic agencies it acts for."""
    acting_for = [agency.pk, *agency.stands_for.values_list("pk", flat=True)]
    links = agency.implemented.through.objects.filter(agency_id__in=acting_for)
    procedures = agency.implemented.model.objects.public().only(
        "code", "name", "online_level", "popularity"
    )
    implemented = procedures.filter(pk__in=links.values("procedure_id"))
    published = procedures.filter(publishing_agency=agency)
    return implemented.order_by("-popularity", "code"), published.order_by("-popularity", "code")


@require_GET
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(
        Agency.objects.active().select_related("admin_unit__parent", "parent", "generic"),
        slug=slug,
    )
    implemented, published = _procedures_of(agency)
    instances = agency.concrete_agencies.active().select_related("admin_unit")
    context = {
        "agency": agency,
        "desks": Desk.objects.serving(agency).select_related("agency", "admin_unit"),
        "instances": instances[:50] if agency.is_generic else [],
        "implemented": paginate(
            request, implemented, PROCEDURES_PER_PAGE, _page_number(request, "page")
        ),
        "published": paginate(
            request, published, PROCEDURES_PER_PAGE, _page_number(request, "cong_bo"), "cong_bo"
        ),
    }
    return render(request, "directory/citizen/agency_detail.html", context)


def _index_letter(name: str) -> str:
    # Đ is its own letter (after D); tone and vowel marks do not start a new group.
    first = name[:1].upper()
    return first if first == "Đ" else (fold(first)[:1].upper() or first)


def _by_first_letter(units: list[AdminUnit]) -> list[tuple[str, list[AdminUnit]]]:
    groups: dict[str, list[AdminUnit]] = {}
    for unit in sorted(units, key=lambda u: (fold(u.short_name), u.code)):
        groups.setdefault(_index_letter(unit.short_name), []).append(unit)
    return sorted(groups.items(), key=lambda group: (fold(group[0]), group[0] == "Đ"))


def _best_matches(q: str, units) -> list[AdminUnit]:
    """Names that start with the query before names that merely contain it."""
    start = key(q)
    short_keys = {u.pk: key(u.short_name) for u in units}
    ranked = sorted(units, key=lambda u: (not short_keys[u.pk].startswith(start), short_keys[u.pk]))
    return ranked[:MAX_UNIT_MATCHES]


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitSearchForm(request.GET)
    status, matches, q = 200, None, ""
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        found = AdminUnit.objects.communes().name_matches(q)
        matches = _best_matches(q, found.only("code", "name", "short_name", "parent__name"))
    provinces = AdminUnit.objects.provinces().annotate(commune_count=Count("children"))
    context = {
        "form": form,
        "q": q,
        "matches": matches,
        "max_matches": MAX_UNIT_MATCHES,
        "provinces": sorted(provinces, key=lambda u: fold(u.short_name)),
        "demo_code": settings.DEMO_PROVINCE_CODE,
    }
    return render(request, "directory/citizen/unit_list.html", context, status=status)


@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(AdminUnit.objects.select_related("parent"), code=code)
    agencies = Agency.objects.active().filter(admin_unit=unit).in_rank_order()
    desks = Desk.objects.filter(admin_unit=unit).select_related("agency")
    context = {"unit": unit, "agencies": agencies, "desks": desks}
    if unit.is_province:
        communes = list(unit.children.all())
        context.update(groups=_by_first_letter(communes), commune_count=len(communes))
        context["ward_count"] = sum(1 for u in communes if u.unit_type == "Phường")
        return render(request, "directory/citizen/province.html", context)
    return render(request, "directory/citizen/commune.html", context)
