"""Satisfaction figures for reports: read-only, aggregated in SQL, returned as dataclasses.

Every function reads the ratings given in the period [start, end) (by `rated_at`), optionally
only those of dossiers received by `agencies`, and groups them: by agency, procedure,
official or month. Each group carries the number of ratings, the average of each of the nine
criteria (0–2), the average total (out of 18) and the share rated "hài lòng" or
"rất hài lòng".

The officials of a dossier are those who acted on it: who recorded one of its status
changes (StatusChange.actor: reception, forwarding, decision, return…) or completed one of
its processing steps (DossierStep.completed_by). Each of them is credited once with the
dossier's rating, however many times they acted on it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import TruncMonth

from opendvc.accounts.models import User
from opendvc.dossiers.models import DossierStep, StatusChange

from .criteria import KEYS, SATISFIED_FROM, Overall
from .models import DossierRating


@dataclass(frozen=True)
class Figures:
    key: object  # the agency, procedure or user id, or the month's first day
    label: str
    count: int
    averages: dict[str, float]  # criterion key → average score, 0–2
    average_total: float  # out of 18
    satisfied: int  # rated "hài lòng" or "rất hài lòng"

    @property
    def satisfied_share(self) -> float:
        """The share rated "hài lòng" or "rất hài lòng", 0–1: the satisfaction figure of
        Decision 766 (the share of ratings at or above "hài lòng")."""
        return self.satisfied / self.count if self.count else 0.0

    @property
    def satisfied_percent(self) -> float:
        return round(100 * self.satisfied_share, 1)


def _measures() -> dict:
    total = sum((F(key) for key in KEYS[1:]), F(KEYS[0]))
    return {
        "count": Count("pk"),
        "satisfied": Count("pk", filter=Q(overall__gte=SATISFIED_FROM)),
        "average_total": Avg(total, output_field=FloatField()),
        **{f"avg_{key}": Avg(key, output_field=FloatField()) for key in KEYS},
    }


def _figures(key, label: str, row: dict) -> Figures:
    return Figures(
        key=key,
        label=label,
        count=row["count"],
        averages={k: round(row[f"avg_{k}"] or 0.0, 2) for k in KEYS},
        average_total=round(row["average_total"] or 0.0, 2),
        satisfied=row["satisfied"],
    )


def ratings(*, start: datetime, end: datetime, agencies: Iterable | None = None) -> QuerySet:
    rows = DossierRating.objects.filter(rated_at__gte=start, rated_at__lt=end)
    if agencies is not None:
        rows = rows.filter(dossier__agency__in=agencies)
    return rows


@dataclass(frozen=True)
class Comment:
    code: str
    procedure: str
    overall: int
    overall_label: str
    comment: str
    rated_at: datetime


def recent_comments(
    *, start: datetime, end: datetime, agencies: Iterable | None = None, limit: int = 20
) -> list[Comment]:
    """The latest comments written with the ratings of the period, newest first."""
    rows = (
        ratings(start=start, end=end, agencies=agencies)
        .exclude(comment="")
        .order_by("-rated_at", "-pk")
        .values_list("dossier__code", "dossier__procedure__name", "overall", "comment", "rated_at")
    )
    return [
        Comment(code or "", name, overall, Overall(overall).label, comment, at)
        for code, name, overall, comment, at in rows[:limit]
    ]


def summary(*, start: datetime, end: datetime, agencies: Iterable | None = None) -> Figures:
    """All the ratings of the period, as one group."""
    row = ratings(start=start, end=end, agencies=agencies).aggregate(**_measures())
    return _figures(None, "", row)


def _grouped(qs: QuerySet, key: str, label: str) -> list[Figures]:
    rows = qs.values(key, label).annotate(**_measures()).order_by(label, key)
    return [_figures(row[key], row[label], row) for row in rows]


def by_agency(*, start: datetime, end: datetime, agencies: Iterable | None = None):
    qs = ratings(start=start, end=end, agencies=agencies)
    return _grouped(qs, "dossier__agency_id", "dossier__agency__name")


def by_procedure(*, start: datetime, end: datetime, agencies: Iterable | None = None):
    qs = ratings(start=start, end=end, agencies=agencies)
    return _grouped(qs, "dossier__procedure_id", "dossier__procedure__name")


def by_month(*, start: datetime, end: datetime, agencies: Iterable | None = None):
    """One group per month (local time), oldest first."""
    qs = ratings(start=start, end=end, agencies=agencies).annotate(month=TruncMonth("rated_at"))
    rows = qs.values("month").annotate(**_measures()).order_by("month")
    return [_figures(row["month"], f"{row['month']:%m/%Y}", row) for row in rows]


def by_official(*, start: datetime, end: datetime, agencies: Iterable | None = None):
    """One group per official who acted on rated dossiers (see the module's docstring)."""
    scoped = ratings(start=start, end=end, agencies=agencies)
    # The rating ids in scope, as SQL with its parameters, nested in the query below.
    scope_sql, scope_params = scoped.values("pk").query.sql_with_params()
    q = connection.ops.quote_name
    rating, changes, steps = (m._meta.db_table for m in (DossierRating, StatusChange, DossierStep))
    scores = ", ".join(f"AVG(CAST(r.{q(k)} AS DOUBLE PRECISION)) AS avg_{k}" for k in KEYS)
    total = " + ".join(f"r.{q(k)}" for k in KEYS)
    # UNION (not UNION ALL) keeps one row per official and dossier: one credit each.
    sql = f"""
        WITH acted AS (
            SELECT dossier_id, actor_id AS user_id FROM {q(changes)} WHERE actor_id IS NOT NULL
            UNION
            SELECT dossier_id, completed_by_id FROM {q(steps)} WHERE completed_by_id IS NOT NULL
        )
        SELECT acted.user_id, COUNT(*) AS count,
               SUM(CASE WHEN r.overall >= %s THEN 1 ELSE 0 END) AS satisfied,
               AVG(CAST({total} AS DOUBLE PRECISION)) AS average_total, {scores}
        FROM {q(rating)} r JOIN acted ON acted.dossier_id = r.dossier_id
        WHERE r.id IN ({scope_sql})
        GROUP BY acted.user_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(SATISFIED_FROM), *scope_params])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    people = dict(
        User.objects.filter(pk__in=[r["user_id"] for r in rows]).values_list("pk", "full_name")
    )
    found = [_figures(r["user_id"], people.get(r["user_id"], ""), r) for r in rows]
    return sorted(found, key=lambda f: (f.label, f.key))
