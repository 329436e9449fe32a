"""What the sandbox channels would have sent, for the site's administrators to look at."""

from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .models import Channel, SandboxDelivery

LIMIT = 100


def superuser_required(view):
    """Anonymous users go to sign in; anyone else but a superuser gets a missing page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_superuser):
            raise Http404(_("Không tìm thấy trang."))
        return view(request, *args, **kwargs)

    return wrapper


class SandboxFilter(forms.Form):
    kenh = forms.ChoiceField(
        label=_("Kênh"), required=False, choices=[("", _("Tất cả các kênh")), *Channel.choices]
    )


@require_GET
@superuser_required
def sandbox(request: HttpRequest) -> HttpResponse:
    form = SandboxFilter(request.GET or None)
    deliveries = SandboxDelivery.objects.order_by("-created_at", "-pk")
    if form.is_valid() and form.cleaned_data["kenh"]:
        deliveries = deliveries.filter(channel=form.cleaned_data["kenh"])
    context = {"form": form, "deliveries": deliveries[:LIMIT], "limit": LIMIT}
    return render(request, "notifications/sandbox/list.html", context)
