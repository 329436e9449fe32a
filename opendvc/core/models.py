from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the `heartbeat` task every minute, so /healthz can tell the worker runs."""

    name = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class CalendarDay(models.Model):
    """A day an administrator declares a holiday or a working day, overriding the `holidays`
    package: a swap the government announces late, a province's own holiday."""

    class Kind(models.TextChoices):
        HOLIDAY = "HOLIDAY", "Ngày nghỉ"
        WORKING_DAY = "WORKING_DAY", "Ngày làm việc"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    reason = models.CharField("lý do", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "ngày đặc biệt"
        verbose_name_plural = "lịch ngày làm việc"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.reason}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # The deadline calendar caches these rows per process; this process sees a change now,
        # the others within OPENDVC_CALENDAR_RECHECK_SECONDS.
        from opendvc.core import calendar

        calendar.forget_overrides()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from opendvc.core import calendar

        calendar.forget_overrides()
        return result
