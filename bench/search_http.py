"""The HTTP part of bench/search.py: gunicorn on a free loopback port, search against /healthz,
the worker's memory, and where a search request spends its time."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
