"""The task worker's heartbeat, shown by /healthz."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

STALE_AFTER = timedelta(minutes=2)


def worker_state() -> dict:
    from .models import WorkerHeartbeat

    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if beat is None:
        return {"status": "unknown", "backend": backend, "last_seen_at": None}
    fresh = timezone.now() - beat.seen_at < STALE_AFTER
    return {
        "status": "ok" if fresh else "stale",
        "backend": backend,
        "last_seen_at": beat.seen_at.isoformat(),
    }
