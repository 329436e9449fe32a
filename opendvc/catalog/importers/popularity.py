"""Popularity seeds: the procedures citizens use most, from catalog/data/popular.csv."""

from __future__ import annotations

import csv
from pathlib import Path

POPULAR_CSV = Path(__file__).resolve().parent.parent / "data" / "popular.csv"
STEP = 100


def load_popularity(path: Path = POPULAR_CSV) -> dict[str, int]:
    """{code: popularity}: rank 1 is the most used and gets the highest popularity."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        ranks = {row["code"].strip(): int(row["rank"]) for row in csv.DictReader(handle)}
    last = max(ranks.values(), default=0)
    return {code: (last + 1 - rank) * STEP for code, rank in ranks.items()}
