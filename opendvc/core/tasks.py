import socket

from django.utils import timezone
from django_tasks import task

from .models import WorkerHeartbeat


@task()
def heartbeat() -> str:
    """Record that a worker ran a task just now. Idempotent: one row per host."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=socket.gethostname(), defaults={"seen_at": now})
    return now.isoformat()
