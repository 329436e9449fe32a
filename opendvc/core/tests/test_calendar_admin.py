"""Days entered by administrators override the package, at once and for every deadline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from opendvc.audit.models import AuditEntry
from opendvc.core import calendar
from opendvc.core.calendar import due_at, is_working_day
from opendvc.core.models import CalendarDay

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "/quan-tri-he-thong/core/calendarday"
API = "/api/v1/calendar/due-date"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture(autouse=True)
def fresh_overrides(db):
    calendar.forget_overrides()
    yield
    calendar.forget_overrides()


def test_a_holiday_entered_in_admin_moves_the_due_date_and_is_audited(client, superuser):
    query = f"{API}?received_at=2026-03-02T10:00:00%2B07:00&amount=1&unit=WORKING_DAY"
    assert client.get(query).json()["due_at"] == "2026-03-03T17:00:00+07:00"
    client.force_login(superuser)
    form = {"date": "2026-03-03", "kind": "HOLIDAY", "reason": "Ngày nghỉ riêng của tỉnh"}
    response = client.post(f"{ADMIN}/add/", form)
    assert response.status_code == 302
    assert client.get(query).json()["due_at"] == "2026-03-04T17:00:00+07:00"
    entry = AuditEntry.objects.get(action="core.calendarday_created")
    assert entry.actor_id == superuser.pk and entry.payload["via"] == "admin"
    listing = client.get(f"{ADMIN}/")
    assert listing.status_code == 200 and "Ngày nghỉ riêng của tỉnh" in listing.content.decode()


def test_a_make_up_saturday_entered_later_counts_as_a_working_day():
    assert due_at(at("2026-03-06T10:00:00"), 1, "WORKING_DAY") == at("2026-03-09T17:00:00")
    CalendarDay.objects.create(
        date=date(2026, 3, 7), kind=CalendarDay.Kind.WORKING_DAY, reason="Làm bù"
    )
    assert is_working_day(date(2026, 3, 7))
    assert due_at(at("2026-03-06T10:00:00"), 1, "WORKING_DAY") == at("2026-03-07T17:00:00")
    assert calendar.effective_reception(at("2026-03-07T08:00:00")) == at("2026-03-07T08:00:00")


def test_an_administrator_can_cancel_a_swap_of_the_package():
    day = CalendarDay.objects.create(
        date=date(2026, 8, 22), kind=CalendarDay.Kind.HOLIDAY, reason="Hủy làm bù"
    )
    assert not is_working_day(date(2026, 8, 22))
    assert due_at(at("2026-08-21T10:00:00"), 1, "WORKING_DAY") == at("2026-08-24T17:00:00")
    day.delete()
    assert is_working_day(date(2026, 8, 22))


def test_deleting_a_day_in_admin_is_audited_and_takes_effect(client, superuser):
    day = CalendarDay.objects.create(
        date=date(2026, 3, 3), kind=CalendarDay.Kind.HOLIDAY, reason="Nhầm"
    )
    assert not is_working_day(date(2026, 3, 3))
    client.force_login(superuser)
    response = client.post(f"{ADMIN}/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert is_working_day(date(2026, 3, 3))
    assert AuditEntry.objects.filter(action="core.calendarday_deleted").count() == 1


def test_computing_many_deadlines_reads_the_days_once(django_assert_num_queries, settings):
    settings.OPENDVC_CALENDAR_RECHECK_SECONDS = 3600
    with django_assert_num_queries(2):  # the version check, then the rows
        for hour in range(100):
            due_at(at("2026-02-13T08:00:00"), hour % 10, "WORKING_DAY")


def test_a_change_made_elsewhere_is_seen_after_the_recheck_interval(settings):
    settings.OPENDVC_CALENDAR_RECHECK_SECONDS = 3600
    assert is_working_day(date(2026, 3, 3))
    # Another process's change: no save() here, so this process's cache is not told.
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=date(2026, 3, 3), kind=CalendarDay.Kind.HOLIDAY, reason="Tỉnh nghỉ")]
    )
    assert is_working_day(date(2026, 3, 3))  # still cached
    settings.OPENDVC_CALENDAR_RECHECK_SECONDS = 0
    assert not is_working_day(date(2026, 3, 3))
