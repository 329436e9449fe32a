"""The person's own store (/tai-khoan/kho-du-lieu/): documents by type, results of finished
dossiers, the data-use log, export and deletion. Only ever the signed-in person's own rows."""

from itertools import groupby
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opendvc.core import ratelimit

from . import access, actions, storage
from .export import build_zip
from .forms import ConfirmDeletionForm, DocumentForm
from .models import DataAccess, StoredDocument, SubjectRequest

LOG_ROWS = 100
# A ZIP of up to the whole quota is costly to build: a few a day are plenty for a person.
EXPORTS_PER_DAY = 10
EXPORTS_EXCEEDED = "Bạn đã tải dữ liệu quá nhiều lần trong ngày; vui lòng thử lại vào ngày mai."


def export_allowed(user) -> bool:
    return ratelimit.hit("vault.export", str(user.pk), limit=EXPORTS_PER_DAY, window=86400)


def _page(request: HttpRequest, form=None, confirm=None, status: int = 200) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    # Grouped by type below: the type's id breaks ties between types of the same position.
    documents = list(
        StoredDocument.objects.of(user)
        .select_related("document_type")
        .order_by("document_type__position", "document_type_id", "-created_at", "-pk")
    )
    for document in documents:
        document.expired = document.is_expired(today)
    context = {
        "groups": [
            (kind, list(rows)) for kind, rows in groupby(documents, lambda d: d.document_type)
        ],
        "results": access.results_for(user),
        "log": DataAccess.objects.filter(owner=user).select_related("agency")[:LOG_ROWS],
        "requests": SubjectRequest.objects.filter(owner=user)[:20],
        "used": StoredDocument.objects.used_bytes(user),
        "quota": storage.quota_bytes(),
        "form": form or DocumentForm(),
        "confirm": confirm or ConfirmDeletionForm(),
        "kept_results": actions.KEPT_RESULTS,
        "answer_hours": actions.SUBJECT_REQUEST_HOURS,
    }
    return render(request, "vault/citizen/store.html", context, status=status)


@login_required
@require_GET
def store(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        document = actions.store_document(
            owner=request.user,
            document_type=form.cleaned_data["document_type"],
            uploaded_file=form.cleaned_data["file"],
            details=form.details(),
            by=request.user,
            now=timezone.now(),
        )
    except actions.VaultError as error:
        form.add_error("file", str(error))
        return _page(request, form=form, status=400)
    messages.success(request, _("Đã lưu “%(name)s” vào kho.") % {"name": document.original_name})
    return redirect("vault:store")


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_document_for_owner_or_404(request.user, pk)
    return sealed_response(document)


def sealed_response(document: StoredDocument) -> HttpResponse:
    response = HttpResponse(storage.unseal(document.path), content_type=document.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(document)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _quoted(document: StoredDocument) -> str:
    return quote(document.original_name)


@login_required
@require_GET
def result_download(request: HttpRequest, pk: int) -> HttpResponse:
    result = access.get_result_for_owner_or_404(request.user, pk)
    name = f"ket-qua-{result.dossier.code}.pdf"
    return FileResponse(result.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_document_for_owner_or_404(request.user, pk)
    actions.delete_document(document=document, by=request.user, now=timezone.now())
    messages.success(request, _("Đã xóa “%(name)s”.") % {"name": document.original_name})
    return redirect("vault:store")


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    if not export_allowed(request.user):
        messages.error(request, EXPORTS_EXCEEDED)
        return redirect("vault:store")
    now = timezone.now()
    actions.request_export(owner=request.user, now=now)
    archive = build_zip(request.user, now=now)
    name = f"kho-du-lieu-{timezone.localdate(now):%Y%m%d}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


@login_required
@require_POST
def request_deletion(request: HttpRequest) -> HttpResponse:
    confirm = ConfirmDeletionForm(request.POST)
    if not confirm.is_valid():
        return _page(request, confirm=confirm, status=400)
    answer = actions.request_deletion(owner=request.user, now=timezone.now())
    messages.success(request, answer.outcome)
    return redirect("vault:store")
