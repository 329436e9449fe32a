from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the `heartbeat` task every minute, so /healthz can tell the worker runs."""

    name = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
