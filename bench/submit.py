"""Submission benchmark: applicants filing online, on PostgreSQL, over HTTP.

Run:  .venv/bin/python bench/submit.py                 (gunicorn, 4 workers, 16 clients, API)
      .venv/bin/python bench/submit.py --mode pages    (the citizen pages instead of the API)
      .venv/bin/python bench/submit.py --kill-worker   (also the task worker, SIGKILLed midway)

Starts gunicorn on a free port against the database `opendvc_bench` (or --database-url),
migrates it, and creates this run's catalog fixture: one procedure, one case with one required
document, one agency receiving it, and one citizen account per client, each with an API token.
Then, in one run:

1. each client signs in to the site (the session the baseline uses);
2. --mode api (default), the two ways an API client files, each measured as a phase of its own
   (--flows), all clients at once, --drafts times each, token auth, a 200 KB PDF:
   - steps: `POST /api/v1/dossiers`, `PATCH .../form` (the e-form's answers), `POST
     .../components/{id}/files`, `POST .../submit` with an Idempotency-Key: four requests;
   - filing: `POST /api/v1/dossiers/filings` (multipart: procedure, case, agency, the form as
     JSON, the file as `component_<document id>`) with an Idempotency-Key: one request.
   Submissions/s over the phase, p50/p95 of the whole submission and of each request.
   --mode pages: each client prepares its drafts through the pages (start, e-form, documents
   page, attach), then all submit at once (`POST /ho-so/<pk>/kiem-tra/`): submissions/s and
   p95 of the submit request; the whole filing's p95 is prepare + submit per draft.
3. after each flow, all clients make trivial authenticated POSTs, to Django's language switch
   (/i18n/setlang/: session, CSRF, a redirect; no database write): the baseline POSTs/s that
   flow's ratio is taken against.

Reports submissions/s ÷ baseline/s (target ≥ 0.3) per flow and checks that every code a client
was acknowledged (the API's answer, the receipt redirect) is in the database. With
--kill-worker the database task worker (`opendvc db_worker`) runs throughout and is SIGKILLed
while it runs a `send_message` task (up to --kills times), then restarted; once its queue is
empty it is stopped, the claims the kills left lapse (the bench sets a 5 s lease), and
`opendvc send_notifications` sends what is left. Then each status change of the run must have
exactly one Message row per (key, channel), and each message must have been sent exactly once:
state sent or delivered, and one SandboxDelivery row (sandbox channels) or one .eml file (the
embedded e-mail provider); the repeats the provider de-duplicated are counted. Prints a summary
and writes JSON (--json).
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
SEND_TASK = "opendvc.notifications.tasks.send_message"
LEASE_SECONDS = 5  # how long a killed worker's claim on a message lasts, in this bench
FLOWS = ("steps", "filing")
PASSWORD = "Mat-khau-bench-2026"


def big_pdf(size: int = PDF_BYTES) -> bytes:
    """A valid one-page PDF of about `size` bytes: random padding in an unreferenced stream
    (random, so neither gzip nor the upload checks shrink it)."""
    from opendvc.dossiers.tests.factories import pdf

    padding = random.randbytes(size - 900)
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(padding), padding)
    return pdf(stream)


def make_fixture(run: str, clients: int, with_phone: bool = True) -> dict:
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
    document = DocumentFactory(case=case, name="Tờ khai yêu cầu", position=0)
    hashed = make_password(PASSWORD)
    citizens = User.objects.bulk_create(
        User(
            email=f"bench-{run}-{n}@example.vn",
            # Never ending in 00 or 01: the sandbox's simulated Zalo and SMS failures.
            phone=f"08{int(run):06d}{n % 90 + 10:02d}" if with_phone else None,
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
        "document": document.pk,
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
    """One citizen: signs in, files dossiers one way or the other, then makes baseline POSTs."""

    def __init__(self, port: int, fixture: dict, n: int, drafts: int, document: bytes):
        self.client = _server.Client(port)
        self.fixture, self.drafts, self.document = fixture, drafts, document
        self.email, self.token = fixture["emails"][n], fixture["tokens"][n]
        self.sign_in_times: list[float] = []
        self.prepare_times: list[float] = []  # pages: start + e-form + documents page + attach
        self.submit_times: list[float] = []  # pages: the submit request
        # Per flow: the whole submission, each request, the codes acknowledged, the errors.
        self.whole: dict[str, list[float]] = {flow: [] for flow in (*FLOWS, "pages")}
        self.requests: dict[str, list[float]] = {
            name: [] for name in ("create", "form", "attach", "submit", "filing")
        }
        self.codes: dict[str, list[str]] = {flow: [] for flow in (*FLOWS, "pages")}
        self.errors: dict[str, list[str]] = {flow: [] for flow in (*FLOWS, "pages")}
        self.baseline_times: dict[str, list[float]] = {}
        self.pending: list[int] = []

    def sign_in(self) -> None:
        c = self.client
        expect(c.get("/tai-khoan/dang-nhap/"), 200, "sign-in page")
        fields = {"username": self.email, "password": PASSWORD}
        timed(
            self.sign_in_times,
            lambda: expect(c.post("/tai-khoan/dang-nhap/", fields), 302, "sign in"),
        )

    # --- pages ---------------------------------------------------------------------------

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

    def submit_pages(self) -> None:
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
                self.codes["pages"].append(code.group(1))
            except Exception as error:  # counted and reported, the run goes on
                self.errors["pages"].append(str(error))

    # --- the API -------------------------------------------------------------------------

    def file(self, flow: str) -> None:
        """--drafts submissions through the API one way (`flow`), each timed whole."""
        one = self._steps if flow == "steps" else self._filing
        for _ in range(self.drafts):
            started = time.perf_counter()
            try:
                self.codes[flow].append(one())
                self.whole[flow].append(time.perf_counter() - started)
            except Exception as error:  # counted and reported, the run goes on
                self.errors[flow].append(str(error))

    def _steps(self) -> str:
        fx, times = self.fixture, self.requests
        draft = {"procedure_code": fx["procedure"], "case_id": fx["case"]}
        draft["agency_code"] = fx["agency_code"]
        body = timed(times["create"], lambda: self._api("POST", "/api/v1/dossiers", 201, draft))
        pk, component = body["id"], body["components"][0]["id"]
        form = answers(fx, self.email)
        path = f"/api/v1/dossiers/{pk}/form"
        timed(times["form"], lambda: self._api("PATCH", path, 200, form))
        files = {"file": ("to-khai.pdf", self.document, "application/pdf")}
        upload, kind = self._multipart({}, files)
        path = f"/api/v1/dossiers/{pk}/components/{component}/files"
        timed(times["attach"], lambda: self._api("POST", path, 201, upload, kind))
        key = {"Idempotency-Key": uuid.uuid4().hex}
        path = f"/api/v1/dossiers/{pk}/submit"
        body = timed(times["submit"], lambda: self._api("POST", path, 200, None, key))
        return self._code(body, pk)

    def _filing(self) -> str:
        fx = self.fixture
        fields = {
            "procedure": fx["procedure"],
            "case": fx["case"],
            "agency": fx["agency_code"],
            "form": json.dumps(answers(fx, self.email)),
        }
        part = f"component_{fx['document']}"
        body, kind = self._multipart(
            fields, {part: ("to-khai.pdf", self.document, "application/pdf")}
        )
        headers = {**kind, "Idempotency-Key": uuid.uuid4().hex}
        path = "/api/v1/dossiers/filings"
        answer = timed(self.requests["filing"], lambda: self._api("POST", path, 201, body, headers))
        return self._code(answer, "filing")

    @staticmethod
    def _code(body: dict, what) -> str:
        if not body.get("code") or not body.get("secret"):
            raise RuntimeError(f"submission of {what} gave no code or secret")
        return body["code"]

    @staticmethod
    def _multipart(fields: dict, files: dict) -> tuple[bytes, dict]:
        boundary = uuid.uuid4().hex
        body = _server._multipart(boundary, fields, files)
        return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}

    def _api(self, method: str, path: str, status: int, body=None, headers=None) -> dict:
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if not isinstance(body, bytes):
            body = json.dumps(body or {}).encode()
            sent.setdefault("Content-Type", "application/json")
        answer = _server.Client(self.client.port).request(method, path, body, sent)
        if answer[0] != status:
            raise RuntimeError(f"{method} {path}: HTTP {answer[0]} {answer[2][:200]!r}")
        return json.loads(answer[2])

    def baseline(self, name: str, count: int) -> None:
        fields = {"language": "vi", "next": "/"}
        times = self.baseline_times.setdefault(name, [])
        for _ in range(count):
            timed(
                times,
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
    RUNNING send_message task (so a send is lost mid-way), up to `kills` times, restarting
    it each time."""

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

    def drain(self, timeout: float = 180) -> int:
        """Wait until the queue has no READY task, then stop the worker; the number of tasks
        left RUNNING by the kills (django-tasks-db never picks them up again)."""
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.worker.poll() is not None:  # it failed to start: start it again
                self.failed_starts += 1
                self.worker = _server.start_worker(self.env)
            if not DBTaskResult.objects.filter(status="READY").exists():
                break
            time.sleep(0.5)
        time.sleep(1.0)  # the last task picked up finishes
        _server.stop(self.worker)
        return DBTaskResult.objects.filter(status="RUNNING", task_path=SEND_TASK).count()


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


def run_messages(agency_code: str):
    """This run's status changes (pk → key) and the messages queued for them."""
    from opendvc.dossiers import notices
    from opendvc.dossiers.models import StatusChange
    from opendvc.notifications.models import Message

    changes = StatusChange.objects.filter(dossier__agency__code=agency_code)
    keys = {change.pk: notices.key(change) for change in changes.only("pk")}
    return keys, Message.objects.filter(key__in=keys.values())


def check_messages(agency_code: str, outbox: Path) -> dict:
    """Each status change: exactly one Message row per (key, channel), the first channel's row
    being the one not queued as a fallback; each message sent exactly once."""
    from django.db.models import Count

    from opendvc.core.mail import file_name
    from opendvc.notifications.channels.email import message_id
    from opendvc.notifications.models import Channel, Message, SandboxDelivery

    keys, messages = run_messages(agency_code)
    per_pair = messages.values("key", "channel").annotate(n=Count("pk"))
    first = dict(
        messages.filter(fallback_of__isnull=True)
        .values("key")
        .annotate(n=Count("pk"))
        .values_list("key", "n")
    )
    rows = list(messages)
    sandboxed = {
        (d.channel, d.request_id): d.requests
        for d in SandboxDelivery.objects.filter(request_id__in=[m.request_id for m in rows])
    }
    files = {path.name for path in outbox.glob("*.eml")} if outbox.is_dir() else set()
    evidence = {"sandbox_row": 0, "eml_file": 0, "none": 0}
    repeats = 0
    providers = _server_providers()
    for message in rows:
        if message.channel == Channel.EMAIL and providers["email"] == "mail":
            found = file_name(message_id(message)) in files
            evidence["eml_file" if found else "none"] += 1
            repeats += max(message.attempts - 1, 0)  # the same Message-ID replaces its file
        else:
            count = sandboxed.get((message.channel, message.request_id))
            evidence["sandbox_row" if count else "none"] += 1
            repeats += (count or 1) - 1
    states = dict(messages.values("state").annotate(n=Count("pk")).values_list("state", "n"))
    done = states.get(Message.State.SENT, 0) + states.get(Message.State.DELIVERED, 0)
    return {
        "status_changes": len(keys),
        "with_one_first_message": sum(1 for k in keys.values() if first.get(k) == 1),
        "with_no_message": sum(1 for k in keys.values() if k not in first),
        "key_channel_pairs_with_several_rows": sum(1 for p in per_pair if p["n"] > 1),
        "messages": len(rows),
        "by_channel": dict(
            messages.values("channel").annotate(n=Count("pk")).values_list("channel", "n")
        ),
        "states": states,
        "sent_or_delivered": done,
        "delivered_once": evidence,
        "repeats_deduplicated_by_the_provider": repeats,
    }


def _server_providers() -> dict:
    from django.conf import settings

    return dict(settings.NOTIFY_PROVIDERS)


def sends_by_tasks(since: datetime) -> int:
    """send_message tasks that finished having sent their message, during this run."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=SEND_TASK,
        status="SUCCESSFUL",
        return_value__in=["sent", "delivered"],
        enqueued_at__gte=since,
    ).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=_server.DEFAULT_DATABASE_URL)
    parser.add_argument("--mode", choices=("api", "pages"), default="api")
    parser.add_argument("--flows", default=",".join(FLOWS), help="api: steps, filing or both")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--drafts", type=int, default=8, help="dossiers each client files")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument(
        "--reach",
        choices=("phone", "email"),
        default="phone",
        help="the applicants' first channel: phone (Zalo, sandbox) or email (no phone: the "
        "embedded e-mail provider, one .eml file per message)",
    )
    parser.add_argument("--json", default="", help="where to write the results")
    args = parser.parse_args()
    flows = [f for f in args.flows.split(",") if f] if args.mode == "api" else ["pages"]
    if any(flow not in FLOWS + ("pages",) for flow in flows):
        parser.error(f"--flows: {', '.join(FLOWS)}")

    var_dir = Path(tempfile.mkdtemp(prefix="opendvc-bench-submit-"))
    os.environ["OPENDVC_NOTIFY_LEASE_SECONDS"] = str(LEASE_SECONDS)
    env = _server.setup_django(args.database_url, var_dir)
    _server.migrate()
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    # Earlier runs' queued tasks must not run in this one (this is the bench database).
    DBTaskResult.objects.all().delete()
    run = f"{int(time.time()) % 1_000_000:06d}"
    fixture = make_fixture(run, args.clients, with_phone=args.reach == "phone")
    document = big_pdf()
    since = datetime.now(UTC)
    connection.close()

    port = _server.free_port()
    server = _server.start_gunicorn(env, port, args.workers)
    killer = WorkerKiller(env, args.kills) if args.kill_worker else None
    walls: dict[str, float] = {}
    try:
        filers = [Filer(port, fixture, n, args.drafts, document) for n in range(args.clients)]
        run_phase(filers, Filer.sign_in)
        if args.mode == "pages":
            walls["prepare"] = run_phase(filers, Filer.prepare)
        watcher = threading.Thread(target=killer.watch) if killer else None
        if watcher:
            watcher.start()
        for flow in flows:
            work = Filer.submit_pages if flow == "pages" else (lambda f, flow=flow: f.file(flow))
            walls[flow] = run_phase(filers, work)
            walls[f"baseline_{flow}"] = run_phase(
                filers, lambda f, flow=flow: f.baseline(flow, args.drafts * 2)
            )
        if killer:
            killer.stop.set()
            watcher.join()
    finally:
        _server.stop(server)

    result = report(args, fixture, filers, walls, document, flows)
    if killer:
        result["kill_worker"] = after_kills(killer, env, var_dir, fixture, since)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def report(args, fixture, filers, walls: dict, document, flows: list[str]) -> dict:
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _server.machine(),
        "database": args.database_url.rsplit("/", 1)[-1],
        "mode": args.mode,
        "clients": args.clients,
        "gunicorn_workers": args.workers,
        "drafts_per_client": args.drafts,
        "pdf_bytes": len(document),
        "sign_in": _server.summary_ms([t for f in filers for t in f.sign_in_times]),
    }
    codes = []
    for flow in flows:
        flow_codes = [code for f in filers for code in f.codes[flow]]
        codes += flow_codes
        baseline = [t for f in filers for t in f.baseline_times[flow]]
        submit_rate = len(flow_codes) / walls[flow]
        baseline_rate = len(baseline) / walls[f"baseline_{flow}"]
        if flow == "pages":
            pairs = [zip(f.prepare_times, f.submit_times, strict=False) for f in filers]
            whole = [p + s for pair in pairs for p, s in pair]
            steps = {
                "prepare_per_draft": [t for f in filers for t in f.prepare_times],
                "submit": [t for f in filers for t in f.submit_times],
            }
        else:
            whole = [t for f in filers for t in f.whole[flow]]
            names = ("create", "form", "attach", "submit") if flow == "steps" else ("filing",)
            steps = {name: [t for f in filers for t in f.requests[name]] for name in names}
        result[flow] = {
            "requests_per_submission": {"steps": 4, "filing": 1, "pages": 1}[flow],
            "submissions": len(flow_codes),
            "errors": [e for f in filers for e in f.errors[flow]][:10],
            "wall_s": round(walls[flow], 2),
            "submissions_per_s": round(submit_rate, 2),
            "whole_submission": _server.summary_ms(whole),
            **{f"{name}_request": _server.summary_ms(times) for name, times in steps.items()},
            "baseline_posts": len(baseline),
            "baseline": _server.summary_ms(baseline),
            "baseline_per_s": round(baseline_rate, 1),
            "ratio": round(submit_rate / baseline_rate, 4),
        }
    if "prepare" in walls:
        result["prepare_wall_s"] = round(walls["prepare"], 2)
    result["codes"] = check_codes(codes, fixture["agency_code"])
    return result


def after_kills(killer: WorkerKiller, env, var_dir: Path, fixture: dict, since) -> dict:
    from opendvc.notifications.models import Message

    abandoned = killer.drain()
    _keys, messages = run_messages(fixture["agency_code"])
    # Left by the kills: queued (killed before its claim) or sending (claimed, maybe sent).
    left = messages.exclude(state__in=[Message.State.SENT, Message.State.DELIVERED])
    waiting = {state: left.filter(state=state).count() for state in ("queued", "sending")}
    time.sleep(LEASE_SECONDS + 1)  # the claims the kills left lapse
    output = _server.run_command(env, "send_notifications").stdout
    swept = int(re.findall(r"(\d+)", output)[-1])
    return {
        "kills_while_a_send_task_ran": len(killer.killed),
        "tasks_left_running_after_restart": abandoned,
        "worker_starts_that_failed": killer.failed_starts,
        "sent_by_tasks": sends_by_tasks(since),
        "left_unsent_for_the_sweep": waiting,
        "tried_by_send_notifications": swept,
        "messages": check_messages(fixture["agency_code"], var_dir / "outbox"),
    }


if __name__ == "__main__":
    main()
