"""What the gateway sends back: the payer's browser on its way home (return) and the gateway's
server-to-server notification (IPN). Only the IPN marks a payment paid; the return page shows
the outcome and nothing else (actions/gateway.py)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import actions

# VNPay's IPN answers, in the order the checks run.
ANSWERS = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "Invalid amount",
    "97": "Invalid signature",
    "99": "Unknown error",
}


def _params(request: HttpRequest) -> dict[str, str]:
    # VNPay calls with GET; a POSTed form is read the same way.
    source = request.POST if request.method == "POST" and request.POST else request.GET
    return {key: source.get(key, "") for key in source}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    code = actions.receive_ipn(params=_params(request), now=timezone.now())
    return JsonResponse({"RspCode": code, "Message": ANSWERS[code]})


@never_cache
@require_http_methods(["GET"])
def vnpay_return(request: HttpRequest) -> HttpResponse:
    returned = actions.receive_return(params=_params(request), now=timezone.now())
    context = {"valid": returned.is_valid, "payment": returned.payment, "result": returned.result}
    return render(
        request, "payments/return.html", context, status=200 if returned.is_valid else 400
    )
