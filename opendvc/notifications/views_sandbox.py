"""What the sandbox channels would have sent, for the site's administrators to look at."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from opendvc.accounts.decorators import superuser_required

from .models import Channel, SandboxDelivery

LIMIT = 100


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
