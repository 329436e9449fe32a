"""The applicant answers a supplement request (ho-so/<code>/bo-sung/): what the agency asks
for, new files for the components it names, then "Gửi bổ sung". The applicant's own dossiers
only; the actions decide which components may change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import access, actions
from .models import Dossier, Status, SupplementReason, SupplementRequest
from .views_files import attach_to_component, remove_posted

NOTE_MAX = 2000


def open_request(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.filter(answered_at__isnull=True).first()


def asked(dossier: Dossier, supplement: SupplementRequest) -> dict:
    """What the request asks, for the page: each reason with its component's name and label,
    and the components open to new files, each with its files before and since the request."""
    components = list(dossier.components.prefetch_related("files"))
    names = {component.pk: component.name for component in components}
    labels = dict(SupplementReason.choices)
    named = {reason.get("component") for reason in supplement.reasons}
    reasons = [
        {
            "what": names.get(reason.get("component"), _("Toàn bộ hồ sơ")),
            "why": labels.get(reason.get("code"), reason.get("code")),
            "note": reason.get("note", ""),
        }
        for reason in supplement.reasons
    ]
    open_to = [c for c in components if None in named or c.pk in named]
    for component in open_to:
        files = list(component.files.all())
        component.given = [f for f in files if f.uploaded_at < supplement.requested_at]
        component.added = [f for f in files if f.uploaded_at >= supplement.requested_at]
    return {"supplement_request": supplement, "reasons": reasons, "components": open_to}


@require_GET
@login_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_citizen_or_404(request.user, code)
    supplement_request = open_request(dossier) if dossier.status == Status.SUPPLEMENT else None
    if supplement_request is None:
        messages.info(request, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
        return redirect("dossiers:detail", code=dossier.code)
    context = {"dossier": dossier, "note_max": NOTE_MAX, **asked(dossier, supplement_request)}
    return render(request, "dossiers/citizen/supplement.html", context)


@require_POST
@login_required
def supplement_attach(request: HttpRequest, code: str, component_pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_citizen_or_404(request.user, code)
    attach_to_component(request, dossier, component_pk)
    return redirect("dossiers:supplement", code=dossier.code)


@require_POST
@login_required
def supplement_remove(request: HttpRequest, code: str, file_pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_citizen_or_404(request.user, code)
    remove_posted(request, dossier, file_pk)
    return redirect("dossiers:supplement", code=dossier.code)


@require_POST
@login_required
def supplement_send(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_citizen_or_404(request.user, code)
    note = request.POST.get("note", "").strip()[:NOTE_MAX]
    try:
        actions.resubmit_supplement(dossier=dossier, by=request.user, now=timezone.now(), note=note)
    except actions.DossierError as error:
        messages.error(request, str(error))
        return redirect("dossiers:supplement", code=dossier.code)
    messages.success(request, _("Đã gửi bổ sung hồ sơ. Cơ quan tiếp tục giải quyết hồ sơ."))
    return redirect("dossiers:detail", code=dossier.code)
