"""Employees see open programs, apply with the questionnaire, edit their answers and withdraw.

Every refusal says why in plain words and saves nothing.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from programs.factories import MentorTrainingFactory, ParticipantFactory, ProgramFactory, QuestionFactory
from programs.models import Answer, Participant, ParticipantStatusChange, Program, Question
from programs.services import ProgramError
from programs.services.eligibility import eligibility_problems
from programs.services.enrollment import participant_apply
from programs.services.lifecycle import program_transition
from tests.conftest import make_persona
from tests.factories import DepartmentFactory, PersonnelRecordFactory

from .test_enrollment_support import (
    AFTER_ENROLLMENT,
    DURING_ENROLLMENT,
    add_questionnaire,
    apply,
    good_answers,
    page,
    service_answers,
    show_program_panels,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _during_enrollment():
    with time_machine.travel(DURING_ENROLLMENT, tick=False):
        yield


@pytest.fixture
def open_program(enrolling_program):
    add_questionnaire(enrolling_program)
    return enrolling_program


@pytest.fixture
def with_programs_on_home(monkeypatch):
    show_program_panels(monkeypatch)


def nothing_saved() -> bool:
    return not Participant.objects.exists() and not Answer.objects.exists()


# --- The acceptance path ----------------------------------------------------------------------------------


def test_an_employee_finds_an_open_program_applies_as_mentee_and_is_approved(
    client,
    program,
    hr_admin,
    coordinator,
    employee,
    with_programs_on_home,
    django_capture_on_commit_callbacks,
):
    add_questionnaire(program)
    program_transition(program=program, to=Program.Status.ENROLLING, by=hr_admin, why="Ready")
    client.force_login(employee)

    home = page(client, reverse("home"))
    apply_url = reverse("programs:program_apply", args=[program.slug, "mentee"])
    assert "Career mentoring" in home and apply_url in home
    listing = page(client, reverse("programs:program_list"))
    assert "Career mentoring" in listing and "Eligible" in listing
    form = page(client, apply_url)
    assert "Which skills do you want to develop?" in form and "How confident are you leading people?" in form

    response = apply(client, program)
    assert response.status_code == 302 and response.url == program.get_absolute_url()
    participant = Participant.objects.get()
    assert (participant.person, participant.role, participant.status) == (
        employee.person,
        "mentee",
        "applied",
    )
    assert participant.answers.count() == 5  # the optional free text too
    detail = page(client, program.get_absolute_url())
    assert "Applied" in detail and "The coordinators will let you know" in detail

    client.force_login(coordinator)
    assert employee.person.full_name in page(
        client, reverse("programs:participant_list", args=[program.slug])
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:participant_bulk", args=[program.slug]),
            {"participants": [participant.pk], "decision": "approved", "reason": ""},
        )
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=employee.person, kind="application_decided")
    assert notification.url == program.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[employee.email]]

    client.force_login(employee)
    detail = page(client, program.get_absolute_url())
    assert "Approved" in detail and "You are in as a mentee" in detail
    assert reverse("programs:playbook", args=[program.slug]) in detail
    assert list(participant.status_changes.values_list("to_status", flat=True)) == ["applied", "approved"]


def test_a_mentor_states_a_capacity_and_commits_to_the_cadence(client, open_program, mentor):
    client.force_login(mentor)
    form = page(client, reverse("programs:program_apply", args=[open_program.slug, "mentor"]))
    assert "How many mentees can you take?" in form and "about every 14 days" in form
    assert 'value="2"' in form  # the program's default capacity

    response = apply(client, open_program, "mentor", capacity="3")

    assert response.status_code == 302
    assert Participant.objects.get().capacity == 3


def test_a_program_without_review_approves_applications_directly(client, open_program, employee):
    open_program.enrollment_approval = False
    open_program.save()
    client.force_login(employee)
    apply(client, open_program)
    participant = Participant.objects.get()
    assert participant.status == "approved"
    assert "Approved directly" in participant.status_changes.get().why


def test_a_person_may_apply_as_mentor_and_mentee_in_a_one_to_one_program(client, open_program, employee):
    client.force_login(employee)
    apply(client, open_program, "mentee")
    apply(client, open_program, "mentor")
    assert sorted(Participant.objects.values_list("role", flat=True)) == ["mentee", "mentor"]


def test_in_reverse_mentoring_a_person_takes_one_side_only(client, open_program, employee):
    open_program.kind = Program.Kind.REVERSE
    open_program.save()
    client.force_login(employee)
    apply(client, open_program, "mentee")

    response = apply(client, open_program, "mentor")

    assert response.status_code == 200
    assert "each person takes one side" in response.content.decode()
    assert list(Participant.objects.values_list("role", flat=True)) == ["mentee"]


# --- Refused, with a clear message, saving nothing --------------------------------------------------------


def test_a_required_question_left_unanswered_is_refused(client, open_program, employee):
    multi = open_program.questions.get(kind=Question.Kind.MULTI)
    client.force_login(employee)
    response = apply(client, open_program, **{f"q_{multi.pk}": None})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert nothing_saved()


def test_a_choice_not_offered_is_refused(client, open_program, employee):
    single = open_program.questions.get(kind=Question.Kind.SINGLE)
    client.force_login(employee)
    response = apply(client, open_program, **{f"q_{single.pk}": "On the moon"})
    assert (
        "Select a valid choice. On the moon is not one of the available choices." in response.content.decode()
    )
    assert nothing_saved()


@pytest.mark.parametrize(
    ("capacity", "message"), [("0", "Take at least one mentee."), ("5", "at most 4 mentees")]
)
def test_a_mentor_capacity_outside_1_to_the_maximum_is_refused(
    client, open_program, mentor, capacity, message
):
    client.force_login(mentor)
    response = apply(client, open_program, "mentor", capacity=capacity)
    assert message in response.content.decode()
    assert nothing_saved()


def test_a_mentor_who_does_not_commit_is_refused(client, open_program, mentor):
    client.force_login(mentor)
    response = apply(client, open_program, "mentor", commitment=None)
    assert "Tick the box to commit" in response.content.decode()
    assert nothing_saved()


def test_an_ineligible_employee_sees_why_and_a_crafted_post_is_refused(client, open_program, employee):
    research = DepartmentFactory(name="Labs", division__name="Research")
    open_program.eligible_divisions.set([research.division])
    client.force_login(employee)
    expected = "This program is for the Research division; you are in Clinical Services."

    detail = page(client, open_program.get_absolute_url())
    assert expected in detail
    assert reverse("programs:program_apply", args=[open_program.slug, "mentee"]) not in detail
    response = apply(client, open_program)

    assert response.status_code == 200 and expected in response.content.decode()
    assert nothing_saved()


def test_applying_after_enrollment_closed_is_refused(client, open_program, employee):
    with time_machine.travel(AFTER_ENROLLMENT, tick=False):
        client.force_login(employee)
        response = apply(client, open_program)
    assert "Enrollment closed on 15 December 2026." in response.content.decode()
    assert nothing_saved()


def test_applying_to_a_program_in_matching_is_refused(client, open_program, employee):
    open_program.status = Program.Status.MATCHING
    open_program.save()
    client.force_login(employee)
    response = apply(client, open_program)
    assert "Enrollment has ended" in response.content.decode()
    assert nothing_saved()


def test_applying_twice_is_refused(client, open_program, employee):
    client.force_login(employee)
    apply(client, open_program)
    first = Participant.objects.get()
    with pytest.raises(ProgramError, match="You already applied as a mentee"):
        participant_apply(
            program=open_program,
            person=employee.person,
            role="mentee",
            answers={},
            capacity=None,
            by=employee,
        )
    response = apply(client, open_program)
    assert "You already applied as a mentee" in response.content.decode()
    assert list(Participant.objects.all()) == [first]
    assert Answer.objects.count() == 5


def test_answers_to_another_programs_question_are_refused(client, open_program, other_program, employee):
    foreign = QuestionFactory(program=other_program)
    answers = {q.pk: ["Leadership"] for q in open_program.questions.filter(kind=Question.Kind.MULTI)}
    client.force_login(employee)

    response = apply(client, open_program, **{f"q_{foreign.pk}": "Leadership"})
    assert response.status_code == 302  # the page ignores fields it did not ask …
    assert not Answer.objects.filter(question=foreign).exists()
    Participant.objects.all().delete()

    with pytest.raises(
        ProgramError, match="not in this program's questionnaire"
    ):  # … and the service refuses
        participant_apply(
            program=open_program,
            person=employee.person,
            role="mentee",
            answers={**answers, foreign.pk: ["Leadership"]},
            capacity=None,
            by=employee,
        )
    assert nothing_saved()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("scale", 6, "takes a whole number from 1 to 5"),
        ("scale", True, "takes a whole number from 1 to 5"),
        ("number", 10**9, "takes a whole number from -1,000,000 to 1,000,000"),
        ("text", "x" * 2001, "is too long: at most 2,000 characters"),
        ("multi", ["Leadership", "Juggling"], "“Juggling” not among the choices offered"),
        ("single", ["Office"], "is not one of the choices offered"),
    ],
)
def test_the_service_checks_each_kind_of_answer(open_program, employee, kind, value, message):
    answers = service_answers(open_program)
    question = open_program.questions.get(kind=kind)
    answers[question.pk] = value
    with pytest.raises(ProgramError, match=message):
        participant_apply(
            program=open_program,
            person=employee.person,
            role="mentee",
            answers=answers,
            capacity=None,
            by=None,
        )
    assert nothing_saved()


def test_the_service_refuses_answers_to_an_archived_question(open_program, employee):
    question = open_program.questions.get(kind=Question.Kind.TEXT)
    question.archived_at = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    question.save()
    answers = {q.pk: ["Leadership"] for q in open_program.questions.filter(kind=Question.Kind.MULTI)}
    with pytest.raises(ProgramError, match="is no longer asked"):
        participant_apply(
            program=open_program,
            person=employee.person,
            role="mentee",
            answers={**answers, question.pk: "hello"},
            capacity=None,
            by=None,
        )
    assert nothing_saved()


@pytest.mark.parametrize(
    ("role", "capacity"), [("mentor", 0), ("mentor", 5), ("mentor", None), ("mentee", 2)]
)
def test_the_service_checks_the_capacity(open_program, mentor, role, capacity):
    answers = service_answers(open_program)
    with pytest.raises(ProgramError):
        participant_apply(
            program=open_program, person=mentor.person, role=role, answers=answers, capacity=capacity, by=None
        )
    assert nothing_saved()


# --- Eligibility in plain words ---------------------------------------------------------------------------


@pytest.fixture
def person(db):
    user = make_persona(
        "ops@example.com",
        department=DepartmentFactory(name="Logistics", division__name="Operations"),
        level=5,
        location="Denver",
        hire_date=datetime.date(2026, 4, 1),
    )
    return user.person


def test_each_eligibility_rule_is_explained(person):
    program = ProgramFactory(
        min_job_level=2, max_job_level=4, min_tenure_months=12, eligible_locations=["Boston"]
    )
    research = DepartmentFactory(name="Labs", division__name="Research")
    technology = DepartmentFactory(name="Platform", division__name="Technology")
    program.eligible_divisions.set([research.division, technology.division])
    program.eligible_departments.set([research])
    person.status = "on_leave"
    problems = eligibility_problems(program=program, person=person, role="mentee")
    assert problems == [
        "Only active employees can apply; your record says on leave.",
        "This program is for the Research and Technology divisions; you are in Operations.",
        "This program is for the Labs department; you are in Logistics.",
        "This program is for job levels 2 to 4; you are at level 5.",
        "You need at least 12 months with the organization; you have 7.",
        "This program is for people in Boston; you are in Denver.",
    ]


def test_an_unrestricted_program_admits_every_active_employee(person):
    assert eligibility_problems(program=ProgramFactory(), person=person, role="mentor") == []


def test_mentor_training_is_required_of_mentors_only(person):
    program = ProgramFactory(mentor_requirement=Program.MentorRequirement.TRAINED)
    assert eligibility_problems(program=program, person=person, role="mentee") == []
    assert (
        "completed mentor training" in eligibility_problems(program=program, person=person, role="mentor")[0]
    )
    MentorTrainingFactory(person=person)
    assert eligibility_problems(program=program, person=person, role="mentor") == []


def test_master_mentors_are_required_when_the_program_says_so(person):
    program = ProgramFactory(mentor_requirement=Program.MentorRequirement.MASTER_MENTOR)
    assert (
        "certified Master Mentors" in eligibility_problems(program=program, person=person, role="mentor")[0]
    )
    PersonnelRecordFactory(person=person, kind="certificate", title="Certified Master Mentor")
    assert eligibility_problems(program=program, person=person, role="mentor") == []


def test_master_mentors_preferred_admits_everyone_with_a_note(client, open_program, mentor):
    open_program.mentor_requirement = Program.MentorRequirement.MASTER_PREFERRED
    open_program.save()
    client.force_login(mentor)
    detail = page(client, open_program.get_absolute_url())
    assert "Certified Master Mentors are preferred as mentors; everyone eligible may apply." in detail
    assert apply(client, open_program, "mentor").status_code == 302


# --- Editing answers and withdrawing ----------------------------------------------------------------------


@pytest.fixture
def applied(client, open_program, employee):
    client.force_login(employee)
    apply(client, open_program)
    return Participant.objects.get()


def test_a_participant_changes_their_answers_while_enrollment_is_open(client, open_program, applied):
    single = open_program.questions.get(kind=Question.Kind.SINGLE)
    text = open_program.questions.get(kind=Question.Kind.TEXT)
    url = reverse("programs:participant_answers", args=[open_program.slug, "mentee"])
    assert re.search(r'value="Office"[^>]*checked', page(client, url))

    response = client.post(url, good_answers(open_program) | {f"q_{single.pk}": "Remote", f"q_{text.pk}": ""})

    assert response.status_code == 302
    assert Answer.objects.get(participant=applied, question=single).value == "Remote"
    assert not Answer.objects.filter(participant=applied, question=text).exists()
    assert applied.status_changes.last().why == "Changed their answers."


def test_answers_are_read_only_once_matching_starts(client, open_program, applied):
    single = open_program.questions.get(kind=Question.Kind.SINGLE)
    open_program.status = Program.Status.MATCHING
    open_program.save()
    url = reverse("programs:participant_answers", args=[open_program.slug, "mentee"])

    content = page(client, url)
    assert "Enrollment has ended, so answers can no longer change" in content
    assert "Save your answers" not in content and "Office" in content
    client.post(url, good_answers(open_program) | {f"q_{single.pk}": "Remote"})

    assert Answer.objects.get(participant=applied, question=single).value == "Office"


def test_an_invalid_edit_is_refused_and_changes_nothing(client, open_program, applied):
    single = open_program.questions.get(kind=Question.Kind.SINGLE)
    url = reverse("programs:participant_answers", args=[open_program.slug, "mentee"])
    response = client.post(url, good_answers(open_program) | {f"q_{single.pk}": "Mars"})
    assert "Select a valid choice." in response.content.decode()
    assert Answer.objects.get(participant=applied, question=single).value == "Office"


def test_a_participant_withdraws_with_a_reason(client, open_program, applied):
    response = client.post(
        reverse("programs:participant_withdraw", args=[open_program.slug, "mentee"]), {"reason": "New job"}
    )
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.status == "withdrawn"
    change = applied.status_changes.last()
    assert (change.from_status, change.to_status, change.why) == ("applied", "withdrawn", "New job")
    assert "You withdrew on" in page(client, open_program.get_absolute_url())


def test_withdrawing_twice_is_refused(client, open_program, applied):
    url = reverse("programs:participant_withdraw", args=[open_program.slug, "mentee"])
    client.post(url, {"reason": ""})
    response = client.post(url, {"reason": ""}, follow=True)
    assert "there is nothing to withdraw" in response.content.decode()
    assert ParticipantStatusChange.objects.filter(to_status="withdrawn").count() == 1


def test_an_approved_participant_may_withdraw_after_matching(client, open_program, applied):
    Participant.objects.filter(pk=applied.pk).update(status="approved")
    open_program.status = Program.Status.RUNNING
    open_program.save()
    client.post(reverse("programs:participant_withdraw", args=[open_program.slug, "mentee"]), {"reason": ""})
    applied.refresh_from_db()
    assert applied.status == "withdrawn"


def test_the_program_page_shows_each_state_with_its_reason(client, open_program, employee):
    ParticipantFactory(
        program=open_program, person=employee.person, role="mentee", status="declined", reason="Full"
    )
    ParticipantFactory(
        program=open_program, person=employee.person, role="mentor", status="waitlisted", reason="Wait"
    )
    client.force_login(employee)
    detail = page(client, open_program.get_absolute_url())
    assert "Your application was declined. The reason given: “Full”" in detail
    assert "You are on the waiting list. The coordinators said: “Wait”" in detail


# --- Who may see the pages --------------------------------------------------------------------------------


EMPLOYEE_PAGES = ["programs:program_detail", "programs:program_apply", "programs:participant_answers"]


def _url(name: str, program: Program) -> str:
    if name == "programs:program_detail":
        return reverse(name, args=[program.slug])
    return reverse(name, args=[program.slug, "mentee"])


@pytest.mark.parametrize("name", [*EMPLOYEE_PAGES, "programs:program_list"])
def test_anonymous_visitors_are_sent_to_sign_in(client, open_program, name):
    url = reverse(name) if name == "programs:program_list" else _url(name, open_program)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", EMPLOYEE_PAGES)
def test_a_login_without_a_person_gets_404(client, open_program, outsider, name):
    client.force_login(outsider)
    assert client.get(_url(name, open_program)).status_code == 404


def test_a_login_without_a_person_may_not_list_programs(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("programs:program_list")).status_code == 403


@pytest.mark.parametrize("persona", ["employee", "sponsor", "other_coordinator"])
def test_a_draft_is_hidden_from_everyone_but_its_managers(client, program, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(program.get_absolute_url()).status_code == 404
    assert client.get(_url("programs:program_apply", program)).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "hr_admin"])
def test_its_managers_see_a_draft_with_a_link_to_manage_it(client, program, persona, request):
    client.force_login(request.getfixturevalue(persona))
    content = page(client, program.get_absolute_url())
    assert reverse("programs:participant_list", args=[program.slug]) in content


def test_an_unknown_role_is_not_found(client, open_program, employee):
    client.force_login(employee)
    assert client.get(reverse("programs:program_apply", args=[open_program.slug, "boss"])).status_code == 404


def test_someone_who_did_not_apply_has_no_answers_page_and_cannot_withdraw(
    client, open_program, employee, mentor
):
    ParticipantFactory(program=open_program, person=mentor.person, role="mentee")
    client.force_login(employee)
    assert client.get(_url("programs:participant_answers", open_program)).status_code == 404
    url = reverse("programs:participant_withdraw", args=[open_program.slug, "mentee"])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert Participant.objects.get().status == "applied"


def test_pages_run_a_bounded_number_of_queries(client, open_program, employee, django_assert_max_num_queries):
    for n in range(15):
        program = ProgramFactory(status=Program.Status.ENROLLING, min_tenure_months=n)
        program.eligible_divisions.set([employee.person.department.division])
        ParticipantFactory(program=program, person=employee.person)
    client.force_login(employee)
    with django_assert_max_num_queries(14):
        page(client, reverse("programs:program_list"))
    with django_assert_max_num_queries(16):
        page(client, open_program.get_absolute_url())
    with django_assert_max_num_queries(16):
        page(client, _url("programs:program_apply", open_program))
