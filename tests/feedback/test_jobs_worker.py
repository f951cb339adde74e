"""The pair dispatchers run by a real Celery worker over Redis, twice and at the same time, as beat and a
redelivery would: each notification is recorded and e-mailed once."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.utils import timezone

from feedback import jobs
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create
from mentoring.celery import app as celery_app
from notifications.models import JobRun, Notification
from programs.factories import ParticipantFactory
from programs.models import Program


@pytest.fixture
def quiet_pair(program, mentor, mentee):
    """An active pair that has not met since it started a month ago (cadence 14 days)."""
    Program.objects.filter(pk=program.pk).update(status=Program.Status.RUNNING)
    pair = mentorship_create(
        mentor=ParticipantFactory(program=program, person=mentor.person, role="mentor", status="approved"),
        mentee=ParticipantFactory(program=program, person=mentee.person, role="mentee", status="approved"),
        by=None,
        source="manual",
    )
    Mentorship.objects.filter(pk=pair.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=20)
    )
    return pair


@pytest.fixture
def worker(db):
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo"):
            yield
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_a_dispatcher_twice_and_each_nudge_goes_out_once(worker, quiet_pair):
    celery_app.loader.import_default_modules()
    task = celery_app.tasks["feedback.nudge_cadence"]
    task.delay()
    task.delay()
    runs = JobRun.objects.filter(name="feedback.nudge_cadence", status="done")
    deadline = time.monotonic() + 60
    while (runs.count() < 2 or len(mail.outbox) < 2) and time.monotonic() < deadline:
        time.sleep(0.1)
    # No result backend: the worker's own record of each run says what it sent.
    assert sorted(runs.values_list("sent", flat=True)) == [0, 2]
    assert Notification.objects.filter(kind="cadence_nudge").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["mentee@example.com", "mentor@example.com"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_the_same_moment_send_each_notification_once(quiet_pair):
    start = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        try:
            start.wait(timeout=30)
            counts.append(jobs.nudge_cadence())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 2
    assert Notification.objects.filter(kind="cadence_nudge").count() == 2
