"""What the applicant is told about each status change of their dossier, through the outbox.

`move()` calls `status_changed` inside the action's transaction: the message row commits with
the change, and the key (one per change) keeps a retried action from telling twice. The
tracking secret is never sent: it is shown once, on the receipt.
"""

from django.conf import settings
from django.urls import reverse

from opendvc.notifications import outbox
from opendvc.notifications.events import moment
from opendvc.notifications.models import Message

from .models import REASON_LABELS, Status, StatusChange

EVENTS = {
    Status.NEW: "dossier.submitted",
    Status.RECEIVED: "dossier.received",
    Status.REFUSED: "dossier.refused",
    Status.PROCESSING: "dossier.processing",
    Status.SUPPLEMENT: "dossier.supplement",
    Status.FINANCIAL_OBLIGATION: "dossier.payment_requested",
    Status.WITHDRAWN: "dossier.withdrawn",
    Status.STOPPED: "dossier.stopped",
    Status.FINISHED: "dossier.finished",
    Status.RETURNED: "dossier.returned",
}


def key(change: StatusChange) -> str:
    return f"dossier-status:{change.pk}"


def dossier_url(dossier) -> str:
    """Where the applicant follows the dossier: its page for an account holder, else the public
    tracking page (a counter dossier's applicant may have no account)."""
    if dossier.applicant_id:
        path = reverse("dossiers:detail", kwargs={"code": dossier.code})
    else:
        path = reverse("dossiers:track")
    return settings.SITE_URL.rstrip("/") + path


def addresses(dossier) -> dict:
    """Where to reach the applicant: the addresses given on the dossier, else the account's."""
    account = dossier.applicant
    return {
        "email": dossier.applicant_email or (account.email if account else "") or "",
        "phone": dossier.applicant_phone or (account.phone if account else "") or "",
    }


def _supplement_reasons(dossier, reasons: list[dict]) -> list[dict]:
    names = dict(dossier.components.values_list("pk", "name"))
    return [
        {
            "component": names.get(reason.get("component"), ""),
            "reason": REASON_LABELS.get(reason.get("code"), reason.get("code", "")),
            "note": reason.get("note", ""),
        }
        for reason in reasons
    ]


def context(change: StatusChange, *, supplement_reasons: list[dict] | None = None) -> dict:
    """The event's variables (notifications/events.py), as plain text."""
    dossier = change.dossier
    return {
        "applicant_name": dossier.applicant_name,
        "dossier_code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "agency_name": dossier.agency.name,
        "url": dossier_url(dossier),
        "status": change.get_to_status_display(),
        "changed_at": moment(change.at),
        "due_at": moment(dossier.due_at),
        "is_resubmission": "1" if change.action == "resubmit" else "",
        "reason": REASON_LABELS.get(change.reason_code, ""),
        "note": change.note,
        "reasons": _supplement_reasons(dossier, supplement_reasons or []),
        "result_summary": getattr(dossier, "result_summary", "") or "",
    }


def status_changed(change: StatusChange, *, supplement_reasons: list[dict] | None = None):
    """Queue the message about one change (call inside the action's transaction)."""
    dossier = change.dossier
    if not dossier.code:
        return None
    return outbox.notify(
        event=EVENTS[change.to_status],
        context=context(change, supplement_reasons=supplement_reasons),
        key=key(change),
        now=change.at,
        **addresses(dossier),
        user=dossier.applicant,
        reference=dossier.code,
        agency=dossier.agency,
    )


def with_messages(dossier, changes: list[StatusChange]) -> list[StatusChange]:
    """Attach to each change the messages sent about it (`change.notices`, first channel
    first, then its fallbacks), so the desk sees on the timeline whether the applicant was
    told, and a failed delivery."""
    by_key: dict[str, list[Message]] = {}
    for message in (
        Message.objects.about(dossier.code).filter(agency=dossier.agency_id).order_by("pk")
    ):
        by_key.setdefault(message.key, []).append(message)
    for change in changes:
        change.notices = by_key.get(key(change), [])
    return changes
