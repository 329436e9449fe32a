"""The sandbox gateway's pages: the pay page (GET shows the order, POST finishes the payment)
and the merchant API. All answer 404 unless settings.PAYMENTS_SANDBOX is on."""

import json
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..gateways import vnpay
from . import api, gateway, store
from .forms import PayForm


def sandbox_only(view):
    # Checked per request, so turning the setting off needs no restart or URL change.
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PAYMENTS_SANDBOX:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@sandbox_only
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest) -> HttpResponse:
    cfg, now = vnpay.config(), timezone.now()
    params = gateway.pay_params(request.POST if request.method == "POST" else request.GET)
    problem = gateway.problem_with(params, cfg, now=now)
    if problem:
        return render(request, "payments/sandbox/error.html", {"problem": problem}, status=400)
    if request.method == "GET":
        store.open_pending(params)
    form = PayForm(request.POST) if request.method == "POST" else PayForm.preset(request.GET)
    if form.is_bound and form.is_valid():
        return HttpResponseRedirect(gateway.finish(params, cfg, **form.cleaned_data, now=now))
    context = {
        "form": form,
        "params": sorted(params.items()),
        "amount": store.format_vnd(vnpay.parse_amount(params["vnp_Amount"])),
        "merchant": params["vnp_TmnCode"],
        "txn_ref": params["vnp_TxnRef"],
        "order_info": params["vnp_OrderInfo"],
    }
    return render(
        request, "payments/sandbox/pay.html", context, status=400 if form.is_bound else 200
    )


@sandbox_only
@csrf_exempt  # a server-to-server JSON API authenticated by its checksum, as VNPay's
@require_POST
def merchant_api(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    return JsonResponse(api.answer(body, vnpay.config(), now=timezone.now()))
