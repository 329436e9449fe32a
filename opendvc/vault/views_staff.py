"""The desk's side of the store: digitising a paper into a person's store (số hóa), and an
official opening a stored document through a dossier of their agency."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opendvc.accounts.decorators import official_required
from opendvc.core import ratelimit
from opendvc.dossiers.access import desk_agencies
from opendvc.dossiers.views_counter import desk_required

from . import access, actions
from .forms import DigitisedForm, FindPersonForm
from .views_citizen import sealed_response

FINDS_PER_HOUR = 120


@desk_required
@require_http_methods(["GET", "POST"])
def digitise(request: HttpRequest) -> HttpResponse:
    finder = FindPersonForm(request.GET or None)
    person = _find(request, finder)
    form = DigitisedForm(
        request.POST or None, request.FILES or None, agencies=desk_agencies(request.user)
    )
    if request.method == "POST":
        if person is None:
            raise Http404(access.NOT_FOUND)
        if form.is_valid() and _store(request, form, person):
            return redirect(f"{request.path}?{urlencode({'login': finder.cleaned_data['login']})}")
    status = 400 if form.errors else 200
    context = {"finder": finder, "person": person, "form": form}
    return render(request, "vault/staff/digitise.html", context, status=status)


def _find(request: HttpRequest, finder: FindPersonForm):
    if not finder.is_valid():
        return None
    # Exact phone or e-mail only, and a bounded number per hour: the desk cannot walk through
    # the accounts to learn who has one.
    if not ratelimit.hit(
        "vault.find_person", str(request.user.pk), limit=FINDS_PER_HOUR, window=3600
    ):
        messages.error(request, _("Đã tìm quá nhiều lần trong một giờ; vui lòng thử lại sau."))
        return None
    return access.find_person(finder.cleaned_data["login"])


def _store(request: HttpRequest, form: DigitisedForm, person) -> bool:
    try:
        actions.store_document(
            owner=person,
            document_type=form.cleaned_data["document_type"],
            uploaded_file=form.cleaned_data["file"],
            details=form.details(),
            by=request.user,
            now=timezone.now(),
            agency=form.cleaned_data["agency"],
        )
    except actions.VaultError as error:
        form.add_error("file", str(error))
        return False
    messages.success(
        request, _("Đã đưa bản số hóa vào kho dữ liệu của %(name)s.") % {"name": person.full_name}
    )
    return True


@official_required
@require_GET
def dossier_document(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    document = access.get_document_for_official_or_404(
        request.user, dossier_code=code, document_pk=pk, now=timezone.now()
    )
    return sealed_response(document)
