"""Search benchmark: quality (hit@1, recall@5), latency and HTTP throughput of procedure search.

Run:  .venv/bin/python bench/search.py        (--no-http skips the server part, --quiet the
                                                list of failures, --no-write docs/benchmarks.md)

Uses the imported catalog in var/ when it has procedures; otherwise imports the shipped
catalog into a temporary SQLite database (with `opendvc import_catalog` when the project has
it, else a minimal loader of the national list: names, codes, kinds, fields, agencies). The
output says which. Prints a table and updates the search section of docs/benchmarks.md.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opendvc.settings")

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
    os.environ["OPENDVC_VAR_DIR"] = str(tmp)
    os.environ["OPENDVC_DATABASE_URL"] = f"sqlite:///{tmp / 'opendvc.sqlite3'}"
    django.setup()
    from django.core.management import call_command, get_commands

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    if "import_catalog" in get_commands():
        call_command("import_catalog", verbosity=0)
        how = "opendvc import_catalog"
    else:
        _load_national_list()
        how = "the national list only (import_catalog is not in the project yet)"
    took = time.monotonic() - started
    return f"temporary SQLite database {tmp}, filled from {how} in {took:.0f} s"


def _load_national_list() -> None:
    """A stand-in for the importer: names, codes, kinds, states, fields and agencies."""
    from django.db import transaction
    from django.utils.text import slugify

    from opendvc.catalog.models import Field, Procedure
    from opendvc.core.text import fold
    from opendvc.directory.models import Agency

    with gzip.open(CATALOG_LIST, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    fields: dict[str, Field] = {}
    agencies: dict[str, Agency] = {}

    def field_for(name: str) -> Field:
        if name not in fields:
            slug = slugify(fold(name))[:190] or "linh-vuc"
            fields[name] = Field.objects.create(name=name, slug=f"{slug}-{len(fields)}")
        return fields[name]

    def agency_for(name: str) -> Agency:
        if name not in agencies:
            slug = f"{slugify(fold(name))[:180]}-{len(agencies)}"
            agencies[name] = Agency.objects.create(code=f"B-{len(agencies)}", name=name, slug=slug)
        return agencies[name]

    with transaction.atomic():
        for r in records:
            p = Procedure.objects.create(
                code=r["code"],
                name=r["name"],
                kind=r["type"],
                state=r["state"],
                publishing_agency=agency_for(r["departmentPromulgate"])
                if r.get("departmentPromulgate")
                else None,
            )
            p.fields.set([field_for(n) for n in r.get("categories") or [] if n])
            p.implementing_agencies.set([agency_for(n) for n in r.get("departments") or [] if n])


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
    return {"rows": rows, **_rates(rows)}


def _rates(rows) -> dict:
    n = len(rows) or 1
    return {
        "n": len(rows),
        "hit1": sum(r["hit1"] for r in rows) / n,
        "recall5": sum(r["recall5"] for r in rows) / n,
    }


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


# --- HTTP ------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _throughput(port: int, paths: list[str], threads: int = 4) -> tuple[float, dict]:
    """Requests per second for the given paths, fetched by a few client threads."""
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        statuses = Counter(pool.map(lambda p: _get(port, p), paths))
    return len(paths) / (time.perf_counter() - started), dict(statuses)


def _worker_pids(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def http_bench(texts: list[str], requests: int = 400) -> dict:
    """Start gunicorn (one worker) on a free port, compare search with /healthz, stop it."""
    import subprocess
    from urllib.parse import quote

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "opendvc.wsgi:application",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "OPENDVC_DEBUG": "0"},
    )
    try:
        _wait_for(port)
        if _get(port, "/api/v1/procedures?q=khai+sinh") == 404:
            return {"skipped": "/api/v1/procedures answers 404: the catalog API is not there yet"}
        worker = _worker_pids(server.pid)
        # The API refuses q over 200 characters (422), as the search contract says.
        search_paths = [
            f"/api/v1/procedures?q={quote(texts[i % len(texts)][:200])}" for i in range(requests)
        ]
        health_rps, health_status = _throughput(port, ["/healthz"] * requests)
        search_rps, search_status = _throughput(port, search_paths)
        return {
            "requests": requests,
            "health_rps": health_rps,
            "search_rps": search_rps,
            "ratio": search_rps / health_rps,
            "statuses": {"healthz": health_status, "search": search_status},
            "rss_mb": max((_rss_mb(pid) for pid in worker), default=float("nan")),
        }
    finally:
        server.terminate()
        server.wait(timeout=20)


def request_breakdown(texts: list[str], count: int = 200) -> dict:
    """In-process mean times (Django test client): where a search request spends its time."""
    from urllib.parse import quote

    from django.test import Client

    from opendvc.catalog.search import search_procedures

    client = Client()
    sample = [t[:200] for t in texts[:count]]

    def mean_ms(call) -> float:
        call(sample[0])
        started = time.perf_counter()
        for text in sample:
            call(text)
        return (time.perf_counter() - started) / len(sample) * 1000

    return {
        "healthz_ms": mean_ms(lambda _t: client.get("/healthz")),
        "api_ms": mean_ms(lambda t: client.get(f"/api/v1/procedures?q={quote(t)}")),
        "search_ms": mean_ms(lambda t: search_procedures(t)),
    }


def _wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _get(port, "/healthz")
            _get(port, "/api/v1/procedures?q=warm")  # builds the index in the worker
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


# --- Report ----------------------------------------------------------------------------------

BEGIN, END = "<!-- bench/search.py: begin -->", "<!-- bench/search.py: end -->"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB memory; "
        f"load average at start {' '.join(load)} (the machine is shared)"
    )


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def report(results: dict) -> str:
    engine, like, icontains = results["engine"], results["like"], results["icontains"]
    lines = [
        "## Procedure search (`bench/search.py`)",
        "",
        f"- Date: {results['date']}",
        f"- Command: `{results['command']}`",
        f"- Machine: {results['machine']}",
        f"- Data: {results['database']}; {results['procedures']} public procedures",
        "",
        "Quality on the labelled queries (`bench/queries.tsv` and the questions of",
        "`opendvc/data/qa/*.json` that name a procedure). hit@1: the first result is an",
        "expected procedure; recall@5: one is among the first five.",
        "",
        "| set | queries | search hit@1 | search recall@5 | LIKE hit@1 | LIKE recall@5 "
        "| icontains hit@1 | icontains recall@5 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in results["kinds"]:
        e, lk, ic = (
            _rates([r for r in m["rows"] if _in(r, kind)]) for m in (engine, like, icontains)
        )
        lines.append(
            f"| {kind} | {e['n']} | {_pct(e['hit1'])} | {_pct(e['recall5'])} | "
            f"{_pct(lk['hit1'])} | {_pct(lk['recall5'])} | {_pct(ic['hit1'])} | "
            f"{_pct(ic['recall5'])} |"
        )
    lines += ["", "Targets: hit@1 ≥ 85%, recall@5 ≥ 95% (all queries).", ""]
    if results["left_out"]:
        lines += [
            f"Left out, their procedure is not in this database: {len(results['left_out'])} "
            "QA questions (" + "; ".join(results["left_out"]) + ").",
            "",
        ]
    lat = results["latency"]
    lines += [
        "| latency (in process, page of 20) | value |",
        "|---|---|",
        f"| index build | {lat['build_s']:.2f} s |",
        f"| queries | {lat['n']} |",
        f"| p50 | {lat['p50']:.2f} ms |",
        f"| p99 | {lat['p99']:.2f} ms (target < 10 ms) |",
        f"| max | {lat['max']:.2f} ms |",
        "",
    ]
    http = results.get("http")
    if http is not None and "skipped" not in http:
        http = {**http, "breakdown": results.get("breakdown")}
    lines += _http_lines(http)
    return "\n".join(lines)


def _in(row: dict, kind: str) -> bool:
    return kind == "all" or row["kind"] == kind or (kind == "labelled" and row["kind"] != "qa")


def _http_lines(http: dict | None) -> list[str]:
    if http is None:
        return ["HTTP: not run (--no-http).", ""]
    if "skipped" in http:
        return [f"HTTP: skipped — {http['skipped']}.", ""]
    return [
        "| HTTP (gunicorn, 1 sync worker, 127.0.0.1, 4 client threads) | value |",
        "|---|---|",
        f"| requests per endpoint | {http['requests']} |",
        f"| /healthz | {http['health_rps']:.0f} req/s |",
        f"| /api/v1/procedures?q=… | {http['search_rps']:.0f} req/s |",
        f"| ratio search / healthz | {http['ratio']:.2f} (target ≥ 0.5) |",
        f"| worker RSS after the searches | {http['rss_mb']:.0f} MB (target < 300 MB) |",
        f"| response statuses | {http['statuses']} |",
        "",
        *_breakdown_lines(http.get("breakdown")),
    ]


def _breakdown_lines(b: dict | None) -> list[str]:
    if not b:
        return []
    rest = b["api_ms"] - b["search_ms"]
    return [
        "Where a search request's time goes (in process, Django test client, mean of 200):",
        f"`/healthz` {b['healthz_ms']:.2f} ms; `/api/v1/procedures?q=…` {b['api_ms']:.2f} ms, "
        f"of which `search_procedures` {b['search_ms']:.2f} ms and {rest:.2f} ms the endpoint's "
        "loading of the page's procedures and their serialisation.",
        "",
    ]


def failures(results: dict, limit: int) -> str:
    rows = [r for r in results["engine"]["rows"] if not r["hit1"]]
    out = [f"Queries whose first result is not expected ({len(rows)}):"]
    for r in rows[:limit]:
        mark = "in top 5" if r["recall5"] else "MISSED"
        out.append(
            f"  [{r['kind']}] {r['query']!r} expected {' '.join(sorted(r['expected']))}"
            f" got {' '.join(r['got']) or '-'} ({mark})"
        )
    return "\n".join(out)


def write_report(text: str) -> Path:
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + section + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(new, encoding="utf-8")
    return path


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
        print(f"\nwritten to {write_report(text)}")


if __name__ == "__main__":
    main()
