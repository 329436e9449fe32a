"""Public tracking without an account: a dossier code plus a second factor, rate limited.

A dossier code is human-readable and so guessable (DESIGN.md): the code alone finds nothing.
The second factor is the secret printed on the receipt or the phone number used to file. An
unknown code, a draft and a wrong factor all answer None after the same work, so neither the
answer nor its timing tells whether the code exists.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from opendvc.accounts.phone import normalize_phone

from .models import Dossier, Status

# Defaults of the settings OPENDVC_TRACKING_MAX_FAILURES_PER_IP, …_PER_CODE and
# OPENDVC_TRACKING_WINDOW_SECONDS.
MAX_FAILURES_PER_IP = 10
MAX_FAILURES_PER_CODE = 5
WINDOW_SECONDS = 15 * 60


def not_found_message() -> str:
    """The one answer to an unknown code, a draft and a wrong second factor."""
    return _("Không tìm thấy hồ sơ với mã và thông tin đã nhập.")


class RateLimited(Exception):
    """Too many failed lookups from this client or for this code; str() is for the user."""


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    status: int
    status_label: str


@dataclass(frozen=True)
class PublicDossier:
    """What anyone holding the code and second factor may see: no names, no personal data,
    no form data, no files, no officials."""

    code: str
    procedure_code: str
    procedure_name: str
    agency_name: str
    status: int
    status_label: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    timeline: list[TimelineEntry]


def _limits() -> tuple[int, int, int]:
    return (
        int(getattr(settings, "OPENDVC_TRACKING_MAX_FAILURES_PER_IP", MAX_FAILURES_PER_IP)),
        int(getattr(settings, "OPENDVC_TRACKING_MAX_FAILURES_PER_CODE", MAX_FAILURES_PER_CODE)),
        int(getattr(settings, "OPENDVC_TRACKING_WINDOW_SECONDS", WINDOW_SECONDS)),
    )


@lru_cache(maxsize=1)
def _decoy() -> Dossier:
    # An unknown code's secret is checked against this hash, at the cost of a real one.
    return Dossier(secret_hash=Dossier.hash_secret(get_random_string(10)))


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def find_for_tracking(
    code: str, secret: str | None = None, phone: str | None = None
) -> Dossier | None:
    """The submitted dossier with this code whose given second factors all match, else None.

    At least one of `secret` (the receipt secret, any case) and `phone` (any usual Vietnamese
    format) must be given. Unknown code, draft, wrong secret or wrong phone: None, after the
    same work (the secret is checked against a decoy hash when there is no dossier)."""
    if not secret and not phone:
        return None
    typed = (code or "").strip()
    # Receipts print codes in capitals; the exact form is tried too, both through the index.
    found = (
        Dossier.objects.submitted()
        .select_related("procedure", "agency")
        .filter(code__in={typed, typed.upper()})
        .first()
    )
    matches = found is not None
    if secret:
        checked = found if found is not None and found.secret_hash else _decoy()
        ok = checked.check_secret(secret)
        matches = matches and checked is found and ok
    if phone:
        wanted = normalize_phone(phone) or "-"
        stored = normalize_phone(found.applicant_phone if found else "") or "+"
        matches = matches and _same(wanted, stored)
    return found if matches else None


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def public_view(dossier: Dossier) -> PublicDossier:
    """The public face of a dossier: dates (local time) and national statuses only."""
    history = dossier.history.order_by("at", "pk").values_list("at", "to_status")
    return PublicDossier(
        code=dossier.code or "",
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        agency_name=dossier.agency.name,
        status=dossier.status,
        status_label=Status(dossier.status).label,
        submitted_at=_local(dossier.submitted_at),
        received_at=_local(dossier.received_at),
        due_at=_local(dossier.due_at),
        finished_at=_local(dossier.finished_at),
        returned_at=_local(dossier.returned_at),
        timeline=[TimelineEntry(_local(at), s, Status(s).label) for at, s in history],
    )


def _keys(ip: str | None, code: str) -> tuple[str, str]:
    # Hashed: a code or address typed by anyone never becomes a cache key as it is.
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    return (
        f"dossiers:track-fail:ip:{digest(ip or 'unknown')}",
        f"dossiers:track-fail:code:{digest(code.strip().upper())}",
    )


def _count_failure(key: str, window: int) -> None:
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)


def track(*, code: str, secret: str | None, phone: str | None, ip: str | None) -> Dossier | None:
    """find_for_tracking behind the rate limit: a client IP or a code that failed too often
    in the window is refused before any lookup. Failures count against both; successes do
    not count and do not reset (else one known pair would unlock guessing).
    Raises RateLimited."""
    per_ip, per_code, window = _limits()
    ip_key, code_key = _keys(ip, code)
    counts = cache.get_many([ip_key, code_key])
    if counts.get(ip_key, 0) >= per_ip or counts.get(code_key, 0) >= per_code:
        minutes = max(1, round(window / 60))
        raise RateLimited(
            _("Bạn đã tra cứu không thành công quá nhiều lần. Vui lòng thử lại sau %(n)s phút.")
            % {"n": minutes}
        )
    dossier = find_for_tracking(code, secret=secret, phone=phone)
    if dossier is None:
        _count_failure(ip_key, window)
        _count_failure(code_key, window)
    return dossier
