"""The staff site for dossiers (/can-bo/ho-so/): the inbox, a dossier's page, its files and the
workflow actions. Officials only; the office's URL tree is its own (uktrade/icms), and to
anyone else it answers 404 so it does not reveal itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from opendvc.accounts.decorators import official_required
from opendvc.accounts.models import StaffRole

from . import access, actions, notices
from .forms_citizen import answers
from .forms_staff import (
    AcceptForm,
    ApologyForm,
    FinishForm,
    InboxFilterForm,
    NoteForm,
    RefuseForm,
    StopForm,
    SupplementForm,
)
from .models import (
    CLOCK_RUNNING,
    REASON_LABELS,
    ComponentFile,
    Dossier,
    Status,
)

PAGE_SIZE = 25
SOON = timedelta(days=2)  # "due soon": within 2 calendar days (the QuerySet's due_soon)
BULK_MAX = 200


def due_state(dossier: Dossier, now: datetime) -> str | None:
    """'overdue', 'due_soon', 'on_time', or None where no clock runs."""
    if dossier.due_at is None or dossier.status not in CLOCK_RUNNING:
        return None
    if dossier.due_at < now:
        return "overdue"
    return "due_soon" if dossier.due_at < now + SOON else "on_time"


def _filtered(user, data: dict, now: datetime):
    dossiers = Dossier.objects.for_official(user).select_related("procedure", "agency")
    if data.get("q"):
        q = data["q"].strip()
        dossiers = dossiers.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q))
    if data.get("status") is not None:
        dossiers = dossiers.filter(status=data["status"])
    if data.get("channel") is not None:
        dossiers = dossiers.filter(channel=data["channel"])
    if data.get("procedure"):
        p = data["procedure"].strip()
        by_procedure = Q(procedure__code__icontains=p) | Q(procedure__name__icontains=p)
        dossiers = dossiers.filter(by_procedure)
    due = data.get("due")
    if due == "overdue":
        dossiers = dossiers.overdue(now=now)
    elif due == "due_soon":
        dossiers = dossiers.due_soon(now=now, days=SOON.days)
    elif due == "on_time":
        dossiers = dossiers.clock_running().filter(due_at__gte=now + SOON)
    return dossiers


@require_GET
@official_required
def staff_inbox(request: HttpRequest) -> HttpResponse:
    """The dossiers of the official's agencies, filtered, searched and paged."""
    now = timezone.now()
    form = InboxFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their message and left out
    page = Paginator(_filtered(request.user, form.cleaned_data, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for dossier in page:
        dossier.due_state = due_state(dossier, now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "Status": Status,
        # Only the one-stop desk receives dossiers: others are not offered bulk accept.
        "can_bulk_accept": StaffRole.Role.DESK_OFFICER in request.staff_roles,
    }
    return render(request, "dossiers/staff/inbox.html", context)


@require_POST
@official_required
def staff_bulk_accept(request: HttpRequest) -> HttpResponse:
    """Accept every selected dossier the official may accept; report each code's outcome."""
    codes = list(dict.fromkeys(request.POST.getlist("codes")))[:BULK_MAX]
    found = (
        Dossier.objects.for_official(request.user)
        .select_related("case")
        .in_bulk(codes, field_name="code")
    )
    accepted = []
    for code in codes:
        try:
            if code not in found:
                raise actions.DossierError(access.NOT_FOUND)
            actions.accept_dossier(dossier=found[code], by=request.user, now=timezone.now())
            accepted.append(code)
        except actions.DossierError as error:
            messages.error(request, f"{code}: {error}")
    if accepted:
        messages.success(request, _("Đã tiếp nhận: %(codes)s.") % {"codes": ", ".join(accepted)})
    if not codes:
        messages.error(request, _("Chưa chọn hồ sơ nào."))
    # Back to the same filtered list; re-encoding the parsed query keeps it a query.
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return redirect(reverse("dossiers:staff_inbox") + (f"?{query}" if query else ""))


@dataclass(frozen=True)
class StaffAction:
    title: str
    form: type[forms.Form]
    run: Callable  # (dossier, by, now, form) -> None: one action call
    done: str


def _supplement(dossier, by, now, form):
    actions.request_supplement(dossier=dossier, by=by, reasons=form.reasons, now=now)


def _apology(dossier, by, now, form):
    data = form.cleaned_data
    new_due_at = form.new_due_at(now)
    actions.issue_apology(
        dossier=dossier, by=by, reason=data["reason"], new_due_at=new_due_at, now=now
    )


def _noted(action: Callable) -> Callable:
    return lambda d, by, now, f: action(dossier=d, by=by, now=now, note=f.cleaned_data["note"])


def _coded(action: Callable) -> Callable:
    def run(d, by, now, f):
        data = f.cleaned_data
        action(dossier=d, by=by, now=now, reason_code=data["reason_code"], note=data["note"])

    return run


def _finish(dossier, by, now, form):
    data = form.cleaned_data
    actions.finish_dossier(
        dossier=dossier, by=by, now=now, summary=data["summary"], result_url=data["result_url"]
    )


# The workflow's action names (workflow.py), in its order, with their page forms.
STAFF_ACTIONS: dict[str, StaffAction] = {
    "accept": StaffAction(
        gettext_lazy("Tiếp nhận hồ sơ"),
        AcceptForm,
        lambda d, by, now, f: actions.accept_dossier(dossier=d, by=by, now=now),
        gettext_lazy("Đã tiếp nhận hồ sơ."),
    ),
    "refuse": StaffAction(
        gettext_lazy("Từ chối tiếp nhận"),
        RefuseForm,
        _coded(actions.refuse_dossier),
        gettext_lazy("Đã từ chối tiếp nhận hồ sơ."),
    ),
    "forward": StaffAction(
        gettext_lazy("Chuyển xử lý"),
        NoteForm,
        _noted(actions.forward_for_processing),
        gettext_lazy("Đã chuyển hồ sơ đến bộ phận xử lý."),
    ),
    "request_supplement": StaffAction(
        gettext_lazy("Yêu cầu bổ sung"),
        SupplementForm,
        _supplement,
        gettext_lazy("Đã gửi yêu cầu bổ sung hồ sơ."),
    ),
    "request_payment": StaffAction(
        gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
        NoteForm,
        _noted(actions.request_financial_obligation),
        gettext_lazy("Đã yêu cầu thực hiện nghĩa vụ tài chính."),
    ),
    "confirm_payment": StaffAction(
        gettext_lazy("Xác nhận đã nộp phí, lệ phí"),
        NoteForm,
        _noted(actions.confirm_payment),
        gettext_lazy("Đã xác nhận thực hiện nghĩa vụ tài chính."),
    ),
    "stop": StaffAction(
        gettext_lazy("Dừng xử lý"),
        StopForm,
        _coded(actions.stop_processing),
        gettext_lazy("Đã dừng xử lý hồ sơ."),
    ),
    "finish": StaffAction(
        gettext_lazy("Hoàn thành xử lý"),
        FinishForm,
        _finish,
        gettext_lazy("Đã hoàn thành xử lý hồ sơ."),
    ),
    "return_result": StaffAction(
        gettext_lazy("Trả kết quả"),
        NoteForm,
        _noted(actions.return_result),
        gettext_lazy("Đã trả kết quả."),
    ),
    "apology": StaffAction(
        gettext_lazy("Xin lỗi và gia hạn"),
        ApologyForm,
        _apology,
        gettext_lazy("Đã lập phiếu xin lỗi và gia hạn."),
    ),
}


def _form(name: str, dossier: Dossier, data=None) -> forms.Form:
    form_class = STAFF_ACTIONS[name].form
    if form_class is SupplementForm:
        return SupplementForm(data, components=dossier.components.all(), prefix=name)
    return form_class(data, prefix=name)


@require_GET
@official_required
def staff_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything about one dossier, and the actions this official may take on it now."""
    dossier = access.get_dossier_for_official_or_404(request.user, code)
    offered = [a for a in access.available_actions(request.user, dossier) if a in STAFF_ACTIONS]
    context = {
        "dossier": dossier,
        "form_sections": _form_sections(dossier),
        "components": dossier.components.prefetch_related("files"),
        "history": notices.with_messages(
            dossier, _labelled(dossier.history.select_related("actor"))
        ),
        "supplements": _supplements(dossier),
        "due_state": due_state(dossier, timezone.now()),
        "action_forms": [
            (name, STAFF_ACTIONS[name].title, _form(name, dossier)) for name in offered
        ],
    }
    return render(request, "dossiers/staff/detail.html", context)


def _form_sections(dossier: Dossier) -> list:
    """The answers labelled by the procedure's e-form; raw keys if the form no longer knows
    them (a form changed since filing), so nothing the applicant declared is hidden."""
    sections, _findings = answers(dossier)
    # The desk's notes on a counter dossier are not the applicant's answers.
    declared = {k: v for k, v in (dossier.form_data or {}).items() if k != "counter"}
    if sections or not declared:
        return sections
    return [(_("Tờ khai"), list(declared.items()))]


def _labelled(history) -> list:
    changes = list(history)
    for change in changes:
        change.reason_label = REASON_LABELS.get(change.reason_code, change.reason_code)
    return changes


def _supplements(dossier: Dossier) -> list:
    requests = list(dossier.supplements.select_related("requested_by"))
    names = dict(dossier.components.values_list("pk", "name"))
    for request in requests:
        request.shown = [
            {
                "what": names.get(r.get("component"), _("Toàn bộ hồ sơ")),
                "why": REASON_LABELS.get(r.get("code"), r.get("code")),
                "note": r.get("note", ""),
            }
            for r in request.reasons
        ]
    return requests


@require_POST
@official_required
def staff_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """One workflow action on one dossier: validate, call the action once, redirect (PRG)."""
    dossier = access.get_dossier_for_official_or_404(request.user, code)
    if action not in STAFF_ACTIONS:
        raise Http404(access.NOT_FOUND)
    form = _form(action, dossier, request.POST)
    if not form.is_valid():
        for error in _errors(form):
            messages.error(request, error)
        return redirect("dossiers:staff_detail", code=dossier.code)
    try:
        STAFF_ACTIONS[action].run(dossier, request.user, timezone.now(), form)
    except actions.DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, STAFF_ACTIONS[action].done)
    return redirect("dossiers:staff_detail", code=dossier.code)


def _errors(form: forms.Form) -> list[str]:
    labelled = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        labelled += [f"{label}: {e}" if label else str(e) for e in errors]
    return labelled


@require_GET
@official_required
def staff_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    """A component file, streamed as an attachment to an official who may see the dossier."""
    dossier = access.get_dossier_for_official_or_404(request.user, code)
    stored = get_object_or_404(ComponentFile, pk=file_id, component__dossier=dossier)
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(access.NOT_FOUND) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type or "application/octet-stream",
    )
