"""What the gateway sends back: the payer's browser on its way home (return) and the gateway's
server-to-server notification (IPN). Only the IPN marks a payment paid; the return page shows
the outcome and nothing else. Every message is kept as a GatewayMessage."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import actions, states
from .gateways import vnpay
from .models import GatewayMessage, Payment

logger = logging.getLogger(__name__)

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


def _keep(kind: str, params: dict, payment: Payment | None, valid: bool, answer: str = ""):
    GatewayMessage.objects.create(
        payment=payment,
        kind=kind,
        at=timezone.now(),
        params=params,
        is_signature_valid=valid,
        answer=answer,
    )


def answer_ipn(params: dict, now) -> tuple[str, Payment | None, bool]:
    """The IPN's checks in the protocol's order; returns the answer code, the payment (if
    found) and whether the signature was valid."""
    if not vnpay.verify(params, vnpay.config().hash_secret):
        return "97", None, False
    payment = Payment.objects.filter(txn_ref=params.get("vnp_TxnRef", "")).first()
    if payment is None:
        return "01", None, True
    result = vnpay.parse_result(params)
    if result.amount_vnd != payment.amount:
        return "04", payment, True
    if payment.state not in states.AWAITING_GATEWAY:
        return "02", payment, True
    try:
        actions.settle(payment=payment, result=result, source="IPN", now=now)
    except actions.AlreadySettled:  # another notification got there first
        return "02", payment, True
    return "00", payment, True


@csrf_exempt
@require_http_methods(["GET", "POST"])
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    params = _params(request)
    code, payment, valid = "99", None, False
    try:
        code, payment, valid = answer_ipn(params, timezone.now())
    except vnpay.BadMessage as error:
        logger.warning("IPN with a bad message: %s", error)
        valid = True
    except Exception:  # the gateway retries on 99; the log says why
        logger.exception("IPN failed for %s", params.get("vnp_TxnRef", "?"))
    _keep(GatewayMessage.Kind.IPN, params, payment, valid, code)
    return JsonResponse({"RspCode": code, "Message": ANSWERS[code]})


@never_cache
@require_http_methods(["GET"])
def vnpay_return(request: HttpRequest) -> HttpResponse:
    params = _params(request)
    valid = vnpay.verify(params, vnpay.config().hash_secret)
    payment = result = None
    if valid:
        payment = (
            Payment.objects.select_related("dossier")
            .filter(txn_ref=params.get("vnp_TxnRef", ""))
            .first()
        )
        try:
            result = vnpay.parse_result(params)
        except vnpay.BadMessage:
            valid = False
    _keep(GatewayMessage.Kind.RETURN, params, payment, valid)
    context = {"valid": valid, "payment": payment, "result": result}
    return render(request, "payments/return.html", context, status=200 if valid else 400)
