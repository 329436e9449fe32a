import pytest
from django.test import override_settings

from opendvc.core.models import WorkerHeartbeat
from opendvc.core.tasks import heartbeat

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_healthz_reports_database_and_unknown_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["worker"]["status"] == "unknown"
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(TASKS=IMMEDIATE)
def test_healthz_reports_a_worker_that_ran_the_heartbeat(client):
    heartbeat.enqueue()
    assert WorkerHeartbeat.objects.count() == 1
    assert client.get("/healthz").json()["worker"]["status"] == "ok"


def test_healthz_reports_a_stale_worker(client, time_machine):
    time_machine.move_to("2026-01-05 08:00:00+07:00")
    with override_settings(TASKS=IMMEDIATE):
        heartbeat.enqueue()
    time_machine.move_to("2026-01-05 08:10:00+07:00")
    assert client.get("/healthz").json()["worker"]["status"] == "stale"


def test_healthz_answers_get_only(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_the_database_task_queue_runs_the_heartbeat_in_the_worker():
    from django.core.management import call_command

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ):
        result = heartbeat.enqueue()
        assert WorkerHeartbeat.objects.count() == 0  # queued, not run
        call_command("db_worker", "--batch", "--no-startup-delay", "-v", "0")
        result.refresh()
    assert result.status == "SUCCESSFUL"
    assert WorkerHeartbeat.objects.count() == 1
