"""Keeping OpenDVC's own dossier codes clear of imported ones.

OpenDVC numbers an agency's dossiers per day as `<agency code>-<yymmdd>-<sequence>`. A legacy
system that used the same pattern (the national one) may have given codes OpenDVC would give
again — on the go-live day, for dossiers imported while in flight. So each agency's counter for
such a day is moved past the highest imported sequence.
"""

from __future__ import annotations

from datetime import date

from ..models import DossierCounter
from .writing import Planned


def sequence_of(code: str, agency_code: str) -> tuple[date, int] | None:
    """(day, sequence) when `code` is in OpenDVC's pattern for this agency, else None."""
    prefix = f"{agency_code}-"
    if not code.startswith(prefix):
        return None
    day, _, sequence = code[len(prefix) :].partition("-")
    if len(day) != 6 or not day.isdigit() or not sequence.isdigit():
        return None
    try:
        return date(2000 + int(day[:2]), int(day[2:4]), int(day[4:])), int(sequence)
    except ValueError:
        return None


def advance_past(planned: list[Planned]) -> None:
    """Move each agency's day counter past the imported codes of its pattern. Runs in the
    caller's transaction; the rows are locked as a submission locks them."""
    sequences: dict[tuple[int, date], int] = {}
    for p in planned:
        found = sequence_of(p.code, p.agency_code)
        if found is not None:
            key = (p.dossier["agency_id"], found[0])
            sequences[key] = max(sequences.get(key, 0), found[1])
    if not sequences:
        return
    DossierCounter.objects.bulk_create(
        [DossierCounter(agency_id=agency, day=day) for agency, day in sequences],
        ignore_conflicts=True,
    )
    counters = DossierCounter.objects.select_for_update().filter(
        agency_id__in={agency for agency, _ in sequences},
        day__in={day for _, day in sequences},
    )
    behind = []
    for counter in counters:
        wanted = sequences.get((counter.agency_id, counter.day), 0)
        if counter.last < wanted:
            counter.last = wanted
            behind.append(counter)
    DossierCounter.objects.bulk_update(behind, ["last"])
