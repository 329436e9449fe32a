"""/can-bo/tin-nhan/: officials see the messages of their own agencies only."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from opendvc.notifications.models import DeliveryReport, Message

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:staff_messages")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _message(n: int, *, agency, user=None, **fields) -> Message:
    values = {
        "key": f"test:{n}",
        "channel": "sms",
        "event": "dossier.received",
        "recipient": user,
        "to": (user.phone if user else "") or "0900000000",
        "reference": f"000.00.12.H56-260302-{n:04d}",
        "agency": agency,
        "body": f"Ho so so {n} da duoc tiep nhan.",
        "created_at": T0 + timedelta(minutes=n),
    }
    return Message.objects.create(**(values | fields))


def _detail(message: Message) -> str:
    return reverse("notifications:staff_message", args=[message.pk])


def _page_of_404(response) -> str:
    """The 404 page without what differs per request: the CSRF token and the path itself."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page.replace(response.wsgi_request.get_full_path(), "")


def test_anonymous_goes_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_citizen_gets_404(client, citizen, agency):
    message = _message(1, agency=agency, user=citizen)
    client.force_login(citizen)

    assert client.get(LIST).status_code == 404
    assert client.get(_detail(message)).status_code == 404


def test_official_sees_only_their_agencys_messages(
    client, agency, other_agency, specialist, other_agency_officer, citizen
):
    ours = _message(1, agency=agency, user=citizen)
    theirs = _message(2, agency=other_agency, user=citizen)
    nobodys = _message(3, agency=None, user=citizen)
    client.force_login(other_agency_officer)

    page = client.get(LIST).content.decode()

    assert theirs.reference in page
    assert ours.reference not in page and nobodys.reference not in page
    assert client.get(_detail(theirs)).status_code == 200
    not_ours = client.get(_detail(ours))
    missing = client.get(reverse("notifications:staff_message", args=[nobodys.pk + 1000]))
    assert not_ours.status_code == missing.status_code == 404
    assert _page_of_404(not_ours) == _page_of_404(missing)
    assert client.get(_detail(nobodys)).status_code == 404


def test_superuser_sees_every_agency(client, superuser, agency, other_agency, citizen):
    ours = _message(1, agency=agency, user=citizen)
    theirs = _message(2, agency=other_agency, user=citizen)
    client.force_login(superuser)

    page = client.get(LIST).content.decode()

    assert ours.reference in page and theirs.reference in page
    assert client.get(_detail(theirs)).status_code == 200


@pytest.mark.parametrize(
    "q", ["0912345678", "0912 345 678", "+84912345678", "an@example", "văn an"]
)
def test_filter_by_citizen(client, desk_officer, agency, citizen, other_citizen, q):
    an = _message(1, agency=agency, user=citizen, channel="sms", to="0912345678")
    binh = _message(2, agency=agency, user=other_citizen, channel="sms", to="0987654321")
    client.force_login(desk_officer)

    page = client.get(LIST, {"q": q}).content.decode()

    assert an.reference in page
    assert binh.reference not in page


def test_filter_by_address_of_a_person_without_account(client, desk_officer, agency):
    guest = _message(1, agency=agency, channel="email", to="khach@example.vn")
    other = _message(2, agency=agency, channel="email", to="nguoikhac@example.vn")
    client.force_login(desk_officer)

    page = client.get(LIST, {"q": "khach@"}).content.decode()

    assert guest.reference in page and other.reference not in page


def test_filter_by_code_state_and_channel(client, desk_officer, agency, citizen):
    failed_sms = _message(1, agency=agency, user=citizen, state="failed", error="Số bị chặn")
    sent_sms = _message(2, agency=agency, user=citizen, state="sent")
    failed_mail = _message(3, agency=agency, user=citizen, channel="email", state="failed")
    client.force_login(desk_officer)

    by_state = client.get(LIST, {"state": "failed", "channel": "sms"}).content.decode()
    by_code = client.get(LIST, {"code": sent_sms.reference[-8:]}).content.decode()

    assert failed_sms.reference in by_state
    assert "Số bị chặn" in by_state  # failures show their error in the list
    assert sent_sms.reference not in by_state and failed_mail.reference not in by_state
    assert sent_sms.reference in by_code and failed_sms.reference not in by_code


def test_an_invalid_filter_is_named_and_left_out(client, desk_officer, agency, citizen):
    message = _message(1, agency=agency, user=citizen)
    client.force_login(desk_officer)

    response = client.get(LIST, {"state": "lost"})

    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    assert message.reference in response.content.decode()


def test_list_query_count_does_not_grow(
    client, desk_officer, agency, citizen, django_assert_max_num_queries
):
    client.force_login(desk_officer)
    _message(0, agency=agency, user=citizen)
    with django_assert_max_num_queries(10) as few:
        client.get(LIST)
    for n in range(1, 25):
        _message(n, agency=agency, user=citizen, state="failed", error="x")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)

    assert len(re.findall(r'href="/can-bo/tin-nhan/\d+/"', response.content.decode())) == 25


def test_detail_shows_attempts_reports_and_the_fallback_chain(
    client, desk_officer, agency, citizen
):
    zalo = _message(
        1,
        agency=agency,
        user=citizen,
        channel="zalo",
        state="failed",
        attempts=3,
        error="Người dùng chưa quan tâm OA",
        provider_id="zns-77",
        subject="",
    )
    sms = _message(
        2,
        agency=agency,
        user=citizen,
        fallback_of=zalo,
        state="delivered",
        provider_id="esms-42",
        attempts=1,
    )
    DeliveryReport.objects.create(
        channel="sms", message=sms, provider_id="esms-42", outcome="delivered", payload={}
    )
    DeliveryReport.objects.create(
        channel="zalo",
        message=zalo,
        provider_id="zns-77",
        outcome="failed",
        error_code="-124",
        payload={},
    )
    client.force_login(desk_officer)

    of_sms = client.get(_detail(sms)).content.decode()
    of_zalo = client.get(_detail(zalo)).content.decode()

    assert "esms-42" in of_sms and sms.body in of_sms
    assert f'href="{_detail(zalo)}"' in of_sms  # the earlier attempt it replaced
    assert "Người dùng chưa quan tâm OA" in of_sms
    assert f'href="{_detail(sms)}"' in of_zalo  # and the later one that replaced it
    assert "-124" in of_zalo and "zns-77" in of_zalo
    assert "Người dùng chưa quan tâm OA" in of_zalo and ">3<" in of_zalo


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_staff_pages_on_a_phone_pass_axe(live_server, phone_page, superuser, agency, citizen):
    from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

    zalo = _message(
        1, agency=agency, user=citizen, channel="zalo", state="failed", error="Chưa quan tâm OA"
    )
    sms = _message(2, agency=agency, user=citizen, fallback_of=zalo, state="delivered")
    DeliveryReport.objects.create(channel="sms", message=sms, outcome="delivered", payload={})
    sign_in_as(phone_page, live_server.url, superuser)
    pages = [
        LIST,
        f"{LIST}?state=failed&channel=lost",
        _detail(sms),
        reverse("notifications:volumes"),
        reverse("notifications:volumes") + "?since=2026-03-01&until=2026-03-03",
    ]
    for path in pages:
        phone_page.goto(f"{live_server.url}{path}")
        assert serious_violations(phone_page) == [], path
        assert fits_the_screen(phone_page), path
