"""The desk registers a dossier handed in at the counter or sent by post (/can-bo/tiep-nhan/):
the agency, procedure, case, channel and applicant; the paper received and its scans; then
submission and reception at once. One-stop desk officers only; anyone else gets 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access, actions
from .actions.counter import (
    counter_record,
    discard_counter_draft,
    record_counter_components,
    register_counter_dossier,
)
from .forms_counter import CounterApplicantForm, FindProcedureForm
from .models import Dossier
from .views_files import attach_posted, remove_posted


def desk_required(view):
    """Signed in and a desk officer of an active agency; anyone else gets the 404 of a page
    that does not exist, as on the rest of the staff site."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_active or not access.desk_agencies(request.user).exists():
            raise Http404(access.NOT_FOUND)
        return view(request, *args, **kwargs)

    return wrapper


@desk_required
@require_http_methods(["GET", "POST"])
def counter_start(request: HttpRequest) -> HttpResponse:
    finder = FindProcedureForm(request.GET or None, user=request.user)
    procedure = finder.chosen()
    form = None
    if procedure is not None:
        form = CounterApplicantForm(request.POST or None, procedure=procedure)
    if request.method == "POST" and form is not None and form.is_valid():
        draft = _create_draft(request, form, finder.cleaned_data["agency"])
        if draft is not None:
            return redirect("dossiers:counter_documents", pk=draft.pk)
    context = {
        "finder": finder,
        "found": finder.found(),
        "procedure": procedure,
        "form": form,
        "drafts": access.open_counter_drafts(request.user).order_by("-created_at", "-pk")[:50],
    }
    invalid = request.method == "POST" and (form is None or form.errors)
    status = 400 if invalid else 200
    return render(request, "dossiers/staff/counter_start.html", context, status=status)


def _create_draft(request: HttpRequest, form: CounterApplicantForm, agency) -> Dossier | None:
    try:
        return actions.create_draft(
            by=request.user, agency=agency, now=timezone.now(), **form.draft_kwargs()
        )
    except actions.DossierError as error:
        form.add_error(None, str(error))
        return None


@desk_required
@require_http_methods(["GET", "POST"])
def counter_documents(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_counter_draft_for_desk_or_404(request.user, pk)
    if request.method == "POST":
        kept = _attach_scans(request, draft)
        received = {int(v) for v in request.POST.getlist("received") if v.isdigit()}
        try:
            record_counter_components(
                dossier=draft, received=received, by=request.user, now=timezone.now()
            )
        except actions.DossierError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu giấy tờ đã nhận."))
            if kept and "continue" in request.POST:
                return redirect("dossiers:counter_confirm", pk=draft.pk)
        return redirect("dossiers:counter_documents", pk=draft.pk)
    context = {"draft": draft, **_documents(draft)}
    return render(request, "dossiers/staff/counter_documents.html", context)


def _attach_scans(request: HttpRequest, draft: Dossier) -> bool:
    """Attach each scan posted for a component; False if any was refused (its message says
    why; the others are kept)."""
    all_kept = True
    for component in draft.components.all():
        scans = request.FILES.getlist(f"scan-{component.pk}")
        all_kept = attach_posted(request, draft, component, scans) and all_kept
    return all_kept


def _documents(draft: Dossier) -> dict:
    received = set(counter_record(draft).get("received", []))
    components = list(draft.components.prefetch_related("files"))
    for component in components:
        component.is_received = component.pk in received
    return {"components": components, "address": counter_record(draft).get("address", "")}


@require_POST
@desk_required
def counter_remove_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    draft = access.get_counter_draft_for_desk_or_404(request.user, pk)
    remove_posted(request, draft, file_pk)
    return redirect("dossiers:counter_documents", pk=draft.pk)


@desk_required
@require_http_methods(["GET", "POST"])
def counter_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_counter_draft_for_desk_or_404(request.user, pk)
    if request.method == "GET":
        context = {"draft": draft, **_documents(draft)}
        return render(request, "dossiers/staff/counter_confirm.html", context)
    try:
        submission = register_counter_dossier(dossier=draft, by=request.user, now=timezone.now())
    except actions.DossierError as error:
        messages.error(request, str(error))
        return redirect("dossiers:counter_confirm", pk=draft.pk)
    code = submission.dossier.code
    messages.success(
        request,
        _(
            "Đã tiếp nhận hồ sơ %(code)s. Mã bí mật tra cứu: %(secret)s — chỉ hiển thị một lần, "
            "hãy ghi lên giấy tiếp nhận giao cho người nộp."
        )
        % {"code": code, "secret": submission.secret},
    )
    return redirect("dossiers:staff_detail", code=code)


@require_POST
@desk_required
def counter_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_counter_draft_for_desk_or_404(request.user, pk)
    try:
        discard_counter_draft(dossier=draft, by=request.user, now=timezone.now())
    except actions.DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Đã hủy hồ sơ nháp của %(name)s.") % {"name": draft.applicant_name}
        )
    return redirect("dossiers:counter_start")
