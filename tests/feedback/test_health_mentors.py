"""Marginal-mentor detection and coaching: mentors whose mentees rate them low or whose pairs fade, across
all their pairs, are listed with the evidence, and a coordinator asks a certified Master Mentor to coach
them (recorded and notified)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.health import marginal_mentors, marginal_reasons
from feedback.models import MentorCoaching
from feedback.services import FeedbackError
from feedback.services.health import mentor_coaching_assign
from matching.models import Mentorship
from notifications.models import Notification
from people.factories import PersonFactory, PersonnelRecordFactory
from people.models import Person, PersonnelRecord
from programs.factories import ParticipantFactory, ProgramFactory
from programs.models import Participant, Program
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE
from tests.feedback.test_health_rules import held, rated

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def certified(person: Person | None = None, **kwargs) -> Person:
    """A person whose personnel file holds the Master Mentor certificate."""
    person = person or PersonFactory(**kwargs)
    PersonnelRecordFactory(
        person=person,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        title=MASTER_MENTOR_CERTIFICATE_TITLE,
        effective_on=datetime.date(2025, 6, 1),
    )
    return person


def pair_of(
    mentor: Person, program: Program, *, status=Mentorship.Status.ACTIVE, days=20, **fields
) -> Mentorship:
    """A pair of ``mentor`` with a new mentee in ``program``, started ``days`` ago."""

    def participant(person, role):
        found = Participant.objects.filter(program=program, person=person, role=role).first()
        return found or ParticipantFactory(
            program=program, person=person, role=role, status=Participant.Status.APPROVED
        )

    today = timezone.localdate()
    ended = status in (Mentorship.Status.COMPLETED, Mentorship.Status.ENDED_EARLY)
    return Mentorship.objects.create(
        program=program,
        mentor=participant(mentor, Participant.Role.MENTOR),
        mentee=participant(PersonFactory(), Participant.Role.MENTEE),
        status=status,
        started_on=today - datetime.timedelta(days=days),
        ended_on=today - datetime.timedelta(days=1) if ended else None,
        **fields,
    )


def listed(program: Program) -> dict[str, list[str]]:
    return {m.full_name: marginal_reasons(m) for m in marginal_mentors(program)}


# --- Detection ----------------------------------------------------------------------------------------------


def test_a_mentor_whose_mentees_rate_them_low_across_two_pairs_is_listed(running_program, mentor):
    first, second = pair_of(mentor.person, running_program), pair_of(mentor.person, running_program)
    rated(held(first, 2), first.mentee, 2)
    rated(held(second, 3), second.mentee, 3)
    rated(held(second, 1), second.mentor, 1)  # the mentor's own ratings do not count
    assert listed(running_program) == {
        mentor.person.full_name: ["Mentees rate their sessions 2.5 out of 5 on average (2 ratings)."]
    }
    rated(held(second, 2), second.mentee, 5)
    assert listed(running_program) == {}


def test_one_pair_is_not_enough_to_call_a_mentor_marginal(running_program, mentor):
    only = pair_of(mentor.person, running_program)
    rated(held(only, 2), only.mentee, 1)
    assert listed(running_program) == {}


def test_pairs_in_other_programs_and_past_pairs_count(running_program, mentor):
    elsewhere = ProgramFactory(status=Program.Status.CLOSED)
    old = pair_of(mentor.person, elsewhere, status=Mentorship.Status.COMPLETED, days=300)
    rated(held(old, 250), old.mentee, 1)
    current = pair_of(mentor.person, running_program)
    rated(held(current, 2), current.mentee, 3)
    assert mentor.person.full_name in listed(running_program)
    # A program in which they do not mentor now does not list them.
    Participant.objects.filter(program=elsewhere).update(status=Participant.Status.WITHDRAWN)
    assert listed(elsewhere) == {}


def test_a_mentor_half_of_whose_pairs_faded_or_ended_for_fit_is_listed(running_program, mentor):
    steady = pair_of(mentor.person, running_program, days=100)
    for days_ago in (80, 60, 40, 20, 5):
        rated(held(steady, days_ago), steady.mentee, 4)
    ended = pair_of(
        mentor.person,
        running_program,
        status=Mentorship.Status.ENDED_EARLY,
        end_category=Mentorship.EndCategory.FIT,
        days=40,
    )
    rated(held(ended, 10), ended.mentee, 4)  # it met regularly until its end
    assert listed(running_program) == {
        mentor.person.full_name: [
            "1 of 2 pairs went twice their cadence without a session or ended early for fit "
            "(1 ended for fit)."
        ]
    }
    Mentorship.objects.filter(pk=ended.pk).update(end_category=Mentorship.EndCategory.SCHEDULE)
    assert listed(running_program) == {}


def test_a_past_pair_that_went_quiet_before_its_end_counts_as_faded(running_program, mentor):
    steady = pair_of(mentor.person, running_program, days=100)
    held(steady, 5)
    quiet = pair_of(mentor.person, running_program, status=Mentorship.Status.COMPLETED, days=200)
    held(quiet, 150)  # then nothing for 149 days until it completed yesterday
    reasons = listed(running_program)[mentor.person.full_name]
    assert reasons == ["1 of 2 pairs went twice their cadence without a session or ended early for fit."]


def test_the_list_costs_the_same_queries_for_few_and_many_mentors(client, coordinator, running_program):
    def add_struggling_mentors(n: int) -> None:
        for _ in range(n):
            person = PersonFactory()
            for _ in range(2):
                pair = pair_of(person, running_program, days=90)
                rated(held(pair, 50), pair.mentee, 1)

    certified(full_name="Grace Hopper")
    client.force_login(coordinator)
    url = reverse("feedback:health_mentors", args=[running_program.slug])
    add_struggling_mentors(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_struggling_mentors(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 25 and "Page 1 of 2" in response.content.decode()
    assert len(many) == len(few)


# --- The page -----------------------------------------------------------------------------------------------


@pytest.fixture
def struggling(running_program, mentor) -> Person:
    """The mentor persona, whose two mentees rate them 1 and 2."""
    for rating in (1, 2):
        pair = pair_of(mentor.person, running_program)
        rated(held(pair, 3), pair.mentee, rating)
    return mentor.person


@pytest.fixture
def master() -> Person:
    return certified(full_name="Ada Lovelace", title="Chief of Surgery")


def coach_url(program: Program, person: Person) -> str:
    return reverse("feedback:mentor_coach", args=[program.slug, person.pk])


def test_the_coordinator_sees_the_evidence_and_assigns_a_certified_master_mentor(
    client, coordinator, running_program, struggling, master
):
    client.force_login(coordinator)
    page = client.get(reverse("feedback:health_mentors", args=[running_program.slug]))
    text = page.content.decode()
    assert struggling.full_name in text
    assert "Mentees rate their sessions 1.5 out of 5 on average (2 ratings)." in text
    assert f'<option value="{master.pk}">Ada Lovelace, Chief of Surgery</option>' in text
    assert f'<option value="{struggling.pk}"' not in text
    board = client.get(reverse("feedback:health_board", args=[running_program.slug])).content.decode()
    assert 'Mentors to support</a> <span class="badge text-bg-warning">1</span>' in board

    response = client.post(
        coach_url(running_program, struggling),
        {"coach": master.pk, "note": "Two pairs struggle.", "page": "1"},
    )
    assert response.status_code == 302
    coaching = MentorCoaching.objects.get()
    assert (coaching.mentor, coaching.coach, coaching.program, coaching.assigned_by, coaching.ended_at) == (
        struggling,
        master,
        running_program,
        coordinator,
        None,
    )
    told = {n.recipient: n for n in Notification.objects.filter(kind="mentor_coaching")}
    assert set(told) == {struggling, master}
    assert "Two pairs struggle." in told[master].body and "Two pairs struggle." not in told[struggling].body
    assert "1.5" not in told[struggling].body and "1.5" not in told[master].body  # ratings stay private
    page = client.get(response.url)
    assert "Ada Lovelace will coach" in messages_of(page)
    assert "Coached by <strong>Ada Lovelace</strong>" in page.content.decode()


def test_a_coach_without_the_master_mentor_certificate_is_refused(
    client, coordinator, running_program, struggling
):
    uncertified = PersonFactory(full_name="Bob Plain")
    PersonnelRecordFactory(person=uncertified, kind=PersonnelRecord.Kind.CERTIFICATE, title="First aid")
    client.force_login(coordinator)
    response = client.post(coach_url(running_program, struggling), {"coach": uncertified.pk}, follow=True)
    assert (
        "Bob Plain is not a certified Master Mentor: their personnel file has no Master Mentor certificate."
        in messages_of(response)
    )
    assert (
        not MentorCoaching.objects.exists()
        and not Notification.objects.filter(kind="mentor_coaching").exists()
    )


def test_a_mentor_cannot_coach_themself(client, coordinator, running_program, struggling):
    certified(struggling)
    client.force_login(coordinator)
    response = client.post(coach_url(running_program, struggling), {"coach": struggling.pk}, follow=True)
    assert f"{struggling.full_name} cannot coach themself" in messages_of(response)
    assert not MentorCoaching.objects.exists()


def test_a_mentor_has_one_current_coach_until_that_coaching_ends(
    client, coordinator, running_program, struggling, master
):
    second = certified(full_name="Barbara Liskov")
    client.force_login(coordinator)
    client.post(coach_url(running_program, struggling), {"coach": master.pk})
    response = client.post(coach_url(running_program, struggling), {"coach": second.pk}, follow=True)
    assert f"{struggling.full_name} is already coached by Ada Lovelace" in messages_of(response)
    assert MentorCoaching.objects.count() == 1
    with pytest.raises(FeedbackError, match="already coached"):
        mentor_coaching_assign(program=running_program, mentor=struggling, coach=second, note="", by=None)

    current = MentorCoaching.objects.get()
    ended = client.post(
        reverse("feedback:coaching_end", args=[running_program.slug, current.pk]), follow=True
    )
    assert "Ada Lovelace's coaching" in messages_of(ended)
    client.post(coach_url(running_program, struggling), {"coach": second.pk})
    assert MentorCoaching.objects.filter(ended_at__isnull=True).get().coach == second
    assert MentorCoaching.objects.count() == 2


def test_a_master_mentor_who_left_cannot_coach(client, coordinator, running_program, struggling, master):
    Person.objects.filter(pk=master.pk).update(status=Person.Status.LEFT, left_on=timezone.localdate())
    client.force_login(coordinator)
    response = client.post(coach_url(running_program, struggling), {"coach": master.pk}, follow=True)
    assert "Ada Lovelace has left the organization; choose a Master Mentor who is at work." in messages_of(
        response
    )
    assert not MentorCoaching.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a coach."),
        ({"coach": "ada"}, "Choose a coach."),
        ({"coach": "999999"}, "Choose a coach from the list of certified Master Mentors."),
        ({"coach": "MASTER", "note": "x" * 2001}, "Keep the note to at most 2000 characters."),
    ],
)
def test_assigning_a_coach_refuses_bad_input(
    client, coordinator, running_program, struggling, master, data, message
):
    if data.get("coach") == "MASTER":
        data = {**data, "coach": master.pk}
    client.force_login(coordinator)
    response = client.post(coach_url(running_program, struggling), data, follow=True)
    assert message in messages_of(response)
    assert not MentorCoaching.objects.exists()


def test_only_mentors_of_the_program_can_be_given_a_coach(
    client, coordinator, running_program, master, employee
):
    client.force_login(coordinator)
    assert client.post(coach_url(running_program, employee.person), {"coach": master.pk}).status_code == 404
    mentee = ParticipantFactory(program=running_program, role="mentee", status=Participant.Status.APPROVED)
    assert client.post(coach_url(running_program, mentee.person), {"coach": master.pk}).status_code == 404
    withdrawn = ParticipantFactory(
        program=running_program, role="mentor", status=Participant.Status.WITHDRAWN
    )
    response = client.post(coach_url(running_program, withdrawn.person), {"coach": master.pk}, follow=True)
    assert "is not an approved mentor of Career mentoring" in messages_of(response)
    assert not MentorCoaching.objects.exists()


@pytest.mark.parametrize("persona", ["mentor", "mentee", "employee", "other_coordinator"])
def test_nobody_else_assigns_or_ends_coaching(
    client, request, persona, running_program, struggling, master, other_program
):
    coaching = MentorCoaching.objects.create(mentor=struggling, coach=master, program=running_program)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(coach_url(running_program, struggling), {"coach": master.pk}).status_code == 404
    end = reverse("feedback:coaching_end", args=[running_program.slug, coaching.pk])
    assert client.post(end).status_code == 404
    assert MentorCoaching.objects.get().ended_at is None


def test_a_coaching_is_not_ended_through_another_programs_page(
    client, other_coordinator, running_program, struggling, master, other_program
):
    coaching = MentorCoaching.objects.create(mentor=struggling, coach=master, program=running_program)
    client.force_login(other_coordinator)
    end = reverse("feedback:coaching_end", args=[other_program.slug, coaching.pk])
    assert client.post(end).status_code == 404
    assert MentorCoaching.objects.get().ended_at is None
