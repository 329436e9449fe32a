"""Import benchmark: how many dossiers per second `opendvc import_dossiers` loads.

Run:  .venv/bin/python bench/import_dossiers.py [--count 20000] [--batch-size 1000]
                                                [--supplements 0.1] [--gz]

Builds a fresh SQLite database in a temporary folder (or uses the empty database that
OPENDVC_DATABASE_URL names, e.g. a PostgreSQL one made for this), with two procedures and
two agencies, generates COUNT lines (a decided online or counter dossier with a four-step
history and two components; the --supplements share of them with one answered supplement
request), then times the import, and a second run of the same file (all already present).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opendvc.settings")

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2025, 1, 6, 8, 0, tzinfo=VN)
PROCEDURES = {"1.001193": "Đăng ký khai sinh", "1.004222": "Đăng ký thường trú"}
AGENCIES = ("BENCH-STP", "BENCH-CA")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--supplements", type=float, default=0.1)
    parser.add_argument("--gz", action="store_true", help="gzip the generated file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="opendvc-bench-"))
    if "OPENDVC_DATABASE_URL" not in os.environ:
        os.environ["OPENDVC_DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("OPENDVC_VAR_DIR", str(folder))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    _catalog()
    path = folder / ("dossiers.jsonl.gz" if args.gz else "dossiers.jsonl")
    _generate(path, args.count, args.supplements)
    print(f"Database: {connection.vendor}; file: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs; load average at start {load}")
    for label in ("first run", "second run (all present)"):
        out = StringIO()
        started = time.perf_counter()
        call_command("import_dossiers", str(path), "--batch-size", str(args.batch_size), stdout=out)
        seconds = time.perf_counter() - started
        print(
            f"{label}: {args.count} lines in {seconds:.2f} s = {args.count / seconds:.0f} lines/s"
        )
        print("   ", out.getvalue().strip())


def _catalog() -> None:
    from opendvc.catalog.models import Procedure, ProcedureCase
    from opendvc.directory.models import Agency

    for code, name in PROCEDURES.items():
        procedure, _ = Procedure.objects.get_or_create(code=code, defaults={"name": name})
        ProcedureCase.objects.get_or_create(
            procedure=procedure, defaults={"name": "Trường hợp chung", "processing_amount": 5}
        )
    for code in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": code, "slug": code.lower()})


def _generate(path: Path, count: int, supplement_share: float) -> None:
    rng = random.Random(766)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(json.dumps(_line(n, rng, supplement_share), ensure_ascii=False) + "\n")


def _line(n: int, rng: random.Random, supplement_share: float) -> dict:
    submitted = START + timedelta(minutes=37 * n)
    steps = [submitted + timedelta(hours=h) for h in (0, 1, 26, 50)]
    line = {
        "code": f"BENCH-{n:08d}",
        "procedure_code": rng.choice(list(PROCEDURES)),
        "agency_code": rng.choice(AGENCIES),
        "channel": rng.choice(("ONLINE", "COUNTER", 2)),
        "applicant_type": "CITIZEN",
        "name": f"Người nộp {n}",
        "submitted_at": steps[0].isoformat(),
        "received_at": steps[1].isoformat(),
        "due_at": (steps[0] + timedelta(days=rng.choice((1, 3, 7)))).isoformat(),
        "finished_at": steps[3].isoformat(),
        "status": 9,
        "history": [
            {"at": at.isoformat(), "status": status}
            for at, status in zip(steps, (1, 2, 4, 9), strict=True)
        ],
        "paid_online": rng.random() < 0.3,
        "eid_verified": rng.random() < 0.5,
        "components": [{"name": "Tờ khai", "digitised": True}, {"name": "Giấy tờ kèm theo"}],
        "e_result": True,
    }
    if rng.random() < supplement_share:
        requested, answered = steps[2] + timedelta(hours=1), steps[2] + timedelta(hours=3)
        line["history"][3:3] = [
            {"at": requested.isoformat(), "status": 5},
            {"at": answered.isoformat(), "status": 4},
        ]
        line["supplements"] = [
            {
                "requested_at": requested.isoformat(),
                "answered_at": answered.isoformat(),
                "reasons": [{"component": "Tờ khai", "code": "MISSING"}],
            }
        ]
    return line


if __name__ == "__main__":
    main()
