"""``run_job`` runs any scheduled job by hand; a dry run shows what it would send and keeps nothing, and a
second real run sends nothing new."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from matching.models import Mentorship
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def quiet_pair(pair):
    """A pair that has not met since it started 19 days ago: over its 14-day cadence, not twice over."""
    Mentorship.objects.filter(pk=pair.pk).update(started_on=datetime.date(2026, 11, 1))
    return pair


@pytest.fixture
def pair(running_program, approved, mentor, mentee):
    from matching.services.mentorships import mentorship_create

    return mentorship_create(
        mentor=approved("mentor", person=mentor.person, capacity=3),
        mentee=approved("mentee", person=mentee.person),
        by=None,
        source="manual",
    )


@pytest.fixture
def running_program(program):
    program.status = "running"
    program.save(update_fields=["status"])
    return program


@pytest.fixture
def approved(program):
    from programs.factories import ParticipantFactory

    def make(role, **kwargs):
        return ParticipantFactory(program=program, role=role, status="approved", **kwargs)

    return make


def test_a_dry_run_prints_what_would_be_sent_and_keeps_nothing(quiet_pair, capsys):
    call_command("run_job", "feedback.nudge_cadence", "--dry-run")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("job=feedback.nudge_cadence sent=2 ") and out[-1].endswith("dry_run=yes")
    assert sum(line.startswith("cadence_nudge") for line in out) == 2
    assert not Notification.objects.exists()


def test_running_a_job_twice_sends_nothing_the_second_time(quiet_pair, capsys):
    call_command("run_job", "feedback.nudge_cadence")
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("job=feedback.nudge_cadence sent=2 ")
    call_command("run_job", "feedback.nudge_cadence")
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("job=feedback.nudge_cadence sent=0 ")
    assert Notification.objects.count() == 2


def test_every_scheduled_job_runs_twice_and_sends_nothing_the_second_time(quiet_pair, capsys):
    from mentoring.management.commands.run_job import scheduled_jobs

    for job in scheduled_jobs():
        call_command("run_job", job)
    first = Notification.objects.count()
    for job in scheduled_jobs():
        call_command("run_job", job)
        assert " sent=0 " in capsys.readouterr().out.strip().splitlines()[-1]
    assert Notification.objects.count() == first


def test_an_unknown_job_is_refused_with_the_list(capsys):
    with pytest.raises(
        CommandError, match=r"No scheduled job is called 'nope'\. Jobs: .*feedback\.nudge_cadence"
    ):
        call_command("run_job", "nope")
    call_command("run_job", "--list")
    assert "feedback.open_checkins" in capsys.readouterr().out
