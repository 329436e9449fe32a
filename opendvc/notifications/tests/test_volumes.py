"""/can-bo/thong-bao/thong-ke/: the administrators' volumes and failures of the outbox."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from opendvc.notifications.models import Message

pytestmark = pytest.mark.django_db
URL = reverse("notifications:volumes")
# 10:00 in Hà Nội on 20 March 2026.
NOW = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)


def _message(n: int, *, at: datetime, channel="sms", state="sent", **fields) -> Message:
    values = {
        "key": f"test:{n}",
        "channel": channel,
        "event": "dossier.received",
        "to": "0912345678",
        "body": "Ho so da duoc tiep nhan.",
        "state": state,
        "created_at": at,
    }
    return Message.objects.create(**(values | fields))


def _cells(page: str, row_header: str) -> list[str]:
    """The data cells of the table row whose header is `row_header`."""
    row = re.search(rf'<th scope="row">{re.escape(row_header)}</th>(.*?)</tr>', page, re.S)
    assert row, f"no row {row_header}"
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    ]


@pytest.mark.parametrize("who", ["citizen", "desk_officer", "leader"])
def test_only_superusers(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 404


def test_anonymous_goes_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@time_machine.travel(NOW, tick=False)
def test_counts_per_channel_and_state_over_the_last_30_days(client, superuser):
    _message(1, at=NOW - timedelta(days=1), channel="sms", state="delivered")
    _message(2, at=NOW - timedelta(days=1), channel="sms", state="failed", error="Sai số")
    _message(3, at=NOW - timedelta(days=2), channel="sms", state="sent")
    _message(4, at=NOW - timedelta(days=2), channel="sms", state="failed", error="Hết tiền")
    _message(5, at=NOW, channel="email", state="queued")
    _message(6, at=NOW - timedelta(days=40), channel="zalo", state="failed", error="Cũ")
    client.force_login(superuser)

    page = client.get(URL).content.decode()

    # Chờ gửi, Đang gửi, Đã gửi, Đã nhận, Không gửi được, Tổng, Tỷ lệ lỗi
    assert _cells(page, "SMS") == ["0", "0", "1", "1", "2", "4", "50,0 %"]
    assert _cells(page, "E-mail") == ["1", "0", "0", "0", "0", "1", "—"]
    assert _cells(page, "Zalo") == ["0", "0", "0", "0", "0", "0", "—"]  # 40 days ago: outside
    assert "Sai số" in page and "Hết tiền" in page and "Cũ" not in page


@time_machine.travel(NOW, tick=False)
def test_per_day_table_uses_local_days_and_lists_empty_days(client, superuser):
    # 23:30 on 18 March in Hà Nội is still 18 March there, though 16:30 UTC.
    _message(1, at=datetime(2026, 3, 18, 16, 30, tzinfo=UTC), state="failed", error="x")
    # 00:30 on 19 March in Hà Nội is 17:30 UTC on 18 March.
    _message(2, at=datetime(2026, 3, 18, 17, 30, tzinfo=UTC))
    _message(3, at=datetime(2026, 3, 18, 18, 0, tzinfo=UTC))
    client.force_login(superuser)

    page = client.get(URL, {"since": "2026-03-17", "until": "2026-03-19"}).content.decode()

    assert _cells(page, "17/03/2026")[:2] == ["0", "0"]
    assert _cells(page, "18/03/2026")[:2] == ["1", "1"]
    assert _cells(page, "19/03/2026")[:2] == ["2", "0"]
    assert "20/03/2026" not in page and "16/03/2026" not in page
    assert 'style="width: 100%"' in page and 'style="width: 50%"' in page


@time_machine.travel(NOW, tick=False)
def test_an_invalid_period_falls_back_to_the_default(client, superuser):
    _message(1, at=NOW - timedelta(days=3))
    client.force_login(superuser)

    response = client.get(URL, {"since": "2026-03-19", "until": "2026-03-01"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu" in page
    assert "19/02/2026" in page and "20/03/2026" in page  # the last 30 days


@time_machine.travel(NOW, tick=False)
def test_query_count_is_constant(client, superuser, django_assert_max_num_queries):
    client.force_login(superuser)
    _message(0, at=NOW, state="failed", error="x")
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for n in range(1, 30):
        _message(
            n,
            at=NOW - timedelta(days=n),
            channel=["sms", "zalo", "email"][n % 3],
            state=["failed", "sent", "delivered"][n % 3],
            error="lỗi",
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
