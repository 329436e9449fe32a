"""The citizen's filing pages: start a draft, fill in the e-form, attach documents, check and
submit, the receipt, "Hồ sơ của tôi" and a dossier's detail. Every signed-in user files as an
applicant; the actions decide who may do what."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from opendvc.catalog.models import Procedure

from . import access, actions
from .forms_citizen import StartForm, answers, blocking_findings, eform_for, lists_communes
from .models import Dossier
from .views_files import attach_to_component, remove_posted

citizen_required = login_required
RECEIPT_KEY = "dossiers_receipt"  # the plain secret, kept only until the receipt is shown
PER_PAGE = 20


@citizen_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.public(), code=code)
    if not procedure.is_online:
        return render(request, "dossiers/citizen/not_online.html", {"procedure": procedure})
    form = StartForm(request.POST or None, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            draft = actions.create_draft(by=request.user, now=timezone.now(), **form.cleaned_data)
        except actions.DossierError as error:
            form.add_error(None, str(error))
        else:
            return redirect("dossiers:form", pk=draft.pk)
    context = {"procedure": procedure, "form": form}
    return render(request, "dossiers/citizen/start.html", context, status=_status(form))


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_form(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_draft_for_citizen_or_404(request.user, pk)
    if "refresh" in request.POST:  # a province chosen without JavaScript: list its communes
        form, data = eform_for(draft, request.user, shown=request.POST.dict()), None
    else:
        data = request.POST if request.method == "POST" else None
        form = eform_for(draft, request.user, data)
    if data is not None and form.is_valid():
        try:
            actions.save_draft_form(
                dossier=draft, data=form.json_data(), by=request.user, now=timezone.now()
            )
        except actions.DossierError as error:
            form.add_error(None, str(error))
        else:
            for finding in form.findings:
                messages.warning(request, finding.message)
            return redirect("dossiers:attachments", pk=draft.pk)
    context = {"draft": draft, "form": form, "step": 2, "has_communes": lists_communes(form)}
    return render(request, "dossiers/citizen/form.html", context, status=_status(form))


@citizen_required
def attachments(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_draft_for_citizen_or_404(request.user, pk)
    components = draft.components.prefetch_related("files")
    context = {"draft": draft, "components": components, "step": 3}
    return render(request, "dossiers/citizen/attachments.html", context)


@require_POST
@citizen_required
def attach(request: HttpRequest, pk: int, component_pk: int) -> HttpResponse:
    draft = access.get_draft_for_citizen_or_404(request.user, pk)
    attach_to_component(request, draft, component_pk)
    return redirect("dossiers:attachments", pk=draft.pk)


@require_POST
@citizen_required
def remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    draft = access.get_draft_for_citizen_or_404(request.user, pk)
    remove_posted(request, draft, file_pk)
    return redirect("dossiers:attachments", pk=draft.pk)


@citizen_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_draft_for_citizen_or_404(request.user, pk)
    if request.method == "POST":
        return _submit(request, draft)
    sections, findings = answers(draft)
    context = {
        "draft": draft,
        "sections": sections,
        "errors": [finding for finding in findings if finding.is_blocking],
        "warnings": [finding for finding in findings if not finding.is_blocking],
        "components": draft.components.prefetch_related("files"),
        "step": 4,
    }
    return render(request, "dossiers/citizen/review.html", context)


def _submit(request: HttpRequest, draft: Dossier) -> HttpResponse:
    if blocking_findings(draft):
        messages.error(request, "Tờ khai còn thông tin chưa hợp lệ, vui lòng sửa lại.")
        return redirect("dossiers:form", pk=draft.pk)
    try:
        submission = actions.submit_dossier(dossier=draft, by=request.user, now=timezone.now())
    except actions.DossierError as error:
        messages.error(request, str(error))
        return redirect("dossiers:review", pk=draft.pk)
    request.session[RECEIPT_KEY] = {"code": submission.dossier.code, "secret": submission.secret}
    return redirect("dossiers:receipt", code=submission.dossier.code)


@never_cache
@citizen_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_citizen_or_404(request.user, code)
    # Shown once: the next request for this page no longer has it.
    kept = request.session.pop(RECEIPT_KEY, None) or {}
    secret = kept.get("secret") if kept.get("code") == dossier.code else None
    return render(request, "dossiers/citizen/receipt.html", {"dossier": dossier, "secret": secret})


@citizen_required
def mine(request: HttpRequest) -> HttpResponse:
    dossiers = (
        Dossier.objects.for_citizen(request.user)
        .select_related("procedure", "agency")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(dossiers, PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "dossiers/citizen/mine.html", {"page": page})


@citizen_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_citizen_or_404(request.user, code)
    context = {
        "dossier": dossier,
        "history": dossier.history.all(),
        "components": dossier.components.prefetch_related("files"),
        "can_withdraw": access.can_withdraw_dossier(request.user, dossier),
    }
    return render(request, "dossiers/citizen/detail.html", context)


@require_POST
@citizen_required
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_citizen_or_404(request.user, code)
    try:
        actions.withdraw_dossier(dossier=dossier, by=request.user, now=timezone.now())
    except actions.DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Đã rút hồ sơ.")
    return redirect("dossiers:detail", code=dossier.code)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
