"""Attaching and removing a dossier's files from a page: one action call per file, one
message per outcome. Shared by the citizen's draft, the supplement answer and the counter."""

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import actions
from .models import ComponentFile, Dossier, DossierComponent


def attach_posted(request: HttpRequest, dossier: Dossier, component, files: list) -> bool:
    """Attach each uploaded file to the component; False if any was refused (its message
    says why; the files before it and after it are kept)."""
    all_kept = True
    for file in files:
        try:
            actions.attach_file(
                dossier=dossier,
                component=component,
                uploaded_file=file,
                by=request.user,
                now=timezone.now(),
            )
        except actions.DossierError as error:
            messages.error(request, str(error))
            all_kept = False
        else:
            messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": file.name[:80]})
    return all_kept


def attach_to_component(request: HttpRequest, dossier: Dossier, component_pk: int) -> None:
    """The page's upload form for one component: the files posted as `files`."""
    component = get_object_or_404(DossierComponent, pk=component_pk, dossier=dossier)
    uploaded = request.FILES.getlist("files")
    if not uploaded:
        messages.error(request, _("Chưa chọn tệp cho “%(name)s”.") % {"name": component.name[:80]})
    attach_posted(request, dossier, component, uploaded)


def remove_posted(request: HttpRequest, dossier: Dossier, file_pk: int) -> None:
    """Remove one of the dossier's files, as the action allows."""
    file = get_object_or_404(ComponentFile, pk=file_pk, component__dossier=dossier)
    try:
        actions.remove_file(dossier=dossier, file=file, by=request.user, now=timezone.now())
    except actions.DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xóa tệp “%(name)s”.") % {"name": file.original_name})
