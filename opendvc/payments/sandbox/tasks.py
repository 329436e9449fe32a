"""Jobs of the sandbox gateway: thin django-tasks functions over delivery.py."""

from django.utils import timezone
from django_tasks import task

from . import delivery


@task()
def deliver_ipn(*, url: str, params: dict[str, str], attempt: int = 1) -> str:
    """Send one attempt of a sandbox IPN; schedules the next one unless accepted. Repeating it
    is harmless: the merchant answers 02 to an IPN it already confirmed."""
    return delivery.deliver(url=url, params=params, attempt=attempt, now=timezone.now())
