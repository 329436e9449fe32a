"""Public pages of the dossiers app: tracking a dossier without an account."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import tracking
from .forms import TrackingForm

TEMPLATE = "dossiers/public/track.html"


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def not_found_message() -> str:
    return _("Không tìm thấy hồ sơ với mã và thông tin đã nhập.")


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The form, and on POST the dossier's public view. The secret travels only in the POST
    body; a failed lookup renders a fresh form keeping only the code, whichever part was wrong."""
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": TrackingForm()})
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    data = form.cleaned_data
    retry = TrackingForm(initial={"code": data["code"]})
    try:
        dossier = tracking.track(
            code=data["code"], secret=data["secret"], phone=data["phone"], ip=client_ip(request)
        )
    except tracking.RateLimited as error:
        return render(request, TEMPLATE, {"form": retry, "error": str(error)}, status=429)
    if dossier is None:
        return render(request, TEMPLATE, {"form": retry, "error": not_found_message()}, status=404)
    context = {"form": TrackingForm(), "dossier": tracking.public_view(dossier)}
    return render(request, TEMPLATE, context)
