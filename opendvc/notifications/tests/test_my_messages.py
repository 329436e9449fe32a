"""'Tin nhắn của tôi': the signed-in person's own messages, and nobody else's."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from opendvc.notifications.models import Message

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:my_messages")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _message(user, n: int, **fields) -> Message:
    values = {
        "key": f"test:{user.pk}:{n}",
        "channel": "email",
        "event": "dossier.received",
        "recipient": user,
        "to": user.email or user.phone,
        "subject": f"Hồ sơ H{n:04d} đã được tiếp nhận",
        "body": f"Nội dung số {n}.\nDòng thứ hai.",
        "created_at": T0 + timedelta(minutes=n),
    }
    return Message.objects.create(**(values | fields))


def _page_of_404(response) -> str:
    """The 404 page without what differs per request: the CSRF token and the path itself."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page.replace(response.wsgi_request.get_full_path(), "")


def test_anonymous_goes_to_sign_in(client):
    for url in (LIST, reverse("notifications:my_message", args=[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_list_shows_own_messages_newest_first(client, citizen, other_citizen):
    _message(citizen, 1, reference="000.00.12.H56-260302-0001", state="delivered")
    _message(
        citizen,
        2,
        channel="sms",
        subject="",
        body="Ho so da duoc tiep nhan.\nChi tiet",
        state="failed",
    )
    _message(other_citizen, 3, subject="Tin của người khác")
    client.force_login(citizen)

    response = client.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Ho so da duoc tiep nhan.") < page.index("Hồ sơ H0001 đã được tiếp nhận")
    assert "Chi tiet" not in page  # only the first line of an SMS
    assert "Tin của người khác" not in page
    assert "Đã nhận" in page and "Không gửi được" in page and "SMS" in page
    detail = reverse("dossiers:detail", kwargs={"code": "000.00.12.H56-260302-0001"})
    assert f'href="{detail}"' in page


def test_list_is_paged(client, citizen):
    for n in range(25):
        _message(citizen, n)
    client.force_login(citizen)

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert "H0024" in first and "H0005" in first and "H0004" not in first
    assert "H0004" in second and "H0000" in second and "H0024" not in second


def test_list_query_count_does_not_grow(client, citizen, django_assert_max_num_queries):
    client.force_login(citizen)
    for n in range(3):
        _message(citizen, n, reference=f"R-{n}")
    with django_assert_max_num_queries(6) as few:
        client.get(LIST)
    for n in range(3, 20):
        _message(citizen, n, reference=f"R-{n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)

    assert response.content.decode().count('href="/tai-khoan/tin-nhan/') == 20


def test_detail_shows_the_whole_body(client, citizen):
    message = _message(citizen, 1, reference="000.00.12.H56-260302-0001")
    client.force_login(citizen)

    response = client.get(reverse("notifications:my_message", args=[message.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nội dung số 1.\nDòng thứ hai." in page
    assert "an@example.vn" in page


def test_another_persons_message_is_404_like_a_missing_one(client, citizen, other_citizen):
    theirs = _message(other_citizen, 1)
    client.force_login(citizen)

    not_mine = client.get(reverse("notifications:my_message", args=[theirs.pk]))
    missing = client.get(reverse("notifications:my_message", args=[theirs.pk + 1000]))

    assert not_mine.status_code == missing.status_code == 404
    assert _page_of_404(not_mine) == _page_of_404(missing)


def test_a_message_without_recipient_is_nobodys(client, citizen):
    orphan = _message(citizen, 1, recipient=None)
    client.force_login(citizen)

    assert client.get(reverse("notifications:my_message", args=[orphan.pk])).status_code == 404
    assert "H0001" not in client.get(LIST).content.decode()
