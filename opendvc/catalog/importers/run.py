"""The import run: read every line, merge by code, write what changed, audit once."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from tqdm import tqdm

from opendvc.audit.actions import record as audit

from . import bqp, details, national_list, page_text
from .merge import fingerprint, merge
from .popularity import load_popularity
from .reading import BadRecord, Line, parse_json, read_lines
from .writer import Writer

# Checked in this order: each line's source is recognised by its shape, not its file name.
PARSERS = (("details", details), ("bqp", bqp), ("page_text", page_text), ("list", national_list))
CHUNK = 500


@dataclass
class ImportSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    procedures: int = 0
    fields_created: int = 0
    agencies_created: int = 0
    life_events_created: int = 0
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def payload(self) -> dict:
        return {
            "files": self.files,
            "read": self.read,
            "procedures": self.procedures,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": sum(self.skipped.values()),
            "skipped_reasons": dict(sorted(self.skipped.items())),
            "fields_created": self.fields_created,
            "agencies_created": self.agencies_created,
            "life_events_created": self.life_events_created,
        }


def default_paths() -> list[Path]:
    folder = Path(settings.CATALOG_DATA_DIR) / "catalog"
    return sorted(p for p in folder.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz")))


def run_import(
    paths: Iterable[Path],
    *,
    now: datetime,
    report: Callable[[str], None] = lambda message: None,
    progress: bool = False,
) -> ImportSummary:
    """Import the files; `report` receives one message per skipped line."""
    started = time.monotonic()
    summary = ImportSummary(files=[Path(p).name for p in paths])
    parts = _read(paths, summary, report, progress)
    popularity = load_popularity()
    records = [merge(parts[code]) for code in sorted(parts)]
    summary.procedures = len(records)
    writer = Writer(now=now)
    pending = []
    for record in records:
        pop = popularity.get(record["code"], 0)
        fp = fingerprint(record, pop)
        status = writer.status(record["code"], fp)
        setattr(summary, status, getattr(summary, status) + 1)
        if status != "unchanged":
            pending.append((record, pop, fp))
    writer.prepare([item[0] for item in pending])
    with tqdm(
        total=len(pending), disable=not progress, unit=" thủ tục", desc="Ghi", leave=False
    ) as bar:
        for start in range(0, len(pending), CHUNK):
            writer.write(pending[start : start + CHUNK])
            bar.update(len(pending[start : start + CHUNK]))
    summary.fields_created = writer.fields_created
    summary.agencies_created = writer.agencies.created
    summary.life_events_created = writer.life_events_created
    with transaction.atomic():
        audit(action="catalog.catalog_imported", target_type="catalog.procedure",
              payload=summary.payload(), now=now)  # fmt: skip
    summary.seconds = time.monotonic() - started
    return summary


def _read(paths, summary: ImportSummary, report, progress: bool) -> dict[str, dict[str, dict]]:
    parts: dict[str, dict[str, dict]] = defaultdict(dict)
    for path in paths:
        lines = read_lines(Path(path))
        for line in tqdm(
            lines, desc=Path(path).name, unit=" dòng", disable=not progress, leave=False
        ):
            summary.read += 1
            try:
                source, part = _parse(line)
            except BadRecord as error:
                summary.skipped[str(error)] += 1
                report(f"{line.where}: {error}")
                continue
            parts[part["code"]][source] = part
    return parts


def _parse(line: Line) -> tuple[str, dict]:
    row = parse_json(line)
    for source, parser in PARSERS:
        if parser.looks_like(row):
            try:
                return source, parser.parse(row)
            except (TypeError, AttributeError, ValueError, KeyError) as error:
                raise BadRecord("wrong types") from error
    raise BadRecord("unknown record format")
