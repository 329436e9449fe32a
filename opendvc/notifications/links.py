"""Links that go out inside messages, e.g. the one-click unsubscribe of announcements."""

from django.conf import settings
from django.urls import reverse

from .models import Preference
from .preferences import DEFAULT_QUIET


def unsubscribe_url(user_id: int) -> str:
    """The absolute unsubscribe link of a person. Creates their preference with the defaults
    when they never chose, so that the token in the link exists before the message goes."""
    preference, _ = Preference.objects.get_or_create(
        user_id=user_id, defaults={"quiet_from": DEFAULT_QUIET[0], "quiet_until": DEFAULT_QUIET[1]}
    )
    path = reverse("notifications:unsubscribe", args=[preference.unsubscribe_token])
    return settings.SITE_URL.rstrip("/") + path
