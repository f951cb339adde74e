"""Closure pages: completing a pair (members and coordinators), the closure survey form, the pair page's
closure section, and completing all pairs of an ended program from the check-in page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from feedback.models import ClosureSurvey
from feedback.permissions import get_pair_for_user
from feedback.services.closure import closure_submit, pair_complete
from matching.models import Mentorship, MentorshipStatusChange
from matching.services.mentorships import mentorship_create

pytestmark = pytest.mark.django_db

M = Mentorship.Status
AFTER_THE_END = datetime.datetime(2027, 12, 16, 9, tzinfo=datetime.UTC)
MENTEE_POST = {
    "goals_achieved": "some",
    "would_recommend": "yes",
    "what_changed": "I speak up in meetings now.",
}
MENTOR_POST = {
    "goals_achieved": "all",
    "would_recommend": "yes",
    "what_changed": "I learned to ask before advising.",
    "promotion_readiness": "ready_now",
}


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def closure_url(pair) -> str:
    return reverse("feedback:closure", args=[pair.pk])


def complete_url(pair) -> str:
    return reverse("feedback:pair_complete", args=[pair.pk])


def pair_url(pair) -> str:
    return reverse("feedback:pair_detail", args=[pair.pk])


@pytest.fixture
def completed(pair, mentee):
    pair_complete(access=get_pair_for_user(mentee, pair.pk), by=mentee)
    pair.refresh_from_db()
    return pair


# --- Completing ---------------------------------------------------------------------------------------------


def test_a_member_completes_the_pair_from_its_page_after_confirming(client, pair, mentee):
    client.force_login(mentee)
    page = client.get(pair_url(pair)).content.decode()
    assert 'id="closure"' in page and complete_url(pair) in page and "We have reached our goals" in page
    confirm = client.get(complete_url(pair))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert Mentorship.objects.get(pk=pair.pk).status == M.ACTIVE
    response = client.post(complete_url(pair), follow=True)
    assert response.redirect_chain[-1][0] == closure_url(pair)
    assert "Your pair is completed" in messages_of(response)
    assert Mentorship.objects.get(pk=pair.pk).status == M.COMPLETED
    assert MentorshipStatusChange.objects.filter(mentorship=pair, to_status=M.COMPLETED, by=mentee).exists()
    again = client.post(complete_url(pair), follow=True)
    assert "already completed" in messages_of(again)
    assert MentorshipStatusChange.objects.filter(mentorship=pair, to_status=M.COMPLETED).count() == 1


def test_a_coordinator_completes_a_pair_from_its_page(client, pair, coordinator):
    client.force_login(coordinator)
    assert complete_url(pair) in client.get(pair_url(pair)).content.decode()
    response = client.post(complete_url(pair), follow=True)
    assert "both members are asked for the closure survey" in messages_of(response)
    assert Mentorship.objects.get(pk=pair.pk).status == M.COMPLETED


@pytest.mark.parametrize("persona", ["other_coordinator", "employee", "sponsor"])
def test_people_outside_the_pair_cannot_complete_it(client, request, pair, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(complete_url(pair)).status_code == 404
    assert client.post(complete_url(pair)).status_code == 404
    assert client.get(closure_url(pair)).status_code == 404
    assert Mentorship.objects.get(pk=pair.pk).status == M.ACTIVE


def test_the_check_in_page_completes_all_pairs_only_once_the_program_has_ended(
    client, pair, approved, coordinator
):
    mentorship_create(mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="run")
    answers = reverse("feedback:checkin_answers", args=[pair.program.slug])
    complete_all = reverse("feedback:program_pairs_complete", args=[pair.program.slug])
    client.force_login(coordinator)
    assert complete_all not in client.get(answers).content.decode()
    refused = client.post(complete_all, follow=True)
    assert "its pairs are completed together once it has ended" in messages_of(refused)
    assert not Mentorship.objects.filter(status=M.COMPLETED).exists()
    with time_machine.travel(AFTER_THE_END):
        client.force_login(coordinator)
        assert "Complete all pairs (program ended)" in client.get(answers).content.decode()
        assert "Complete 2 pairs" in client.get(complete_all).content.decode()
        done = client.post(complete_all, follow=True)
    assert "Completed 2 pairs" in messages_of(done)
    assert Mentorship.objects.filter(status=M.COMPLETED).count() == 2


# --- The survey ---------------------------------------------------------------------------------------------


def test_the_mentor_answers_with_the_mentees_promotion_readiness(client, completed, mentor):
    client.force_login(mentor)
    form = client.get(closure_url(completed)).content.decode()
    assert 'name="promotion_readiness"' in form and "Ready in 1-2 years" in form
    missing = client.post(closure_url(completed), MENTOR_POST | {"promotion_readiness": ""})
    assert "Assess your mentee&#x27;s promotion readiness." in missing.content.decode()
    assert not ClosureSurvey.objects.exists()
    response = client.post(closure_url(completed), MENTOR_POST, follow=True)
    assert response.redirect_chain[-1][0] == pair_url(completed) + "#closure"
    survey = ClosureSurvey.objects.get()
    assert (survey.participant, survey.goals_achieved, survey.promotion_readiness) == (
        completed.mentor,
        "all",
        "ready_now",
    )
    assert "I learned to ask before advising." in response.content.decode()


def test_the_mentee_is_not_asked_readiness_and_a_crafted_one_is_refused(client, completed, mentee):
    client.force_login(mentee)
    form = client.get(closure_url(completed)).content.decode()
    assert 'name="promotion_readiness"' not in form and 'name="goals_achieved"' in form
    crafted = client.post(closure_url(completed), MENTEE_POST | {"promotion_readiness": "ready_now"})
    assert crafted.status_code == 200
    assert "Only the mentor assesses promotion readiness." in crafted.content.decode()
    assert not ClosureSurvey.objects.exists()
    client.post(closure_url(completed), MENTEE_POST)
    assert ClosureSurvey.objects.get().promotion_readiness == ""


def test_the_survey_is_answered_once(client, completed, mentee):
    client.force_login(mentee)
    client.post(closure_url(completed), MENTEE_POST)
    again = client.post(closure_url(completed), MENTEE_POST | {"goals_achieved": "none"}, follow=True)
    assert "already answered the closure survey" in messages_of(again)
    assert ClosureSurvey.objects.get().goals_achieved == "some"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"goals_achieved": "most"}, "Say how many of your goals you achieved, choosing from the list."),
        ({"would_recommend": ""}, "Say whether you would recommend the program."),
        ({"what_changed": "x" * 2001}, "Keep what changed to at most 2000 characters."),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(client, completed, mentee, changes, error):
    client.force_login(mentee)
    response = client.post(closure_url(completed), MENTEE_POST | changes)
    assert response.status_code == 200 and error in response.content.decode()
    assert not ClosureSurvey.objects.exists()


def test_the_survey_is_refused_while_the_pair_is_active_before_the_programs_end(client, pair, mentee):
    client.force_login(mentee)
    page = client.get(closure_url(pair)).content.decode()
    assert "The closure survey opens when" in page and 'name="goals_achieved"' not in page
    response = client.post(closure_url(pair), MENTEE_POST, follow=True)
    assert "opens when the pair is completed or ended" in messages_of(response)
    assert not ClosureSurvey.objects.exists()


def test_after_the_programs_end_an_active_pairs_members_see_the_survey(client, pair, mentee):
    with time_machine.travel(AFTER_THE_END):
        client.force_login(mentee)
        page = client.get(pair_url(pair)).content.decode()
        assert closure_url(pair) in page and "The program has ended" in page
        client.post(closure_url(pair), MENTEE_POST)
    assert ClosureSurvey.objects.get().participant == pair.mentee


def test_coordinators_read_both_answers_but_do_not_answer(client, completed, mentor, mentee, coordinator):
    for user, data in ((mentor, MENTOR_POST), (mentee, MENTEE_POST)):
        closure_submit(
            access=get_pair_for_user(user, completed.pk),
            goals_achieved=data["goals_achieved"],
            would_recommend=True,
            what_changed=data["what_changed"],
            promotion_readiness=data.get("promotion_readiness", ""),
            by=user,
        )
    client.force_login(coordinator)
    for url in (closure_url(completed), pair_url(completed)):
        text = client.get(url).content.decode()
        assert "I learned to ask before advising." in text and "I speak up in meetings now." in text
        assert "Ready now" in text
    assert client.post(closure_url(completed), MENTEE_POST).status_code == 403


def test_the_partner_never_sees_the_other_members_answers(client, completed, mentor, mentee):
    closure_submit(
        access=get_pair_for_user(mentor, completed.pk),
        goals_achieved="all",
        would_recommend=False,
        what_changed="I learned to ask before advising.",
        promotion_readiness="not_yet",
        by=mentor,
    )
    client.force_login(mentee)
    for url in (closure_url(completed), pair_url(completed)):
        text = client.get(url).content.decode()
        assert "I learned to ask before advising." not in text and "Not yet" not in text
    assert 'name="goals_achieved"' in client.get(closure_url(completed)).content.decode()


def test_a_pair_that_never_started_has_no_closure_section(client, approved, coordinator, running_program):
    proposed = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual", status=M.PROPOSED
    )
    client.force_login(coordinator)
    assert 'id="closure"' not in client.get(pair_url(proposed)).content.decode()
