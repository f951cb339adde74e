"""Mentee choice service by service: suggestions, ranked requests, answers, expiry and their rules."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from matching.models import MentorRequest, Mentorship, PairRule
from matching.services import MatchingError
from matching.services.choice import (
    ANSWER_DAYS,
    MAX_REQUESTS,
    mentor_request_accept,
    mentor_request_decline,
    mentor_requests_create,
    mentor_requests_expire,
    suggestions_for,
)
from matching.services.mentorships import mentorship_create, mentorship_transition
from notifications.models import Notification
from programs.factories import AnswerFactory, ParticipantFactory, QuestionFactory
from programs.models import Participant, Program
from tests.conftest import make_persona
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
R = MentorRequest.Status


@pytest.fixture
def choice_program(program):
    program.matching_mode = Program.MatchingMode.MENTEE_CHOICE
    program.status = Program.Status.MATCHING
    program.save(update_fields=["matching_mode", "status"])
    return program


@pytest.fixture
def chooser(choice_program, approved, mentee):
    """The mentee persona, approved in the mentee-choice program."""
    return approved("mentee", person=mentee.person)


@pytest.fixture
def asked_mentor(choice_program, approved, mentor):
    """The mentor persona, approved in the mentee-choice program with one free place."""
    return approved("mentor", person=mentor.person, capacity=1)


@pytest.fixture
def second_mentor(choice_program, approved):
    user = make_persona("second.mentor@example.com", level=5)
    return approved("mentor", person=user.person, capacity=2)


def a_mentor(approved, **kwargs) -> Participant:
    return approved("mentor", person=PersonFactory(job_level=5), **kwargs)


def test_the_first_choice_waits_for_its_mentor_and_the_others_are_queued(
    chooser, asked_mentor, second_mentor, mentee
):
    with time_machine.travel(timezone.now(), tick=False):
        first, second = mentor_requests_create(
            mentee=chooser, mentors=[asked_mentor, second_mentor], message="Leading a team", by=mentee
        )
        assert first.expires_at == timezone.now() + datetime.timedelta(days=ANSWER_DAYS)
    assert (first.status, first.rank, second.status, second.rank) == (R.PENDING, 1, R.QUEUED, 2)
    assert second.expires_at is None
    told = Notification.objects.get(kind="mentor_request")
    assert told.recipient == asked_mentor.person and told.url == "/matching/career-mentoring/requests/"


def test_a_decline_moves_the_request_to_the_next_choice_and_an_acceptance_makes_the_pair(
    chooser, asked_mentor, second_mentor, mentee, mentor
):
    first, second = mentor_requests_create(mentee=chooser, mentors=[asked_mentor, second_mentor], by=mentee)
    mentor_request_decline(request=first, by=mentor, reason="No time this quarter")
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.decline_reason, second.status) == (
        R.DECLINED,
        "No time this quarter",
        R.PENDING,
    )
    assert Notification.objects.filter(kind="mentor_request", recipient=second_mentor.person).exists()

    pair = mentor_request_accept(request=second, by=second_mentor.person.user)
    second.refresh_from_db()
    assert second.status == R.ACCEPTED
    assert (pair.mentor, pair.mentee, pair.status, pair.source) == (
        second_mentor,
        chooser,
        "active",
        "request",
    )
    assert pair.score is not None
    assert Notification.objects.filter(kind="mentor_request_accepted", recipient=chooser.person).exists()


def test_acceptance_cancels_the_mentees_other_requests(
    chooser, asked_mentor, second_mentor, approved, mentee
):
    third = a_mentor(approved)
    first, _second, _third = mentor_requests_create(
        mentee=chooser, mentors=[asked_mentor, second_mentor, third], by=mentee
    )
    mentor_request_accept(request=first, by=asked_mentor.person.user)
    assert [r.status for r in MentorRequest.objects.order_by("rank")] == [
        R.ACCEPTED,
        R.CANCELLED,
        R.CANCELLED,
    ]
    with pytest.raises(MatchingError, match="as many mentors"):
        mentor_requests_create(mentee=chooser, mentors=[a_mentor(approved)], by=mentee)


def test_a_mentee_asks_at_most_three_mentors_at_a_time(chooser, approved, mentee):
    mentors = [a_mentor(approved) for _ in range(MAX_REQUESTS + 1)]
    with pytest.raises(MatchingError, match=f"at most {MAX_REQUESTS} mentors"):
        mentor_requests_create(mentee=chooser, mentors=mentors, by=mentee)
    mentor_requests_create(mentee=chooser, mentors=mentors[:2], by=mentee)
    with pytest.raises(MatchingError, match="you can add 1 more"):
        mentor_requests_create(mentee=chooser, mentors=mentors[2:], by=mentee)
    assert MentorRequest.objects.count() == 2


def test_a_mentor_of_another_program_cannot_be_asked(chooser, other_program, mentee):
    stranger = ParticipantFactory(
        program=other_program, role="mentor", status=Participant.Status.APPROVED, capacity=2
    )
    with pytest.raises(MatchingError, match=r"You can only ask mentors of this program\."):
        mentor_requests_create(mentee=chooser, mentors=[stranger], by=mentee)
    assert not MentorRequest.objects.exists()


def test_mentors_in_the_reporting_line_at_capacity_or_asked_before_are_refused(
    chooser, approved, manager, asked_mentor, mentee, hr_admin
):
    boss = approved("mentor", person=manager.person)
    with pytest.raises(MatchingError, match="reporting line"):
        mentor_requests_create(mentee=chooser, mentors=[boss], by=mentee)
    mentorship_create(mentor=asked_mentor, mentee=approved("mentee"), by=hr_admin, source="manual")
    with pytest.raises(MatchingError, match="no free place"):
        mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    other = a_mentor(approved)
    mentor_requests_create(mentee=chooser, mentors=[other], by=mentee)
    with pytest.raises(MatchingError, match="already asked"):
        mentor_requests_create(mentee=chooser, mentors=[other], by=mentee)
    assert MentorRequest.objects.count() == 1


def test_a_mentor_failing_a_hard_rule_is_refused_naming_the_rule(chooser, choice_program, approved, mentee):
    question = choice_program.questions.get()
    question.hard = True
    question.save(update_fields=["hard"])
    other = a_mentor(approved)
    chooser.answers.create(question=question, value=["Leadership"])
    other.answers.create(question=question, value=["Technical depth"])
    with pytest.raises(MatchingError, match="Which skills do you want to develop"):
        mentor_requests_create(mentee=chooser, mentors=[other], by=mentee)


def test_only_mentee_choice_programs_that_are_open_take_requests(
    chooser, choice_program, asked_mentor, mentee
):
    choice_program.matching_mode = Program.MatchingMode.ADMIN
    choice_program.save(update_fields=["matching_mode"])
    with pytest.raises(MatchingError, match="coordinators make the pairs"):
        mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    choice_program.matching_mode, choice_program.status = Program.MatchingMode.BOTH, Program.Status.CLOSED
    choice_program.save(update_fields=["matching_mode", "status"])
    with pytest.raises(MatchingError, match="closed"):
        mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    assert not MentorRequest.objects.exists()


def test_nobody_but_the_mentee_asks_and_nobody_but_the_mentor_answers(
    chooser, asked_mentor, mentee, employee
):
    with pytest.raises(MatchingError, match="Only the mentee"):
        mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=employee)
    (request,) = mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    with pytest.raises(MatchingError, match="Only the mentor who was asked"):
        mentor_request_accept(request=request, by=mentee)
    with pytest.raises(MatchingError, match="Only the mentor who was asked"):
        mentor_request_decline(request=request, by=employee, reason="Not me")
    request.refresh_from_db()
    assert request.status == R.PENDING and not Mentorship.objects.exists()


def test_accepting_at_capacity_is_refused_and_changes_nothing(
    chooser, asked_mentor, approved, mentee, hr_admin
):
    (request,) = mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    # The mentor's only place is taken after the request was made (a coordinator paired them meanwhile).
    mentorship_create(mentor=asked_mentor, mentee=approved("mentee"), by=hr_admin, source="manual")
    notes = Notification.objects.count()
    with pytest.raises(MatchingError, match="You are at capacity"):
        mentor_request_accept(request=request, by=asked_mentor.person.user)
    request.refresh_from_db()
    assert request.status == R.PENDING and request.decided_at is None
    assert Mentorship.objects.filter(mentee=chooser).count() == 0
    assert Notification.objects.count() == notes


def test_a_mentor_who_becomes_full_passes_other_waiting_mentees_on(
    chooser, asked_mentor, second_mentor, approved, mentee
):
    other_mentee = approved("mentee")
    (mine,) = mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    theirs, next_one = mentor_requests_create(
        mentee=other_mentee, mentors=[asked_mentor, second_mentor], by=None
    )
    mentor_request_accept(request=mine, by=asked_mentor.person.user)
    theirs.refresh_from_db(), next_one.refresh_from_db()
    assert (theirs.status, next_one.status) == (R.CANCELLED, R.PENDING)


def test_a_decline_needs_a_reason_and_an_answered_request_cannot_be_answered_again(
    chooser, asked_mentor, mentee, mentor
):
    (request,) = mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    with pytest.raises(MatchingError, match="Say briefly why"):
        mentor_request_decline(request=request, by=mentor, reason="  ")
    mentor_request_decline(request=request, by=mentor, reason="Full calendar")
    with pytest.raises(MatchingError, match="no longer waiting"):
        mentor_request_accept(request=request, by=mentor)
    # Nobody else is left: the mentee is asked to choose again.
    assert Notification.objects.filter(kind="mentor_request_choose_again", recipient=chooser.person).exists()


def test_unanswered_requests_expire_cascade_and_a_second_run_changes_nothing(
    chooser, asked_mentor, second_mentor, mentee
):
    first, second = mentor_requests_create(mentee=chooser, mentors=[asked_mentor, second_mentor], by=mentee)
    assert mentor_requests_expire(now=timezone.now()) == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=ANSWER_DAYS, hours=1), tick=False):
        now = timezone.now()
        with pytest.raises(MatchingError, match="time to answer"):
            mentor_request_accept(request=first, by=asked_mentor.person.user)
        assert mentor_requests_expire(now=now) == 1
        assert mentor_requests_expire(now=now) == 0
        first.refresh_from_db(), second.refresh_from_db()
        assert (first.status, second.status) == (R.EXPIRED, R.PENDING)
        assert second.expires_at == now + datetime.timedelta(days=ANSWER_DAYS)
    with time_machine.travel(second.expires_at + datetime.timedelta(minutes=1), tick=False):
        assert mentor_requests_expire(now=timezone.now()) == 1
        assert mentor_requests_expire(now=timezone.now()) == 0
    assert Notification.objects.filter(kind="mentor_request_choose_again").count() == 1


def test_suggestions_are_the_best_feasible_mentors_with_free_places_and_explain_themselves(
    chooser, choice_program, approved, manager, hr_admin, mentee
):
    question = choice_program.questions.get()
    chooser.answers.create(question=question, value=["Leadership", "Communication"])
    best = a_mentor(approved)
    best.answers.create(question=question, value=["Leadership", "Communication"])
    good = a_mentor(approved)
    good.answers.create(question=question, value=["Leadership"])
    full = a_mentor(approved, capacity=1)
    full.answers.create(question=question, value=["Leadership", "Communication"])
    mentorship_create(mentor=full, mentee=approved("mentee"), by=hr_admin, source="manual")
    approved("mentor", person=manager.person)  # the mentee's own manager: never suggested
    ParticipantFactory(program=choice_program, role="mentor", status="applied")  # not approved

    suggestions = suggestions_for(mentee=chooser)
    assert [s.mentor for s in suggestions] == [best, good]
    top = suggestions[0]
    assert top.reasons[0].startswith("Which skills do you want to develop")
    assert top.profile.name == best.person.full_name and top.profile.department
    assert top.free_places == 2
    assert suggestions[1].weak_point is not None
    assert len(suggestions_for(mentee=chooser, limit=1)) == 1

    mentor_requests_create(mentee=chooser, mentors=[best], by=mentee)
    assert [s.mentor for s in suggestions_for(mentee=chooser)] == [good]


def test_after_a_pair_ends_early_the_fresh_suggestions_leave_the_previous_mentor_out(
    chooser, approved, hr_admin, mentee
):
    previous, other = a_mentor(approved), a_mentor(approved)
    pair = mentorship_create(mentor=previous, mentee=chooser, by=hr_admin, source="run")
    assert suggestions_for(mentee=chooser) and previous not in [
        s.mentor for s in suggestions_for(mentee=chooser)
    ]
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=hr_admin, why="Moved teams")
    assert [s.mentor for s in suggestions_for(mentee=chooser)] == [other]
    with pytest.raises(MatchingError, match="was your mentor before"):
        mentor_requests_create(mentee=chooser, mentors=[previous], by=mentee)
    (request,) = mentor_requests_create(mentee=chooser, mentors=[other], by=mentee)
    assert request.status == R.PENDING


def test_a_coordinators_forbid_keeps_a_mentor_out_of_the_suggestions(chooser, approved, coordinator):
    kept, ruled_out = a_mentor(approved), a_mentor(approved)
    PairRule.objects.create(
        program=chooser.program, mentor=ruled_out, mentee=chooser, kind=PairRule.Kind.FORBID, by=coordinator
    )
    assert [s.mentor for s in suggestions_for(mentee=chooser)] == [kept]


def test_suggestions_take_a_bounded_number_of_queries(chooser, approved, django_assert_max_num_queries):
    for _ in range(12):
        a_mentor(approved)
    with django_assert_max_num_queries(11):
        assert len(suggestions_for(mentee=chooser)) == 5


def test_a_suggested_mentor_shows_only_what_the_program_makes_visible(chooser, approved, choice_program):
    choice_program.mentor_profile_fields = ["department"]
    choice_program.save(update_fields=["mentor_profile_fields"])
    offers = QuestionFactory(
        program=choice_program, mentor_text="What can you help with?", kind="text", shown_to_mentees=True
    )
    private = QuestionFactory(program=choice_program, mentor_text="Anything to know?", kind="text")
    person = PersonFactory(job_level=5, title="Head of Quality", location="Basel")
    shown = approved("mentor", person=person)
    AnswerFactory(participant=shown, question=offers, value="Leading a first team")
    AnswerFactory(participant=shown, question=private, value="I am leaving in June")
    (suggestion,) = suggestions_for(mentee=chooser)
    profile = suggestion.profile
    assert profile.name == person.full_name and profile.department == person.department.name
    assert (profile.title, profile.division, profile.location) == ("", "", "")
    assert profile.answers == (("What can you help with?", "Leading a first team"),)


def test_choose_page_shows_the_visible_profile_and_nothing_else(
    client, chooser, approved, choice_program, mentee
):
    choice_program.mentor_profile_fields = ["title"]
    choice_program.save(update_fields=["mentor_profile_fields"])
    person = PersonFactory(job_level=5, title="Head of Quality", location="Basel")
    approved("mentor", person=person)
    client.force_login(mentee)
    page = client.get(reverse("matching:choose", args=[choice_program.slug])).content.decode()
    assert person.full_name in page and "Head of Quality" in page
    assert "Basel" not in page and person.department.name not in page


def test_a_mentee_finds_a_mentor_by_name_among_those_who_suit_them(chooser, approved, asked_mentor):
    wanted = approved("mentor", person=PersonFactory(job_level=5, full_name="Grace Hopper-Lind"))
    a_mentor(approved)
    found = suggestions_for(mentee=chooser, name="  hopper ")
    assert [s.mentor for s in found] == [wanted]
    assert suggestions_for(mentee=chooser, name="nobody by that name") == []


def test_the_choose_page_searches_by_name_and_the_request_goes_to_the_found_mentor(
    client, chooser, approved, choice_program, mentee
):
    for _ in range(6):
        a_mentor(approved)
    wanted = approved("mentor", person=PersonFactory(job_level=5, full_name="Grace Hopper-Lind"))
    client.force_login(mentee)
    url = reverse("matching:choose", args=[choice_program.slug])
    page = client.get(url, {"q": "Hopper"}).content.decode()
    assert "Mentors named “Hopper” who suit you" in page and "Grace Hopper-Lind" in page
    client.post(f"{url}?q=Hopper", {"choice_1": wanted.pk})
    assert MentorRequest.objects.get(mentee=chooser).mentor == wanted
    page = client.get(url, {"q": "Nobody"}).content.decode()
    assert "No mentor of this program named “Nobody”" in page
