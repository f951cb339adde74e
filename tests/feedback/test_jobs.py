"""The dispatchers beat wakes: each decides from the database what is due and sends it once, however often it
runs; time moves with time-machine."""

from __future__ import annotations

import datetime

import icalendar
import pytest
import time_machine
from django.core import mail

from feedback import jobs
from feedback.models import CheckIn, Session, SessionFeedback
from feedback.permissions import get_pair_for_user
from feedback.services.checkins import CheckInAnswers, checkin_submit
from feedback.services.session_feedback import session_feedback_submit
from feedback.services.sessions import session_cancel, session_log, session_schedule
from matching.models import Mentorship
from notifications.models import Notification
from programs.models import Program

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def sent(kind: str) -> list[tuple[str, str]]:
    return sorted((n.recipient.full_name, n.key) for n in Notification.objects.filter(kind=kind))


def started(pair: Mentorship, day: datetime.date) -> Mentorship:
    Mentorship.objects.filter(pk=pair.pk).update(started_on=day)
    pair.refresh_from_db()
    return pair


def log(pair: Mentorship, user, when: datetime.datetime) -> Session:
    data = {"starts_at": when, "duration_minutes": 60, "format": "video", "topics": [], "shared_notes": ""}
    return session_log(access=get_pair_for_user(user, pair.pk), data=data, by=user)


# --- Sessions -----------------------------------------------------------------------------------------------


def test_a_session_tomorrow_is_reminded_once_to_both_with_its_invite(
    pair, mentor, mentee, django_capture_on_commit_callbacks
):
    access = get_pair_for_user(mentee, pair.pk)
    data = {"duration_minutes": 45, "format": "video", "location": "https://meet.example.com/a", "agenda": ""}
    soon = session_schedule(access=access, data={**data, "starts_at": at(2026, 11, 21, 8, 0)}, by=mentee)
    later = session_schedule(access=access, data={**data, "starts_at": at(2026, 11, 23, 8, 0)}, by=mentee)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.remind_sessions() == 2
    assert jobs.remind_sessions() == 0
    assert {key for _, key in sent("session_reminder")} == {f"session:{soon.pk}:0"}
    for message in mail.outbox:
        [(_name, content, _type)] = message.attachments
        assert (
            icalendar.Calendar.from_ical(content).walk("VEVENT")[0]["UID"].startswith(f"session-{soon.pk}@")
        )
    # Two days later the other session is due, unless it was cancelled.
    session_cancel(access=access, session=later, by=mentee)
    with time_machine.travel(at(2026, 11, 22, 9, 0), tick=False):
        assert jobs.remind_sessions() == 0


def test_a_moved_session_is_reminded_again(pair, mentee):
    from feedback.services.sessions import session_reschedule

    access = get_pair_for_user(mentee, pair.pk)
    data = {"duration_minutes": 45, "format": "phone", "location": "", "agenda": ""}
    session = session_schedule(access=access, data={**data, "starts_at": at(2026, 11, 21, 8, 0)}, by=mentee)
    assert jobs.remind_sessions() == 2
    session_reschedule(
        access=access, session=session, data={**data, "starts_at": at(2026, 11, 21, 7, 0)}, by=mentee
    )
    assert jobs.remind_sessions() == 2
    assert jobs.remind_sessions() == 0


def test_feedback_is_reminded_once_three_days_after_the_session_was_logged(pair, mentor, mentee):
    started(pair, datetime.date(2026, 10, 1))
    session = log(pair, mentee, at(2026, 11, 18, 10, 0))
    assert jobs.remind_feedback() == 0  # just asked
    session_feedback_submit(
        access=get_pair_for_user(mentee, pair.pk), session=session, rating=4, fit="good", by=mentee
    )
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        assert jobs.remind_feedback() == 1
        assert jobs.remind_feedback() == 0
    assert sent("session_feedback_reminder") == [(mentor.person.full_name, f"session:{session.pk}:mentor")]
    assert SessionFeedback.objects.count() == 1


# --- Cadence and inactivity ---------------------------------------------------------------------------------


def test_no_session_within_the_cadence_nudges_both_and_twice_the_cadence_tells_the_coordinator(
    pair, mentor, mentee, coordinator
):
    started(pair, datetime.date(2026, 10, 1))
    log(pair, mentor, at(2026, 11, 1, 10, 0))  # cadence 14 days: 19 days ago on 20 November
    assert jobs.nudge_cadence() == 2
    assert jobs.nudge_cadence() == 0
    assert sent("cadence_nudge") == sorted(
        [
            (mentor.person.full_name, f"pair:{pair.pk}:since:2026-11-01"),
            (mentee.person.full_name, f"pair:{pair.pk}:since:2026-11-01"),
        ]
    )
    assert sent("cadence_escalation") == []
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):  # 29 days
        assert jobs.nudge_cadence() == 1
        assert sent("cadence_escalation") == [
            (coordinator.person.full_name, f"pair:{pair.pk}:since:2026-11-01")
        ]
        log(pair, mentee, at(2026, 11, 29, 10, 0))
        assert jobs.nudge_cadence() == 0  # they met: a new gap begins
    with time_machine.travel(at(2026, 12, 15, 10, 0), tick=False):
        assert jobs.nudge_cadence() == 2
    assert Mentorship.objects.get(pk=pair.pk).status == Mentorship.Status.ACTIVE


def test_a_pair_without_any_session_counts_from_its_start(pair):
    started(pair, datetime.date(2026, 11, 10))
    assert jobs.nudge_cadence() == 0  # 10 days
    started(pair, datetime.date(2026, 11, 1))
    assert jobs.nudge_cadence() == 2
    assert "since you started on" in Notification.objects.filter(kind="cadence_nudge").first().body


def test_ninety_quiet_days_warn_the_pair_and_a_week_later_ask_the_coordinator_never_closing_it(
    pair, mentor, mentee, coordinator
):
    started(pair, datetime.date(2026, 6, 1))
    log(pair, mentee, at(2026, 8, 1, 10, 0))  # logged on 20 November: that is activity
    assert jobs.warn_inactive() == 0
    Session.objects.update(logged_at=at(2026, 8, 1, 11, 0))
    assert jobs.warn_inactive() == 2  # 111 days
    assert jobs.warn_inactive() == 0
    assert sent("inactive_close_or_keep") == []
    with time_machine.travel(at(2026, 11, 28, 10, 0), tick=False):
        assert jobs.warn_inactive() == 1
        assert jobs.warn_inactive() == 0
    assert sent("inactive_close_or_keep") == [
        (coordinator.person.full_name, f"pair:{pair.pk}:since:2026-08-01")
    ]
    assert Mentorship.objects.get(pk=pair.pk).status == Mentorship.Status.ACTIVE


def test_a_private_note_is_not_activity(pair, mentee):
    from feedback.services.sessions import private_note_save

    started(pair, datetime.date(2026, 6, 1))
    session = log(pair, mentee, at(2026, 8, 1, 10, 0))
    Session.objects.update(logged_at=at(2026, 8, 1, 11, 0))
    private_note_save(
        access=get_pair_for_user(mentee, pair.pk), session=session, body="Only mine.", by=mentee
    )
    assert jobs.warn_inactive() == 2


# --- Check-ins ----------------------------------------------------------------------------------------------


@pytest.fixture
def quarterly(pair):
    """The pair's program started on 10 August: its second quarter began on 10 November."""
    Program.objects.filter(pk=pair.program_id).update(
        starts_on=datetime.date(2026, 8, 10), checkin_cadence_months=3
    )
    started(pair, datetime.date(2026, 8, 10))
    return pair


def test_a_quarter_of_check_ins_opens_reminds_and_escalates_each_once(quarterly, mentor, mentee, coordinator):
    assert jobs.open_checkins() == 2
    assert jobs.open_checkins() == 0
    checkins = list(CheckIn.objects.order_by("participant__role"))
    assert {c.period_start for c in checkins} == {datetime.date(2026, 11, 10)}
    assert {c.due_on for c in checkins} == {datetime.date(2026, 12, 4)}
    mentee_checkin = CheckIn.objects.get(participant__person=mentee.person)
    checkin_submit(
        access=get_pair_for_user(mentee, quarterly.pk),
        checkin=mentee_checkin,
        answers=CheckInAnswers(
            satisfaction=4, goal_progress=4, frequency="right", chemistry_right=True, wants_help=False
        ),
        by=mentee,
    )
    with time_machine.travel(at(2026, 11, 28, 9, 0), tick=False):
        assert jobs.open_checkins() == 1  # the mentor is reminded; the mentee answered
        assert jobs.open_checkins() == 0
    with time_machine.travel(at(2026, 12, 6, 9, 0), tick=False):
        assert jobs.open_checkins() == 1  # overdue: the coordinator is told
        assert jobs.open_checkins() == 0
    assert [name for name, _ in sent("checkin_reminder")] == [mentor.person.full_name]
    assert [name for name, _ in sent("checkin_overdue")] == [coordinator.person.full_name]
    # The next quarter opens on 10 February, and the missed check-in is no longer escalated.
    with time_machine.travel(at(2027, 2, 10, 9, 0), tick=False):
        assert jobs.open_checkins() == 2
        assert CheckIn.objects.filter(period_start=datetime.date(2027, 2, 10)).count() == 2


def test_no_check_in_opens_with_the_program_or_long_after_the_period_began(quarterly):
    Program.objects.filter(pk=quarterly.program_id).update(starts_on=datetime.date(2026, 11, 20))
    assert jobs.open_checkins() == 0  # the program starts today: pairs have just met
    Program.objects.filter(pk=quarterly.program_id).update(starts_on=datetime.date(2026, 7, 20))
    assert jobs.open_checkins() == 0  # the period began on 20 October, a month ago: wait for the next
    assert not CheckIn.objects.exists()


# --- The end of a program ---------------------------------------------------------------------------------


def test_a_running_program_that_has_ended_completes_its_pairs_once(pair, mentor, mentee, coordinator):
    started(pair, datetime.date(2026, 6, 1))
    Program.objects.filter(pk=pair.program_id).update(ends_on=datetime.date(2026, 11, 19))
    assert jobs.complete_ended_programs() == 1
    assert jobs.complete_ended_programs() == 0
    assert Mentorship.objects.get(pk=pair.pk).status == Mentorship.Status.COMPLETED
    assert sorted(n for n, _ in sent("closure_survey")) == sorted(
        [mentor.person.full_name, mentee.person.full_name]
    )
    assert [n for n, _ in sent("program_ended")] == [coordinator.person.full_name]
