"""Run OpenDVC on one machine: the application server, the task worker and the heartbeat."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from opendvc.core.tasks import heartbeat

HEARTBEAT_EVERY = 30  # seconds


class Command(BaseCommand):
    help = "Chạy OpenDVC: máy chủ ứng dụng (gunicorn) và tiến trình xử lý tác vụ nền."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("OPENDVC_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("OPENDVC_WEB_WORKERS", "2"))
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")

    def handle(self, *args, bind: str, workers: int, no_worker: bool, **options) -> None:
        children = [self._start_web(bind, workers)]
        if not no_worker:
            children.append(self._start_worker())
        stop = False

        def _stop(signum, frame):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        self.stdout.write(
            self.style.SUCCESS(f"OpenDVC đang chạy tại http://{bind}  (Ctrl-C để dừng)")
        )
        next_beat = 0.0
        try:
            while not stop:
                if any(child.poll() is not None for child in children):
                    self.stderr.write("Một tiến trình con đã dừng; dừng OpenDVC.")
                    break
                if not no_worker and time.monotonic() >= next_beat:
                    heartbeat.enqueue()
                    next_beat = time.monotonic() + HEARTBEAT_EVERY
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _start_web(self, bind: str, workers: int) -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "opendvc.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--timeout",
                "60",
            ]
        )

    def _start_worker(self) -> subprocess.Popen:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.endswith("RQBackend"):
            command = [
                "rqworker",
                "default",
                "--with-scheduler",
                "--job-class",
                "django_tasks_rq.Job",
            ]
        else:
            command = ["db_worker", "--interval", "1"]
        return subprocess.Popen([sys.executable, "-m", "opendvc.cli", *command])
