"""The satisfaction figures of an agency for a period, for its leaders and administrators."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import access, aggregates
from .charts import bar_chart
from .criteria import CRITERIA, MAX_SCORE
from .forms import PeriodForm


def _defaults(agencies) -> QueryDict:
    """This year so far, for the first of the user's agencies."""
    today = timezone.localdate()
    query = QueryDict(mutable=True)
    first = agencies.order_by("name").first()
    query.update(
        {"agency": first.pk if first else "", "start": date(today.year, 1, 1), "end": today}
    )
    return query


def figures(agency, start, end) -> dict:
    scope = {"start": start, "end": end, "agencies": [agency]}
    overall = aggregates.summary(**scope)
    items = [(c.question, overall.averages[c.key]) for c in CRITERIA]
    return {
        "overall": overall,
        "criteria": [(c, overall.averages[c.key]) for c in CRITERIA],
        "chart": bar_chart(
            _("Điểm trung bình từng tiêu chí (tối đa 2)"), items, MAX_SCORE, "{:.2f}"
        ),
        "procedures": aggregates.by_procedure(**scope),
        "officials": aggregates.by_official(**scope),
        "months": aggregates.by_month(**scope),
        "comments": aggregates.recent_comments(**scope),
    }


@login_required
@require_GET
def satisfaction(request: HttpRequest) -> HttpResponse:
    agencies = access.report_agencies(request.user)
    if not agencies.exists():
        raise Http404(access.NOT_FOUND)
    form = PeriodForm(
        request.GET if "agency" in request.GET else _defaults(agencies), agencies=agencies
    )
    context = {"form": form}
    if form.is_valid():
        start, end = form.bounds()
        context.update(figures(form.cleaned_data["agency"], start, end))
    return render(
        request, "surveys/staff/satisfaction.html", context, status=200 if form.is_valid() else 400
    )
