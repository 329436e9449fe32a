"""Public pages of the dossiers app: tracking a dossier without an account."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from opendvc.core.http import client_ip

from . import tracking
from .forms import TrackingForm

TEMPLATE = "dossiers/public/track.html"


def _try_again(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
    # A fresh form keeping only the code: the factor typed is never echoed, and every miss
    # renders the same page whichever part was wrong.
    form = TrackingForm(initial={"code": code})
    return render(request, TEMPLATE, {"form": form, "error": message}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The form, and on POST the dossier's public view (the secret travels only in the body)."""
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": TrackingForm()})
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    data = form.cleaned_data
    try:
        dossier = tracking.track(
            code=data["code"],
            secret=data["secret"],
            phone=data["phone"],
            ip=client_ip(request),
        )
    except tracking.RateLimited as error:
        return _try_again(request, data["code"], str(error), 429)
    if dossier is None:
        return _try_again(request, data["code"], tracking.not_found_message(), 404)
    context = {"form": TrackingForm(), "dossier": tracking.public_view(dossier)}
    return render(request, TEMPLATE, context)
