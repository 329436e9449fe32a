"""Facts about the HTTP client that more than one app needs."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for rate limits and the audit log.

    Behind N trusted reverse proxies (OPENDVC_TRUSTED_PROXIES=N), the client is the N-th
    address from the right of X-Forwarded-For: each proxy appends the address it saw, and
    anything further left was written by the client and cannot be trusted.
    """
    proxies = settings.OPENDVC_TRUSTED_PROXIES
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
