"""Duplicating a program prepares next year's run: configuration, questionnaire, key results and
playbook are copied into a new draft; participants and their answers are not."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.factories import (
    AnswerFactory,
    KeyResultFactory,
    ParticipantFactory,
    QuestionFactory,
    ResourceFactory,
)
from programs.models import Answer, Participant, Program
from programs.services import ProgramError
from programs.services.duplication import copy_name, program_duplicate
from tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def duplicate_url(program):
    return reverse("programs:program_duplicate", args=[program.slug])


@pytest.fixture
def configured(program, department):
    """A running program with everything set, participants and answers."""
    lab = DepartmentFactory(name="Lab", division=department.division)
    program.status = Program.Status.RUNNING
    program.kind = Program.Kind.REVERSE
    program.budget = Decimal("12000")
    program.weight_same_location = 9
    program.weight_different_division = 7
    program.min_job_level, program.max_job_level, program.min_tenure_months = 2, 9, 6
    program.eligible_locations = ["Baltimore"]
    program.mentor_requirement = Program.MentorRequirement.TRAINED
    program.save()
    program.eligible_divisions.set([department.division])
    program.eligible_departments.set([department, lab])
    QuestionFactory(program=program, mentor_text="Old question", archived_at=timezone.now())
    program.key_results.update(due_on=datetime.date(2027, 12, 31))
    KeyResultFactory(program=program, metric="retention_rate", target=95, baseline=None)
    ResourceFactory(program=program, title="Talk about a setback")
    participant = ParticipantFactory(program=program)
    AnswerFactory(participant=participant, question=program.questions.filter(archived_at=None).first())
    return program


def test_an_hr_admin_duplicates_a_program_for_next_year(client, hr_admin, configured, coordinator, sponsor):
    client.force_login(hr_admin)
    response = client.post(duplicate_url(configured))
    copy = Program.objects.exclude(pk=configured.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("programs:program_settings", args=[copy.slug])
    assert "Participants and their answers were not copied." in client.get(response.url).content.decode()

    assert copy.name == "Career mentoring (copy)"
    assert copy.slug == "career-mentoring-copy"
    assert copy.status == Program.Status.DRAFT
    assert copy.copied_from == configured and copy.created_by == hr_admin
    copied = ["kind", "purpose", "description", "budget", "weight_same_location", "weight_different_division",
              "min_job_level", "max_job_level", "min_tenure_months", "eligible_locations",
              "mentor_requirement", "default_mentor_capacity", "max_mentor_capacity",
              "meeting_cadence_days", "matching_mode"]  # fmt: skip
    for field in copied:
        assert getattr(copy, field) == getattr(configured, field), field
    assert set(copy.eligible_divisions.all()) == set(configured.eligible_divisions.all())
    assert set(copy.eligible_departments.all()) == set(configured.eligible_departments.all())
    assert list(copy.coordinators.all()) == [coordinator.person]
    assert list(copy.sponsors.all()) == [sponsor.person]
    assert copy.starts_on == datetime.date(2028, 1, 10)
    assert copy.enrollment_opens_on == datetime.date(2027, 11, 1)
    assert copy.ends_on == datetime.date(2028, 12, 15)

    assert list(copy.questions.values_list("mentor_text", "kind", "match_rule", "weight")) == list(
        configured.questions.filter(archived_at=None).values_list(
            "mentor_text", "kind", "match_rule", "weight"
        )
    )
    assert sorted(copy.key_results.values_list("metric", "target", "due_on")) == [
        ("match_rate", 90, datetime.date(2028, 12, 31)),
        ("retention_rate", 95, None),
    ]
    assert list(copy.resources.values_list("title", flat=True)) == ["Talk about a setback"]

    assert not Participant.objects.filter(program=copy).exists()
    assert not Answer.objects.filter(question__program=copy).exists()
    # The original is untouched.
    assert configured.participants.count() == 1 and configured.questions.count() == 2


def test_a_name_with_the_programs_year_moves_on_a_year(program):
    program.name = "Leadership 2027 (wave 2)"
    assert copy_name(program) == "Leadership 2028 (wave 2)"
    program.name = "Class of 1999"
    assert copy_name(program) == "Class of 1999 (copy)"
    program.name = "x" * 150
    assert len(copy_name(program)) == 150


def test_a_29_february_becomes_28_february(hr_admin, program):
    program.ends_on = datetime.date(2028, 2, 29)
    program.save()
    assert program_duplicate(program=program, by=hr_admin).ends_on == datetime.date(2029, 2, 28)


def test_people_who_left_are_not_copied_as_coordinators(hr_admin, program):
    gone = PersonFactory(status="left", left_on=datetime.date(2026, 1, 1))
    program.coordinators.add(gone)
    copy = program_duplicate(program=program, by=hr_admin)
    assert gone not in copy.coordinators.all()


def test_a_coordinator_may_not_duplicate(client, coordinator, program):
    client.force_login(coordinator)
    assert client.post(duplicate_url(program)).status_code == 403
    assert (
        "Duplicate program"
        not in client.get(reverse("programs:program_overview", args=[program.slug])).content.decode()
    )
    with pytest.raises(ProgramError):
        program_duplicate(program=program, by=coordinator)
    assert Program.objects.count() == 1


@pytest.mark.parametrize("persona", ["other_coordinator", "sponsor", "employee", "mentee", "outsider"])
def test_people_who_do_not_manage_the_program_get_not_found(client, request, program, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(duplicate_url(program)).status_code == 404
    assert not Program.objects.filter(copied_from=program).exists()


def test_anonymous_visitors_are_sent_to_sign_in_and_get_does_nothing(client, hr_admin, program):
    response = client.post(duplicate_url(program))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(hr_admin)
    assert client.get(duplicate_url(program)).status_code == 405
    assert Program.objects.count() == 1
