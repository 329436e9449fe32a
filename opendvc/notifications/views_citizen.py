"""The citizen's notification pages: their preferences, the messages sent to them, and the
one-click unsubscribe of announcements that every announcement links to."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .actions import preferences as actions
from .models import Preference


# Mail clients POST here without a session or CSRF token (RFC 8058, List-Unsubscribe=One-Click);
# the secret token in the URL is the key, and the change only ever withdraws consent.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            actions.unsubscribe_announcements(token=token, now=timezone.now())
        except Preference.DoesNotExist:
            raise Http404("Không tìm thấy đường dẫn này.") from None
        return render(request, "notifications/citizen/unsubscribed.html")
    if not Preference.objects.filter(unsubscribe_token=token).exists():
        raise Http404("Không tìm thấy đường dẫn này.")
    return render(request, "notifications/citizen/unsubscribe.html", {"token": token})


def preferences(request: HttpRequest) -> HttpResponse:
    raise Http404


def my_messages(request: HttpRequest) -> HttpResponse:
    raise Http404


def my_message(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
