"""The import run: read the file (plain or gzipped JSONL), check each line, load in batches,
count. Bad lines are reported and skipped; only a file that cannot be read as JSONL stops it."""

from __future__ import annotations

import gzip
import hashlib
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tqdm import tqdm

from .fields import BadLine
from .loading import Loader
from .parsing import ImportedDossier, NotJson, parse_line

# A file whose first lines are all not JSON objects is some other kind of file: stop there
# rather than report every one of its lines.
SNIFF_LINES = 50
# A batch's codes go into one `IN (…)` query: SQLite takes at most 32766 parameters.
MAX_BATCH_SIZE = 5000


class FileError(Exception):
    """The file as a whole cannot be imported (missing, unreadable, not JSONL)."""

    def __init__(self, message: str, summary: ImportSummary | None = None) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass
class ImportSummary:
    read: int = 0
    imported: int = 0
    already: int = 0
    rejected: int = 0
    batches: int = 0
    seconds: float = 0.0
    sha256: str = ""

    @property
    def rate(self) -> float:
        return self.imported / self.seconds if self.seconds else 0.0


@dataclass
class _Run:
    loader: Loader
    batch_size: int
    report: Callable[[int, str], None]
    summary: ImportSummary = field(default_factory=ImportSummary)
    batch: list[ImportedDossier] = field(default_factory=list)
    first_line: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    json_seen: bool = False

    def take(self, number: int, text: str) -> None:
        self.summary.read += 1
        self.first_line = self.first_line or number
        try:
            item = parse_line(text, number)
        except NotJson as error:
            self.rejected.append((number, str(error)))
            if not self.json_seen and self.summary.read >= SNIFF_LINES:
                raise FileError(
                    "tệp không phải JSONL: các dòng đầu không là đối tượng JSON"
                ) from None
            return
        except BadLine as error:
            self.json_seen = True
            self.rejected.append((number, str(error)))
            return
        self.json_seen = True
        if item.code in self.seen:
            self.rejected.append(
                (number, f"mã hồ sơ “{item.code}” trùng với dòng {self.seen[item.code]}")
            )
            return
        self.seen[item.code] = number
        self.batch.append(item)
        if len(self.batch) >= self.batch_size:
            self.flush(number)

    def flush(self, last_line: int) -> None:
        if self.batch:
            result = self.loader.load(self.batch, (self.first_line, last_line))
            self.summary.imported += result.imported
            self.summary.already += result.already
            self.summary.batches += 1
            self.rejected.extend(result.rejected)
        self.batch, self.first_line = [], 0
        # Reported at each flush in line order, so the output reads like the file.
        if self.json_seen:
            for number, reason in sorted(self.rejected):
                self.report(number, reason)
            self.summary.rejected += len(self.rejected)
            self.rejected = []


def run_import(
    path: Path,
    *,
    now: datetime,
    batch_size: int = 1000,
    dry_run: bool = False,
    report: Callable[[int, str], None] = lambda number, reason: None,
    progress: bool = False,
) -> ImportSummary:
    """Import the dossiers of one file; `report(line, reason)` hears of each rejected line.
    Raises FileError when the file cannot be imported at all."""
    started = time.monotonic()
    sha256 = file_sha256(path)
    loader = Loader(now=now, file_name=path.name, sha256=sha256, dry_run=dry_run)
    run = _Run(loader=loader, batch_size=batch_size, report=report)
    run.summary.sha256 = sha256
    number = 0
    try:
        for number, text in tqdm(
            read_lines(path), desc=path.name, unit=" dòng", disable=not progress, leave=False
        ):
            run.take(number, text)
        if not run.json_seen and run.summary.read:
            raise FileError("tệp không phải JSONL: không dòng nào là đối tượng JSON")
        run.flush(number)
    except FileError as error:
        run.summary.seconds = time.monotonic() - started
        error.summary = run.summary
        raise
    run.summary.seconds = time.monotonic() - started
    return run.summary


def file_sha256(path: Path) -> str:
    """The hash of the file as stored (compressed, for a .gz), for the audit trail."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except FileNotFoundError:
        raise FileError(f"không tìm thấy tệp {path}") from None
    except OSError as error:
        raise FileError(f"không đọc được tệp {path}: {error.strerror or error}") from None
    return digest.hexdigest()


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Non-blank lines, numbered from 1 as an editor numbers them."""
    gz = path.name.endswith(".gz")
    number = 0
    try:
        with (
            gzip.open(path, "rt", encoding="utf-8") if gz else path.open(encoding="utf-8")
        ) as handle:
            for number, text in enumerate(handle, start=1):
                if text.strip():
                    yield number, text
    except UnicodeDecodeError:
        raise FileError(f"tệp không phải văn bản UTF-8 (dòng {number + 1})") from None
    except (gzip.BadGzipFile, EOFError, zlib.error):
        raise FileError("tệp .gz hỏng hoặc không phải gzip") from None
