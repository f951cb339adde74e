"""A program's phases follow its dates: enrollment is announced to eligible employees when it opens, closes
into matching the day after its closing date, and the coordinators are reminded when matching is due; each
notification once."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from notifications.models import Notification
from programs import jobs
from programs.factories import ParticipantFactory
from programs.models import Program

pytestmark = pytest.mark.django_db


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, 9, 0, tzinfo=datetime.UTC)


def to(kind: str) -> list[str]:
    return sorted(n.recipient.email for n in Notification.objects.filter(kind=kind))


def test_an_open_enrollment_is_announced_once_to_eligible_people_who_have_not_applied(
    enrolling_program, employee, manager, mentor
):
    ParticipantFactory(program=enrolling_program, person=mentor.person, role="mentor")
    sent = jobs.program_phases()
    assert sent >= 2
    assert jobs.program_phases() == 0
    announced = to("program_enrollment_open")
    assert "employee@example.com" in announced and "manager@example.com" in announced
    assert "mentor@example.com" not in announced  # already applied
    note = Notification.objects.filter(kind="program_enrollment_open").first()
    assert note.subject == "Career mentoring is open for applications until 15 December 2026"


def test_enrollment_not_yet_open_is_announced_on_its_date(enrolling_program, employee):
    Program.objects.filter(pk=enrolling_program.pk).update(enrollment_opens_on=datetime.date(2026, 11, 25))
    assert jobs.program_phases() == 0
    with time_machine.travel(at(2026, 11, 25), tick=False):
        assert jobs.program_phases() >= 1


def test_enrollment_closes_into_matching_the_day_after_its_date(
    enrolling_program, mentor, mentee, coordinator
):
    ParticipantFactory(program=enrolling_program, person=mentor.person, role="mentor", status="approved")
    ParticipantFactory(program=enrolling_program, person=mentee.person, role="mentee", status="applied")
    with time_machine.travel(at(2026, 12, 15), tick=False):
        jobs.program_phases()
        assert Program.objects.get(pk=enrolling_program.pk).status == "enrolling"  # the last day
    with time_machine.travel(at(2026, 12, 16), tick=False):
        jobs.program_phases()
        assert jobs.program_phases() == 0
    program = Program.objects.get(pk=enrolling_program.pk)
    assert program.status == "matching"
    change = program.status_changes.get(to_status="matching")
    assert change.by is None and "Enrollment closed on 15 December 2026" in change.why
    assert to("program_enrollment_closed") == ["mentee@example.com", "mentor@example.com"]
    assert to("program_enrollment_closed_coordinator") == ["coordinator@example.com"]
    assert (
        "1 mentor and 1 mentee" in Notification.objects.get(kind="program_enrollment_closed_coordinator").body
    )
    # On the matching date the coordinators are reminded, once.
    with time_machine.travel(at(2026, 12, 20), tick=False):
        assert jobs.program_phases() == 1
        assert jobs.program_phases() == 0
    assert to("program_matching_due") == ["coordinator@example.com"]


def test_draft_and_running_programs_are_left_alone(program, employee):
    assert jobs.program_phases() == 0
    Program.objects.filter(pk=program.pk).update(status="running")
    with time_machine.travel(at(2027, 1, 1), tick=False):
        assert jobs.program_phases() == 0
