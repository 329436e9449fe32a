"""The citizen's notification preferences page: channels, quiet hours and consent."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.notifications.models import Preference

pytestmark = pytest.mark.django_db
URL = reverse("notifications:preferences")
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def _post(client, **overrides):
    data = {
        "use_zalo": "on",
        "use_sms": "on",
        "use_email": "on",
        "quiet_from": "22:00",
        "quiet_until": "07:00",
    } | overrides
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_anonymous_goes_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_page_shows_the_defaults_and_the_addresses_used(client, citizen):
    client.force_login(citizen)

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "0912345678" in page and "an@example.vn" in page
    assert "Zalo → SMS → e-mail" in page
    assert 'value="22:00"' in page and 'value="07:00"' in page
    assert 'name="accepts_announcements"' in page
    assert 'name="accepts_announcements" checked' not in page
    assert not Preference.objects.filter(user=citizen).exists()  # looking creates nothing


def test_a_missing_address_is_named(client, citizen):
    citizen.email = None
    citizen.save()
    client.force_login(citizen)

    response = client.get(URL)

    assert "Tài khoản chưa có địa chỉ e-mail" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_saving_creates_the_preference_and_audits(client, citizen):
    client.force_login(citizen)

    response = _post(client, use_sms=None, quiet_from="21:30", quiet_until="06:15")

    assert response.status_code == 302 and response.url == URL
    preference = Preference.objects.get(user=citizen)
    assert (preference.use_zalo, preference.use_sms, preference.use_email) == (True, False, True)
    assert (preference.quiet_from, preference.quiet_until) == (time(21, 30), time(6, 15))
    assert not preference.accepts_announcements and preference.announcements_changed_at is None
    entry = AuditEntry.objects.get(action="notifications.preferences_updated")
    assert entry.actor_id == citizen.pk
    assert entry.payload["changed"] == {
        "use_sms": [True, False],
        "quiet": ["22:00–07:00", "21:30–06:15"],
    }
    assert "Đã lưu tùy chọn nhận thông báo" in client.get(URL).content.decode()


def test_consent_is_stamped_only_when_it_changes(client, citizen):
    client.force_login(citizen)
    with time_machine.travel(NOW, tick=False):
        _post(client, accepts_announcements="on")
    with time_machine.travel(datetime(2026, 3, 5, tzinfo=UTC), tick=False):
        _post(client, accepts_announcements="on", use_email=None)

    preference = Preference.objects.get(user=citizen)
    assert preference.accepts_announcements
    assert preference.announcements_changed_at == NOW
    assert not preference.use_email

    with time_machine.travel(datetime(2026, 3, 9, tzinfo=UTC), tick=False):
        _post(client)

    preference.refresh_from_db()
    assert not preference.accepts_announcements
    assert preference.announcements_changed_at == datetime(2026, 3, 9, tzinfo=UTC)
    assert AuditEntry.objects.filter(action="notifications.preferences_updated").count() == 3


def test_no_quiet_hours(client, citizen):
    client.force_login(citizen)

    _post(client, quiet_from="", quiet_until="")

    preference = Preference.objects.get(user=citizen)
    assert preference.quiet_from is None and preference.quiet_until is None


@pytest.mark.parametrize("given", [{"quiet_from": ""}, {"quiet_until": ""}])
def test_one_quiet_time_alone_is_refused(client, citizen, given):
    client.force_login(citizen)

    response = _post(client, **given)

    assert response.status_code == 400
    assert "cả giờ bắt đầu và giờ kết thúc" in response.content.decode()
    assert not Preference.objects.filter(user=citizen).exists()
    assert not AuditEntry.objects.filter(action="notifications.preferences_updated").exists()


def test_equal_quiet_times_are_refused(client, citizen):
    client.force_login(citizen)

    response = _post(client, quiet_from="22:00", quiet_until="22:00")

    assert response.status_code == 400
    assert "Giờ kết thúc phải khác giờ bắt đầu" in response.content.decode()
    assert not Preference.objects.filter(user=citizen).exists()


def test_all_channels_off_is_allowed_with_a_warning(client, citizen):
    client.force_login(citizen)

    response = _post(client, use_zalo=None, use_sms=None, use_email=None)

    assert response.status_code == 302
    preference = Preference.objects.get(user=citizen)
    assert not (preference.use_zalo or preference.use_sms or preference.use_email)
    page = client.get(URL).content.decode()
    assert "Bạn đã tắt mọi kênh" in page  # the message after saving
    assert "Bạn đang tắt mọi kênh" in page  # the page's own reminder


def test_one_person_cannot_change_another(client, citizen, other_citizen):
    client.force_login(other_citizen)

    _post(client, use_zalo=None)

    assert not Preference.objects.filter(user=citizen).exists()
    assert not Preference.objects.get(user=other_citizen).use_zalo


def test_get_only_and_post(client, citizen):
    client.force_login(citizen)

    assert client.put(URL).status_code == 405


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_citizen_pages_on_a_phone_pass_axe(live_server, phone_page, citizen):
    from opendvc.notifications.links import unsubscribe_url
    from opendvc.notifications.models import Message
    from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

    message = Message.objects.create(
        key="k1", channel="sms", event="dossier.received", recipient=citizen, to="0912345678",
        reference="000.00.12.H56-260302-0001", state="failed",
        body="Ho so 000.00.12.H56-260302-0001 da duoc tiep nhan. Hen tra: 12/03/2026.",
    )  # fmt: skip
    unsubscribe = unsubscribe_url(citizen.pk).replace("http://127.0.0.1:8000", live_server.url)
    sign_in_as(phone_page, live_server.url, citizen)
    pages = [
        URL,
        reverse("notifications:my_messages"),
        reverse("notifications:my_message", args=[message.pk]),
    ]
    for path in pages:
        phone_page.goto(f"{live_server.url}{path}")
        assert serious_violations(phone_page) == [], path
        assert fits_the_screen(phone_page), path

    phone_page.goto(f"{live_server.url}{URL}")
    phone_page.get_by_label("Không làm phiền từ").fill("")
    phone_page.get_by_role("button", name="Lưu tùy chọn").click()
    assert "cả giờ bắt đầu và giờ kết thúc" in phone_page.content()
    assert serious_violations(phone_page) == []

    for step in ("link", "done"):
        if step == "link":
            phone_page.goto(unsubscribe)
        else:
            phone_page.get_by_role("button", name="Ngừng nhận thông tin tuyên truyền").click()
            assert "Đã ngừng nhận" in phone_page.content()
        assert serious_violations(phone_page) == [], step
        assert fits_the_screen(phone_page), step
