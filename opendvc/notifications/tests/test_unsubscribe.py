"""One-click unsubscribe of announcements (RFC 8058): the link's token is the key."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.notifications import links
from opendvc.notifications.models import Preference

pytestmark = pytest.mark.django_db


def _consenting(user) -> Preference:
    return Preference.objects.create(
        user=user,
        accepts_announcements=True,
        announcements_changed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_unsubscribe_url_is_absolute_and_creates_the_default_preference(citizen, settings):
    settings.SITE_URL = "https://dichvucong.example.vn/"

    url = links.unsubscribe_url(citizen.pk)

    preference = Preference.objects.get(user=citizen)
    assert url == (
        f"https://dichvucong.example.vn/thong-bao/huy-dang-ky/{preference.unsubscribe_token}/"
    )
    assert preference.quiet_from.hour == 22 and preference.quiet_until.hour == 7
    assert not preference.accepts_announcements
    assert links.unsubscribe_url(citizen.pk) == url  # the same link every time


def test_unsubscribe_url_keeps_a_saved_preference(citizen):
    preference = _consenting(citizen)

    url = links.unsubscribe_url(citizen.pk)

    assert url.endswith(f"/thong-bao/huy-dang-ky/{preference.unsubscribe_token}/")
    assert Preference.objects.get(user=citizen).accepts_announcements


def test_get_shows_one_button_without_signing_in_and_changes_nothing(citizen):
    preference = _consenting(citizen)

    url = reverse("notifications:unsubscribe", args=[preference.unsubscribe_token])

    response = Client().get(url)

    assert response.status_code == 200
    assert f'<form method="post" action="{url}">' in response.content.decode()
    assert Preference.objects.get(pk=preference.pk).accepts_announcements


def test_one_click_post_without_csrf_withdraws_consent_and_audits(citizen):
    preference = _consenting(citizen)
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("notifications:unsubscribe", args=[preference.unsubscribe_token]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    assert "Đã ngừng nhận thông tin tuyên truyền" in response.content.decode()
    preference.refresh_from_db()
    assert not preference.accepts_announcements
    assert preference.announcements_changed_at > datetime(2026, 1, 1, tzinfo=UTC)
    entry = AuditEntry.objects.get(action="notifications.announcements_unsubscribed")
    assert entry.actor_id == citizen.pk and entry.target_id == str(preference.pk)


def test_unsubscribe_keeps_the_channels_for_own_dossiers(citizen):
    preference = _consenting(citizen)
    preference.use_sms = False
    preference.save()

    Client().post(reverse("notifications:unsubscribe", args=[preference.unsubscribe_token]))

    preference.refresh_from_db()
    assert (preference.use_zalo, preference.use_sms, preference.use_email) == (True, False, True)
    assert preference.quiet_from is None and preference.quiet_until is None


def test_repeated_post_is_harmless(citizen):
    preference = _consenting(citizen)
    url = reverse("notifications:unsubscribe", args=[preference.unsubscribe_token])
    Client().post(url)
    first = Preference.objects.get(pk=preference.pk).announcements_changed_at

    response = Client().post(url)

    assert response.status_code == 200
    assert Preference.objects.get(pk=preference.pk).announcements_changed_at == first
    assert AuditEntry.objects.filter(action="notifications.announcements_unsubscribed").count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_token_is_404(citizen, method):
    _consenting(citizen)

    response = getattr(Client(), method)(reverse("notifications:unsubscribe", args=["nope"]))

    assert response.status_code == 404
    assert Preference.objects.get(user=citizen).accepts_announcements
