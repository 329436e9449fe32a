"""Notifications benchmark: 100,000 queued messages sent through the sandbox channels by outbox
workers that are killed (SIGKILL) and restarted twice on the way; every message must reach the
provider exactly once.

Run:  .venv/bin/python bench/notify.py                      (100,000 messages, 2 workers)
      .venv/bin/python bench/notify.py --messages 20000 --workers 1 --json /tmp/notify.json

Migrates the database `opendvc_bench_notify` (or --database-url), empties the outbox and the
sandbox's record, and queues --messages messages as the actions would leave them (rendered, due
now), spread over the three channels: half Zalo, 30% SMS, 20% e-mail, all on the sandbox
providers (which de-duplicate on the request id, as eSMS and Zalo ZNS do).

Then --workers processes of `opendvc send_notifications --loop` drain the outbox. When a quarter
of the messages are sent, every worker is killed with SIGKILL (mid-batch: claimed messages stay
`sending`, some already handed to the provider), and new workers start; again at two thirds.
The claims of the killed workers lapse after --lease seconds and other workers send those
messages again, with the same request id.

Checks afterwards: every message `sent`, with a provider id, once; the sandbox holds exactly one
delivery per message (no message reached a person twice) and none for anything else; how many
repeated requests the provider de-duplicated. Reports the throughput over the whole run (kills
and lapsed claims included) and prints a summary; --json writes it.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/opendvc_bench_notify"
SHARES = (("zalo", 50), ("sms", 30), ("email", 20))
PREFIXES = ("090", "091", "093", "097", "098", "086", "032", "070", "081")


def queue_messages(count: int) -> None:
    """Queue `count` rendered messages, due now, without going through the actions (the bench
    measures sending, not the dossiers that cause them)."""
    from django.db import connection
    from django.utils import timezone

    from opendvc.notifications import rendering
    from opendvc.notifications.events import EVENTS
    from opendvc.notifications.models import Message, SandboxDelivery

    with connection.cursor() as cursor:
        table = ", ".join([Message._meta.db_table, SandboxDelivery._meta.db_table])
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table} RESTART IDENTITY CASCADE")
        else:
            cursor.execute(f"DELETE FROM {SandboxDelivery._meta.db_table}")
            cursor.execute(f"DELETE FROM {Message._meta.db_table}")
    event = EVENTS["dossier.received"]
    texts = {channel: rendering.render(event.code, channel, event.sample) for channel, _ in SHARES}
    channels = [channel for channel, share in SHARES for _ in range(share)]
    chooser = random.Random(20261123)
    now = timezone.now()
    batch = []
    for n in range(count):
        channel = chooser.choice(channels)
        # Numbers never end in 00 or 01: the sandbox's no-Zalo and undelivered-SMS numbers.
        ending = chooser.randrange(2, 100)
        phone = f"{chooser.choice(PREFIXES)}{chooser.randrange(10**5):05d}{ending:02d}"
        to = f"nguoidan{n}@example.vn" if channel == "email" else phone
        text = texts[channel]
        batch.append(
            Message(
                key=f"bench:{n}",
                channel=channel,
                event=event.code,
                to=to,
                addresses={"email": to if channel == "email" else "", "phone": phone},
                context=event.sample,
                reference=event.sample["dossier_code"],
                subject=text.subject,
                body=text.body,
                data=text.data,
                next_attempt_at=now,
                created_at=now,
            )
        )
        if len(batch) == 5000:
            Message.objects.bulk_create(batch)
            batch.clear()
            print(f"  queued {n + 1:,} / {count:,}", flush=True)
    Message.objects.bulk_create(batch)


def counts() -> dict:
    from django.db.models import Count

    from opendvc.notifications.models import Message

    by_state = dict(Message.objects.values_list("state").annotate(n=Count("pk")))
    return {state: by_state.get(state, 0) for state in Message.State.values}


def start_workers(env: dict, workers: int) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "opendvc.cli", "send_notifications", "--loop"]
    command += ["--batch", "500", "--idle", "0.5"]
    return [
        subprocess.Popen(command, cwd=_server.ROOT, env=env, stdout=subprocess.DEVNULL)
        for _ in range(workers)
    ]


def kill(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.send_signal(signal.SIGKILL)
    for process in processes:
        process.wait()


def drain(env: dict, total: int, workers: int, timeout: float) -> tuple[float, list[str]]:
    """Run the workers until every message is sent, killing them at 1/4 and 2/3."""
    kills_at = [total // 4, total * 2 // 3]
    events = []
    running = start_workers(env, workers)
    started = time.monotonic()
    try:
        while True:
            state = counts()
            sent = state["sent"] + state["delivered"]
            elapsed = time.monotonic() - started
            print(
                f"  {elapsed:6.1f} s  sent {sent:,} / {total:,}  sending {state['sending']:,}"
                f"  queued {state['queued']:,}  failed {state['failed']:,}",
                flush=True,
            )
            if kills_at and sent >= kills_at[0]:
                kill(running)
                events.append(
                    f"{elapsed:.1f} s: killed {workers} worker(s) with SIGKILL at {sent:,} sent, "
                    f"{state['sending']:,} claimed"
                )
                kills_at.pop(0)
                running = start_workers(env, workers)
            if sent + state["failed"] >= total:
                return time.monotonic() - started, events
            if elapsed > timeout:
                raise RuntimeError(f"not drained after {timeout:.0f} s: {state}")
            time.sleep(0.5)
    finally:
        kill(running)


def verify(total: int) -> dict:
    from django.db.models import Count, Sum

    from opendvc.notifications.models import Message, SandboxDelivery

    state = counts()
    deliveries = SandboxDelivery.objects.aggregate(rows=Count("pk"), requests=Sum("requests"))
    # Each sent message has its own delivery under its request id, with the provider id that
    # the message recorded; the sandbox holds nothing else (its request ids are unique).
    delivered = dict(SandboxDelivery.objects.values_list("request_id", "provider_id"))
    matched = sum(
        1
        for pk, provider_id in Message.objects.filter(state=Message.State.SENT).values_list(
            "pk", "provider_id"
        )
        if delivered.get(f"odvc-{pk}") == provider_id
    )
    result = {
        "messages": total,
        "sent": state["sent"],
        "not_sent": total - state["sent"],
        "deliveries": deliveries["rows"],
        "provider_requests": deliveries["requests"] or 0,
        "repeats_deduplicated": (deliveries["requests"] or 0) - deliveries["rows"],
        "messages_matching_their_delivery": matched,
        "max_attempts": Message.objects.order_by("-attempts").values_list("attempts", flat=True)[0],
    }
    result["exactly_once"] = result["sent"] == total == result["deliveries"] == matched
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lease", type=int, default=10, help="seconds a claim lasts")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="opendvc-bench-notify-"))
    env = _server.setup_django(options.database_url, var_dir)
    env.update(
        {
            "OPENDVC_EMAIL_PROVIDER": "sandbox",
            "OPENDVC_SMS_PROVIDER": "sandbox",
            "OPENDVC_ZALO_PROVIDER": "sandbox",
            "OPENDVC_NOTIFY_LEASE_SECONDS": str(options.lease),
        }
    )
    machine = _server.machine()
    print(f"Machine: {machine}", flush=True)
    _server.migrate()
    print(f"Queueing {options.messages:,} messages…", flush=True)
    queue_messages(options.messages)
    print(f"Sending with {options.workers} worker(s), killed twice on the way…", flush=True)
    seconds, kills = drain(env, options.messages, options.workers, options.timeout)
    result = verify(options.messages)
    result.update(
        {
            "machine": machine,
            "database": options.database_url.split("@")[-1],
            "workers": options.workers,
            "lease_seconds": options.lease,
            "seconds": round(seconds, 1),
            "messages_per_second": round(options.messages / seconds, 1),
            "kills": kills,
        }
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["exactly_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
