"""The scaled-out runtime: tasks go through Redis (RQ) and a worker runs them."""

import django_rq
import pytest
from django.test import override_settings
from django_tasks_rq import Job
from rq import SimpleWorker

from opendvc.core.models import WorkerHeartbeat
from opendvc.core.tasks import heartbeat

pytestmark = pytest.mark.django_db

# A database number of its own so the test never touches a deployment's queues.
TEST_REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def rq_queue():
    with override_settings(
        RQ_QUEUES={"default": {"URL": TEST_REDIS}},
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    ):
        queue = django_rq.get_queue("default")
        queue.connection.flushdb()
        yield queue
        queue.connection.flushdb()


def test_a_task_enqueued_on_redis_is_run_by_an_rq_worker(rq_queue):
    result = heartbeat.enqueue()
    assert rq_queue.count == 1
    assert not WorkerHeartbeat.objects.exists()

    # The worker must use django-tasks-rq's job class, as `opendvc serve` starts it.
    SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert WorkerHeartbeat.objects.count() == 1
