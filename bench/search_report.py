"""The report of bench/search.py: a Markdown table, printed and kept in docs/benchmarks.md."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


def rates(rows) -> dict:
    n = len(rows) or 1
    return {
        "n": len(rows),
        "hit1": sum(r["hit1"] for r in rows) / n,
        "recall5": sum(r["recall5"] for r in rows) / n,
    }


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
            rates([r for r in m["rows"] if _in(r, kind)]) for m in (engine, like, icontains)
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


def failures(results: dict, limit: int, *, markdown: bool = False) -> str:
    """The labelled queries whose first result is not an expected procedure."""
    rows = [r for r in results["engine"]["rows"] if not r["hit1"]]
    out = [f"Queries whose first result is not expected ({len(rows)}):"]
    if markdown:
        out.append("")
    for r in rows[:limit]:
        mark = "in top 5" if r["recall5"] else "MISSED"
        line = (
            f"[{r['kind']}] {r['query']!r} expected {' '.join(sorted(r['expected']))}"
            f" got {' '.join(r['got']) or '-'} ({mark})"
        )
        out.append(f"- {line}" if markdown else f"  {line}")
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
