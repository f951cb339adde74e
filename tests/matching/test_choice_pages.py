# ruff: noqa: F811 - the shared fixtures imported below are parameters of the tests
"""Mentee choice in the browser: a mentee asks, mentors answer, both see the pair; access and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.models import MentorRequest, Mentorship
from matching.services.choice import mentor_requests_create
from matching.services.mentorships import mentorship_create, mentorship_transition
from programs.factories import ParticipantFactory
from programs.models import Participant
from tests.factories import PersonFactory
from tests.matching.test_choice_services import (  # noqa: F401 - fixtures
    a_mentor,
    asked_mentor,
    choice_program,
    chooser,
    second_mentor,
)

pytestmark = pytest.mark.django_db
R = MentorRequest.Status


def choose_url(program) -> str:
    return reverse("matching:choose", args=[program.slug])


def requests_url(program) -> str:
    return reverse("matching:mentor_requests", args=[program.slug])


def answer_url(request: MentorRequest, verb: str) -> str:
    return reverse(f"matching:mentor_request_{verb}", args=[request.program.slug, request.pk])


def test_a_mentee_asks_two_mentors_the_first_declines_the_second_accepts_and_the_home_page_shows_the_pair(
    client, chooser, asked_mentor, second_mentor, mentee, mentor
):
    program = chooser.program
    client.force_login(mentee)
    page = client.get(choose_url(program))
    assert page.status_code == 200
    for name in (asked_mentor.person.full_name, second_mentor.person.full_name):
        assert name in page.content.decode()
    assert "Why:" in page.content.decode()
    home_page = client.get(reverse("home")).content.decode()
    assert "Choose your mentor in Career mentoring" in home_page

    sent = client.post(
        choose_url(program),
        {"choice_1": asked_mentor.pk, "choice_2": second_mentor.pk, "message": "I lead a team from January."},
        follow=True,
    )
    assert f"Your request went to {asked_mentor.person.full_name}" in sent.content.decode()
    first, second = MentorRequest.objects.order_by("rank")
    assert (first.mentor, first.status, second.mentor, second.status) == (
        asked_mentor, R.PENDING, second_mentor, R.QUEUED,
    )  # fmt: skip

    client.force_login(mentor)
    assert "1 request in Career mentoring" in client.get(reverse("home")).content.decode()
    waiting = client.get(requests_url(program)).content.decode()
    assert chooser.person.full_name in waiting and "I lead a team from January." in waiting
    declined = client.post(answer_url(first, "decline"), {f"decline-{first.pk}-reason": "Away until March"})
    assert declined.status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (R.DECLINED, R.PENDING)

    client.force_login(second_mentor.person.user)
    accepted = client.post(answer_url(second, "accept"), follow=True)
    assert "You are now" in accepted.content.decode()
    pair = Mentorship.objects.get()
    assert (pair.mentor, pair.mentee, pair.status) == (second_mentor, chooser, Mentorship.Status.ACTIVE)

    client.force_login(mentee)
    home_page = client.get(reverse("home")).content.decode()
    assert f"With your mentor {second_mentor.person.full_name}" in home_page
    assert "Choose your mentor in" not in home_page
    pairs = client.get(reverse("matching:my_pairs"), follow=True).content.decode()
    assert second_mentor.person.full_name in pairs and second_mentor.person.email in pairs
    assert "Away until March" in client.get(choose_url(program)).content.decode()
    client.force_login(second_mentor.person.user)
    assert f"With your mentee {chooser.person.full_name}" in client.get(reverse("home")).content.decode()


def test_a_crafted_request_for_a_mentor_of_another_program_is_refused_with_a_clear_message(
    client, chooser, asked_mentor, other_program, mentee
):
    stranger = ParticipantFactory(program=other_program, role="mentor", status="approved", capacity=2)
    client.force_login(mentee)
    for crafted in (stranger.pk, 987654):
        page = client.post(choose_url(chooser.program), {"choice_1": crafted, "message": "Hello"})
        assert page.status_code == 200
        assert "You can only ask mentors of this program." in page.content.decode()
        assert "Hello" in page.content.decode()  # the message is kept
    assert not MentorRequest.objects.exists()


def test_asking_more_than_three_or_the_same_mentor_twice_is_refused(client, chooser, approved, mentee):
    mentors = [a_mentor(approved) for _ in range(4)]
    client.force_login(mentee)
    twice = client.post(choose_url(chooser.program), {"choice_1": mentors[0].pk, "choice_2": mentors[0].pk})
    assert "Choose each mentor once." in twice.content.decode()
    crafted = {f"choice_{n}": m.pk for n, m in enumerate(mentors, start=1)}
    four = client.post(choose_url(chooser.program), crafted)
    assert "You can ask at most 3 mentors at a time" in four.content.decode()
    assert not MentorRequest.objects.exists()
    client.post(choose_url(chooser.program), {"choice_1": mentors[0].pk, "choice_2": mentors[1].pk})
    more = client.post(choose_url(chooser.program), {"choice_1": mentors[2].pk, "choice_2": mentors[3].pk})
    assert "you can add 1 more" in more.content.decode()
    assert MentorRequest.objects.count() == 2
    empty = client.post(choose_url(chooser.program), {"choice_1": ""})
    assert "Choose at least your first choice." in empty.content.decode()


def test_accepting_at_capacity_is_refused_in_the_browser_and_changes_nothing(
    client, chooser, asked_mentor, approved, mentee, mentor, hr_admin
):
    (request,) = mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    mentorship_create(mentor=asked_mentor, mentee=approved("mentee"), by=hr_admin, source="manual")
    client.force_login(mentor)
    page = client.post(answer_url(request, "accept"), follow=True)
    assert "You are at capacity (1 of 1 mentees)" in page.content.decode()
    request.refresh_from_db()
    assert request.status == R.PENDING
    assert not Mentorship.objects.filter(mentee=chooser).exists()


def test_a_decline_without_a_reason_is_refused_and_the_request_keeps_waiting(
    client, chooser, asked_mentor, mentee, mentor
):
    (request,) = mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    client.force_login(mentor)
    page = client.post(answer_url(request, "decline"), {f"decline-{request.pk}-reason": " "}, follow=True)
    assert "Say briefly why you decline" in page.content.decode()
    request.refresh_from_db()
    assert request.status == R.PENDING


def test_only_the_requested_mentor_may_answer_others_get_404(
    client, chooser, asked_mentor, second_mentor, mentee, coordinator, hr_admin
):
    (request,) = mentor_requests_create(mentee=chooser, mentors=[asked_mentor], by=mentee)
    for user in (second_mentor.person.user, mentee, coordinator, hr_admin):
        client.force_login(user)
        for verb in ("accept", "decline"):
            assert (
                client.post(answer_url(request, verb), {f"decline-{request.pk}-reason": "x"}).status_code
                == 404
            )
    client.logout()
    assert client.post(answer_url(request, "accept")).status_code == 302
    client.force_login(asked_mentor.person.user)
    assert client.get(answer_url(request, "accept")).status_code == 405
    request.refresh_from_db()
    assert request.status == R.PENDING and not Mentorship.objects.exists()


@pytest.mark.parametrize("page", ["choose", "mentor_requests"])
def test_the_choice_pages_are_for_approved_participants_in_their_role(
    client, page, chooser, asked_mentor, mentee, mentor, employee, outsider, coordinator, other_coordinator,
    sponsor, hr_admin,
):  # fmt: skip
    url = reverse(f"matching:{page}", args=[chooser.program.slug])
    assert client.get(url).status_code == 302  # to the login page
    wrong_role = mentor if page == "choose" else mentee
    for user in (outsider, employee, coordinator, other_coordinator, sponsor, hr_admin, wrong_role):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.force_login(mentee if page == "choose" else mentor)
    assert client.get(url).status_code == 200
    assert client.get(reverse(f"matching:{page}", args=["no-such-program"])).status_code == 404


def test_choice_pages_are_404_where_the_coordinators_make_the_pairs(
    client, chooser, asked_mentor, mentee, mentor
):
    program = chooser.program
    program.matching_mode = "admin"
    program.save(update_fields=["matching_mode"])
    client.force_login(mentee)
    assert client.get(choose_url(program)).status_code == 404
    client.force_login(mentor)
    assert client.get(requests_url(program)).status_code == 404


def test_a_mentee_with_a_mentor_sees_the_pair_instead_of_suggestions(
    client, chooser, asked_mentor, second_mentor, mentee, hr_admin
):
    mentorship_create(mentor=asked_mentor, mentee=chooser, by=hr_admin, source="run")
    client.force_login(mentee)
    page = client.get(choose_url(chooser.program)).content.decode()
    assert "You have your mentor." in page and asked_mentor.person.full_name in page
    assert "Send my request" not in page
    refused = client.post(choose_url(chooser.program), {"choice_1": second_mentor.pk}, follow=True)
    assert "You have your mentor." in refused.content.decode()
    assert not MentorRequest.objects.exists()


def test_the_pairs_page_lists_current_pairs_of_the_signed_in_person_only(
    client, chooser, asked_mentor, second_mentor, approved, mentee, mentor, employee, outsider, hr_admin
):
    mentorship_create(mentor=asked_mentor, mentee=chooser, by=hr_admin, source="run")
    someone_else = approved("mentee")
    mentorship_create(mentor=second_mentor, mentee=someone_else, by=hr_admin, source="run")
    # The old address leads to the pairs list of the feedback app.
    client.force_login(mentor)
    assert client.get(reverse("matching:my_pairs")).url == reverse("feedback:pair_list")
    client.logout()
    url = reverse("feedback:pair_list")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(employee)
    assert "You are not in a pair yet." in client.get(url).content.decode()
    client.force_login(mentor)
    page = client.get(url).content.decode()
    assert "You mentor" in page and chooser.person.full_name in page and chooser.person.email in page
    assert someone_else.person.full_name not in page
    assert reverse("programs:program_detail", args=[chooser.program.slug]) in page


def test_the_pages_take_a_bounded_number_of_queries(
    client, chooser, approved, mentee, mentor, hr_admin, django_assert_max_num_queries
):
    mentor_participant = approved("mentor", person=mentor.person, capacity=4)
    for _ in range(8):
        a_mentor(approved)
    for _ in range(3):
        other = approved("mentee", person=PersonFactory(job_level=2))
        mentor_requests_create(mentee=other, mentors=[mentor_participant], by=None)
    mentorship_create(mentor=mentor_participant, mentee=approved("mentee"), by=hr_admin, source="run")
    client.force_login(mentee)
    with django_assert_max_num_queries(22):
        assert client.get(choose_url(chooser.program)).status_code == 200
    client.force_login(mentor)
    with django_assert_max_num_queries(14):
        page = client.get(requests_url(chooser.program))
    assert page.content.decode().count("Accept ") == 3
    with django_assert_max_num_queries(10):
        assert client.get(reverse("feedback:pair_list")).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("home")).status_code == 200


def test_mentors_of_a_participant_status_other_than_approved_see_no_requests_page(client, chooser, mentor):
    ParticipantFactory(program=chooser.program, person=mentor.person, role="mentor", status="applied")
    client.force_login(mentor)
    assert client.get(requests_url(chooser.program)).status_code == 404
    assert Participant.objects.filter(person=mentor.person).count() == 1


def test_after_a_pair_ends_early_the_mentee_is_invited_to_choose_again_without_the_previous_mentor(
    client, chooser, asked_mentor, second_mentor, mentee, hr_admin
):
    pair = mentorship_create(mentor=asked_mentor, mentee=chooser, by=hr_admin, source="request")
    client.force_login(mentee)
    assert "Choose your mentor in" not in client.get(reverse("home")).content.decode()
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=hr_admin, why="Moved teams")
    assert "Choose your mentor in Career mentoring" in client.get(reverse("home")).content.decode()
    page = client.get(choose_url(chooser.program))
    suggested = [s.mentor for s in page.context["suggestions"]]
    assert suggested == [second_mentor]
    refused = client.post(choose_url(chooser.program), {"choice_1": asked_mentor.pk})
    assert "was your mentor before" in refused.content.decode()
