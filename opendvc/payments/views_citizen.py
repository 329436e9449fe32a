"""The applicant's payment page for a dossier: what to pay and why, and the button that takes
them to the gateway. Only the dossier's applicant sees it; to anyone else it is a 404."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import access, actions, fees, states
from .forms import StartForm
from .models import Payment


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "127.0.0.1"


@never_cache
@login_required
@require_GET
def pay(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_payer_or_404(request.user, code)
    try:
        purpose = actions.purpose_now(dossier)
    except actions.NotPayable:
        purpose = None
    context = {
        "dossier": dossier,
        "bill": fees.bill_for(dossier),
        "purpose": purpose and Payment.Purpose(purpose),
        "open_payment": dossier.payments.filter(state__in=states.OPEN).first(),
        "paid": dossier.payments.filter(state=Payment.State.SUCCESS),
        "key": secrets.token_urlsafe(24),
    }
    return render(request, "payments/pay.html", context)


@login_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.get_dossier_for_payer_or_404(request.user, code)
    form = StartForm(request.POST)
    key = form.cleaned_data["key"] if form.is_valid() else ""
    now = timezone.now()
    try:
        payment = actions.create_payment(
            dossier=dossier, by=request.user, idempotency_key=key, now=now
        )
        url = actions.start_payment(payment=payment, ip=_client_ip(request), now=now)
    except actions.PaymentError as error:
        messages.error(request, str(error))
        return redirect("payments:pay", code=dossier.code)
    return redirect(url)
