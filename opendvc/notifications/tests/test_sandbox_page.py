"""The sandbox mailbox shows the site's administrators what the sandbox channels would have
sent; to anyone else it is a missing page, and anonymous visitors are asked to sign in."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from opendvc.notifications.models import SandboxDelivery

pytestmark = pytest.mark.django_db

URL = "/thong-bao/hop-thu-thu-nghiem/"
EARLY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def delivery(channel: str, to: str, minutes: int = 0, **fields) -> SandboxDelivery:
    values = {
        "channel": channel,
        "request_id": f"odvc-{channel}-{to}-{minutes}",
        "to": to,
        "body": "Ho so T24-STP-261123-0001 da duoc tiep nhan.",
        "provider_id": f"sbx-{channel}-{minutes}",
        "created_at": EARLY + timedelta(minutes=minutes),
        **fields,
    }
    return SandboxDelivery.objects.create(**values)


def test_the_url_is_named():
    assert reverse("notifications:sandbox") == URL


def test_an_administrator_sees_what_would_have_been_sent(client, superuser):
    delivery(
        "email", "an@example.vn", subject="Hồ sơ T24-STP-261123-0001 đã được tiếp nhận",
        body="Kính gửi Nguyễn Văn An,\nHồ sơ của bạn đã được tiếp nhận.", requests=2,
    )  # fmt: skip
    delivery("zalo", "0912345678", minutes=1, data={"template_id": "231456"}, outcome="delivered")
    delivery("sms", "0987654301", minutes=2, outcome="failed")
    client.force_login(superuser)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Hồ sơ T24-STP-261123-0001 đã được tiếp nhận" in page
    assert "Kính gửi Nguyễn Văn An,\nHồ sơ của bạn đã được tiếp nhận." in page
    assert "231456" in page
    assert "gửi lại cùng mã yêu cầu, chỉ tính một tin" in page  # the repeated request
    assert "Không tới được người nhận" in page and "Người nhận đã nhận" in page
    # Newest first.
    assert page.index("0987654301") < page.index("0912345678") < page.index("an@example.vn")


def test_the_list_can_be_narrowed_to_one_channel(client, superuser):
    delivery("email", "an@example.vn")
    delivery("sms", "0987654321", minutes=1)
    client.force_login(superuser)

    response = client.get(URL, {"kenh": "sms"})

    assert list(response.context["deliveries"]) == list(
        SandboxDelivery.objects.filter(channel="sms")
    )
    assert "0987654321" in response.content.decode()
    assert "an@example.vn" not in response.content.decode()


def test_an_unknown_channel_is_named_and_ignored(client, superuser):
    delivery("email", "an@example.vn")
    client.force_login(superuser)

    response = client.get(URL, {"kenh": "fax"})

    assert response.status_code == 200
    assert "an@example.vn" in response.content.decode()
    assert "Một số điều kiện lọc không hợp lệ" in response.content.decode()


def test_only_the_latest_hundred_are_listed(client, superuser, django_assert_max_num_queries):
    for minute in range(105):
        delivery("sms", f"09000001{minute:02d}"[-10:], minutes=minute)
    client.force_login(superuser)

    with django_assert_max_num_queries(8):
        response = client.get(URL)

    shown = list(response.context["deliveries"])
    assert len(shown) == 100
    assert shown[0].created_at == EARLY + timedelta(minutes=104)


def test_no_deliveries_says_so(client, superuser):
    client.force_login(superuser)

    assert "Chưa có tin nhắn thử nghiệm nào." in client.get(URL).content.decode()


@pytest.mark.parametrize("actor", ["citizen", "desk_officer", "leader"])
def test_anyone_else_signed_in_gets_a_missing_page(client, request, actor):
    delivery("email", "an@example.vn")
    client.force_login(request.getfixturevalue(actor))

    response = client.get(URL)

    assert response.status_code == 404
    assert "an@example.vn" not in response.content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_the_sandbox_mailbox_on_a_phone_passes_axe(live_server, phone_page, superuser):
    from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

    delivery(
        "email", "nguyen.van.an.rat.dai@example.vn", subject="Hồ sơ T24-STP-261123-0001",
        body="Kính gửi Nguyễn Văn An,\n" + "Xem hồ sơ: https://dichvucong.example.vn/ho-so/" * 3,
        requests=2,
    )  # fmt: skip
    delivery("zalo", "0912345678", minutes=1, data={"template_id": "231456"}, outcome="delivered")
    sign_in_as(phone_page, live_server.url, superuser)

    for query in ("", "?kenh=zalo", "?kenh=fax"):
        phone_page.goto(f"{live_server.url}{URL}{query}")
        assert serious_violations(phone_page) == [], query
        assert fits_the_screen(phone_page), query
        assert "0912345678" in phone_page.content()
