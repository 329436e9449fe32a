"""The statutory times of a PAKN, in working days (opendvc/core/calendar.py).

From the effective reception: refuse to take it in within 2 working days, ask the sender for
more information within 5, answer within 15. Once answered, decide publication within 2. The
sender may reopen an answer within 15 calendar days; reopening gives the agency 15 working days
again. Asking for information freezes the answer time like a dossier supplement: the whole
working days left are kept and run again from the sender's reply.
"""

from datetime import datetime

from opendvc.core import calendar

ACCEPT_DAYS = 2
INFO_DAYS = 5
ANSWER_DAYS = 15
PUBLISH_DAYS = 2
REOPEN_DAYS = 15


def working_days(start: datetime, amount: int) -> datetime:
    return calendar.due_at(start, amount, "WORKING_DAY")


def reception_times(now: datetime) -> dict:
    received = calendar.effective_reception(now)
    return {
        "received_at": received,
        "accept_due_at": working_days(received, ACCEPT_DAYS),
        "info_due_at": working_days(received, INFO_DAYS),
        "answer_due_at": working_days(received, ANSWER_DAYS),
    }


def frozen_days(now: datetime, due: datetime | None) -> int:
    """Working days left of the answer time at a pause (the day of the request is spent)."""
    return calendar.working_days_left(now, due) if due else ANSWER_DAYS


def resumed_due(now: datetime, left: int) -> datetime:
    # At least one working day after the reply: the agency needs a day to read it.
    return working_days(calendar.effective_reception(now), max(left, 1))


def publish_due(answered_at: datetime) -> datetime:
    return working_days(answered_at, PUBLISH_DAYS)


def reopen_until(answered_at: datetime) -> datetime:
    return calendar.due_at(answered_at, REOPEN_DAYS, "DAY")


def reopened_due(now: datetime) -> datetime:
    return working_days(calendar.effective_reception(now), ANSWER_DAYS)
