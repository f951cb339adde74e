"""The health rules: which active pairs are at risk and why, and how a risk marked handled stays off the
board until new evidence of it appears. Sessions, feedback and check-ins are made with the ORM here, so
these rules are tested on their own."""

import datetime

import pytest
from django.utils import timezone

from feedback.health import (
    HELP_WANTED,
    LOW_RATING,
    NO_SESSION,
    NOT_A_FIT,
    OVERDUE_CHECKIN,
    RISKS,
    at_risk_by_program,
    health_summary,
    pair_risks,
    pairs_at_risk,
)
from feedback.models import Agreement, CheckIn, HealthAction, Session, SessionFeedback
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create, mentorship_transition
from programs.models import Program

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# --- Building a pair's history ------------------------------------------------------------------------------


def started(pair: Mentorship, days_ago: int) -> Mentorship:
    pair.started_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    Mentorship.objects.filter(pk=pair.pk).update(started_on=pair.started_on)
    return pair


def held(pair: Mentorship, days_ago: float) -> Session:
    now = timezone.now()
    return Session.objects.create(
        mentorship=pair,
        status=Session.Status.HELD,
        starts_at=now - datetime.timedelta(days=days_ago),
        duration_minutes=60,
        format=Session.Format.VIDEO,
        logged_at=now,
    )


def scheduled(pair: Mentorship, days_ahead: float) -> Session:
    return Session.objects.create(
        mentorship=pair,
        status=Session.Status.SCHEDULED,
        starts_at=timezone.now() + datetime.timedelta(days=days_ahead),
        duration_minutes=45,
        format=Session.Format.IN_PERSON,
    )


def rated(session: Session, participant, rating: int, fit: str = "") -> SessionFeedback:
    return SessionFeedback.objects.create(session=session, participant=participant, rating=rating, fit=fit)


def checkin(
    pair: Mentorship,
    participant,
    *,
    due_in: int,
    submitted: bool = False,
    wants_help: bool = False,
    period_days_ago: int = 30,
) -> CheckIn:
    today = timezone.localdate()
    return CheckIn.objects.create(
        mentorship=pair,
        participant=participant,
        period_start=today - datetime.timedelta(days=period_days_ago),
        due_on=today + datetime.timedelta(days=due_in),
        submitted_at=timezone.now() if submitted else None,
        satisfaction=4 if submitted else None,
        wants_help=wants_help,
    )


def handled(pair: Mentorship, risk: str, *, hours_ago: float = 0, by=None) -> HealthAction:
    action = HealthAction.objects.create(mentorship=pair, kind=HealthAction.Kind.HANDLED, risk=risk, by=by)
    action.at = timezone.now() - datetime.timedelta(hours=hours_ago)
    HealthAction.objects.filter(pk=action.pk).update(at=action.at)
    return action


def risks(pair: Mentorship, **kwargs) -> dict[str, str]:
    return {risk.key: risk.explanation for risk in pair_risks(pair, **kwargs)}


# --- No session within twice the cadence --------------------------------------------------------------------


def test_a_pair_that_never_met_is_at_risk_once_twice_the_cadence_has_passed(pair):
    started(pair, 20)  # the program's cadence is 14 days: 28 days may pass
    assert risks(pair) == {}
    started(pair, 45)
    assert risks(pair) == {
        NO_SESSION: "No session since the pair started 45 days ago; the cadence is 14 days."
    }


def test_the_gap_counts_from_the_last_held_session(pair):
    started(pair, 120)
    held(pair, 80)
    held(pair, 45)
    assert risks(pair) == {NO_SESSION: "No session for 45 days; the cadence is 14 days."}
    held(pair, 10)
    assert risks(pair) == {}


def test_scheduled_and_cancelled_sessions_do_not_count_as_meeting(pair):
    started(pair, 60)
    scheduled(pair, 3)
    cancelled = held(pair, 5)
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    assert NO_SESSION in risks(pair)


def test_the_agreed_cadence_replaces_the_programs(pair):
    started(pair, 90)
    held(pair, 40)
    assert NO_SESSION in risks(pair)  # 40 days, more than twice 14
    agreement = Agreement.objects.create(mentorship=pair, cadence_days=30)
    assert risks(pair) == {}  # 40 days, less than twice 30
    agreement.cadence_days = 10
    agreement.save(update_fields=["cadence_days"])
    assert risks(pair) == {NO_SESSION: "No session for 40 days; the agreed cadence is 10 days."}


def test_the_programs_cadence_is_read_from_the_program(pair, running_program):
    started(pair, 90)
    held(pair, 40)
    Program.objects.filter(pk=running_program.pk).update(meeting_cadence_days=21)
    assert risks(pair) == {}


# --- Ratings and fit ----------------------------------------------------------------------------------------


def test_an_average_rating_of_two_and_a_half_or_less_is_a_risk(pair):
    first, second = held(pair, 3), held(pair, 2)
    assert LOW_RATING not in risks(pair)  # no rating yet
    rated(first, pair.mentee, 3)
    rated(first, pair.mentor, 3)
    assert LOW_RATING not in risks(pair)
    rated(second, pair.mentee, 2)
    rated(second, pair.mentor, 2)
    assert risks(pair)[LOW_RATING] == "Sessions are rated 2.5 out of 5 on average (4 ratings)."


def test_a_not_a_good_fit_from_either_side_is_a_risk_that_names_who_said_it(pair):
    session = held(pair, 2)
    rated(session, pair.mentor, 4, SessionFeedback.Fit.GOOD)
    rated(session, pair.mentee, 4, SessionFeedback.Fit.DECIDING)
    assert NOT_A_FIT not in risks(pair)
    SessionFeedback.objects.filter(participant=pair.mentee).update(fit=SessionFeedback.Fit.NOT_GOOD)
    assert risks(pair)[NOT_A_FIT] == "The mentee answered “not a good fit”."
    SessionFeedback.objects.filter(participant=pair.mentor).update(fit=SessionFeedback.Fit.NOT_GOOD)
    assert risks(pair)[NOT_A_FIT] == "The mentor and the mentee answered “not a good fit”."


# --- Check-ins ----------------------------------------------------------------------------------------------


def test_a_check_in_not_submitted_after_its_due_date_is_overdue(pair):
    due_today = checkin(pair, pair.mentee, due_in=0)
    assert OVERDUE_CHECKIN not in risks(pair)  # due today: not late yet
    due_today.delete()
    checkin(pair, pair.mentor, due_in=-6, period_days_ago=120)
    assert risks(pair)[OVERDUE_CHECKIN].endswith("is 6 days late.")
    checkin(pair, pair.mentee, due_in=-3, period_days_ago=90)
    assert risks(pair)[OVERDUE_CHECKIN].startswith("2 check-ins are overdue, the oldest by 6 days")
    CheckIn.objects.update(submitted_at=timezone.now())
    assert OVERDUE_CHECKIN not in risks(pair)


def test_a_check_in_missed_in_an_earlier_period_is_history_once_the_next_one_opens(pair):
    checkin(pair, pair.mentee, due_in=-186, period_days_ago=200)
    assert risks(pair)[OVERDUE_CHECKIN].endswith("is 186 days late.")
    later = checkin(pair, pair.mentee, due_in=-6, period_days_ago=20)
    assert risks(pair)[OVERDUE_CHECKIN].endswith("is 6 days late.")
    CheckIn.objects.filter(pk=later.pk).update(submitted_at=timezone.now())
    assert OVERDUE_CHECKIN not in risks(pair)


def test_a_submitted_check_in_asking_for_help_is_a_risk_until_the_check_in_is_handled(pair, coordinator):
    checkin(pair, pair.mentor, due_in=5, wants_help=True)  # not submitted: nothing asked yet
    assert HELP_WANTED not in risks(pair)
    asked = checkin(pair, pair.mentee, due_in=5, submitted=True, wants_help=True)
    assert risks(pair)[HELP_WANTED] == "The mentee asked for the coordinator's help in a check-in."
    # Dealt with on the check-in answers page.
    CheckIn.objects.filter(pk=asked.pk).update(handled_at=timezone.now(), handled_by=coordinator)
    assert HELP_WANTED not in risks(pair)


# --- Only active pairs; the board's order, the summary and the counts ---------------------------------------


def test_only_active_pairs_are_on_the_board(pair, running_program):
    started(pair, 60)
    assert list(pairs_at_risk(running_program)) == [pair]
    mentorship_transition(mentorship=pair, to=Mentorship.Status.COMPLETED, by=None, why="Done.")
    assert list(pairs_at_risk(running_program)) == []
    assert pair_risks(Mentorship.objects.get(pk=pair.pk)) == []


def test_the_summary_counts_active_pairs_at_risk_and_each_risk(
    pair, running_program, approved, other_program
):
    started(pair, 60)
    rated(held(pair, 40), pair.mentee, 1, SessionFeedback.Fit.NOT_GOOD)
    calm = mentorship_create(
        mentor=pair.mentor, mentee=approved("mentee"), by=None, source=Mentorship.Source.MANUAL
    )
    held(calm, 3)
    checkin(calm, calm.mentee, due_in=-1)
    summary = health_summary(running_program)
    assert (summary.active, summary.at_risk) == (2, 2)
    assert summary.by_risk == [
        (NO_SESSION, RISKS[NO_SESSION], 1),
        (LOW_RATING, RISKS[LOW_RATING], 1),
        (NOT_A_FIT, RISKS[NOT_A_FIT], 1),
        (OVERDUE_CHECKIN, RISKS[OVERDUE_CHECKIN], 1),
        (HELP_WANTED, RISKS[HELP_WANTED], 0),
    ]
    assert [key for key, _, _ in summary.present] == [NO_SESSION, LOW_RATING, NOT_A_FIT, OVERDUE_CHECKIN]
    # The most troubled pair comes first.
    assert list(pairs_at_risk(running_program)) == [pair, calm]
    counts = at_risk_by_program(Program.objects.all(), limit=5)
    assert [(c.slug, c.active, c.at_risk) for c in counts] == [(running_program.slug, 2, 2)]


# --- Handled risks stay off the board until new evidence ----------------------------------------------------


def test_a_handled_no_session_comes_back_when_there_is_still_no_session_twice_the_cadence_later(pair):
    started(pair, 60)
    handled(pair, NO_SESSION)
    assert NO_SESSION not in risks(pair)
    assert NO_SESSION not in risks(pair, now=timezone.now() + 27 * DAY)
    later = risks(pair, now=timezone.now() + 29 * DAY)
    assert later[NO_SESSION] == "No session since the pair started 89 days ago; the cadence is 14 days."


def test_a_handled_no_session_stays_away_while_the_pair_meets_again(pair):
    started(pair, 60)
    handled(pair, NO_SESSION)
    held(pair, 0.5)
    assert NO_SESSION not in risks(pair, now=timezone.now() + 20 * DAY)
    assert NO_SESSION in risks(pair, now=timezone.now() + 29 * DAY)  # and then they stopped again


def test_a_handled_low_rating_comes_back_with_a_new_low_rating_only(pair):
    rated(held(pair, 10), pair.mentee, 1)
    handled(pair, LOW_RATING)
    assert LOW_RATING not in risks(pair)
    rated(held(pair, 3), pair.mentee, 4)  # better, though the average is still 2.5
    assert LOW_RATING not in risks(pair)
    rated(held(pair, 1), pair.mentor, 2)
    assert LOW_RATING in risks(pair)


def test_a_handled_not_a_good_fit_comes_back_with_a_new_one_only(pair):
    rated(held(pair, 10), pair.mentee, 3, SessionFeedback.Fit.NOT_GOOD)
    handled(pair, NOT_A_FIT)
    assert NOT_A_FIT not in risks(pair)
    rated(held(pair, 5), pair.mentee, 3, SessionFeedback.Fit.DECIDING)
    assert NOT_A_FIT not in risks(pair)
    rated(held(pair, 1), pair.mentor, 3, SessionFeedback.Fit.NOT_GOOD)
    assert risks(pair)[NOT_A_FIT] == "The mentor and the mentee answered “not a good fit”."


def test_a_handled_overdue_check_in_comes_back_when_another_falls_overdue(pair):
    checkin(pair, pair.mentee, due_in=-10, period_days_ago=100)
    handled(pair, OVERDUE_CHECKIN)
    assert OVERDUE_CHECKIN not in risks(pair)
    checkin(pair, pair.mentor, due_in=2, period_days_ago=20)
    assert OVERDUE_CHECKIN not in risks(pair)
    assert OVERDUE_CHECKIN in risks(pair, now=timezone.now() + 3 * DAY)


def test_a_handled_help_request_comes_back_with_a_new_request(pair):
    checkin(pair, pair.mentee, due_in=3, submitted=True, wants_help=True, period_days_ago=100)
    handled(pair, HELP_WANTED)
    assert HELP_WANTED not in risks(pair)
    checkin(pair, pair.mentor, due_in=3, submitted=True, wants_help=False)
    assert HELP_WANTED not in risks(pair)
    checkin(pair, pair.mentee, due_in=3, submitted=True, wants_help=True)
    assert HELP_WANTED in risks(pair)


def test_handling_one_risk_leaves_the_others(pair, running_program):
    started(pair, 60)
    rated(held(pair, 40), pair.mentee, 1)
    handled(pair, NO_SESSION)
    assert set(risks(pair)) == {LOW_RATING}
    assert list(pairs_at_risk(running_program)) == [pair]
    handled(pair, LOW_RATING)
    assert list(pairs_at_risk(running_program)) == []
    assert health_summary(running_program).at_risk == 0
