"""Delivery reports from the SMS and Zalo providers.

Callbacks only ever come from real providers, so these views always read them with the real
adapter of the channel, whatever provider the channel sends through now (the sandbox sends
none): a report about a message sent before a switch to the sandbox is still recorded.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import outbox
from .channels.base import ForgedCallback
from .channels.esms import EsmsAdapter
from .channels.zns import ZnsAdapter

logger = logging.getLogger(__name__)


def _record(request: HttpRequest, adapter) -> JsonResponse:
    try:
        updates = adapter.parse_callback(request)
    except ForgedCallback:
        # The body is not logged: it is whatever a stranger chose to send.
        logger.warning(
            "Forged %s callback from %s", adapter.channel, request.META.get("REMOTE_ADDR")
        )
        return JsonResponse({"error": "invalid signature"}, status=403)
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    for update in updates:
        outbox.record_delivery(channel=adapter.channel, update=update, now=timezone.now())
    return JsonResponse({"received": len(updates)})


@csrf_exempt
@require_http_methods(["GET", "POST"])  # eSMS calls with a GET
def callback_sms(request: HttpRequest) -> JsonResponse:
    return _record(request, EsmsAdapter())


@csrf_exempt
@require_POST
def callback_zalo(request: HttpRequest) -> JsonResponse:
    return _record(request, ZnsAdapter())
