"""Processing steps on the staff site: the agency administrator's step editor
(/can-bo/quy-trinh/), the specialists' and leaders' queue (/can-bo/hang-doi/), and completing or
returning a dossier's current step from its staff page.
"""

from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendvc.accounts.decorators import official_required
from opendvc.accounts.models import StaffRole
from opendvc.core.paging import page_links
from opendvc.directory.models import Agency

from . import access, actions
from .actions import steps
from .forms_steps import CaseSearchForm, CompleteStepForm, ReturnStepForm, StepFormSet
from .models import DossierStep, ProcessingStep, Status
from .views_staff import PAGE_SIZE, SOON

NOT_FOUND = access.NOT_FOUND  # the one 404 text of the staff site


def step_due_state(due_at: datetime | None, now: datetime) -> str | None:
    """'overdue', 'due_soon' or 'on_time' for a step's due moment (as views_staff.due_state)."""
    if due_at is None:
        return None
    if due_at < now:
        return "overdue"
    return "due_soon" if due_at < now + SOON else "on_time"


def _pager(request: HttpRequest, items) -> dict:
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    links = page_links(page.number, page.paginator.num_pages)
    return {"page": page, "query": query.urlencode(), "page_links": links}


# --- the step editor ----------------------------------------------------------------------


def _admin_agency(request: HttpRequest) -> tuple[Agency, list[Agency]]:
    """The agency whose steps are edited (?co-quan=<code>, else the first) and all the
    agencies the user administers; 404 for anyone who administers none, or not that one."""
    agencies = list(steps.admin_agencies(request.user).order_by("name", "pk"))
    code = request.GET.get("co-quan")
    chosen = next((a for a in agencies if a.code == code), None) if code else None
    if not agencies or (code and chosen is None):
        raise Http404(NOT_FOUND)
    return chosen or agencies[0], agencies


@require_GET
@official_required
def step_cases(request: HttpRequest) -> HttpResponse:
    """The procedure cases the agency receives, searchable, with whether steps are defined."""
    agency, agencies = _admin_agency(request)
    form = CaseSearchForm(request.GET)
    cases = steps.received_cases(agency).select_related("procedure")
    if form.is_valid() and form.cleaned_data["q"].strip():
        q = form.cleaned_data["q"].strip()
        cases = cases.filter(Q(procedure__code__icontains=q) | Q(procedure__name__icontains=q))
    defined = ProcessingStep.objects.filter(agency=agency, case=OuterRef("pk"))
    cases = cases.annotate(has_steps=Exists(defined)).order_by("procedure__code", "position", "pk")
    context = {"agency": agency, "agencies": agencies, "form": form, **_pager(request, cases)}
    return render(request, "dossiers/staff/steps_cases.html", context)


@require_http_methods(["GET", "POST"])
@official_required
def step_editor(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Edit the steps of one case for the agency: the formset, then one action call."""
    agency, _agencies = _admin_agency(request)
    case = steps.received_cases(agency).select_related("procedure").filter(pk=case_pk).first()
    if case is None:
        raise Http404(NOT_FOUND)
    if request.method == "POST":
        formset = StepFormSet(request.POST, case=case)
        if formset.is_valid() and _saved(request, agency, case, formset.steps()):
            return redirect(f"{request.path}?{urlencode({'co-quan': agency.code})}")
    else:
        formset = StepFormSet(initial=steps.steps_for(agency, case), case=case)
    is_default = not ProcessingStep.objects.filter(agency=agency, case=case).exists()
    context = {"agency": agency, "case": case, "formset": formset, "is_default": is_default}
    return render(request, "dossiers/staff/steps_edit.html", context)


def _saved(request: HttpRequest, agency: Agency, case, given: list[dict]) -> bool:
    try:
        actions.save_processing_steps(
            agency=agency, case=case, steps=given, by=request.user, now=timezone.now()
        )
    except actions.DossierError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, _("Đã lưu quy trình xử lý."))
    return True


# --- the queue ------------------------------------------------------------------------------


def queue_steps(user):
    """The current steps of dossiers in processing that wait for this official: of an agency
    where they hold the step's role. One query, whatever the number of dossiers."""
    held = StaffRole.objects.filter(user=user, user__is_active=True, role__in=steps.STEP_ROLES)
    by_role = Q(pk__in=[])
    for role in steps.STEP_ROLES:
        agencies = held.filter(role=role).values("agency_id")
        by_role |= Q(role=role, dossier__agency_id__in=agencies)
    earlier_open = DossierStep.objects.filter(
        dossier=OuterRef("dossier"), position__lt=OuterRef("position"), completed_at__isnull=True
    )
    return (
        DossierStep.objects.filter(
            by_role, completed_at__isnull=True, dossier__status=Status.PROCESSING
        )
        .exclude(Exists(earlier_open))
        .select_related("dossier__procedure", "dossier__agency")
        .order_by(F("due_at").asc(nulls_last=True), F("dossier__due_at").asc(nulls_last=True), "pk")
    )


@require_GET
@official_required
def queue(request: HttpRequest) -> HttpResponse:
    """ "Việc của tôi": the dossiers whose current step is this official's to do."""
    now = timezone.now()
    context = _pager(request, queue_steps(request.user))
    for step in context["page"]:
        step.due_state = step_due_state(step.due_at, now)
        step.dossier_due_state = step_due_state(step.dossier.due_at, now)
    return render(request, "dossiers/staff/queue.html", context)


# --- completing and returning a step ----------------------------------------------------------


def _step_post(request: HttpRequest, code: str, form_class, prefix: str, act, done: str):
    dossier = access.get_dossier_for_official_or_404(request.user, code)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(dossier.code))
    try:
        act(dossier=dossier, by=request.user, note=form.cleaned_data["note"], now=timezone.now())
    except actions.DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(_back(dossier.code))


def _back(code: str) -> str:
    return reverse("dossiers:staff_detail", args=[code]) + "#h-steps"


@require_POST
@official_required
def step_complete(request: HttpRequest, code: str) -> HttpResponse:
    """Complete the dossier's current step; the next one starts (PRG)."""
    done = _("Đã hoàn thành bước xử lý; hồ sơ chuyển sang bước tiếp theo.")
    return _step_post(request, code, CompleteStepForm, "complete", actions.complete_step, done)


@require_POST
@official_required
def step_return(request: HttpRequest, code: str) -> HttpResponse:
    """Send the dossier back to the step before, with the reason (PRG)."""
    done = _("Đã trả hồ sơ về bước trước.")
    return _step_post(request, code, ReturnStepForm, "return", actions.return_step, done)
