"""Jobs of the notifications app: thin django-tasks functions over outbox.py."""

from django.utils import timezone
from django_tasks import task

from . import outbox


@task()
def send_message(message_id: int) -> str | None:
    """Send one queued message. Idempotent: a message that is not due is left alone."""
    return outbox.send_message(message_id=message_id, now=timezone.now())
