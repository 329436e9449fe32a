"""Payments benchmark: the gateway's notifications (IPN) arriving duplicated and out of order
from concurrent clients, on PostgreSQL, over HTTP.

Run:  .venv/bin/python bench/payments.py                (1,000 payments, 16 clients, 4 workers)
      .venv/bin/python bench/payments.py --payments 200 --clients 8 --json /tmp/pay.json

Migrates the database `opendvc_bench` (or --database-url) and creates this run's fixture: one
agency, one procedure with one fee of 50,000 đ, one citizen, and --payments dossiers in status 6
(Yêu cầu thực hiện nghĩa vụ tài chính). Each dossier's payment is made and started through the
payment actions (`create_payment`, `start_payment`), as the citizen's "Pay" button does.

Then gunicorn starts on a free port, and for every payment the gateway's signed success message
(the adapter's `vnpay.sign`) is sent 2 or 3 times to the IPN (`/payments/vnpay/ipn`) and once to
the return page (`/payments/vnpay/return`), all requests shuffled together and sent by --clients
threads at once: some IPNs come before the payer's return, some after, some at the same moment
as their duplicates. Afterwards it checks, in the database:

- every payment SUCCESS, with exactly one receipt number, numbers 1..N without gap or repeat;
- exactly one `payments.settled` audit entry per payment, and the audit chain intact;
- every dossier back in status 4 (Đang xử lý) by exactly one `confirm_payment` change, and
  marked paid online;
- exactly one IPN answered `00` per payment, the others `02` (already confirmed); no `99`, no
  HTTP error: zero double credits, zero lost.

Reports the requests/s of the mixed phase, the IPN's p50/p95/max latency, and, for scale, the
same clients against /healthz. Prints a summary and writes JSON (--json).
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402

AMOUNT = 50_000
IPN = "/payments/vnpay/ipn"
RETURN = "/payments/vnpay/return"


def make_fixture(run: str, count: int) -> dict:
    """This run's agency, procedure and fee, a citizen, and `count` started payments."""
    from django.utils import timezone

    from opendvc.accounts.tests.factories import CitizenFactory
    from opendvc.catalog.tests.factories import CaseFactory, FeeFactory, ProcedureFactory
    from opendvc.directory.tests.factories import AgencyFactory
    from opendvc.dossiers.models import Status
    from opendvc.dossiers.tests.factories import DossierFactory
    from opendvc.payments import actions

    agency = AgencyFactory(code=f"PAY{run}", name=f"Sở Tư pháp (bench thanh toán {run})")
    procedure = ProcedureFactory(code=f"9.{run}", name=f"Cấp phiếu lý lịch tư pháp {run}")
    procedure.implementing_agencies.set([agency])
    case = CaseFactory(procedure=procedure)
    FeeFactory(procedure=procedure, amount=AMOUNT, description="Lệ phí cấp phiếu")
    citizen = CitizenFactory(email=f"bench-pay-{run}@example.vn", phone=f"07{int(run):08d}")
    payments = []
    for n in range(count):
        dossier = DossierFactory(
            case=case,
            agency=agency,
            applicant=citizen,
            status=Status.FINANCIAL_OBLIGATION,
            code=f"PAY{run}-{n:05d}",
        )
        now = timezone.now()
        payment = actions.create_payment(
            dossier=dossier, by=citizen, idempotency_key=f"bench-{run}-{n}", now=now
        )
        actions.start_payment(payment=payment, ip="127.0.0.1", now=now)
        payments.append(payment)
    return {"agency": agency.pk, "payments": [p.pk for p in payments]}


def signed_result(payment, number: int) -> dict[str, str]:
    """The gateway's success message about `payment`, signed with the merchant's secret."""
    from opendvc.payments.gateways import vnpay

    cfg = vnpay.config()
    params = {
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_Amount": str(payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{number:08d}",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": payment.description,
        "vnp_PayDate": datetime.now(UTC).strftime("%Y%m%d%H%M%S"),
        "vnp_ResponseCode": "00",
        "vnp_TransactionNo": f"{14000000 + number}",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.txn_ref,
    }
    params["vnp_SecureHash"] = vnpay.sign(params, cfg.hash_secret)
    return params


def requests_for(payment_ids: list[int], rng: random.Random) -> list[tuple[str, str, int]]:
    """(kind, path with query, payment id) for every message, shuffled."""
    from opendvc.payments.models import Payment

    work = []
    for number, payment in enumerate(Payment.objects.filter(pk__in=payment_ids).order_by("pk")):
        query = urlencode(signed_result(payment, number))
        work += [("ipn", f"{IPN}?{query}", payment.pk)] * rng.choice((2, 3))
        work.append(("return", f"{RETURN}?{query}", payment.pk))
    rng.shuffle(work)
    return work


def send_all(port: int, work: list, clients: int) -> tuple[float, list[dict]]:
    """Send every request, `clients` at a time; the wall time and one record per request."""
    todo: queue.Queue = queue.Queue()
    for position, item in enumerate(work):
        todo.put((position, item))
    records: list[dict] = []
    lock = threading.Lock()

    def client() -> None:
        http = _server.Client(port)
        while True:
            try:
                position, (kind, path, payment_id) = todo.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            sent_at = time.monotonic()
            status, _location, body = http.get(path)
            took = time.perf_counter() - started
            code = json.loads(body).get("RspCode") if kind == "ipn" and status == 200 else None
            with lock:
                records.append(
                    {
                        "kind": kind,
                        "payment": payment_id,
                        "status": status,
                        "code": code,
                        "sent_at": sent_at,
                        "seconds": took,
                        "position": position,
                    }
                )

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, records


def healthz(port: int, clients: int, count: int) -> float:
    """Requests/s of /healthz with the same clients: the server's floor, for scale."""
    wall, _records = send_all(port, [("healthz", "/healthz", 0)] * count, clients)
    return count / wall


def verify(fixture: dict, records: list[dict]) -> dict:
    """What the database says after the run; every check is a count that must be exact."""
    from opendvc.audit.models import AuditEntry
    from opendvc.dossiers.models import Dossier, Status, StatusChange
    from opendvc.payments.models import Payment, ReceiptCounter

    ids = fixture["payments"]
    payments = Payment.objects.filter(pk__in=ids)
    numbers = sorted(payments.values_list("receipt_number", flat=True))
    settled = AuditEntry.objects.filter(
        action="payments.settled", target_id__in=[str(pk) for pk in ids]
    )
    per_payment = Counter(settled.values_list("target_id", flat=True))
    dossier_ids = list(payments.values_list("dossier_id", flat=True))
    confirmations = Counter(
        StatusChange.objects.filter(
            dossier_id__in=dossier_ids, action="confirm_payment"
        ).values_list("dossier_id", flat=True)
    )
    ok_answers = Counter(r["payment"] for r in records if r["kind"] == "ipn" and r["code"] == "00")
    counter = ReceiptCounter.objects.filter(agency_id=fixture["agency"]).first()
    return {
        "payments": len(ids),
        "success": payments.filter(state=Payment.State.SUCCESS).count(),
        "receipt_numbers_are_1_to_n": numbers == list(range(1, len(ids) + 1)),
        "receipt_counter_last": counter.last if counter else None,
        "settled_audit_entries": settled.count(),
        "payments_with_one_settled_entry": sum(1 for n in per_payment.values() if n == 1),
        "dossiers_in_status_4": Dossier.objects.filter(
            pk__in=dossier_ids, status=Status.PROCESSING, is_paid_online=True
        ).count(),
        "dossiers_confirmed_once": sum(1 for n in confirmations.values() if n == 1),
        "confirmations": sum(confirmations.values()),
        "ipn_answered_00_once": sum(1 for n in ok_answers.values() if n == 1),
        "double_credits": sum(1 for n in ok_answers.values() if n > 1),
        "lost": len(ids) - len(ok_answers),
    }


def order_facts(records: list[dict]) -> dict:
    """How the IPNs met the returns: first IPN sent before or after the payer's return."""
    first_ipn: dict[int, float] = {}
    returned: dict[int, float] = {}
    for r in records:
        if r["kind"] == "ipn":
            first_ipn[r["payment"]] = min(first_ipn.get(r["payment"], r["sent_at"]), r["sent_at"])
        else:
            returned[r["payment"]] = r["sent_at"]
    before = sum(1 for pk, at in first_ipn.items() if at < returned[pk])
    return {"first_ipn_before_return": before, "first_ipn_after_return": len(first_ipn) - before}


def audit_chain_ok(env: dict, tries: int = 3) -> str:
    """`opendvc verify_audit` on the whole bench database. Other work writing to the same
    database while the chain is read makes the head and the entries disagree: tried again."""
    failure = ""
    for _attempt in range(tries):
        try:
            done = _server.run_command(env, "verify_audit")
        except Exception as error:  # the command's own message says what broke
            failure = f"FAILED: {getattr(error, 'stderr', '') or error}".strip()
            time.sleep(2)
            continue
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "ok"
    return failure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=_server.DEFAULT_DATABASE_URL)
    parser.add_argument("--payments", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--json", default="", help="where to write the results")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="opendvc-bench-payments-"))
    env = _server.setup_django(args.database_url, var_dir)
    machine = _server.machine()
    _server.migrate()
    from django.db import connection

    run = f"{int(time.time()) % 1_000_000:06d}"
    began = time.perf_counter()
    fixture = make_fixture(run, args.payments)
    fixture_seconds = time.perf_counter() - began
    work = requests_for(fixture["payments"], random.Random(args.seed))
    connection.close()

    port = _server.free_port()
    server = _server.start_gunicorn(env, port, args.workers)
    try:
        baseline = healthz(port, args.clients, 1000)
        wall, records = send_all(port, work, args.clients)
    finally:
        _server.stop(server)

    ipn = [r for r in records if r["kind"] == "ipn"]
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine,
        "command": " ".join(["bench/payments.py", *sys.argv[1:]]),
        "workers": args.workers,
        "clients": args.clients,
        "fixture_seconds": round(fixture_seconds, 1),
        "requests": len(records),
        "ipn_requests": len(ipn),
        "return_requests": len(records) - len(ipn),
        "wall_seconds": round(wall, 2),
        "requests_per_second": round(len(records) / wall, 1),
        # IPNs answered per second of the phase (the returns shared the server meanwhile).
        "ipn_per_second": round(len(ipn) / wall, 1),
        "ipn_latency": _server.summary_ms([r["seconds"] for r in ipn]),
        # The first IPN of a payment settles it (00); its duplicates only find it settled (02).
        "ipn_latency_00": _server.summary_ms([r["seconds"] for r in ipn if r["code"] == "00"]),
        "ipn_latency_02": _server.summary_ms([r["seconds"] for r in ipn if r["code"] == "02"]),
        "return_latency": _server.summary_ms([r["seconds"] for r in records if r["kind"] != "ipn"]),
        "healthz_per_second": round(baseline, 1),
        "http_statuses": dict(Counter(f"{r['kind']} {r['status']}" for r in records)),
        "ipn_answers": dict(Counter(r["code"] for r in ipn)),
        **order_facts(records),
        "checks": verify(fixture, records),
        "audit_chain": audit_chain_ok(env),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    checks = results["checks"]
    n = checks["payments"]
    good = (
        checks["success"] == n
        and checks["receipt_numbers_are_1_to_n"]
        and checks["payments_with_one_settled_entry"] == n == checks["settled_audit_entries"]
        and checks["dossiers_in_status_4"] == n == checks["dossiers_confirmed_once"]
        and checks["confirmations"] == n
        and checks["double_credits"] == 0
        and checks["lost"] == 0
    )
    print("PASS: zero double credits, zero lost" if good else "FAIL: see the checks above")
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
