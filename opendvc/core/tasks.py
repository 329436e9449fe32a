import logging
import socket

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@task()
def heartbeat() -> str:
    """Record that a worker ran a task just now (one row per host), then run the periodic jobs
    of settings.OPENDVC_PERIODIC_JOBS. Apps name their jobs there, so core imports none of them;
    a failing job is logged and does not stop the others or the heartbeat."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=socket.gethostname(), defaults={"seen_at": now})
    for path in getattr(settings, "OPENDVC_PERIODIC_JOBS", []):
        try:
            import_string(path)(now=now)
        except Exception:
            logger.exception("Periodic job %s failed", path)
    return now.isoformat()
