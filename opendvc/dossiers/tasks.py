"""Jobs of the dossiers app: thin django-tasks functions over emails.py."""

from django.utils import timezone
from django_tasks import task

from . import emails


@task()
def send_status_email(change_id: int) -> bool:
    """Tell the applicant of one status change. Idempotent: a change is e-mailed once."""
    return emails.send_status_email(change_id=change_id, now=timezone.now())
