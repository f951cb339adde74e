"""Check-in services: periods, opening a period (idempotent, one per participant, pair and period), answers
(validated as strictly as the form), flags that alert the coordinators once, and marking a flag handled."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from feedback.models import CheckIn
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.checkins import (
    CheckInAnswers,
    checkin_flags,
    checkin_mark_handled,
    checkin_period_end,
    checkin_period_start,
    checkin_submit,
    checkins_open,
)
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create, mentorship_transition
from notifications.models import Notification

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 20)
GOOD = CheckInAnswers(
    satisfaction=4, goal_progress=3, frequency="right", chemistry_right=True, wants_help=False
)


def answers(**changes) -> CheckInAnswers:
    return CheckInAnswers(**(vars(GOOD) | changes))


def own_checkin(pair, user) -> CheckIn:
    access = get_pair_for_user(user, pair.pk)
    return CheckIn.objects.get(mentorship=pair, participant=access.participant)


# --- Periods ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2027, 1, 10), D(2027, 1, 10), D(2027, 4, 9)),  # the program's first day begins the first period
        (D(2027, 4, 9), D(2027, 1, 10), D(2027, 4, 9)),
        (D(2027, 4, 10), D(2027, 4, 10), D(2027, 7, 9)),
        (D(2027, 12, 31), D(2027, 10, 10), D(2028, 1, 9)),
        (D(2026, 11, 20), D(2026, 10, 10), D(2027, 1, 9)),  # before the program starts, periods run backwards
        (D(2027, 1, 9), D(2026, 10, 10), D(2027, 1, 9)),
    ],
)
def test_periods_follow_the_cadence_from_the_programs_start(running_program, day, start, end):
    assert (running_program.starts_on, running_program.checkin_cadence_months) == (D(2027, 1, 10), 3)
    assert checkin_period_start(running_program, day) == start
    assert checkin_period_end(running_program, day) == end


def test_periods_of_a_monthly_program_starting_on_the_31st_clamp_to_shorter_months(running_program):
    running_program.starts_on, running_program.checkin_cadence_months = D(2027, 1, 31), 1
    assert checkin_period_start(running_program, D(2027, 2, 27)) == D(2027, 1, 31)
    assert checkin_period_start(running_program, D(2027, 2, 28)) == D(2027, 2, 28)
    assert checkin_period_start(running_program, D(2027, 3, 30)) == D(2027, 2, 28)
    assert checkin_period_start(running_program, D(2027, 3, 31)) == D(2027, 3, 31)


def test_without_a_program_start_periods_count_from_the_pairs_start(running_program):
    running_program.starts_on = None
    assert checkin_period_start(running_program, D(2027, 3, 1), started_on=D(2026, 11, 20)) == D(2027, 2, 20)
    assert checkin_period_start(running_program, D(2027, 3, 1)) == D(2027, 1, 1)  # neither: calendar quarters


# --- Opening ------------------------------------------------------------------------------------------------


def test_opening_gives_each_participant_of_each_active_pair_one_checkin_due_in_14_days(pair, approved):
    second = mentorship_create(
        mentor=pair.mentor, mentee=approved("mentee"), by=None, source="manual"
    )  # the same mentor, a second mentee
    proposed = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual", status="proposed"
    )
    opened = checkins_open(program=pair.program)
    assert opened == 4
    rows = list(CheckIn.objects.values_list("mentorship_id", "participant_id", "period_start", "due_on"))
    assert sorted(rows) == sorted(
        [
            (pair.pk, pair.mentor_id, D(2026, 10, 10), D(2026, 12, 4)),
            (pair.pk, pair.mentee_id, D(2026, 10, 10), D(2026, 12, 4)),
            (second.pk, second.mentor_id, D(2026, 10, 10), D(2026, 12, 4)),
            (second.pk, second.mentee_id, D(2026, 10, 10), D(2026, 12, 4)),
        ]
    )
    assert not CheckIn.objects.filter(mentorship=proposed).exists()


def test_opening_twice_opens_nothing_new_and_notifies_each_participant_once(pair, mentor, mentee):
    assert checkins_open(program=pair.program) == 2
    assert checkins_open(program=pair.program) == 0
    assert CheckIn.objects.count() == 2
    sent = Notification.objects.filter(kind="checkin_open")
    assert sorted(n.recipient.email for n in sent) == ["mentee@example.com", "mentor@example.com"]
    mentor_checkin = own_checkin(pair, mentor)
    notice = sent.get(recipient=mentor.person)
    assert notice.key == str(mentor_checkin.pk)
    assert notice.url == f"/pairs/{pair.pk}/checkins/{mentor_checkin.pk}/"
    assert "4 December 2026" in notice.body and "never by" in notice.body


def test_opening_only_adds_what_is_missing_for_pairs_that_started_since(pair, approved):
    checkins_open(program=pair.program)
    newcomer = mentorship_create(mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="run")
    assert checkins_open(program=pair.program) == 2
    assert CheckIn.objects.filter(mentorship=newcomer).count() == 2
    assert CheckIn.objects.count() == 4


def test_the_next_period_opens_new_checkins(pair):
    checkins_open(program=pair.program)
    with time_machine.travel(datetime.datetime(2027, 1, 12, 9, tzinfo=datetime.UTC), tick=False):
        assert checkins_open(program=pair.program) == 2
    starts = sorted(set(CheckIn.objects.values_list("period_start", flat=True)))
    assert starts == [D(2026, 10, 10), D(2027, 1, 10)]
    assert CheckIn.objects.get(period_start=D(2027, 1, 10), participant=pair.mentor).due_on == D(2027, 1, 26)


def test_opening_a_given_period_checks_it_begins_one_and_has_begun(pair):
    with pytest.raises(FeedbackError, match="does not begin a check-in period"):
        checkins_open(program=pair.program, period_start=D(2026, 10, 11))
    with pytest.raises(FeedbackError, match="has not begun"):
        checkins_open(program=pair.program, period_start=D(2027, 1, 10))
    assert not CheckIn.objects.exists()
    assert checkins_open(program=pair.program, period_start=D(2026, 7, 10)) == 2
    assert set(CheckIn.objects.values_list("period_start", flat=True)) == {D(2026, 7, 10)}


def test_a_program_without_a_cadence_opens_nothing(pair):
    pair.program.checkin_cadence_months = 0
    with pytest.raises(FeedbackError, match="no check-in cadence"):
        checkins_open(program=pair.program)
    assert not CheckIn.objects.exists()


def test_the_database_refuses_a_second_checkin_for_the_same_participant_pair_and_period(pair):
    checkins_open(program=pair.program)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            mentorship=pair, participant=pair.mentee, period_start=D(2026, 10, 10), due_on=D(2026, 12, 4)
        )
    assert CheckIn.objects.filter(participant=pair.mentee).count() == 1


def test_the_database_refuses_a_satisfaction_outside_1_to_5(pair):
    checkins_open(program=pair.program)
    for value in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.filter(participant=pair.mentee).update(satisfaction=value)


# --- Answers ------------------------------------------------------------------------------------------------


def test_a_member_answers_their_own_checkin_once(pair, mentee):
    checkins_open(program=pair.program)
    access = get_pair_for_user(mentee, pair.pk)
    checkin = own_checkin(pair, mentee)
    sent = checkin_submit(
        access=access, checkin=checkin, answers=answers(comments="  Going well.  "), by=mentee
    )
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert stored.submitted_at is not None and sent.submitted_at == stored.submitted_at
    assert (stored.satisfaction, stored.goal_progress, stored.frequency) == (4, 3, "right")
    assert (stored.chemistry_right, stored.wants_help, stored.comments) == (True, False, "Going well.")
    with pytest.raises(FeedbackError, match="already sent this check-in"):
        checkin_submit(access=access, checkin=stored, answers=answers(satisfaction=1), by=mentee)
    with pytest.raises(FeedbackError, match="already sent"):  # a stale copy: the conditional update refuses
        checkin_submit(
            access=access, checkin=checkin_stale(checkin), answers=answers(satisfaction=1), by=mentee
        )
    assert CheckIn.objects.get(pk=checkin.pk).satisfaction == 4


def checkin_stale(checkin: CheckIn) -> CheckIn:
    checkin.submitted_at = None
    return checkin


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"satisfaction": 0}, "Rate your satisfaction from 1 to 5"),
        ({"satisfaction": 6}, "Rate your satisfaction from 1 to 5"),
        ({"satisfaction": True}, "Rate your satisfaction from 1 to 5"),
        ({"satisfaction": "3"}, "Rate your satisfaction from 1 to 5"),
        ({"goal_progress": 0}, "Rate your progress on your goals from 1 to 5"),
        ({"goal_progress": 9}, "Rate your progress on your goals from 1 to 5"),
        ({"frequency": "weekly"}, "meet often enough"),
        ({"chemistry_right": None}, "is the chemistry right"),
        ({"wants_help": "maybe"}, "coordinator's help"),
        ({"comments": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(pair, mentee, changes, message):
    checkins_open(program=pair.program)
    checkin = own_checkin(pair, mentee)
    with pytest.raises(FeedbackError, match=message):
        checkin_submit(
            access=get_pair_for_user(mentee, pair.pk), checkin=checkin, answers=answers(**changes), by=mentee
        )
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert stored.submitted_at is None and stored.satisfaction is None


def test_nobody_answers_someone_elses_checkin(pair, mentor, mentee, coordinator):
    checkins_open(program=pair.program)
    mentee_checkin = own_checkin(pair, mentee)
    for user in (mentor, coordinator):
        with pytest.raises(FeedbackError, match="Only the person"):
            checkin_submit(
                access=get_pair_for_user(user, pair.pk), checkin=mentee_checkin, answers=GOOD, by=user
            )
    assert CheckIn.objects.get(pk=mentee_checkin.pk).submitted_at is None


def test_a_pair_that_ended_closes_its_checkins(pair, mentee):
    checkins_open(program=pair.program)
    mentorship_transition(mentorship=pair, to=Mentorship.Status.COMPLETED, by=None)
    checkin = own_checkin(pair, mentee)
    with pytest.raises(FeedbackError, match="completed; its check-ins are closed"):
        checkin_submit(access=get_pair_for_user(mentee, pair.pk), checkin=checkin, answers=GOOD, by=mentee)


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        ({"wants_help": True}, "wants the coordinator's help"),
        ({"chemistry_right": False}, "says the chemistry is not right"),
        ({"satisfaction": 2}, "rates satisfaction 2 of 5"),
        ({"satisfaction": 1}, "rates satisfaction 1 of 5"),
    ],
)
def test_flagging_answers_alert_the_coordinators_once(pair, mentee, coordinator, changes, flag):
    checkins_open(program=pair.program)
    checkin = own_checkin(pair, mentee)
    checkin_submit(
        access=get_pair_for_user(mentee, pair.pk), checkin=checkin, answers=answers(**changes), by=mentee
    )
    alerts = Notification.objects.filter(kind="checkin_flag")
    assert [(a.recipient_id, a.key) for a in alerts] == [(coordinator.person.pk, str(checkin.pk))]
    assert flag in alerts.get().body and alerts.get().url == "/pairs/programs/career-mentoring/checkins/"
    with pytest.raises(FeedbackError):
        checkin_submit(
            access=get_pair_for_user(mentee, pair.pk),
            checkin=checkin_stale(checkin),
            answers=answers(**changes),
            by=mentee,
        )
    assert Notification.objects.filter(kind="checkin_flag").count() == 1


def test_content_answers_alert_nobody(pair, mentee):
    checkins_open(program=pair.program)
    checkin = own_checkin(pair, mentee)
    checkin_submit(
        access=get_pair_for_user(mentee, pair.pk), checkin=checkin, answers=answers(satisfaction=3), by=mentee
    )
    assert not Notification.objects.filter(kind="checkin_flag").exists()
    assert checkin_flags(CheckIn.objects.select_related("mentorship").get(pk=checkin.pk)) == []


# --- Flags and handling -------------------------------------------------------------------------------------


def test_an_unanswered_checkin_is_overdue_after_its_due_date_while_the_pair_is_active(pair, mentee):
    checkins_open(program=pair.program)
    checkin = CheckIn.objects.select_related("mentorship").get(participant=pair.mentee)
    assert checkin_flags(checkin, D(2026, 12, 4)) == []
    assert checkin_flags(checkin, D(2026, 12, 5)) == ["overdue since 4 December 2026"]
    mentorship_transition(mentorship=pair, to=Mentorship.Status.COMPLETED, by=None)
    checkin.refresh_from_db()
    checkin = CheckIn.objects.select_related("mentorship").get(pk=checkin.pk)
    assert checkin_flags(checkin, D(2026, 12, 5)) == []


def test_a_coordinator_marks_a_flagged_checkin_handled_once(pair, mentee, coordinator):
    checkins_open(program=pair.program)
    checkin = own_checkin(pair, mentee)
    checkin_submit(
        access=get_pair_for_user(mentee, pair.pk),
        checkin=checkin,
        answers=answers(wants_help=True),
        by=mentee,
    )
    checkin = CheckIn.objects.select_related("mentorship").get(pk=checkin.pk)
    checkin_mark_handled(checkin=checkin, by=coordinator)
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert stored.handled_at is not None and stored.handled_by == coordinator
    with pytest.raises(FeedbackError, match="already marked handled"):
        checkin_mark_handled(checkin=stored, by=coordinator)


def test_a_checkin_without_flags_cannot_be_marked_handled(pair, coordinator):
    checkins_open(program=pair.program)
    checkin = CheckIn.objects.select_related("mentorship").get(participant=pair.mentor)
    with pytest.raises(FeedbackError, match="Nothing in this check-in needs handling"):
        checkin_mark_handled(checkin=checkin, by=coordinator)
    assert CheckIn.objects.get(pk=checkin.pk).handled_at is None
