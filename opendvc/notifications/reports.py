"""Read-only reports over the outbox for the staff pages: aggregated in SQL, plain rows out."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import labels
from .models import Channel, Message

State = Message.State


@dataclass
class ChannelRow:
    channel: str
    label: str
    counts: dict  # state → number
    total: int = 0

    @property
    def in_state_order(self) -> list[int]:
        """The counts in the order of `labels.STATES`, for a table's columns."""
        return [self.counts.get(state, 0) for state in labels.STATES]

    @property
    def failed(self) -> int:
        return self.counts.get(State.FAILED, 0)

    @property
    def failure_percent(self) -> float | None:
        """Failed among those that finished (sent, delivered or failed), in percent; None
        before any finished, so "no data" is not shown as "no failures"."""
        finished = sum(self.counts.get(s, 0) for s in (State.SENT, State.DELIVERED, State.FAILED))
        return 100 * self.failed / finished if finished else None


@dataclass
class DayRow:
    day: date
    total: int
    failed: int
    percent: int  # of the busiest day, for the bar's width


def in_period(since: date, until: date) -> QuerySet[Message]:
    """Messages created on these local days, both included."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    return Message.objects.filter(created_at__gte=start, created_at__lt=end)


def per_channel(messages: QuerySet[Message]) -> list[ChannelRow]:
    """Counts per channel and state, every channel listed even without messages."""
    rows = {c: ChannelRow(c, labels.CHANNELS[c], {}) for c in Channel.values}
    grouped = messages.order_by().values("channel", "state").annotate(n=Count("pk"))
    for group in grouped:
        row = rows.setdefault(group["channel"], ChannelRow(group["channel"], group["channel"], {}))
        row.counts[group["state"]] = group["n"]
        row.total += group["n"]
    return list(rows.values())


def per_day(messages: QuerySet[Message], since: date, until: date) -> list[DayRow]:
    """Messages and failures per local day, days without any included as zero."""
    grouped = (
        messages.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(state=State.FAILED)))
    )
    found = {g["day"]: g for g in grouped}
    busiest = max((g["total"] for g in found.values()), default=0) or 1
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    return [
        DayRow(
            day,
            found.get(day, {}).get("total", 0),
            found.get(day, {}).get("failed", 0),
            round(100 * found.get(day, {}).get("total", 0) / busiest),
        )
        for day in days
    ]


def latest_failures(messages: QuerySet[Message], limit: int = 20) -> list[Message]:
    failed = messages.filter(state=State.FAILED).select_related("agency")
    return labels.labelled(failed.order_by("-failed_at", "-pk")[:limit])


def fallback_chain(message: Message) -> list[Message]:
    """The attempts at one notice, first channel first: the rows this one replaced and the
    ones that replaced it. At most one per channel, so a few queries."""
    chain = [message]
    while chain[0].fallback_of_id is not None and len(chain) < len(Channel.values) + 1:
        earlier = Message.objects.filter(pk=chain[0].fallback_of_id).first()
        if earlier is None:
            break
        chain.insert(0, earlier)
    while len(chain) < len(Channel.values) + 1:
        later = Message.objects.filter(fallback_of_id=chain[-1].pk).first()
        if later is None:
            break
        chain.append(later)
    return labels.labelled(chain)
