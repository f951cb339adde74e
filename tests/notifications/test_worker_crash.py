"""A worker killed while it sends an e-mail loses nothing: the notification stays unsent, and the task,
redelivered to the next worker, sends it once. Real PostgreSQL, Redis and worker processes."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from mentoring.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notify

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _worker(tmp_path: pathlib.Path, *, slow: float, name: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "mentoring.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_BACKEND": "tests.support.slow_mail.SlowFileBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "MAIL_STARTED_MARKER": str(tmp_path / f"{name}.started"),
        "MAIL_SLOW_SECONDS": str(slow),
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_RESTORE_THROTTLE": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "mentoring",
        "worker",
        "--pool=solo",
        "--without-heartbeat",
    ]
    command += ["--without-gossip", "--without-mingle", "-n", f"{name}@%h", "--loglevel=WARNING"]
    command += ["-Q", celery_app.conf.task_default_queue]  # the queue this test process sends to
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}.")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_no_email(tmp_path, employee):
    from notifications.tasks import send_notification_email

    notification = notify(
        recipient=employee.person,
        kind="checkin_open",
        key="crash",
        subject="Please answer",
        body="B",
        email=False,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    first = second = None
    try:
        send_notification_email.delay(notification.pk)
        first = _worker(tmp_path, slow=60, name="first")
        _wait(lambda: (tmp_path / "first.started").exists(), 60, "the first worker to start sending")
        first.send_signal(signal.SIGKILL)  # dies mid-send, nothing acknowledged
        first.wait(timeout=10)
        notification.refresh_from_db()
        assert notification.emailed_at is None
        second = _worker(tmp_path, slow=0, name="second")

        def sent() -> bool:
            notification.refresh_from_db()
            return notification.emailed_at is not None

        _wait(sent, 90, "the redelivered task to send the e-mail")
    finally:
        celery_app.conf.task_always_eager = eager
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=20)
    files = list((tmp_path / "mail").glob("*.log"))
    assert len(files) == 1 and "Please answer" in files[0].read_text()
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1
