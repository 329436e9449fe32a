"""How the sandbox gateway delivers the IPN: a server-to-server GET of the signed result to the
merchant's IPN URL, retried with back-off until the merchant answers RspCode 00 or 02, like
VNPay does; and the testing options that duplicate, delay or omit it."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse

from opendvc.core import transport

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (5, 30, 120, 600)  # before the 2nd, 3rd, 4th and 5th attempts
LATE_SECONDS = 20  # "late": long enough for the browser to be back at the merchant first
ACCEPTED = {"00", "02"}  # confirmed now, or already confirmed before

NORMAL, TWICE, BEFORE_RETURN, LATE, NONE = "normal", "twice", "before", "late", "none"


def ipn_url() -> str:
    """Where the IPN goes. At VNPay the merchant registers it for its terminal; here it is
    this site's IPN view unless PAYMENTS_SANDBOX_IPN_URL says otherwise."""
    configured = getattr(settings, "PAYMENTS_SANDBOX_IPN_URL", "")
    return configured or settings.SITE_URL.rstrip("/") + reverse("payments:vnpay_ipn")


def send_once(url: str, params: dict[str, str]) -> str:
    """One GET of the IPN; the RspCode the merchant answered, or "" if none could be read."""
    try:
        answer = transport.current()("GET", url, params=params).json()
    except (transport.TransportError, ValueError) as error:
        logger.warning("Sandbox IPN to %s got no answer: %s", url, error)
        return ""
    return str(answer.get("RspCode", "")) if isinstance(answer, dict) else ""


def deliver(*, url: str, params: dict[str, str], attempt: int, now: datetime) -> str:
    """Send the IPN once and, unless the merchant accepted it, schedule the next attempt."""
    answer = send_once(url, params)
    if answer not in ACCEPTED and attempt < MAX_ATTEMPTS:
        delay = timedelta(seconds=BACKOFF_SECONDS[attempt - 1])
        schedule(url=url, params=params, attempt=attempt + 1, after=now + delay)
    return answer


def schedule(
    *, url: str, params: dict[str, str], attempt: int = 1, after: datetime | None = None
) -> None:
    from .tasks import deliver_ipn  # the task module imports this one

    task = deliver_ipn
    # A backend that cannot defer (the immediate one) runs it at once instead.
    if after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=after)
    task.enqueue(url=url, params=params, attempt=attempt)


def dispatch(mode: str, *, params: dict[str, str], now: datetime) -> None:
    """Deliver the IPN of a finished payment the way `mode` asks (see the NORMAL… names)."""
    url = ipn_url()
    if mode == NONE:
        return
    if mode == BEFORE_RETURN:
        deliver(url=url, params=params, attempt=1, now=now)
    elif mode == LATE:
        schedule(url=url, params=params, after=now + timedelta(seconds=LATE_SECONDS))
    else:
        schedule(url=url, params=params)
        if mode == TWICE:
            schedule(url=url, params=params)
