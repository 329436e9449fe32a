"""The agency's pages: its PAKN list with filters, one item with the workflow actions, the
supervisor's view of its child agencies' overdue items, and the attachments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from opendvc.accounts.decorators import official_required
from opendvc.directory.models import Agency

from . import access, actions
from .forms import StaffFilterForm
from .models import Feedback

PER_PAGE = 25


def _filtered(agency_ids: set[int], data: dict, now):
    items = Feedback.objects.for_agencies(agency_ids).select_related("agency")
    if data.get("agency"):
        items = items.filter(agency=data["agency"])
    if data.get("state"):
        items = items.filter(state=data["state"])
    if data.get("kind"):
        items = items.filter(kind=data["kind"])
    if data.get("overdue"):
        items = items.overdue(now=now)
    return items.order_by("due_at", "-created_at", "-pk")


@official_required
def staff_list(request: HttpRequest) -> HttpResponse:
    agency_ids = access.staff_agency_ids(request.user)
    form = StaffFilterForm(request.GET or None, agency_ids=agency_ids)
    data = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    items = _filtered(agency_ids, data, now)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "page": page, "now": now, "query": query.urlencode()}
    return render(request, "feedback/staff/list.html", context)


@official_required
def staff_overdue_children(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    mine = access.staff_agency_ids(request.user)
    items = (
        Feedback.objects.overdue(now=now)
        .filter(agency__parent_id__in=mine)
        .select_related("agency")
        .order_by("due_at", "pk")
    )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "feedback/staff/overdue_children.html", {"page": page, "now": now})


@official_required
def staff_detail(request: HttpRequest, code: str) -> HttpResponse:
    feedback = access.get_for_official_or_404(request.user, code)
    context = {
        "feedback": feedback,
        "files": feedback.files.all(),
        "agencies": Agency.objects.active().exclude(pk=feedback.agency_id).order_by("name"),
        "kinds": Feedback.Kind.choices,
        "now": timezone.now(),
    }
    return render(request, "feedback/staff/detail.html", context)


def _merge(feedback, request, **kw):
    into = Feedback.objects.filter(code=request.POST.get("into", "").strip().upper()).first()
    if into is None:
        raise actions.InvalidRequest("Không tìm thấy phản ánh cần gộp vào.")
    return actions.merge_feedback(feedback=feedback, into=into, **kw)


def _reroute(feedback, request, **kw):
    agency = Agency.objects.filter(pk=request.POST.get("agency") or 0).first()
    if agency is None:
        raise actions.InvalidRequest("Cần chọn cơ quan chuyển đến.")
    return actions.reroute_feedback(feedback=feedback, agency=agency, **kw)


def _text(request) -> str:
    return request.POST.get("text", "")


# The workflow actions by the URL word that names them.
ACTIONS = {
    "tiep-nhan": lambda f, r, **kw: actions.accept_feedback(feedback=f, **kw),
    "tu-choi": lambda f, r, **kw: actions.reject_feedback(feedback=f, reason=_text(r), **kw),
    "yeu-cau-bo-sung": lambda f, r, **kw: actions.request_info(feedback=f, question=_text(r), **kw),
    "phan-loai": lambda f, r, **kw: actions.classify_feedback(
        feedback=f, kind=r.POST.get("kind", ""), **kw
    ),
    "chuyen": _reroute,
    "gop": _merge,
    "du-thao": lambda f, r, **kw: actions.draft_answer(feedback=f, answer=_text(r), **kw),
    "duyet-gui": lambda f, r, **kw: actions.approve_answer(feedback=f, answer=_text(r), **kw),
    "cong-khai": lambda f, r, **kw: actions.publish_answer(
        feedback=f, public=r.POST.get("public") == "1", **kw
    ),
}


@require_POST
@official_required
def staff_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    feedback = access.get_for_official_or_404(request.user, code)
    if action not in ACTIONS:
        raise Http404(access.NOT_FOUND)
    try:
        ACTIONS[action](feedback, request, by=request.user, now=timezone.now())
    except actions.FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Đã thực hiện.")
    if feedback.agency_id not in access.staff_agency_ids(request.user):
        return redirect("feedback:staff_list")  # re-routed away: no longer ours to see
    return redirect("feedback:staff_detail", code=feedback.code)


@official_required
def staff_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    feedback = access.get_for_official_or_404(request.user, code)
    item = get_object_or_404(feedback.files, pk=file_id)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.display_name,
        content_type=item.content_type,
    )
