"""A program moves only along the allowed transitions, and every move is recorded."""

import datetime

import pytest
from django.utils import timezone

from programs.models import Program, ProgramStatusChange
from programs.services import ProgramError
from programs.services.lifecycle import ALLOWED_TRANSITIONS, program_missing, program_transition

pytestmark = pytest.mark.django_db


def test_a_complete_draft_opens_for_enrollment_and_the_change_is_recorded(program, hr_admin):
    program_transition(program=program, to=Program.Status.ENROLLING, by=hr_admin, why="Ready")
    program.refresh_from_db()
    assert program.status == Program.Status.ENROLLING
    change = ProgramStatusChange.objects.get(program=program)
    assert (change.from_status, change.to_status, change.by, change.why) == (
        "draft",
        "enrolling",
        hr_admin,
        "Ready",
    )


def test_an_incomplete_draft_cannot_open_and_says_what_is_missing(program, hr_admin):
    program.description = ""
    program.ends_on = None
    program.save()
    program.key_results.all().delete()
    with pytest.raises(ProgramError) as error:
        program_transition(program=program, to=Program.Status.ENROLLING, by=hr_admin)
    message = str(error.value)
    assert "description" in message and "end date" in message and "key result" in message
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT
    assert not ProgramStatusChange.objects.exists()


def test_dates_out_of_order_are_named(program):
    program.starts_on = datetime.date(2027, 6, 1)
    program.ends_on = datetime.date(2027, 1, 1)
    assert any("must not be after" in problem for problem in program_missing(program))


@pytest.mark.parametrize("current", list(Program.Status.values))
@pytest.mark.parametrize("target", list(Program.Status.values))
def test_only_allowed_transitions_happen(program, hr_admin, current, target):
    program.status = current
    program.save(update_fields=["status"])
    if target in ALLOWED_TRANSITIONS[current]:
        program_transition(program=program, to=target, by=hr_admin)
        assert Program.objects.get(pk=program.pk).status == target
    else:
        with pytest.raises(ProgramError):
            program_transition(program=program, to=target, by=hr_admin)
        assert Program.objects.get(pk=program.pk).status == current


def test_opening_enrollment_before_the_planned_day_opens_it_today(program, hr_admin):
    today = timezone.localdate()
    program.enrollment_opens_on = today + datetime.timedelta(days=10)
    program.enrollment_closes_on = today + datetime.timedelta(days=30)
    program.matching_on = today + datetime.timedelta(days=35)
    program.starts_on = today + datetime.timedelta(days=40)
    program.ends_on = today + datetime.timedelta(days=400)
    program.save()
    program_transition(program=program, to=Program.Status.ENROLLING, by=hr_admin)
    program.refresh_from_db()
    assert program.enrollment_opens_on == today
    assert "instead of the planned" in ProgramStatusChange.objects.get(program=program).why


def test_enrollment_cannot_open_after_its_closing_day(program, hr_admin):
    program.enrollment_opens_on = datetime.date(2020, 1, 1)
    program.enrollment_closes_on = datetime.date(2020, 2, 1)
    program.matching_on = datetime.date(2020, 2, 2)
    program.starts_on = datetime.date(2020, 3, 1)
    program.ends_on = datetime.date(2021, 3, 1)
    program.save()
    with pytest.raises(ProgramError, match="move that date first"):
        program_transition(program=program, to=Program.Status.ENROLLING, by=hr_admin)
