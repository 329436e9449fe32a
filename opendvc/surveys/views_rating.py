"""Rating a dossier: the applicant from their dossier page, and anyone holding the receipt at
the one-stop desk's kiosk (/danh-gia/)."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from opendvc.core.http import client_ip
from opendvc.dossiers import tracking
from opendvc.dossiers.models import Dossier

from . import access, actions
from .criteria import CRITERIA
from .forms import KioskForm, RatingForm
from .models import DossierRating

KIOSK_KEY = "surveys_kiosk"
KIOSK_SECONDS = 10 * 60  # a kiosk is shared: the unlocked dossier is forgotten soon


def _rate(form: RatingForm, dossier: Dossier, by, channel: str) -> str | None:
    """Record the rating; the error to show, or None."""
    try:
        actions.rate_dossier(
            dossier=dossier,
            scores=form.scores(),
            overall=form.cleaned_data["overall"],
            comment=form.cleaned_data["comment"],
            by=by,
            channel=channel,
            now=timezone.now(),
        )
    except actions.CannotRate as error:
        return str(error)
    return None


def _page(request, form, dossier, action: str, kiosk: bool = False) -> HttpResponse:
    context = {
        "form": form,
        "dossier": dossier,
        "action": action,
        "kiosk": kiosk,
        "criteria": CRITERIA,
    }
    return render(request, "surveys/rate.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_rating_or_404(request.user, code)
    if not actions.can_rate(dossier):
        return redirect("dossiers:detail", code=dossier.code)
    form = RatingForm(request.POST or None)
    if not (request.method == "POST" and form.is_valid()):
        return _page(request, form, dossier, request.path)
    error = _rate(form, dossier, request.user, DossierRating.Channel.ONLINE)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ."))
    return redirect("dossiers:detail", code=dossier.code)


def _kiosk_page(request: HttpRequest, form, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "surveys/kiosk.html", {"form": form, "error": error}, status=status)


def _unlock(data: dict, ip: str | None) -> tuple[Dossier | None, str, int]:
    """The dossier to rate, else why not and the status to answer."""
    try:
        dossier = tracking.track(
            code=data["code"], secret=data["secret"], phone=data["phone"], ip=ip
        )
    except tracking.RateLimited as error:
        return None, str(error), 429
    if dossier is None:
        return None, tracking.not_found_message(), 404
    if not actions.can_rate(dossier):
        return None, _("Hồ sơ này chưa có kết quả hoặc đã được đánh giá."), 409
    return dossier, "", 200


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """Step 1: the code and the receipt secret or phone, checked as public tracking checks
    them (same rate limit, a wrong pair answers like an unknown code)."""
    form = KioskForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return _kiosk_page(request, form, status=400 if form.errors else 200)
    dossier, error, status = _unlock(form.cleaned_data, client_ip(request))
    if dossier is None:
        # A fresh form keeping only the code: the factor typed is never echoed.
        fresh = KioskForm(initial={"code": form.cleaned_data["code"]})
        return _kiosk_page(request, fresh, error, status)
    request.session[KIOSK_KEY] = {"id": dossier.pk, "until": time.time() + KIOSK_SECONDS}
    return redirect("surveys:kiosk_rate")


def _kiosk_dossier(request: HttpRequest) -> Dossier | None:
    held = request.session.get(KIOSK_KEY) or {}
    if held.get("until", 0) < time.time():
        return None
    return Dossier.objects.select_related("procedure", "agency").filter(pk=held.get("id")).first()


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_rate(request: HttpRequest) -> HttpResponse:
    """Step 2: the rating form of the dossier unlocked in step 1, then back to step 1."""
    dossier = _kiosk_dossier(request)
    if dossier is None:
        request.session.pop(KIOSK_KEY, None)
        return redirect("surveys:kiosk")
    form = RatingForm(request.POST or None)
    if not (request.method == "POST" and form.is_valid()):
        return _page(request, form, dossier, request.path, kiosk=True)
    error = _rate(form, dossier, None, DossierRating.Channel.KIOSK)
    request.session.pop(KIOSK_KEY, None)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ."))
    return redirect("surveys:kiosk")
