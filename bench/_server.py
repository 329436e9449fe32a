"""Shared parts of bench/submit.py and bench/inbox.py: Django on a chosen database, gunicorn and
the task worker as child processes, a small cookie-keeping HTTP client, and timing helpers."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/opendvc_bench"


def setup_django(database_url: str, var_dir: Path) -> dict:
    """Configure Django in this process for `database_url`; return the environment the child
    processes (gunicorn, worker, commands) get, so they all see the same settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opendvc.settings",
        "OPENDVC_DATABASE_URL": database_url,
        "OPENDVC_VAR_DIR": str(var_dir),
        "OPENDVC_MEDIA_ROOT": str(var_dir / "media"),
        "OPENDVC_DEBUG": "0",
        # No collectstatic in a throw-away folder: templates resolve static paths as they are.
        "OPENDVC_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "OPENDVC_TASK_BACKEND": "database",
        "OPENDVC_EMAIL_URL": "",
    }
    (var_dir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns without it
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def machine() -> str:
    cpus = os.cpu_count()
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) / 1024 / 1024
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cpus} CPUs ({model}), {memory:.1f} GiB memory; load average at start {load}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    env: dict, port: int, workers: int, app: str = "opendvc.wsgi:application"
) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", app, "--pythonpath", str(ROOT / "bench")]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--timeout", "120", "--log-level", "warning", "--backlog", "256"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).get("/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError("gunicorn did not answer /healthz")


def start_worker(env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "opendvc.cli", "db_worker", "--interval", "0.2"]
    return subprocess.Popen(command + ["--no-startup-delay"], cwd=ROOT, env=env)


def run_command(env: dict, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "opendvc.cli", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Client:
    """One user's browser, as far as these pages need: cookies, the CSRF token, no redirects
    followed (each request is timed alone), a new connection per request (gunicorn's sync
    workers close it anyway)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        location = response.headers.get("Location", "")
        return response.status, urlsplit(location).path if location else "", data

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        headers = {"X-CSRFToken": fields["csrfmiddlewaretoken"]}
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, fields, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, headers)


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def find(pattern: str, data: bytes) -> str:
    match = re.search(pattern, data.decode("utf-8", "replace"))
    if not match:
        raise RuntimeError(f"not found in the page: {pattern}")
    return match.group(1)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict:
    values = [s * 1000 for s in seconds]
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 1) if values else None,
        "p95_ms": round(percentile(values, 95), 1) if values else None,
        "max_ms": round(max(values), 1) if values else None,
    }
