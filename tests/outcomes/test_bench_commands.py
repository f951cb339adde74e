"""seed_bench builds the dashboards' benchmark data set at the asked size, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from feedback.models import Session, SessionFeedback
from matching.models import Mentorship
from outcomes import benchdata
from people.models import Person, User
from programs.models import Program
from tests.factories import PersonFactory

TINY = ["--people", "300", "--programs", "2", "--pairs", "60", "--sessions", "600"]


def seed(*extra: str) -> str:
    out = StringIO()
    call_command("seed_bench", *TINY, *extra, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    programs = Program.objects.filter(slug__startswith=benchdata.SLUG_PREFIX)
    held = Session.objects.filter(mentorship__program__in=programs, status=Session.Status.HELD)
    return {
        "people": Person.objects.filter(employee_id__startswith=benchdata.PREFIX).count(),
        "programs": programs.count(),
        "pairs": Mentorship.objects.filter(program__in=programs).count(),
        "held sessions": held.count(),
        "feedback": SessionFeedback.objects.filter(session__in=held).count(),
    }


@pytest.mark.django_db
def test_it_builds_the_asked_sizes_with_two_feedback_answers_per_held_session() -> None:
    seed()

    assert counts() == {"people": 300, "programs": 2, "pairs": 60, "held sessions": 600, "feedback": 1200}
    hr = User.objects.get(email=benchdata.HR_EMAIL)
    sponsor = User.objects.get(email=benchdata.SPONSOR_EMAIL)
    assert hr.is_hr_admin and not hr.has_usable_password()
    assert not sponsor.is_hr_admin and not sponsor.has_usable_password()
    sponsored = Program.objects.get(sponsors=sponsor.person)
    assert sponsored.status == Program.Status.RUNNING
    assert sponsored.coordinators.exists()


@pytest.mark.django_db
def test_a_second_run_finds_the_data_set_and_adds_nothing() -> None:
    seed()
    before = counts()

    out = seed()

    assert "already there" in out
    assert counts() == before


@pytest.mark.django_db
def test_reset_rebuilds_it_and_leaves_everyone_else_alone() -> None:
    seed()
    colleague = PersonFactory(email="colleague@example.com")

    out = seed("--reset")

    assert "Deleting" in out
    assert counts() == {"people": 300, "programs": 2, "pairs": 60, "held sessions": 600, "feedback": 1200}
    assert Person.objects.filter(pk=colleague.pk).exists()


@pytest.mark.django_db
def test_it_refuses_more_pairs_than_the_people_can_form_and_writes_nothing() -> None:
    with pytest.raises(CommandError, match="half of --people"):
        call_command("seed_bench", "--people", "300", "--pairs", "200", stdout=StringIO())

    assert benchdata.present() is None
