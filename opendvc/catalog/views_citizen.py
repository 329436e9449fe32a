"""The citizen portal's catalog pages: home, search results, fields, life events, a procedure."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from opendvc.core.paging import page_links

from .forms import SearchForm
from .models import Field, LifeEvent, Procedure, ProcedureCase
from .search import SearchFilters, search_procedures

PAGE_SIZE = 20
HOME_FIELDS = 24
HOME_POPULAR = 8

# Counting only what citizens may see; positive conditions keep the aggregate one join.
PUBLIC_PROCEDURE = Q(
    procedures__state__in=[Procedure.State.ACTIVE, Procedure.State.UPDATED],
    procedures__kind__in=[Procedure.Kind.STANDARD, Procedure.Kind.SPECIFIC],
)


def procedures_in_order(ids: list[int]) -> list[Procedure]:
    """The procedures of a search page, with what a result line shows, in rank order."""
    found = Procedure.objects.filter(pk__in=ids).prefetch_related("fields")
    by_id = {procedure.pk: procedure for procedure in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def fields_with_counts():
    return Field.objects.annotate(count=Count("procedures", filter=PUBLIC_PROCEDURE)).filter(
        count__gt=0
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    popular = Procedure.objects.public().order_by("-popularity", "code")
    events = list(LifeEvent.objects.annotate(count=Count("procedures", filter=PUBLIC_PROCEDURE)))
    fields = fields_with_counts().order_by("-count", "name")[:HOME_FIELDS]
    context = {
        "popular": popular.prefetch_related("fields")[:HOME_POPULAR],
        "fields": fields,
        "citizen_events": [e for e in events if e.audience == LifeEvent.Audience.CITIZEN],
        "business_events": [e for e in events if e.audience == LifeEvent.Audience.BUSINESS],
    }
    return render(request, "catalog/citizen/home.html", context)


def _results(request: HttpRequest, fixed: dict, context: dict) -> HttpResponse:
    """Validate the search form, run the search and render the results page."""
    form = SearchForm(request.GET, fixed=fixed)
    context = {**context, "form": form}
    if not form.is_valid():
        # An unknown filter value is an answer ("nothing such"); malformed input is a 400.
        status = 200 if form.has_unknown_filter() and not _malformed(form) else 400
        return render(request, "catalog/citizen/list.html", context, status=status)
    page_number = form.cleaned_data.get("page") or 1
    q = form.cleaned_data.get("q") or ""
    found = search_procedures(
        q, SearchFilters(**form.filter_values()), page=page_number, page_size=PAGE_SIZE
    )
    last = max(1, -(-found.total // PAGE_SIZE))
    context.update(
        q=q,
        found=found,
        procedures=procedures_in_order(found.ids),
        page_links=page_links(page_number, last),
        last_page=last,
        query_without_page=_query_without_page(request),
    )
    return render(request, "catalog/citizen/list.html", context)


def _malformed(form: SearchForm) -> bool:
    return "q" in form.errors or "page" in form.errors


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def procedure_list(request: HttpRequest) -> HttpResponse:
    return _results(request, fixed={}, context={})


@require_safe
def field_list(request: HttpRequest) -> HttpResponse:
    fields = fields_with_counts().order_by("name")
    return render(request, "catalog/citizen/fields.html", {"fields": fields})


@require_safe
def field_detail(request: HttpRequest, slug: str) -> HttpResponse:
    field = get_object_or_404(Field, slug=slug)
    return _results(request, fixed={"field": field.slug}, context={"field": field})


@require_safe
def life_event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(LifeEvent, slug=slug)
    procedures = event.procedures.public().order_by("-popularity", "code")
    paginator = Paginator(procedures.prefetch_related("fields"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "event": event,
        "page": page,
        "page_links": page_links(page.number, paginator.num_pages),
        "last_page": paginator.num_pages,
        "query_without_page": "",
    }
    return render(request, "catalog/citizen/life_event.html", context)


@require_safe
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    cases = ProcedureCase.objects.prefetch_related("documents")
    procedure = get_object_or_404(
        Procedure.objects.public()
        .select_related("publishing_agency")
        .prefetch_related(
            "fields", "implementing_agencies", "channels", "fees", Prefetch("cases", cases)
        ),
        code=code,
    )
    return render(request, "catalog/citizen/procedure.html", {"procedure": procedure})
