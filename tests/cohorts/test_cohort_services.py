"""The cohort's services: created from a decided cycle's selected candidates, events with calendar invites,
the attendance grid saved whole or not at all, each member's progress, and reminders sent once.

The suite's day is 20 November 2026; the cohort here runs from June to December 2026, so it has events
behind and ahead of that day. ``running_cohort`` is shared with the other cohort test modules."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from cohorts.factories import (
    AttendanceFactory,
    CandidacyFactory,
    CohortEventFactory,
    CohortFactory,
    CohortMemberFactory,
    NominationCycleFactory,
)
from cohorts.ics import event_ics, invite_attachments, invite_uid
from cohorts.models import Attendance, Candidacy, Cohort, CohortEvent, CohortMember, NominationCycle
from cohorts.services import CohortError
from cohorts.services.cohort import (
    CohortInvalid,
    attendance_record,
    attendance_reminders_send,
    cohort_create,
    event_add,
    event_cancel,
    event_change,
    event_reminders_send,
    member_progress,
)
from notifications.models import Notification
from people.models import Person
from tests.conftest import make_persona
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
P, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


def at(month: int, day: int, hour: int = 14) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=UTC)


def running_cohort(*, coordinator: Person | None = None, members: list[Person] = (), **fields) -> Cohort:
    """A cohort of a decided cycle, June to December 2026, with ``members`` in training."""
    cycle = NominationCycleFactory(
        status=NominationCycle.Status.DECIDED, decisions_published_at=at(10, 1), year=2026
    )
    cohort = CohortFactory(
        cycle=cycle,
        name="Master Mentors 2026",
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 12, 31),
        coordinators=[coordinator] if coordinator else [],
        **fields,
    )
    for person in members:
        CohortMemberFactory(cohort=cohort, person=person)
    return cohort


def held(
    cohort: Cohort, statuses: dict[CohortMember, str], *, required: bool = False, **fields
) -> CohortEvent:
    """A past event whose attendance was taken as ``statuses``."""
    event = CohortEventFactory(cohort=cohort, starts_at=fields.pop("starts_at", at(9, 1)), required=required)
    for member, status in statuses.items():
        AttendanceFactory(event=event, member=member, status=status)
    return event


def event_data(**changes) -> dict:
    return {
        "kind": CohortEvent.Kind.WORKSHOP,
        "title": "Difficult conversations",
        "starts_at": at(12, 3),
        "duration_minutes": 120,
        "location": "Room 4B",
        "facilitator": "Dr. Rivera",
        "agenda": "Role plays.",
        "required": False,
    } | changes


@pytest.fixture
def cohort_coordinator(db, department):
    return make_persona("cohort.coordinator@example.com", department=department, level=6)


@pytest.fixture
def member_user(db, department):
    return make_persona("member@example.com", department=department, level=6)


@pytest.fixture
def cohort(cohort_coordinator, member_user):
    return running_cohort(
        coordinator=cohort_coordinator.person, members=[member_user.person, PersonFactory(), PersonFactory()]
    )


# --- Creating the cohort -----------------------------------------------------------------------------------


def _decided_cycle(**fields) -> NominationCycle:
    return NominationCycleFactory(
        status=NominationCycle.Status.DECIDED, decisions_published_at=timezone.now(), **fields
    )


def test_a_cohort_is_created_from_the_selected_candidates_who_accepted(hr_admin, cohort_coordinator):
    cycle = _decided_cycle()
    selected = CandidacyFactory(cycle=cycle, decision=Candidacy.Decision.SELECTED)
    CandidacyFactory(cycle=cycle, decision=Candidacy.Decision.NOT_SELECTED)
    CandidacyFactory(cycle=cycle, decision=Candidacy.Decision.SELECTED, status=Candidacy.Status.DECLINED)

    cohort = cohort_create(
        cycle=cycle,
        name="  Master Mentors 2027 ",
        starts_on=datetime.date(2027, 3, 1),
        coordinators=[cohort_coordinator.person],
        by=hr_admin,
    )

    assert cohort.name == "Master Mentors 2027"
    assert cohort.ends_on == datetime.date(2027, 8, 31)  # about six months
    assert cohort.min_attendance_percent == 80
    assert [(m.person, m.candidacy) for m in cohort.members.all()] == [(selected.person, selected)]
    assert list(cohort.coordinators.all()) == [cohort_coordinator.person]
    assert Notification.objects.filter(kind="cohort_member_added", recipient=selected.person).exists()
    assert Notification.objects.filter(kind="cohort_coordinator_added").count() == 1


@pytest.mark.parametrize(
    ("status", "published"),
    [
        (NominationCycle.Status.REVIEWING, False),
        (NominationCycle.Status.DECIDED, False),
        (NominationCycle.Status.CLOSED, True),
    ],
)
def test_a_cohort_waits_for_published_decisions(hr_admin, status, published):
    cycle = NominationCycleFactory(
        status=status, decisions_published_at=timezone.now() if published else None
    )
    CandidacyFactory(cycle=cycle, decision=Candidacy.Decision.SELECTED)
    with pytest.raises(CohortError, match="once its decisions are published"):
        cohort_create(cycle=cycle, name="Cohort", starts_on=datetime.date(2027, 3, 1), by=hr_admin)
    assert not Cohort.objects.exists()


def test_a_cycle_has_one_cohort(hr_admin):
    cycle = _decided_cycle()
    CandidacyFactory(cycle=cycle, decision=Candidacy.Decision.SELECTED)
    cohort_create(cycle=cycle, name="Cohort", starts_on=datetime.date(2027, 3, 1), by=hr_admin)
    with pytest.raises(CohortError, match="already has its cohort"):
        cohort_create(cycle=cycle, name="Again", starts_on=datetime.date(2027, 3, 1), by=hr_admin)
    assert Cohort.objects.count() == 1


def test_a_cohort_with_bad_values_is_refused_field_by_field(hr_admin):
    cycle = _decided_cycle()
    CandidacyFactory(cycle=cycle, decision=Candidacy.Decision.SELECTED)
    with pytest.raises(CohortInvalid) as refused:
        cohort_create(
            cycle=cycle,
            name="",
            starts_on=datetime.date(2027, 3, 1),
            ends_on=datetime.date(2027, 2, 1),
            min_attendance_percent=120,
            by=hr_admin,
        )
    assert set(refused.value.errors) == {"name", "ends_on", "min_attendance_percent"}
    assert not Cohort.objects.exists()


# --- Events and invites ------------------------------------------------------------------------------------


def test_an_event_sends_each_member_in_training_the_invite_once(
    cohort, cohort_coordinator, member_user, django_capture_on_commit_callbacks
):
    withdrawn = CohortMemberFactory(cohort=cohort, status=CohortMember.Status.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True):
        event = event_add(cohort=cohort, data=event_data(), by=cohort_coordinator)
    invites = Notification.objects.filter(kind="cohort_event_invite", key=f"cohort_event:{event.pk}:0")
    assert invites.count() == 3
    assert not invites.filter(recipient=withdrawn.person).exists()
    sent = next(m for m in mail.outbox if m.to == [member_user.person.email])
    (filename, content, mimetype) = sent.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert "METHOD:REQUEST" in str(content)


def test_an_event_outside_the_cohort_or_with_bad_values_is_refused(cohort, cohort_coordinator):
    with pytest.raises(CohortInvalid) as refused:
        event_add(
            cohort=cohort,
            data=event_data(starts_at=at(5, 1), kind="party", duration_minutes=0, title=" "),
            by=cohort_coordinator,
        )
    assert set(refused.value.errors) == {"starts_at", "kind", "duration_minutes", "title"}
    with pytest.raises(CohortInvalid, match="not part of this form"):
        event_add(cohort=cohort, data=event_data(cancelled=True), by=cohort_coordinator)
    assert not CohortEvent.objects.exists()
    assert not Notification.objects.filter(kind="cohort_event_invite").exists()


def test_changing_an_event_raises_its_sequence_and_sends_the_update(cohort, cohort_coordinator):
    event = event_add(cohort=cohort, data=event_data(), by=cohort_coordinator)
    same = event_change(event=event, data=event_data(), by=cohort_coordinator)
    assert same.sequence == 0
    moved = event_change(event=event, data=event_data(starts_at=at(12, 4)), by=cohort_coordinator)
    assert moved.sequence == 1
    updates = Notification.objects.filter(key=f"cohort_event:{event.pk}:1")
    assert updates.count() == 3
    assert all(n.subject.startswith("Moved:") for n in updates)


def test_cancelling_sends_the_cancellation_and_a_held_event_cannot_be_cancelled(cohort, cohort_coordinator):
    event = event_add(cohort=cohort, data=event_data(), by=cohort_coordinator)
    cancelled = event_cancel(event=event, by=cohort_coordinator, why="The room flooded.")
    assert cancelled.cancelled and cancelled.sequence == 1
    calendar = icalendar.Calendar.from_ical(event_ics(cancelled))
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    past = held(cohort, dict.fromkeys(cohort.members.all(), P))
    with pytest.raises(CohortError, match="Attendance was taken"):
        event_cancel(event=past, by=cohort_coordinator)
    past.refresh_from_db()
    assert not past.cancelled


def test_the_invite_is_one_event_at_the_members_own_time(cohort, cohort_coordinator, member_user, settings):
    settings.TIME_ZONE = "Europe/London"
    member_user.time_zone = "America/New_York"
    member_user.save(update_fields=["time_zone"])
    event = event_add(cohort=cohort, data=event_data(starts_at=at(12, 3, 15)), by=cohort_coordinator)
    notification = Notification.objects.get(kind="cohort_event_invite", recipient=member_user.person)
    # 15:00 UTC is 10:00 in New York in December.
    assert "Thu 3 Dec 2026, 10:00" in notification.body

    ((_filename, content, _mimetype),) = invite_attachments(notification)
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert str(vevent["UID"]) == invite_uid(event)
    assert vevent["SEQUENCE"] == 0
    starts = vevent.decoded("DTSTART")
    assert starts == at(12, 3, 15)
    assert str(starts.tzinfo) == "America/New_York" and starts.hour == 10
    assert vevent.decoded("DTEND") - starts == datetime.timedelta(minutes=120)
    assert calendar.walk("VTIMEZONE")
    assert vevent["LOCATION"] == "Room 4B"


def test_the_invite_attachment_is_for_members_of_the_cohort_only(cohort, cohort_coordinator):
    event = event_add(cohort=cohort, data=event_data(), by=cohort_coordinator)
    stranger = Notification.objects.create(
        recipient=PersonFactory(), kind="cohort_event_invite", key=f"cohort_event:{event.pk}:0", subject="x"
    )
    assert invite_attachments(stranger) == []


# --- Attendance --------------------------------------------------------------------------------------------


def test_the_attendance_grid_is_saved_whole(cohort, cohort_coordinator):
    event = CohortEventFactory(cohort=cohort, starts_at=at(11, 2))
    members = list(cohort.members.all())
    saved = attendance_record(
        event=event,
        grid={members[0].pk: P, members[1].pk: ABSENT, members[2].pk: EXCUSED},
        by=cohort_coordinator,
    )
    assert len(saved) == 3
    assert dict(Attendance.objects.values_list("member_id", "status")) == {
        members[0].pk: P,
        members[1].pk: ABSENT,
        members[2].pk: EXCUSED,
    }
    # Taking it again replaces the answers.
    attendance_record(event=event, grid={m.pk: P for m in members}, by=cohort_coordinator)
    assert set(Attendance.objects.values_list("status", flat=True)) == {P}


@pytest.mark.parametrize("problem", ["bad value", "missing member", "unknown member", "withdrawn member"])
def test_a_grid_with_one_bad_row_saves_nothing(cohort, cohort_coordinator, problem):
    event = CohortEventFactory(cohort=cohort, starts_at=at(11, 2))
    members = list(cohort.members.all())
    grid: dict = {m.pk: P for m in members}
    if problem == "bad value":
        grid[members[1].pk] = "late"
    elif problem == "missing member":
        del grid[members[2].pk]
    elif problem == "unknown member":
        grid[CohortMemberFactory().pk] = P
    else:
        grid[CohortMemberFactory(cohort=cohort, status=CohortMember.Status.WITHDRAWN).pk] = P
    with pytest.raises(CohortInvalid):
        attendance_record(event=event, grid=grid, by=cohort_coordinator)
    assert not Attendance.objects.exists()


def test_attendance_waits_for_the_event_and_not_for_a_cancelled_one(cohort, cohort_coordinator):
    grid = {m.pk: P for m in cohort.members.all()}
    ahead = CohortEventFactory(cohort=cohort, starts_at=at(12, 1))
    with pytest.raises(CohortError, match="once it has begun"):
        attendance_record(event=ahead, grid=grid, by=cohort_coordinator)
    off = CohortEventFactory(cohort=cohort, starts_at=at(11, 1), cancelled=True)
    with pytest.raises(CohortError, match="cancelled"):
        attendance_record(event=off, grid=grid, by=cohort_coordinator)
    assert not Attendance.objects.exists()


# --- Progress ----------------------------------------------------------------------------------------------


def test_attendance_does_not_count_excused_absences_against_a_member(cohort):
    member = cohort.members.first()
    for status in (P, P, P, EXCUSED, ABSENT):
        held(cohort, {member: status})
    progress = member_progress(member)
    assert (progress.present, progress.excused, progress.counted) == (3, 1, 4)
    assert progress.percent == 75.0
    assert not progress.meets_attendance
    assert "Attendance 75% (3 of 4); 80% is needed." in progress.missing()


def test_a_missed_required_event_blocks_however_high_the_attendance(cohort):
    member = cohort.members.first()
    for _ in range(9):
        held(cohort, {member: P})
    held(cohort, {member: EXCUSED}, required=True, starts_at=at(10, 5))
    progress = member_progress(member)
    assert progress.percent == 100.0 and progress.meets_attendance
    assert not progress.meets
    assert any("required event" in reason for reason in progress.missing())


def test_cancelled_and_unrecorded_events_do_not_count(cohort):
    member = cohort.members.first()
    held(cohort, {member: P})
    CohortEventFactory(cohort=cohort, starts_at=at(10, 1), cancelled=True)
    CohortEventFactory(cohort=cohort, starts_at=at(12, 10))
    progress = member_progress(member)
    assert (progress.held, progress.percent) == (1, 100.0)


# --- Reminders ---------------------------------------------------------------------------------------------


def test_members_are_reminded_two_days_ahead_once(cohort, member_user):
    now = timezone.now()
    soon = CohortEventFactory(cohort=cohort, starts_at=now + datetime.timedelta(hours=30))
    CohortEventFactory(cohort=cohort, starts_at=now + datetime.timedelta(days=3))
    CohortEventFactory(cohort=cohort, starts_at=now + datetime.timedelta(hours=5), cancelled=True)
    CohortMemberFactory(cohort=cohort, status=CohortMember.Status.WITHDRAWN)

    assert event_reminders_send(now=now) == 3
    assert event_reminders_send(now=now + datetime.timedelta(minutes=15)) == 0
    reminders = Notification.objects.filter(kind="cohort_event_reminder")
    assert set(reminders.values_list("key", flat=True)) == {
        f"cohort_event:{soon.pk}:{int(soon.starts_at.timestamp())}"
    }
    assert reminders.filter(recipient=member_user.person).count() == 1


def test_coordinators_are_told_once_about_an_event_without_attendance(cohort, cohort_coordinator):
    now = timezone.now()
    forgotten = CohortEventFactory(cohort=cohort, starts_at=now - datetime.timedelta(days=2))
    held(cohort, dict.fromkeys(cohort.members.all(), P), starts_at=now - datetime.timedelta(days=3))
    CohortEventFactory(cohort=cohort, starts_at=now - datetime.timedelta(minutes=30))  # still going on
    CohortEventFactory(cohort=cohort, starts_at=now - datetime.timedelta(days=90))  # long ago

    assert attendance_reminders_send(now=now) == 1
    assert attendance_reminders_send(now=now) == 0
    (notice,) = Notification.objects.filter(kind="cohort_attendance_due")
    assert notice.recipient == cohort_coordinator.person
    assert notice.key == f"cohort_event:{forgotten.pk}"


def test_the_beat_tasks_call_the_reminder_services(cohort):
    from cohorts.tasks_cohort import remind_attendance, send_event_reminders

    CohortEventFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(hours=47))
    assert send_event_reminders() == 3
    assert send_event_reminders() == 0
    assert remind_attendance() == 0
