"""Legal time: working days, reception moments and due moments, against the official calendar.

Expected dates are worked out by hand from the government calendar (the `holidays` package's
reference export, rows copied below), not from the code under test.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from opendvc.core import calendar
from opendvc.core.calendar import due_at, effective_reception, is_working_day, working_days_left

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# From vn_public_holidays_2015_2030 (python-holidays): the weekday days off of 2026 and 2027.
DAYS_OFF_2026_2027 = [
    "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02",
    "2026-11-24", "2027-01-01", "2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09",
    "2027-02-10", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03",
    "2027-11-24",
]  # fmt: skip
# From vn_weekend_makeup_workdays: Saturdays declared working days by swap decisions.
MAKE_UP_SATURDAYS = [
    "2015-02-14", "2015-04-25", "2019-01-05", "2019-05-04", "2024-05-04", "2025-04-26",
    "2026-08-22",
]  # fmt: skip


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture(autouse=True)
def fresh_overrides(db):
    calendar.forget_overrides()
    yield
    calendar.forget_overrides()


# --- the calendar ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", DAYS_OFF_2026_2027)
def test_public_holidays_are_not_working_days(day):
    assert not is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", MAKE_UP_SATURDAYS)
def test_make_up_saturdays_are_working_days(day):
    assert is_working_day(date.fromisoformat(day))


def test_ordinary_weekdays_work_and_weekends_rest():
    assert is_working_day(date(2026, 2, 13)) and is_working_day(date(2026, 2, 23))
    assert not is_working_day(date(2026, 2, 14)) and not is_working_day(date(2026, 2, 22))
    assert not is_working_day(date(2026, 8, 29))  # an ordinary Saturday


# --- reception ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "received"),
    [
        ("2026-03-02T10:15:00", "2026-03-02T10:15:00"),  # inside office hours
        ("2026-03-02T07:30:00", "2026-03-02T07:30:00"),  # exactly at opening
        ("2026-03-02T16:59:59", "2026-03-02T16:59:59"),
        ("2026-03-02T17:00:00", "2026-03-03T07:30:00"),  # exactly at closing: after hours
        ("2026-03-02T22:40:00", "2026-03-03T07:30:00"),  # at night
        ("2026-03-03T05:10:00", "2026-03-03T07:30:00"),  # before opening
        ("2026-03-01T09:00:00", "2026-03-02T07:30:00"),  # on a Sunday
        ("2026-03-06T18:00:00", "2026-03-09T07:30:00"),  # Friday evening
        ("2026-04-30T09:00:00", "2026-05-04T07:30:00"),  # on 30/4, then 1/5 and a weekend
        ("2026-02-13T17:30:00", "2026-02-23T07:30:00"),  # the evening before Tết 2026
        ("2026-08-22T09:00:00", "2026-08-22T09:00:00"),  # a make-up Saturday
        ("2026-08-28T20:00:00", "2026-09-03T07:30:00"),  # before the National Day break
    ],
)
def test_effective_reception(submitted, received):
    assert effective_reception(at(submitted)) == at(received)


def test_reception_accepts_any_offset_and_answers_in_vietnam_time():
    received = effective_reception(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert received == at("2026-03-02T08:00:00")
    assert received.utcoffset() == timedelta(hours=7)
    night_in_utc = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)  # 17:30 in Hà Nội
    assert effective_reception(night_in_utc) == at("2026-03-03T07:30:00")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        effective_reception(datetime(2026, 3, 2, 10, 0))
    with pytest.raises(ValueError):
        due_at(datetime(2026, 3, 2, 10, 0), 1, "WORKING_DAY")
    with pytest.raises(ValueError):
        working_days_left(datetime(2026, 3, 2, 10, 0), at("2026-03-09T17:00:00"))


def test_office_hours_come_from_settings(settings):
    settings.OPENDVC_OFFICE_OPENS = "08:00"
    settings.OPENDVC_OFFICE_CLOSES = "16:30"
    assert effective_reception(at("2026-03-02T07:45:00")) == at("2026-03-02T08:00:00")
    assert effective_reception(at("2026-03-02T16:40:00")) == at("2026-03-03T08:00:00")
    assert due_at(at("2026-03-02T10:00:00"), 1, "WORKING_DAY") == at("2026-03-03T16:30:00")


# --- working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "due"),
    [
        ("2026-02-13T10:00:00", 3, "2026-02-25T17:00:00"),  # the example: Tết 2026
        ("2026-02-12T08:00:00", 1, "2026-02-13T17:00:00"),
        ("2026-02-12T08:00:00", 2, "2026-02-23T17:00:00"),  # Feb 14–22 is one break
        ("2027-02-03T09:00:00", 3, "2027-02-15T17:00:00"),  # Tết 2027: Feb 4–10
        ("2027-02-03T09:00:00", 1, "2027-02-11T17:00:00"),
        ("2026-04-29T10:00:00", 2, "2026-05-05T17:00:00"),  # 30/4 and 1/5 2026
        ("2026-04-24T10:00:00", 1, "2026-04-28T17:00:00"),  # Hùng Kings, observed Monday
        ("2026-08-21T10:00:00", 1, "2026-08-22T17:00:00"),  # the make-up Saturday counts
        ("2026-08-21T10:00:00", 2, "2026-08-24T17:00:00"),
        ("2026-08-28T10:00:00", 1, "2026-09-03T17:00:00"),  # 31/8 swapped, 1–2/9 National Day
        ("2027-09-01T10:00:00", 1, "2027-09-06T17:00:00"),  # 2/9 and the day after, 2027
        ("2026-03-02T09:00:00", 5, "2026-03-09T17:00:00"),
        ("2026-03-02T09:00:00", 0, "2026-03-02T17:00:00"),  # same-day processing
    ],
)
def test_working_days_end_at_the_close_of_the_nth_working_day(received, amount, due):
    assert due_at(at(received), amount, "WORKING_DAY") == at(due)


def test_a_submission_at_night_before_tet_runs_from_after_tet():
    received = effective_reception(at("2026-02-13T20:00:00"))
    assert due_at(received, 3, "WORKING_DAY") == at("2026-02-26T17:00:00")


def test_due_at_takes_a_raw_submission_moment_as_its_reception():
    assert due_at(at("2026-02-14T10:00:00"), 1, "WORKING_DAY") == at("2026-02-24T17:00:00")


@pytest.mark.parametrize(
    ("amount", "due"),
    [
        (Decimal("0.5"), "2026-03-03T12:15:00"),  # half of 07:30–17:00 on the next working day
        (Decimal("1.5"), "2026-03-04T12:15:00"),
        (Decimal("1.0"), "2026-03-03T17:00:00"),
        (Decimal("0.25"), "2026-03-03T09:52:30"),
    ],
)
def test_fractions_of_a_working_day_are_shares_of_the_next_days_office_hours(amount, due):
    assert due_at(at("2026-03-02T10:00:00"), amount, "WORKING_DAY") == at(due)


# --- calendar days and months ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "unit", "due"),
    [
        ("2026-03-02T10:00:00", 10, "DAY", "2026-03-12T17:00:00"),
        ("2026-04-20T10:00:00", 10, "DAY", "2026-05-04T17:00:00"),  # ends on 30/4
        ("2026-03-02T10:00:00", 6, "DAY", "2026-03-09T17:00:00"),  # ends on a Sunday
        ("2026-02-06T10:00:00", 10, "DAY", "2026-02-23T17:00:00"),  # ends in Tết 2026
        ("2026-08-12T10:00:00", 10, "DAY", "2026-08-22T17:00:00"),  # the make-up Saturday
        ("2026-08-12T10:00:00", 11, "DAY", "2026-08-24T17:00:00"),  # a Sunday
        ("2026-08-12T10:00:00", 19, "DAY", "2026-09-03T17:00:00"),  # ends on 31/8 (swapped)
        ("2026-03-02T10:00:00", Decimal("2.5"), "DAY", "2026-03-05T17:00:00"),
        ("2026-03-16T10:00:00", 1, "MONTH", "2026-04-16T17:00:00"),
        ("2026-01-16T10:00:00", 1, "MONTH", "2026-02-23T17:00:00"),  # 16/2 is Tết
        ("2026-01-30T10:00:00", 1, "MONTH", "2026-03-02T17:00:00"),  # no 30/2; 28/2 Saturday
        ("2028-01-31T10:00:00", 1, "MONTH", "2028-02-29T17:00:00"),  # leap year
        ("2026-03-31T10:00:00", 2, "MONTH", "2026-06-01T17:00:00"),  # 31/5 is a Sunday
        ("2026-11-16T10:00:00", 3, "MONTH", "2027-02-16T17:00:00"),  # across the year
        ("2026-03-02T10:00:00", Decimal("1.5"), "MONTH", "2026-04-17T17:00:00"),  # + 15 days
    ],
)
def test_calendar_periods_end_on_a_working_day(received, amount, unit, due):
    assert due_at(at(received), amount, unit) == at(due)


# --- working hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "due"),
    [
        ("2026-03-02T10:00:00", Decimal("1.5"), "2026-03-02T11:30:00"),
        ("2026-03-02T15:00:00", 2, "2026-03-02T17:00:00"),  # exactly to the close
        ("2026-03-02T15:00:00", 4, "2026-03-03T09:30:00"),  # across a night
        ("2026-03-06T16:00:00", 3, "2026-03-09T09:30:00"),  # across a weekend
        ("2026-02-13T16:00:00", 2, "2026-02-23T08:30:00"),  # across Tết
        ("2026-03-02T22:00:00", 8, "2026-03-03T15:30:00"),  # submitted at night
        ("2026-03-02T10:00:00", 19, "2026-03-04T10:00:00"),  # two full office days later
    ],
)
def test_hours_count_inside_office_hours(received, amount, due):
    assert due_at(at(received), amount, "HOUR") == at(due)


# --- supplement pause and apology reset -------------------------------------------------------


def test_a_supplement_freezes_the_remaining_days_and_a_resubmission_restarts_them():
    due = due_at(at("2026-03-02T09:00:00"), 5, "WORKING_DAY")
    assert due == at("2026-03-09T17:00:00")
    left = working_days_left(at("2026-03-04T10:00:00"), due)
    assert left == 3  # Thursday, Friday, Monday; the day of the request is spent
    resubmitted = effective_reception(at("2026-03-10T19:30:00"))  # after the original due date
    assert resubmitted == at("2026-03-11T07:30:00")
    assert due_at(resubmitted, left, "WORKING_DAY") == at("2026-03-16T17:00:00")


def test_days_left_skip_holidays_and_stop_at_zero():
    due = at("2026-02-25T17:00:00")
    assert working_days_left(at("2026-02-13T10:00:00"), due) == 3
    assert working_days_left(at("2026-02-24T08:00:00"), due) == 1
    assert working_days_left(at("2026-02-25T09:00:00"), due) == 0
    assert working_days_left(at("2026-02-26T09:00:00"), due) == 0
    assert working_days_left(at("2026-02-28T09:00:00"), at("2026-02-20T17:00:00")) == 0


def test_an_apology_sets_a_new_due_date_from_its_own_moment():
    original = due_at(at("2026-04-27T08:00:00"), 2, "WORKING_DAY")  # Monday, a day off
    assert original == at("2026-05-04T17:00:00")  # 28/4 received; 29/4, then 4/5
    # The letter is sent on the due day, late; 3 more working days run from it.
    assert due_at(at("2026-05-04T16:00:00"), 3, "WORKING_DAY") == at("2026-05-07T17:00:00")


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(1, "WEEK"), (-1, "WORKING_DAY"), (1001, "WORKING_DAY"), (121, "MONTH"), (True, "DAY")]
    + [(Decimal("NaN"), "DAY"), (Decimal("Infinity"), "HOUR"), ("x", "DAY")],
)
def test_bad_amounts_and_units_are_refused(amount, unit):
    with pytest.raises(ValueError):
        due_at(at("2026-03-02T10:00:00"), amount, unit)


def test_a_due_date_beyond_the_calendar_is_a_value_error():
    with pytest.raises(ValueError):
        due_at(datetime(9999, 12, 20, 10, 0, tzinfo=VN), 20, "DAY")
