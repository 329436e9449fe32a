"""Desk inbox benchmark: the staff inbox page over 100,000 dossiers, on PostgreSQL.

Run:  .venv/bin/python bench/inbox.py            (--explain prints each page's slowest query
                                                   with EXPLAIN ANALYZE; --json PATH)

On the database `opendvc_bench` (or --database-url), once: 100,000 dossiers (bulk_create in
batches) across statuses 1–10 and two agencies, plus a third agency with 3 dossiers. Later runs
reuse them (--rebuild makes them again). A desk officer of the first agency then opens the
inbox (`dossiers:staff_inbox`, Django test client, in process): the first page, a filtered page
(status=1), a search (q=a code fragment) and a deep page (page 2000); median and p95 of --runs
runs each, and each page's query count, which must equal the count for the officer of the
agency with 3 dossiers (the bench asserts it). Target: < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402

BIG, SECOND, SMALL = "INBOXA", "INBOXB", "INBOXS"
TOTAL = 100_000
BATCH = 5_000
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Gia Huy", "Ngọc Lan"]


def fixture(rebuild: bool) -> dict:
    """The agencies, the officers and the dossiers, made once and reused."""
    from opendvc.accounts.tests.factories import OfficialFactory
    from opendvc.catalog.tests.factories import CaseFactory, ProcedureFactory
    from opendvc.directory.tests.factories import AgencyFactory, ProvinceFactory
    from opendvc.dossiers.models import Dossier

    province = ProvinceFactory()
    agencies = {
        code: AgencyFactory(code=code, name=f"Cơ quan {code}", admin_unit=province)
        for code in (BIG, SECOND, SMALL)
    }
    if rebuild:
        Dossier.objects.filter(agency__in=agencies.values()).delete()
    officers = {}
    for code in (BIG, SMALL):
        email = f"desk-{code.lower()}@example.vn"
        officers[code] = OfficialFactory._meta.model.objects.filter(
            email=email
        ).first() or OfficialFactory(email=email, roles=[(agencies[code], "DESK_OFFICER")])
    case = CaseFactory(procedure=ProcedureFactory(code="8.INBOX", name="Cấp giấy phép xây dựng"))
    have = Dossier.objects.filter(agency__in=[agencies[BIG], agencies[SECOND]]).count()
    made = 0.0
    if have < TOTAL:
        Dossier.objects.filter(agency__in=[agencies[BIG], agencies[SECOND]]).delete()
        made = bulk(case, [agencies[BIG], agencies[SECOND]], TOTAL)
    if not Dossier.objects.filter(agency=agencies[SMALL]).exists():
        bulk(case, [agencies[SMALL]], 3)
    return {"officers": officers, "build_s": made}


def bulk(case, agencies: list, count: int) -> float:
    """`count` submitted dossiers, statuses 1–10 in turn, agencies in turn, over a year."""
    from opendvc.dossiers.models import CLOCK_RUNNING, Dossier

    started = time.perf_counter()
    rng = random.Random(2026)
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    for first in range(0, count, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, count)):
            status = n % 10 + 1
            agency = agencies[n % len(agencies)]
            submitted = now - timedelta(minutes=5 * (count - n))
            running = status in CLOCK_RUNNING
            rows.append(
                Dossier(
                    code=f"{agency.code}-{submitted:%y%m%d}-{n:06d}",
                    procedure_id=case.procedure_id,
                    case=case,
                    agency=agency,
                    applicant_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                    applicant_email="",
                    channel=rng.choice((1, 2, 2, 3)),
                    status=status,
                    created_at=submitted,
                    submitted_at=submitted,
                    received_at=submitted if status != 1 else None,
                    due_at=submitted + timedelta(days=rng.randint(3, 20)) if running else None,
                )
            )
        Dossier.objects.bulk_create(rows, batch_size=BATCH)
    return time.perf_counter() - started


PAGES = {
    "first page": {},
    "filtered (status=1)": {"status": "1"},
    "search (q=code fragment)": {"q": "-00000"},
    "deep page (page=2000)": {"page": "2000"},
}


def measure(officer, params: dict, runs: int) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(officer)
    url = reverse("dossiers:staff_inbox")
    assert client.get(url, params).status_code == 200  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    reset_queries()  # the capture counts from the log's length; requests reset the log
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    return {
        **_server.summary_ms(times),
        "queries": len(queries),
        "rows_shown": response.content.count(b'href="/can-bo/ho-so/' + officer_prefix(officer)),
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 1),
        "slowest_query": slowest["sql"],
    }


def officer_prefix(officer) -> bytes:
    agency = officer.roles.get().agency.code
    return agency.encode()


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=_server.DEFAULT_DATABASE_URL)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", default="")
    args = parser.parse_args()

    _server.setup_django(args.database_url, Path(tempfile.mkdtemp(prefix="opendvc-inbox-")))
    _server.migrate()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's template and query capture
    data = fixture(args.rebuild)
    with connection.cursor() as cursor:
        # A table in steady state (autovacuum has run): statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _server.machine(),
        "database": args.database_url.rsplit("/", 1)[-1],
        "dossiers": TOTAL,
        "build_s": round(data["build_s"], 1),
        "runs": args.runs,
        "pages": {},
    }
    for name, params in PAGES.items():
        big = measure(data["officers"][BIG], params, args.runs)
        small = measure(data["officers"][SMALL], params, 3)
        big["queries_with_3_dossiers"] = small["queries"]
        result["pages"][name] = big
        print(
            f"{name:26} median {big['median_ms']:7.1f} ms  p95 {big['p95_ms']:7.1f} ms  "
            f"queries {big['queries']} (3 dossiers: {small['queries']})  "
            f"slowest query {big['slowest_query_ms']} ms"
        )
        if args.explain:
            print(big["slowest_query"], "\n", explain(big["slowest_query"]), "\n")
    for name, page in result["pages"].items():
        assert page["queries"] == page["queries_with_3_dossiers"], f"{name}: query count grows"
    worst = max(page["p95_ms"] for page in result["pages"].values())
    print(
        f"worst p95 {worst:.1f} ms (target < 200 ms); median of medians "
        f"{statistics.median(p['median_ms'] for p in result['pages'].values()):.1f} ms"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
