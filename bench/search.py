"""Search benchmark: quality (hit@1, recall@5), latency and HTTP throughput of procedure search.

Run:  .venv/bin/python bench/search.py        (--no-http skips the server part, --quiet the
                                                list of failures, --no-write docs/benchmarks.md)

Uses the imported catalog in var/ when it has procedures (or the database OPENDVC_DATABASE_URL
names); otherwise imports the shipped catalog with `opendvc import_catalog` into a temporary
SQLite database. The output says which. Prints a table and updates the search section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opendvc.settings")

# Run as a script, this folder is on the path: the HTTP and report parts are its neighbours.
from search_http import http_bench, request_breakdown  # noqa: E402
from search_report import failures, machine, rates, report, write_report  # noqa: E402

QUERIES_FILE = ROOT / "bench" / "queries.tsv"
QA_DIR = ROOT / "opendvc" / "data" / "qa"
CATALOG_LIST = ROOT / "opendvc" / "data" / "catalog" / "dvc_catalog_5670.jsonl.gz"


# --- The database ----------------------------------------------------------------------------


def _var_has_catalog() -> bool:
    import sqlite3

    if os.environ.get("OPENDVC_DATABASE_URL"):
        return True  # the caller chose a database; use it as it is
    path = Path(os.environ.get("OPENDVC_VAR_DIR", ROOT / "var")) / "opendvc.sqlite3"
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("select count(*) from catalog_procedure").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def prepare_database() -> str:
    """Point Django at a database with the catalog and say which one."""
    import django

    if _var_has_catalog():
        django.setup()
        from django.conf import settings

        return f"imported catalog in {settings.DATABASES['default']['NAME']}"
    tmp = Path(tempfile.mkdtemp(prefix="opendvc-bench-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ["OPENDVC_VAR_DIR"] = str(tmp)
    os.environ["OPENDVC_DATABASE_URL"] = f"sqlite:///{tmp / 'opendvc.sqlite3'}"
    django.setup()
    from django.core.management import call_command, get_commands

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    if "import_catalog" not in get_commands():
        sys.exit("the database is empty and this project has no import_catalog command")
    call_command("import_catalog", verbosity=0)
    took = time.monotonic() - started
    return f"a temporary SQLite database, filled by `opendvc import_catalog` in {took:.0f} s"


# --- The labelled queries --------------------------------------------------------------------

# The procedure each question of opendvc/data/qa/*.json asks about (its "source_procedure"),
# as codes of the national catalog. Alternatives are equally right answers. Not mapped: "Đấu
# thầu dự án công" (public procurement is not one administrative procedure).
QA_PROCEDURES = {
    "Đăng ký kết hôn": "1.000894",
    "Đăng ký kết hôn với người nước ngoài": "2.000806",
    "Đăng ký khai sinh": "1.001193",
    "Cấp CCCD": "1.014061 2.000200 1.001247 1.014062 1.012543 1.012549",
    "Cấp hộ chiếu": "1.001456 1.001471",
    "Đăng ký thường trú": "1.004222",
    "Cấp giấy phép xây dựng": "1.013225 1.013236",
    "Đăng ký kinh doanh": "1.001612 2.001583 2.001199 2.002043 2.001610",
    "Đăng ký kinh doanh online": "1.001612 2.001583 2.001199 2.002043 2.001610",
    "Đăng ký công ty cổ phần": "2.002043",
    "Đăng ký doanh nghiệp FDI": "1.009664",
    "Cấp giấy chứng nhận đầu tư FDI": "1.009664",
    "Đầu tư FDI": "1.009664",
    "Cấp bằng lái xe B2": "3.000346",
    "Đăng ký đất đai": "1.013978 1.012753 1.012756",
    "Đăng ký nhãn hiệu": "1.015002",
    "Thành lập quỹ đầu tư chứng khoán": "1.009876 1.009548",
}


def labelled_queries() -> list[tuple[str, set[str], str]]:
    """(query, expected codes, kind): the hand-written set, then the QA questions."""
    out = []
    for line in QUERIES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, codes, kind = line.split("\t")
            out.append((query, set(codes.split()), kind))
    for path in sorted(QA_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["test_cases"]:
            code = (case.get("metadata") or {}).get("thu_tuc_id")
            codes = code or QA_PROCEDURES.get(case.get("source_procedure", ""))
            if codes:
                out.append((case["question"], set(codes.split()), "qa"))
    return out


def check_labels(queries) -> tuple[list, list[str]]:
    """The queries whose procedures are in the catalog; exits on a wrong hand-written label.

    A QA question may name a procedure only some sources hold (the Ministry of Defence
    records): without it in the database it is left out, and said so.
    """
    from opendvc.catalog.models import Procedure

    public = set(Procedure.objects.public().values_list("code", flat=True))
    wrong = sorted({c for _, codes, k in queries if k != "qa" for c in codes} - public)
    if wrong:
        sys.exit(f"expected codes not among the public procedures: {', '.join(wrong)}")
    kept = [q for q in queries if q[1] & public]
    left_out = [f"{q[0]} ({' '.join(sorted(q[1]))})" for q in queries if not q[1] & public]
    return kept, left_out


# --- Quality ---------------------------------------------------------------------------------


def _codes_of(ids: list[int]) -> list[str]:
    from opendvc.catalog.models import Procedure

    codes = dict(Procedure.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [codes[i] for i in ids]


def engine_search(q: str) -> list[str]:
    from opendvc.catalog.search import search_procedures

    return _codes_of(search_procedures(q, page_size=5).ids)


def like_search(q: str) -> list[str]:
    """The baseline: plain SQL, name LIKE '%q%' over the public procedures."""
    from django.db import connection

    sql = (
        "SELECT code FROM catalog_procedure WHERE name LIKE %s "
        "AND state <> 'ABOLISHED' AND kind <> 'STANDARD_INTERNAL' ORDER BY code LIMIT 5"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"%{q}%"])
        return [row[0] for row in cursor.fetchall()]


def icontains_search(q: str) -> list[str]:
    from opendvc.catalog.models import Procedure

    found = Procedure.objects.public().filter(name__icontains=q).order_by("code")
    return list(found.values_list("code", flat=True)[:5])


def quality(queries, search) -> dict:
    rows = []
    for query, expected, kind in queries:
        got = search(query)
        rows.append(
            {
                "query": query,
                "kind": kind,
                "expected": expected,
                "got": got,
                "hit1": bool(got) and got[0] in expected,
                "recall5": bool(expected & set(got)),
            }
        )
    return {"rows": rows, **rates(rows)}


# --- Latency ---------------------------------------------------------------------------------


def latency_queries(queries, count: int = 1000, seed: int = 20250701) -> list[str]:
    """The labelled queries cycled, mixed with fragments of real procedure names."""
    from opendvc.catalog.models import Procedure

    rng = random.Random(seed)
    names = list(Procedure.objects.public().values_list("name", flat=True))
    out = []
    labelled = [q for q, _, _ in queries]
    for i in range(count):
        if i % 2 == 0:
            out.append(labelled[(i // 2) % len(labelled)])
        else:
            words = rng.choice(names).split()
            size = rng.randint(1, min(5, len(words)))
            start = rng.randint(0, len(words) - size)
            out.append(" ".join(words[start : start + size]))
    return out


def latency(texts: list[str]) -> dict:
    from opendvc.catalog.search import current_index, search_procedures

    started = time.perf_counter()
    current_index()
    build = time.perf_counter() - started
    search_procedures(texts[0])  # the first search also reads the synonym table
    times = []
    for text in texts:
        t0 = time.perf_counter()
        search_procedures(text, page_size=20)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "build_s": build,
        "n": len(times),
        "p50": times[len(times) // 2],
        "p99": times[int(len(times) * 0.99) - 1],
        "max": times[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()

    database = prepare_database()
    from django.utils import timezone

    from opendvc.catalog.models import Procedure

    queries, left_out = check_labels(labelled_queries())
    texts = latency_queries(queries)
    results = {
        "date": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join([".venv/bin/python", "bench/search.py", *sys.argv[1:]]),
        "machine": machine(),
        "database": database,
        "procedures": Procedure.objects.public().count(),
        "kinds": ["all", "labelled", "qa", *sorted({k for _, _, k in queries} - {"qa"})],
        "latency": latency(texts),
        "engine": quality(queries, engine_search),
        "like": quality(queries, like_search),
        "icontains": quality(queries, icontains_search),
        "http": None if args.no_http else http_bench(texts),
        "breakdown": None if args.no_http else request_breakdown(texts),
        "left_out": left_out,
    }
    text = report(results)
    print(text)
    if not args.quiet:
        print(failures(results, limit=200))
    if not args.no_write:
        written = write_report(f"{text}\n{failures(results, limit=30, markdown=True)}\n")
        print(f"\nwritten to {written}")


if __name__ == "__main__":
    main()
