"""The e-mail that tells the applicant of each status change of their dossier.

Sent exactly once per change, even when a worker dies mid-task:

- `move()` enqueues `tasks.send_status_email` after the action's transaction commits;
- `send_status_email` locks the change row while it sends and marks `emailed_at` in the same
  transaction, so a sweep running at the same moment skips it rather than sending it twice;
- a worker killed before that commit leaves `emailed_at` empty: `send_unsent` (run on every
  heartbeat, and by `opendvc send_status_emails`) sends it again after a grace period;
- the message's Message-ID is derived from the change, so the rare send repeated after a crash
  between sending and committing is the same message: the outbox backend (core.mail) replaces
  its file, and mail clients treat two deliveries with one Message-ID as one message.

On SQLite there are no row locks: the send runs inside the database's write lock, so two
senders take turns (and the second finds the change sent). That is quick with the outbox
folder, the embedded default; a deployment that sends by SMTP runs on PostgreSQL.

The tracking secret is never e-mailed: it is shown once, on the receipt.
"""

import logging
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import (
    RefusalReason,
    Status,
    StatusChange,
    StopReason,
    SupplementReason,
)

logger = logging.getLogger(__name__)

TEMPLATES = {
    Status.NEW: "submitted",
    Status.RECEIVED: "received",
    Status.REFUSED: "refused",
    Status.PROCESSING: "processing",
    Status.SUPPLEMENT: "supplement",
    Status.FINANCIAL_OBLIGATION: "payment",
    Status.WITHDRAWN: "withdrawn",
    Status.STOPPED: "stopped",
    Status.FINISHED: "finished",
    Status.RETURNED: "returned",
}
REASON_LABELS = {
    **dict(SupplementReason.choices),
    **dict(StopReason.choices),
    **dict(RefusalReason.choices),
}
# The sweep leaves a change this long to its own task before sending it itself, and gives up
# on changes older than the horizon (history from before e-mails were sent, imported dossiers).
GRACE = timedelta(minutes=2)
HORIZON = timedelta(days=7)
SWEEP_BATCH = 500


def message_id(change: StatusChange) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "opendvc.local"
    return f"<dossier-status-{change.pk}@{domain}>"


def dossier_url(dossier) -> str:
    """Where the applicant follows the dossier: its page for an account holder, else the public
    tracking page (a counter dossier's applicant may have no account)."""
    if dossier.applicant_id:
        path = reverse("dossiers:detail", kwargs={"code": dossier.code})
    else:
        path = reverse("dossiers:track")
    return settings.SITE_URL.rstrip("/") + path


def _supplement_reasons(change: StatusChange) -> list[dict]:
    dossier = change.dossier
    request = dossier.supplements.filter(requested_at__lte=change.at).order_by("-requested_at")
    request = request.first()
    if request is None:
        return []
    names = dict(dossier.components.values_list("pk", "name"))
    return [
        {
            "component": names.get(reason.get("component"), ""),
            "reason": REASON_LABELS.get(reason.get("code"), reason.get("code", "")),
            "note": reason.get("note", ""),
        }
        for reason in request.reasons
    ]


def status_message(change: StatusChange) -> EmailMessage:
    """The e-mail of one status change, in Vietnamese, to the applicant's declared address."""
    dossier = change.dossier
    context = {
        "change": change,
        "dossier": dossier,
        "url": dossier_url(dossier),
        "reason": REASON_LABELS.get(change.reason_code, ""),
        "reasons": _supplement_reasons(change) if change.to_status == Status.SUPPLEMENT else [],
    }
    with translation.override("vi"):
        text = render_to_string(f"dossiers/email/{TEMPLATES[change.to_status]}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n",
        to=[dossier.applicant_email],
        headers={"Message-ID": message_id(change)},
    )


def send_status_email(*, change_id: int, now: datetime) -> bool:
    """Send the e-mail of one status change unless it was sent, or is being sent by another
    process right now. Returns whether this call sent it. Raises what the mail backend raises
    (the change stays unsent and the sweep tries again)."""
    with transaction.atomic():
        change = (
            StatusChange.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("dossier__procedure", "dossier__agency")
            .filter(pk=change_id, emailed_at__isnull=True)
            .first()
        )
        if change is None or not change.dossier.applicant_email or not change.dossier.code:
            return False
        status_message(change).send()
        StatusChange.objects.filter(pk=change.pk).update(emailed_at=now)
    return True


def send_unsent(
    *, now: datetime, older_than: timedelta = GRACE, within: timedelta = HORIZON
) -> int:
    """Send the e-mails a lost or failed task left unsent: changes older than `older_than`
    and younger than `within`. A change that cannot be rendered does not hold back the others;
    a mail server that fails ends this sweep (the next one tries again). Returns how many were
    sent."""
    pending = (
        StatusChange.objects.filter(
            emailed_at__isnull=True, at__lt=now - older_than, at__gte=now - within
        )
        .exclude(dossier__applicant_email="")
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = 0
    for change_id in list(pending):
        try:
            sent += send_status_email(change_id=change_id, now=now)
        except OSError:  # smtplib's errors, a refused connection, a full disk
            logger.exception("Mail backend failed on change %s; the next sweep retries", change_id)
            break
        except Exception:
            logger.exception("Status e-mail of change %s not sent; retried later", change_id)
    return sent


def sweep(*, now: datetime) -> int:
    """The periodic job (settings.OPENDVC_PERIODIC_JOBS): send what was left unsent."""
    return send_unsent(now=now)
