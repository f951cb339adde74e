"""Completion and the closure survey: completing records the status change and asks both members; the survey
opens only when the pair ended or the program did, is answered once, and only the mentor assesses
promotion readiness."""

import datetime

import pytest
import time_machine

from feedback.models import ClosureSurvey
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.closure import (
    closure_open,
    closure_submit,
    pair_complete,
    pairs_complete_at_program_end,
)
from feedback.services.ending import pair_end_early
from matching.models import Mentorship, MentorshipStatusChange
from matching.services.mentorships import mentorship_create
from notifications.models import Notification

pytestmark = pytest.mark.django_db

M = Mentorship.Status
AFTER_THE_END = datetime.datetime(
    2027, 12, 16, 9, tzinfo=datetime.UTC
)  # the program ends on 15 December 2027


def submit(pair, user, **changes) -> ClosureSurvey:
    values = {
        "goals_achieved": "some",
        "would_recommend": True,
        "what_changed": "",
        "promotion_readiness": "",
    }
    return closure_submit(access=get_pair_for_user(user, pair.pk), by=user, **(values | changes))


# --- Completion ---------------------------------------------------------------------------------------------


def test_a_member_completes_the_pair_early_and_both_are_asked_for_the_closure_survey(pair, mentee, mentor):
    completed = pair_complete(access=get_pair_for_user(mentee, pair.pk), by=mentee)
    pair.refresh_from_db()
    assert completed.status == pair.status == M.COMPLETED and pair.ended_on == datetime.date(2026, 11, 20)
    change = MentorshipStatusChange.objects.filter(mentorship=pair).last()
    assert (change.from_status, change.to_status, change.by) == (M.ACTIVE, M.COMPLETED, mentee)
    assert "reached its goals" in change.why and mentee.person.full_name in change.why
    asked = Notification.objects.filter(kind="closure_survey")
    assert sorted((n.recipient_id, n.key) for n in asked) == sorted(
        [(mentor.person.pk, str(pair.pk)), (mentee.person.pk, str(pair.pk))]
    )
    assert all(n.url == f"/pairs/{pair.pk}/closure/" for n in asked)
    assert "promotion" in asked.get(recipient=mentor.person).body
    assert "promotion" not in asked.get(recipient=mentee.person).body


def test_a_coordinator_completes_a_pair_too(pair, coordinator):
    pair_complete(access=get_pair_for_user(coordinator, pair.pk), by=coordinator)
    assert Mentorship.objects.get(pk=pair.pk).status == M.COMPLETED
    assert MentorshipStatusChange.objects.filter(
        mentorship=pair, to_status=M.COMPLETED, by=coordinator
    ).exists()


def test_only_an_active_pair_is_completed(pair, mentee, approved, coordinator):
    access = get_pair_for_user(mentee, pair.pk)
    pair_complete(access=access, by=mentee)
    with pytest.raises(FeedbackError, match="already completed"):
        pair_complete(access=get_pair_for_user(mentee, pair.pk), by=mentee)
    proposed = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual", status=M.PROPOSED
    )
    with pytest.raises(FeedbackError, match="has not started yet"):
        pair_complete(access=get_pair_for_user(coordinator, proposed.pk), by=coordinator)
    assert Mentorship.objects.get(pk=proposed.pk).status == M.PROPOSED
    assert MentorshipStatusChange.objects.filter(to_status=M.COMPLETED).count() == 1
    assert Notification.objects.filter(kind="closure_survey").count() == 2


def test_completing_at_the_programs_end_says_so(pair, mentor):
    with time_machine.travel(AFTER_THE_END):
        pair_complete(access=get_pair_for_user(mentor, pair.pk), by=mentor)
    change = MentorshipStatusChange.objects.filter(mentorship=pair).last()
    assert change.why == "Completed at the end of the program (it ended on 15 December 2027)."


def test_all_active_pairs_of_an_ended_program_are_completed_once(pair, approved, hr_admin):
    second = mentorship_create(mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="run")
    proposed = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="run", status=M.PROPOSED
    )
    with pytest.raises(FeedbackError, match="ends on 15 December 2027"):
        pairs_complete_at_program_end(pair.program, hr_admin)
    assert Mentorship.objects.filter(status=M.COMPLETED).count() == 0
    with time_machine.travel(AFTER_THE_END):
        assert pairs_complete_at_program_end(pair.program, hr_admin) == 2
        assert pairs_complete_at_program_end(pair.program, hr_admin) == 0
    assert set(Mentorship.objects.filter(status=M.COMPLETED).values_list("pk", flat=True)) == {
        pair.pk,
        second.pk,
    }
    assert Mentorship.objects.get(pk=proposed.pk).status == M.PROPOSED
    assert MentorshipStatusChange.objects.filter(to_status=M.COMPLETED, by=hr_admin).count() == 2
    assert Notification.objects.filter(kind="closure_survey").count() == 4


def test_a_program_without_an_end_date_does_not_complete_its_pairs(pair):
    pair.program.ends_on = None
    with pytest.raises(FeedbackError, match="has no end date"):
        pairs_complete_at_program_end(pair.program)


# --- When the survey is open --------------------------------------------------------------------------------


def test_the_survey_is_closed_for_an_active_pair_before_the_programs_end(pair, mentee):
    assert not closure_open(pair)
    with pytest.raises(FeedbackError, match="opens when the pair is completed or ended"):
        submit(pair, mentee)
    assert not ClosureSurvey.objects.exists()


def test_the_survey_opens_for_an_active_pair_once_the_program_has_ended(pair, mentee):
    with time_machine.travel(AFTER_THE_END):
        assert closure_open(pair)
        submit(pair, mentee, goals_achieved="all")
    assert ClosureSurvey.objects.get().goals_achieved == "all"


def test_the_survey_opens_when_a_pair_ends_early_but_not_for_one_that_never_started(
    pair, mentee, approved, coordinator
):
    pair_end_early(access=get_pair_for_user(mentee, pair.pk), category="schedule", note="", by=mentee)
    assert closure_open(Mentorship.objects.get(pk=pair.pk))
    submit(pair, mentee, goals_achieved="none", would_recommend=False)
    never = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual", status=M.PROPOSED
    )
    pair_end_early(
        access=get_pair_for_user(coordinator, never.pk), category="other", note="Declined", by=coordinator
    )
    assert not closure_open(Mentorship.objects.get(pk=never.pk))


# --- Answers ------------------------------------------------------------------------------------------------


def test_the_mentor_must_assess_promotion_readiness_and_answers_once(pair, mentor):
    pair_complete(access=get_pair_for_user(mentor, pair.pk), by=mentor)
    with pytest.raises(FeedbackError, match="Assess your mentee's promotion readiness"):
        submit(pair, mentor)
    with pytest.raises(FeedbackError, match="Assess your mentee's promotion readiness"):
        submit(pair, mentor, promotion_readiness="tomorrow")
    assert not ClosureSurvey.objects.exists()
    survey = submit(pair, mentor, promotion_readiness="one_two_years", what_changed="  I listen more.  ")
    assert (survey.participant, survey.promotion_readiness, survey.what_changed) == (
        pair.mentor,
        "one_two_years",
        "I listen more.",
    )
    with pytest.raises(FeedbackError, match="already answered"):
        submit(pair, mentor, promotion_readiness="ready_now")
    assert ClosureSurvey.objects.get().promotion_readiness == "one_two_years"


def test_the_mentee_cannot_assess_their_own_readiness(pair, mentee):
    pair_complete(access=get_pair_for_user(mentee, pair.pk), by=mentee)
    with pytest.raises(FeedbackError, match="Only the mentor assesses promotion readiness"):
        submit(pair, mentee, promotion_readiness="ready_now")
    assert not ClosureSurvey.objects.exists()
    assert submit(pair, mentee).promotion_readiness == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"goals_achieved": "most"}, "how many of your goals"),
        ({"goals_achieved": ""}, "how many of your goals"),
        ({"would_recommend": None}, "would you recommend"),
        ({"would_recommend": "yes"}, "would you recommend"),
        ({"what_changed": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(pair, mentee, changes, message):
    pair_complete(access=get_pair_for_user(mentee, pair.pk), by=mentee)
    with pytest.raises(FeedbackError, match=message):
        submit(pair, mentee, **changes)
    assert not ClosureSurvey.objects.exists()


def test_coordinators_do_not_answer_the_survey(pair, coordinator):
    pair_complete(access=get_pair_for_user(coordinator, pair.pk), by=coordinator)
    with pytest.raises(FeedbackError, match="Only the mentor and the mentee"):
        submit(pair, coordinator)
