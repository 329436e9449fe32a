"""Submission benchmark: applicants filing online, on PostgreSQL, over HTTP.

Run:  .venv/bin/python bench/submit.py                 (gunicorn, 4 workers, 16 clients, API)
      .venv/bin/python bench/submit.py --mode pages    (the citizen pages instead of the API)
      .venv/bin/python bench/submit.py --kill-worker   (also the task worker, SIGKILLed midway)

Starts gunicorn on a free port against the database `opendvc_bench` (or --database-url),
migrates it, and creates this run's catalog fixture: one procedure, one case with one required
document, one agency receiving it, and one citizen account per client, each with an API token.
Then, in one run:

1. each client signs in to the site (the session the baseline uses);
2. --mode api (default): all clients file at once, --drafts times each, as an API client does:
   `POST /api/v1/dossiers`, `PATCH .../form` (the e-form's answers), `POST .../components/{id}/
   files` (a 200 KB PDF), `POST .../submit` with an Idempotency-Key; token auth. One submission
   is those four requests: submissions/s over the phase, p50/p95 of the whole and of the submit
   request alone.
   --mode pages: each client prepares its drafts through the pages (start, e-form, documents
   page, attach), then all submit at once (`POST /ho-so/<pk>/kiem-tra/`): submissions/s and
   p95 of the submit request; the whole filing's p95 is prepare + submit per draft.
3. all clients make trivial authenticated POSTs, to Django's language switch (/i18n/setlang/:
   session, CSRF, a redirect; no database write): the baseline POSTs/s.

Reports submissions/s ÷ baseline/s (target ≥ 0.3) and checks that every code a client was
acknowledged (the API's answer, the receipt redirect) is in the database. With --kill-worker
the database task worker runs throughout, is SIGKILLed while it runs a task (up to --kills
times) and restarted; then the sweep (`opendvc send_status_emails`) runs, and each status
change must have exactly one message file in the outbox. Prints a summary and writes JSON
(--json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402

PDF_BYTES = 200 * 1024
SEND_TASK = "opendvc.dossiers.tasks.send_status_email"
PASSWORD = "Mat-khau-bench-2026"


def big_pdf(size: int = PDF_BYTES) -> bytes:
    """A valid one-page PDF of about `size` bytes: random padding in an unreferenced stream
    (random, so neither gzip nor the upload checks shrink it)."""
    from opendvc.dossiers.tests.factories import pdf

    padding = random.randbytes(size - 900)
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(padding), padding)
    return pdf(stream)


def make_fixture(run: str, clients: int) -> dict:
    """This run's procedure, case, document, agency, province and commune, and the citizens."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from opendvc.accounts.models import User
    from opendvc.accounts.tokens import create_token
    from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, ProcedureFactory
    from opendvc.directory.tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory

    province = ProvinceFactory()
    commune = CommuneFactory(code=f"B{run}", short_name=f"Bench {run}", parent=province)
    agency = AgencyFactory(
        code=f"BENCH{run}", name=f"Sở Tư pháp (bench {run})", admin_unit=province
    )
    procedure = ProcedureFactory(code=f"8.{run}", name=f"Cấp phiếu lý lịch tư pháp {run}")
    procedure.implementing_agencies.set([agency])
    case = CaseFactory(procedure=procedure)
    DocumentFactory(case=case, name="Tờ khai yêu cầu", position=0)
    hashed = make_password(PASSWORD)
    citizens = User.objects.bulk_create(
        User(
            email=f"bench-{run}-{n}@example.vn",
            phone=f"08{int(run):06d}{n:02d}",
            full_name=f"Công dân thử {n}",
            kind=User.Kind.CITIZEN,
            password=hashed,
        )
        for n in range(clients)
    )
    now = timezone.now()
    tokens = [create_token(user=c, name="bench", now=now)[1] for c in citizens]
    return {
        "tokens": tokens,
        "procedure": procedure.code,
        "case": case.pk,
        "agency": agency.pk,
        "agency_code": agency.code,
        "province": province.code,
        "commune": commune.code,
        "emails": [c.email for c in citizens],
    }


def answers(fixture: dict, email: str) -> dict:
    return {
        "ho_ten": "Nguyễn Văn An",
        "ngay_sinh": "1990-05-01",
        "so_dinh_danh_ca_nhan": "001090012345",
        "dien_thoai": "0912345678",
        "email": email,
        "tinh_thanh_pho": fixture["province"],
        "phuong_xa": fixture["commune"],
        "dia_chi_chi_tiet": "Số 5 đường Lý Thái Tổ",
        "noi_dung_yeu_cau": "Cấp một phiếu lý lịch tư pháp số 1.",
    }


def expect(response, status: int, what: str) -> str:
    if response[0] != status:
        raise RuntimeError(f"{what}: HTTP {response[0]} (expected {status})")
    return response[1]


def timed(times: list, call):
    started = time.perf_counter()
    result = call()
    times.append(time.perf_counter() - started)
    return result


class Filer:
    """One citizen: signs in, prepares drafts, submits them, then makes baseline POSTs."""

    def __init__(self, port: int, fixture: dict, n: int, drafts: int, document: bytes):
        self.client = _server.Client(port)
        self.fixture, self.drafts, self.document = fixture, drafts, document
        self.email, self.token = fixture["emails"][n], fixture["tokens"][n]
        self.sign_in_times: list[float] = []
        self.prepare_times: list[float] = []  # per draft: start + e-form + documents page + attach
        self.submit_times: list[float] = []
        self.whole_times: list[float] = []  # api: the four requests of one submission
        self.step_times: dict[str, list[float]] = {"create": [], "form": [], "attach": []}
        self.baseline_times: list[float] = []
        self.pending: list[int] = []
        self.codes: list[str] = []
        self.errors: list[str] = []

    def sign_in(self) -> None:
        c = self.client
        expect(c.get("/tai-khoan/dang-nhap/"), 200, "sign-in page")
        fields = {"username": self.email, "password": PASSWORD}
        timed(
            self.sign_in_times,
            lambda: expect(c.post("/tai-khoan/dang-nhap/", fields), 302, "sign in"),
        )

    def prepare(self) -> None:
        for _ in range(self.drafts):
            steps: list[float] = []
            self.pending.append(self._prepare_one(steps))
            self.prepare_times.append(sum(steps))

    def _prepare_one(self, steps: list) -> int:
        c, fx = self.client, self.fixture
        start = f"/thu-tuc/{fx['procedure']}/nop-ho-so/"
        fields = {"case": fx["case"], "agency": fx["agency"]}
        location = timed(steps, lambda: expect(c.post(start, fields), 302, "start"))
        pk = int(re.search(r"/ho-so/(\d+)/", location).group(1))
        form = answers(fx, self.email)
        timed(steps, lambda: expect(c.post(f"/ho-so/{pk}/to-khai/", form), 302, "e-form"))
        page = timed(steps, lambda: c.get(f"/ho-so/{pk}/giay-to/"))
        attach = _server.find(rf'action="(/ho-so/{pk}/giay-to/\d+/them/)"', page[2])
        files = {"files": ("to-khai.pdf", self.document, "application/pdf")}
        timed(steps, lambda: expect(c.post(attach, {}, files), 302, "attach"))
        return pk

    def submit(self) -> None:
        for pk in self.pending:
            try:
                location = timed(
                    self.submit_times,
                    lambda pk=pk: expect(
                        self.client.post(f"/ho-so/{pk}/kiem-tra/", {}), 302, "submit"
                    ),
                )
                code = re.fullmatch(r"/ho-so/([^/]+)/bien-nhan/", location)
                if not code:
                    raise RuntimeError(f"submit of draft {pk} went to {location}")
                self.codes.append(code.group(1))
            except Exception as error:  # counted and reported, the run goes on
                self.errors.append(str(error))

    def file_api(self) -> None:
        """--drafts submissions through the API, each timed whole and its submit alone."""
        for _ in range(self.drafts):
            started = time.perf_counter()
            try:
                self.codes.append(self._file_one())
                self.whole_times.append(time.perf_counter() - started)
            except Exception as error:  # counted and reported, the run goes on
                self.errors.append(str(error))

    def _file_one(self) -> str:
        fx, steps = self.fixture, self.step_times
        draft = {"procedure_code": fx["procedure"], "case_id": fx["case"]}
        draft["agency_code"] = fx["agency_code"]
        body = timed(steps["create"], lambda: self._api("POST", "/api/v1/dossiers", 201, draft))
        pk, component = body["id"], body["components"][0]["id"]
        form = answers(fx, self.email)
        path = f"/api/v1/dossiers/{pk}/form"
        timed(steps["form"], lambda: self._api("PATCH", path, 200, form))
        boundary = uuid.uuid4().hex
        files = {"file": ("to-khai.pdf", self.document, "application/pdf")}
        upload = _server._multipart(boundary, {}, files)
        kind = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        path = f"/api/v1/dossiers/{pk}/components/{component}/files"
        timed(steps["attach"], lambda: self._api("POST", path, 201, upload, kind))
        key = {"Idempotency-Key": uuid.uuid4().hex}
        path = f"/api/v1/dossiers/{pk}/submit"
        body = timed(self.submit_times, lambda: self._api("POST", path, 200, None, key))
        if not body.get("code") or not body.get("secret"):
            raise RuntimeError(f"submit of draft {pk} gave no code or secret")
        return body["code"]

    def _api(self, method: str, path: str, status: int, body=None, headers=None) -> dict:
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if not isinstance(body, bytes):
            body = json.dumps(body or {}).encode()
            sent.setdefault("Content-Type", "application/json")
        answer = _server.Client(self.client.port).request(method, path, body, sent)
        if answer[0] != status:
            raise RuntimeError(f"{method} {path}: HTTP {answer[0]} {answer[2][:200]!r}")
        return json.loads(answer[2])

    def baseline(self, count: int) -> None:
        fields = {"language": "vi", "next": "/"}
        for _ in range(count):
            timed(
                self.baseline_times,
                lambda: expect(self.client.post("/i18n/setlang/", fields), 302, "setlang"),
            )


def run_phase(filers: list[Filer], work) -> float:
    """Run `work(filer)` in one thread per client, all released together; the wall time."""
    gate = threading.Barrier(len(filers) + 1)
    failures: list[str] = []

    def body(filer: Filer) -> None:
        gate.wait()
        try:
            work(filer)
        except Exception as error:
            failures.append(f"{filer.email}: {error}")

    threads = [threading.Thread(target=body, args=(f,)) for f in filers]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError("; ".join(failures[:3]))
    return time.perf_counter() - started


class WorkerKiller:
    """Keeps the task worker running; while submissions flow, SIGKILLs it when it holds a
    RUNNING task (so a task is lost mid-way), up to `kills` times, restarting it each time."""

    def __init__(self, env: dict, kills: int) -> None:
        self.env, self.kills_wanted = env, kills
        self.worker = _server.start_worker(env)
        self.killed: list[str] = []  # the task each kill interrupted
        self.failed_starts = 0
        self.stop = threading.Event()

    def watch(self) -> None:
        from django.db import connection
        from django_tasks_db.models import DBTaskResult

        time.sleep(1.0)  # let some submissions through first
        while not self.stop.is_set() and len(self.killed) < self.kills_wanted:
            # A task a previous kill abandoned stays RUNNING for ever: look for a new one.
            running = (
                DBTaskResult.objects.filter(status="RUNNING", task_path=SEND_TASK)
                .exclude(id__in=self.killed)
                .values_list("id", flat=True)
                .first()
            )
            if running:
                os.kill(self.worker.pid, signal.SIGKILL)
                self.worker.wait()
                self.killed.append(str(running))
                time.sleep(0.5)
                self.worker = _server.start_worker(self.env)
                time.sleep(1.0)
            else:
                time.sleep(0.002)
        connection.close()

    def drain(self, timeout: float = 120) -> int:
        """Wait until the queue has no READY task; the RUNNING ones left by kills remain."""
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.worker.poll() is not None:  # it failed to start: start it again
                self.failed_starts += 1
                self.worker = _server.start_worker(self.env)
            if not DBTaskResult.objects.filter(status="READY").exists():
                break
            time.sleep(0.5)
        return DBTaskResult.objects.filter(status="RUNNING").count()


def check_codes(codes: list[str], agency_code: str) -> dict:
    from opendvc.dossiers.models import Dossier, Status

    stored = set(
        Dossier.objects.filter(code__in=codes, status=Status.NEW).values_list("code", flat=True)
    )
    in_agency = Dossier.objects.filter(agency__code=agency_code).exclude(status=0).count()
    return {
        "acknowledged": len(codes),
        "acknowledged_in_database": len(stored),
        "missing": sorted(set(codes) - stored)[:20],
        "submitted_in_database": in_agency,
    }


def check_outbox(outbox: Path, agency_code: str) -> dict:
    """Each status change of this run's dossiers must have exactly one message file."""
    from email import message_from_bytes, policy

    from opendvc.dossiers.models import StatusChange

    changes = dict(
        StatusChange.objects.filter(dossier__agency__code=agency_code)
        .exclude(dossier__applicant_email="")
        .values_list("pk", "dossier__applicant_email")
    )
    per_change: dict[int, int] = {}
    wrong_recipient = 0
    for path in outbox.glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        match = re.fullmatch(r"<dossier-status-(\d+)@[^>]+>", str(message["Message-ID"]))
        if match and int(match.group(1)) in changes:
            change = int(match.group(1))
            per_change[change] = per_change.get(change, 0) + 1
            wrong_recipient += str(message["To"]) != changes[change]
    unsent = StatusChange.objects.filter(pk__in=changes, emailed_at__isnull=True).count()
    return {
        "status_changes": len(changes),
        "with_one_file": sum(1 for n in per_change.values() if n == 1),
        "with_no_file": len(changes) - len(per_change),
        "with_several_files": sum(1 for n in per_change.values() if n > 1),
        "wrong_recipient": wrong_recipient,
        "emailed_at_unset": unsent,
    }


def sends_by_tasks(since: datetime) -> int:
    """Messages the send_status_email tasks report having sent (True), during this run."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=SEND_TASK,
        status="SUCCESSFUL",
        return_value=True,
        enqueued_at__gte=since,
    ).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=_server.DEFAULT_DATABASE_URL)
    parser.add_argument("--mode", choices=("api", "pages"), default="api")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--drafts", type=int, default=8, help="drafts each client submits")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--json", default="", help="where to write the results")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="opendvc-bench-submit-"))
    env = _server.setup_django(args.database_url, var_dir)
    _server.migrate()
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from opendvc.dossiers.models import StatusChange

    # Earlier runs' queued tasks and unsent changes must not mail into this run's outbox or
    # counts: their queue is emptied and their changes marked (this is the bench database).
    DBTaskResult.objects.all().delete()
    StatusChange.objects.filter(emailed_at__isnull=True).update(emailed_at=datetime.now(UTC))
    run = f"{int(time.time()) % 1_000_000:06d}"
    fixture = make_fixture(run, args.clients)
    document = big_pdf()
    since = datetime.now(UTC)
    connection.close()

    port = _server.free_port()
    server = _server.start_gunicorn(env, port, args.workers)
    killer = WorkerKiller(env, args.kills) if args.kill_worker else None
    walls = {}
    try:
        filers = [Filer(port, fixture, n, args.drafts, document) for n in range(args.clients)]
        run_phase(filers, Filer.sign_in)
        if args.mode == "pages":
            walls["prepare"] = run_phase(filers, Filer.prepare)
        watcher = threading.Thread(target=killer.watch) if killer else None
        if watcher:
            watcher.start()
        walls["submit"] = run_phase(filers, Filer.file_api if args.mode == "api" else Filer.submit)
        if killer:
            killer.stop.set()
            watcher.join()
        walls["baseline"] = run_phase(filers, lambda f: f.baseline(args.drafts * 2))
    finally:
        _server.stop(server)

    result = report(args, fixture, filers, walls, document)
    if killer:
        result["kill_worker"] = after_kills(killer, env, var_dir, fixture, since)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def report(args, fixture, filers, walls: dict, document) -> dict:
    def joined(name: str) -> list[float]:
        return [t for f in filers for t in getattr(f, name)]

    codes = [code for f in filers for code in f.codes]
    baseline = len(joined("baseline_times"))
    if args.mode == "api":
        whole = joined("whole_times")
    else:
        pairs = [zip(f.prepare_times, f.submit_times, strict=False) for f in filers]
        whole = [p + s for pair in pairs for p, s in pair]
    submit_rate = len(codes) / walls["submit"]
    baseline_rate = baseline / walls["baseline"]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _server.machine(),
        "database": args.database_url.rsplit("/", 1)[-1],
        "mode": args.mode,
        "clients": args.clients,
        "gunicorn_workers": args.workers,
        "drafts_per_client": args.drafts,
        "pdf_bytes": len(document),
        "sign_in": _server.summary_ms(joined("sign_in_times")),
        "prepare_per_draft": _server.summary_ms(joined("prepare_times")),
        "prepare_wall_s": round(walls.get("prepare", 0), 2),
        **{
            f"api_{step}_request": _server.summary_ms(
                [t for f in filers for t in f.step_times[step]]
            )
            for step in ("create", "form", "attach")
        },
        "submit_request": _server.summary_ms(joined("submit_times")),
        "whole_submission": _server.summary_ms(whole),
        "submit_wall_s": round(walls["submit"], 2),
        "submissions": len(joined("submit_times")),
        "submission_errors": [e for f in filers for e in f.errors][:10],
        "submissions_per_s": round(submit_rate, 2),
        "baseline_posts": baseline,
        "baseline": _server.summary_ms(joined("baseline_times")),
        "baseline_per_s": round(baseline_rate, 1),
        "ratio": round(submit_rate / baseline_rate, 4),
        "codes": check_codes(codes, fixture["agency_code"]),
    }


def after_kills(killer: WorkerKiller, env, var_dir: Path, fixture: dict, since) -> dict:
    abandoned = killer.drain()
    time.sleep(3)  # the sweep leaves changes younger than --older-than to their own task
    output = _server.run_command(env, "send_status_emails", "--older-than", "2").stdout
    _server.stop(killer.worker)
    swept = int(re.search(r"(\d+)", output).group(1))
    by_tasks = sends_by_tasks(since)
    return {
        "kills_while_a_send_task_ran": len(killer.killed),
        "tasks_left_running_after_restart": abandoned,
        "worker_starts_that_failed": killer.failed_starts,
        "sent_by_tasks": by_tasks,
        "sent_by_sweep": swept,
        "outbox": check_outbox(var_dir / "outbox", fixture["agency_code"]),
        "sends_total": by_tasks + swept,
    }


if __name__ == "__main__":
    main()
