"""Legal time: Vietnamese working days, office hours and the due moment of a processing time.

Sources of the calendar, strongest first:
1. `CalendarDay` rows an administrator enters (a swap the government announces late, a
   province's own holiday);
2. the `holidays` package, country VN: the public holidays of Labour Code 2019 Art. 112 (Tết by
   the lunar calendar included), their compensatory days off, the government's swap days off
   and the Saturdays declared make-up working days (`weekend_workdays`);
3. Monday to Friday.

Every datetime is aware; answers are in settings.TIME_ZONE (Asia/Ho_Chi_Minh). Naive input is a
ValueError, because a deadline computed in the wrong zone is wrong by seven hours.

Amounts may be Decimal with a fraction:
- WORKING_DAY N + f: the close of the N-th working day, then the share f of the office hours of
  the next working day (0.5 received Monday = Tuesday at mid-day). A fraction is thus part of a
  later day, as the reception day is never counted, and a longer time never ends earlier.
- HOUR: exact working hours and minutes.
- DAY: a fraction of a calendar day counts as the whole day (the period ends at a day's close).
- MONTH N + f: N months by Civil Code Art. 148, then f × 30 days (Art. 145: a month is thirty
  days), rounded up to a whole day.
"""

import math
import time
from calendar import monthrange
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db.models import Count, Max

UNITS = ("WORKING_DAY", "DAY", "HOUR", "MONTH")
# The longest time accepted per unit: beyond these an amount is a typing error, not a procedure.
MAX_AMOUNT = {"WORKING_DAY": 1000, "DAY": 3650, "HOUR": 10000, "MONTH": 120}
# A day is searched for at most this far ahead; no real calendar has so many days off in a row.
_MAX_DAYS_OFF = 60

_overrides: dict[date, bool] = {}
_overrides_version: tuple | None = None
_overrides_checked_at = -math.inf


# --- the working-day calendar -------------------------------------------------------------


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def office_hours() -> tuple[clock, clock]:
    """(opening, closing) of the one-stop desks, from OPENDVC_OFFICE_OPENS/CLOSES."""
    opens = clock.fromisoformat(settings.OPENDVC_OFFICE_OPENS)
    closes = clock.fromisoformat(settings.OPENDVC_OFFICE_CLOSES)
    if opens >= closes:
        raise ValueError("OPENDVC_OFFICE_OPENS must be before OPENDVC_OFFICE_CLOSES.")
    return opens, closes


@lru_cache(maxsize=64)
def _package_days(year: int) -> tuple[frozenset, frozenset]:
    """(days off, make-up working Saturdays) of `year` from the `holidays` package.

    Neighbouring years are populated too: a swap decided with one year's holiday may move work
    onto a Saturday of the next (31/12/2018 off, 05/01/2019 worked).
    """
    days = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    off = frozenset(d for d in days if d.year == year)
    made_up = frozenset(d for d in days.weekend_workdays if d.year == year)
    return off, made_up


def forget_overrides() -> None:
    """Make the next question reread administrator-entered days (called when one is saved)."""
    global _overrides_version, _overrides_checked_at
    _overrides_version = None
    _overrides_checked_at = -math.inf


def _current_overrides() -> dict[date, bool]:
    """Administrator-entered days as {date: is working}, reread when the table changed.

    The check (one aggregate query) runs at most every OPENDVC_CALENDAR_RECHECK_SECONDS, so
    deadlines computed in a loop cost no query each.
    """
    global _overrides, _overrides_version, _overrides_checked_at
    from .models import CalendarDay

    if time.monotonic() - _overrides_checked_at < settings.OPENDVC_CALENDAR_RECHECK_SECONDS:
        return _overrides
    _overrides_checked_at = time.monotonic()
    version = tuple(CalendarDay.objects.aggregate(n=Count("id"), at=Max("updated_at")).values())
    if version != _overrides_version:
        rows = CalendarDay.objects.values_list("date", "kind")
        _overrides = {day: kind == CalendarDay.Kind.WORKING_DAY for day, kind in rows}
        _overrides_version = version
    return _overrides


def _is_working(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    off, made_up = _package_days(day.year)
    if day.weekday() >= 5:
        return day in made_up
    return day not in off


def is_working_day(day: date) -> bool:
    """Whether public offices work on `day`.

    Saturday and Sunday are the weekly rest of state offices (Decision 188/1999/QĐ-TTg);
    public holidays, Tết and compensatory days are off (Labour Code 2019 Art. 112); the
    make-up Saturdays of the government's swap decisions are worked.
    """
    if isinstance(day, datetime):
        day = to_local(day).date()
    return _is_working(day, _current_overrides())


def _next_working(day: date, overrides: dict[date, bool]) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    for _ in range(_MAX_DAYS_OFF):
        if _is_working(day, overrides):
            return day
        day += timedelta(days=1)
    raise ValueError(f"No working day in the {_MAX_DAYS_OFF} days from {day}.")


def _nth_working_after(day: date, n: int, overrides: dict[date, bool]) -> date:
    """The n-th working day after `day`, `day` not counted (n = 0: `day` itself)."""
    for _ in range(n):
        day = _next_working(day + timedelta(days=1), overrides)
    return day


# --- moments --------------------------------------------------------------------------------


def to_local(at: datetime) -> datetime:
    """`at` in the local zone; a naive datetime is refused."""
    if not isinstance(at, datetime):
        raise ValueError("A datetime is required.")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("The datetime has no time zone offset.")
    return at.astimezone(local_zone())


def _at(day: date, moment: clock) -> datetime:
    return datetime.combine(day, moment, tzinfo=local_zone())


def effective_reception(at: datetime) -> datetime:
    """When a dossier submitted at `at` counts as received.

    `at` itself inside office hours [opening, closing) of a working day; otherwise the opening
    of the next working day. The one-stop rules (Decree 61/2018, amended by Decree 107/2021):
    a dossier submitted online after office hours or on a day off is received on the next
    working day.
    A submission exactly at closing time is after hours.
    """
    local = to_local(at)
    opens, closes = office_hours()
    overrides = _current_overrides()
    day = local.date()
    if _is_working(day, overrides):
        if local.time() < opens:
            return _at(day, opens)
        if local.time() < closes:
            return local
    return _at(_next_working(day + timedelta(days=1), overrides), opens)


# --- the due moment -------------------------------------------------------------------------


def _amount(amount: int | Decimal, unit: str) -> Decimal:
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}; expected one of {', '.join(UNITS)}.")
    if isinstance(amount, bool):
        raise ValueError("The amount must be a number.")
    try:
        value = Decimal(str(amount))
    except InvalidOperation as error:
        raise ValueError("The amount must be a number.") from error
    if not value.is_finite() or value < 0:
        raise ValueError("The amount must be a non-negative number.")
    if value > MAX_AMOUNT[unit]:
        raise ValueError(f"The amount exceeds {MAX_AMOUNT[unit]} for {unit}.")
    return value


def _share_of_day(fraction: Decimal) -> timedelta:
    opens, closes = office_hours()
    length = _at(date(2000, 1, 3), closes) - _at(date(2000, 1, 3), opens)
    return timedelta(seconds=float(fraction * Decimal(length.total_seconds())))


def _working_days_due(start: datetime, amount: Decimal, overrides: dict) -> datetime:
    """Civil Code 2015 Art. 147(2): the reception day is not counted. The time ends at the
    close of office hours of the N-th working day after it, not at the midnight of Art. 148:
    the one-stop desk hands results out while it is open.
    """
    whole = int(amount)
    fraction = amount - whole
    last = _nth_working_after(start.date(), whole, overrides)
    if not fraction:
        return _at(last, office_hours()[1])
    following = _nth_working_after(last, 1, overrides)
    return _at(following, office_hours()[0]) + _share_of_day(fraction)


def _working_hours_due(start: datetime, amount: Decimal, overrides: dict) -> datetime:
    """Civil Code 2015 Art. 147(1): a time in hours runs from the moment of reception; only
    office hours of working days count."""
    left = timedelta(seconds=float(amount * 3600))
    opens, closes = office_hours()
    moment = start
    while True:
        available = _at(moment.date(), closes) - moment
        if left <= available:
            return moment + left
        left -= available
        moment = _at(_nth_working_after(moment.date(), 1, overrides), opens)


def _add_months(day: date, months: int) -> date:
    """Civil Code 2015 Art. 148(3): the corresponding day of the last month, or that month's
    last day when it has no such day (31/01 + 1 month = 28/02 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _calendar_due(start: datetime, amount: Decimal, unit: str, overrides: dict) -> datetime:
    """Civil Code 2015 Art. 147–148: calendar days or months, the reception day not counted;
    a last day that is a weekly rest day or a holiday moves to the next working day (Art. 148),
    and the time ends at the close of office hours of that day."""
    if unit == "MONTH":
        whole = int(amount)
        last = _add_months(start.date(), whole)
        last += timedelta(days=math.ceil((amount - whole) * 30))
    else:
        last = start.date() + timedelta(days=math.ceil(amount))
    return _at(_next_working(last, overrides), office_hours()[1])


def due_at(received_at: datetime, amount: int | Decimal, unit: str) -> datetime:
    """The legal due moment of a processing time of `amount` `unit` counted from a reception.

    `received_at` should already be effective; it is passed through effective_reception
    again (which leaves an effective moment unchanged), so a raw submission moment gives the
    same answer. WORKING_DAY: close of the N-th working day after the reception day. DAY and
    MONTH: calendar time, a last day off moved to the next working day's close. HOUR: working
    hours inside office hours. Raises ValueError for a naive datetime, an unknown unit, or a
    negative, non-numeric or too large amount (MAX_AMOUNT).
    """
    value = _amount(amount, unit)
    overrides = _current_overrides()
    try:
        start = effective_reception(received_at)
        if unit == "WORKING_DAY":
            return _working_days_due(start, value, overrides)
        if unit == "HOUR":
            return _working_hours_due(start, value, overrides)
        return _calendar_due(start, value, unit, overrides)
    except OverflowError as error:
        raise ValueError("The due date is beyond the calendar.") from error


def working_days_left(now: datetime, due: datetime) -> int:
    """Whole working days after the day of `now` up to the day of `due` (0 if `due` is past).

    Used to freeze a time when a supplement is requested (the day of the request counts as
    spent) and to restart it from the new reception: due_at(new, left, "WORKING_DAY").
    """
    today, last = to_local(now).date(), to_local(due).date()
    if to_local(now) >= to_local(due):
        return 0
    overrides = _current_overrides()
    count, day = 0, today + timedelta(days=1)
    while day <= last:
        count += _is_working(day, overrides)
        day += timedelta(days=1)
    return count
