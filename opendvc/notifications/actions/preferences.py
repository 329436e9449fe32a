"""Changes to how a person hears from the portal: their channels, quiet hours and their
consent to announcements."""

from datetime import datetime, time

from django.db import transaction

from opendvc.audit.actions import record

from ..models import Preference
from ..preferences import DEFAULT_QUIET


class PreferenceError(Exception):
    """The choice cannot be saved; the message says why, in Vietnamese."""


def _defaults() -> dict:
    return {"quiet_from": DEFAULT_QUIET[0], "quiet_until": DEFAULT_QUIET[1]}


def update_preferences(
    *,
    user,
    use_zalo: bool,
    use_sms: bool,
    use_email: bool,
    quiet_from: time | None,
    quiet_until: time | None,
    accepts_announcements: bool,
    now: datetime,
) -> Preference:
    """Save the person's choices (creating their row on first use) and audit what changed.
    The consent time is stamped only when the consent itself changes, so it keeps telling
    when the person agreed or withdrew. Raises PreferenceError when only one quiet time is
    given."""
    if (quiet_from is None) != (quiet_until is None):
        raise PreferenceError("Hãy chọn cả giờ bắt đầu và giờ kết thúc, hoặc bỏ trống cả hai.")
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(
            user=user, defaults=_defaults()
        )
        before = _snapshot(preference)
        preference.use_zalo, preference.use_sms, preference.use_email = use_zalo, use_sms, use_email
        preference.quiet_from, preference.quiet_until = quiet_from, quiet_until
        if preference.accepts_announcements != accepts_announcements:
            preference.accepts_announcements = accepts_announcements
            preference.announcements_changed_at = now
        preference.updated_at = now
        preference.save()
        after = _snapshot(preference)
        changed = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        record(
            action="notifications.preferences_updated",
            actor=user,
            target=preference,
            payload={"changed": changed},
            now=now,
        )
    return preference


def unsubscribe_announcements(*, token: str, now: datetime) -> Preference:
    """Withdraw consent to announcements for the holder of an unsubscribe link. Messages about
    the person's own dossiers go on. Repeating it changes nothing and audits nothing more.
    Raises Preference.DoesNotExist for an unknown token."""
    with transaction.atomic():
        preference = Preference.objects.select_for_update().get(unsubscribe_token=token)
        if not preference.accepts_announcements and preference.announcements_changed_at:
            return preference
        preference.accepts_announcements = False
        preference.announcements_changed_at = now
        preference.updated_at = now
        preference.save(
            update_fields=["accepts_announcements", "announcements_changed_at", "updated_at"]
        )
        record(
            action="notifications.announcements_unsubscribed",
            actor=preference.user,
            target=preference,
            payload={"via": "link"},
            now=now,
        )
    return preference


def _snapshot(preference: Preference) -> dict:
    def clock(value: time | None) -> str:
        return value.strftime("%H:%M") if value else ""

    return {
        "use_zalo": preference.use_zalo,
        "use_sms": preference.use_sms,
        "use_email": preference.use_email,
        "quiet": f"{clock(preference.quiet_from)}–{clock(preference.quiet_until)}",
        "accepts_announcements": preference.accepts_announcements,
    }
