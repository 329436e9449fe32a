"""What a person's preferences mean for one message: which channels, and not before when."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from .models import FALLBACK_ORDER, Channel, Preference

DEFAULT_QUIET = (time(22, 0), time(7, 0))
# Quiet hours hold back what makes a phone ring; an e-mail waits in the inbox anyway.
QUIET_CHANNELS = {Channel.ZALO, Channel.SMS}


def preference_for(user_id: int | None) -> Preference:
    """The person's saved preference, or the defaults (unsaved) for one who never chose, or
    for an applicant without an account."""
    if user_id is not None:
        saved = Preference.objects.filter(user_id=user_id).first()
        if saved is not None:
            return saved
    return Preference(user_id=user_id, quiet_from=DEFAULT_QUIET[0], quiet_until=DEFAULT_QUIET[1])


def address_on(channel: str, addresses: dict) -> str:
    """The address a channel uses: Zalo and SMS reach the phone number."""
    return addresses.get("email" if channel == Channel.EMAIL else "phone") or ""


def channels_for(addresses: dict, preference: Preference) -> list[str]:
    """The channels to try, in fallback order: those the person keeps on and has an address
    for."""
    wanted = {
        Channel.ZALO: preference.use_zalo,
        Channel.SMS: preference.use_sms,
        Channel.EMAIL: preference.use_email,
    }
    return [c for c in FALLBACK_ORDER if wanted[c] and address_on(c, addresses)]


def release_at(preference: Preference, *, channel: str, is_urgent: bool, now: datetime):
    """When a message may go: now, or at the end of the person's quiet hours (local time)."""
    start, end = preference.quiet_from, preference.quiet_until
    if is_urgent or channel not in QUIET_CHANNELS or start is None or end is None or start == end:
        return now
    local = timezone.localtime(now)
    clock = local.time()
    quiet = start <= clock < end if start < end else (clock >= start or clock < end)
    if not quiet:
        return now
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends
