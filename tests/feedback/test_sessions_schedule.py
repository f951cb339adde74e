"""Scheduling a session with a calendar invite, changing it and cancelling it: the times entered in the site's
time zone, the invite attached to the e-mail to both members and downloadable, each change a new revision
of the same event; bad input and people outside the pair refused with nothing saved."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.ics import invite_attachments, session_ics
from feedback.models import Session, SessionStatusChange
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.sessions import SessionInvalid, session_cancel, session_reschedule, session_schedule
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create, mentorship_transition
from notifications.models import Notification
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def url(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


def posted(**changes) -> dict[str, str]:
    """What the browser posts to schedule a session on Wednesday 25 November 2026, 15:00."""
    return {
        "date": "2026-11-25",
        "time": "15:00",
        "duration_minutes": "60",
        "format": "video",
        "location": "https://meet.example.com/career",
        "agenda": "Talk about the career plan.",
    } | changes


def data(**changes):
    """What the service takes for the same session, in UTC."""
    return {
        "starts_at": datetime.datetime(2026, 11, 25, 15, 0, tzinfo=UTC),
        "duration_minutes": 60,
        "format": "video",
        "location": "https://meet.example.com/career",
        "agenda": "Talk about the career plan.",
    } | changes


def event_of(content: bytes | str) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


@pytest.fixture
def scheduled(pair, mentee) -> Session:
    return session_schedule(access=get_pair_for_user(mentee, pair.pk), data=data(), by=mentee)


# --- scheduling ------------------------------------------------------------------------------------------


def test_a_mentee_schedules_a_session_and_both_get_the_invite_by_email(
    client, pair, mentee, mentor, django_capture_on_commit_callbacks
):
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("session_schedule", pair.pk), posted())
    session = Session.objects.get()
    assert response.status_code == 302 and response.url == url("session_detail", pair.pk, session.pk)
    assert session.status == Session.Status.SCHEDULED
    assert session.starts_at == datetime.datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    assert (session.duration_minutes, session.format, session.sequence) == (60, "video", 0)
    assert session.scheduled_by == mentee
    change = SessionStatusChange.objects.get(session=session)
    assert (change.from_status, change.to_status, change.by) == ("", "scheduled", mentee)

    notes = Notification.objects.filter(kind="session_scheduled")
    assert {n.recipient for n in notes} == {mentor.person, mentee.person}
    assert {n.key for n in notes} == {f"session:{session.pk}:0"}
    assert sorted(m.to[0] for m in mail.outbox) == ["mentee@example.com", "mentor@example.com"]
    for message in mail.outbox:
        [(filename, content, mimetype)] = message.attachments
        assert filename == f"mentoring-session-{session.pk}.ics"
        assert mimetype == "text/calendar"
        calendar, event = event_of(content)
        assert calendar["METHOD"] == "REQUEST"
        assert event["UID"] == f"session-{session.pk}@127.0.0.1"
        assert event["SEQUENCE"] == 0
        assert event.start == datetime.datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
        assert event.end == datetime.datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


def test_the_invite_carries_the_session_and_both_members(scheduled, pair, mentor, mentee):
    calendar, event = event_of(session_ics(scheduled))
    assert calendar["PRODID"] and calendar["VERSION"] == "2.0"
    assert str(event["SUMMARY"]) == f"Mentoring: {mentor.person.full_name} and {mentee.person.full_name}"
    assert str(event["LOCATION"]) == "https://meet.example.com/career"
    description = str(event["DESCRIPTION"])
    assert "Talk about the career plan." in description
    assert f"http://127.0.0.1:8000/pairs/{pair.pk}/sessions/{scheduled.pk}/" in description
    assert str(event["ORGANIZER"]) == "mailto:mentee@example.com"
    attendees = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
    assert attendees == {"mailto:mentor@example.com": "NEEDS-ACTION", "mailto:mentee@example.com": "ACCEPTED"}
    assert event["DTSTAMP"].dt.tzinfo is not None


def test_a_time_entered_in_the_sites_time_zone_is_stored_and_invited_at_the_right_instant(
    client, settings, pair, mentee
):
    settings.TIME_ZONE = "Europe/Berlin"
    client.force_login(mentee)
    # 15:00 in Berlin in November (CET, UTC+1) and in June (CEST, UTC+2).
    client.post(url("session_schedule", pair.pk), posted(date="2026-11-25", time="15:00"))
    client.post(url("session_schedule", pair.pk), posted(date="2027-06-10", time="15:00"))
    winter, summer = Session.objects.order_by("starts_at")
    assert winter.starts_at == datetime.datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert summer.starts_at == datetime.datetime(2027, 6, 10, 13, 0, tzinfo=UTC)

    for session, local_start in ((winter, datetime.datetime(2026, 11, 25, 15, 0)), (summer, None)):
        response = client.get(url("session_ics", pair.pk, session.pk))
        calendar, event = event_of(response.content)
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
        assert event.start.astimezone(UTC) == session.starts_at
        assert event.end.astimezone(UTC) == session.starts_at + datetime.timedelta(minutes=60)
        if local_start is not None:
            assert event.start.replace(tzinfo=None) == local_start
    assert (
        b"DTSTART;TZID=Europe/Berlin:20270610T150000"
        in client.get(url("session_ics", pair.pk, summer.pk)).content
    )

    page = client.get(url("session_detail", pair.pk, winter.pk)).content.decode()
    assert "Wed 25 Nov 2026, 15:00" in page and "Europe/Berlin" in page


def test_a_time_the_clocks_skip_is_refused(client, settings, pair, mentee):
    settings.TIME_ZONE = "Europe/Berlin"
    client.force_login(mentee)
    response = client.post(url("session_schedule", pair.pk), posted(date="2027-03-28", time="02:30"))
    assert response.status_code == 200
    assert "02:30 does not exist on 28 Mar 2027 in Europe/Berlin" in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "0"}, "A session lasts at least 1 minute and at most 8 hours (480 minutes)."),
        ({"duration_minutes": "481"}, "A session lasts at least 1 minute and at most 8 hours (480 minutes)."),
        ({"duration_minutes": "an hour"}, "Give the duration in whole minutes."),
        ({"date": "2026-11-19", "time": "10:00"}, "has passed: a session is scheduled in the future."),
        ({"date": "2028-01-10"}, "Schedule a session at most a year ahead."),
        ({"format": "carrier pigeon"}, "Choose how you meet."),
        ({"date": ""}, "Give the date."),
        ({"location": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, pair, mentee, changes, message):
    client.force_login(mentee)
    response = client.post(url("session_schedule", pair.pk), posted(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": 0}, "at most 8 hours (480 minutes). 0 minutes is not possible."),
        ({"duration_minutes": 481}, "at most 8 hours (480 minutes). 481 minutes is not possible."),
        ({"duration_minutes": True}, "Give the duration in whole minutes."),
        ({"duration_minutes": "60"}, "Give the duration in whole minutes."),
        ({"starts_at": datetime.datetime(2026, 11, 25, 15, 0)}, "Give the date and time"),
        (
            {"starts_at": datetime.datetime(2026, 11, 19, 15, 0, tzinfo=UTC)},
            "a session is scheduled in the future",
        ),
        ({"format": "pigeon"}, "Choose how you meet"),
        ({"agenda": "x" * 4001}, "Keep the agenda to at most 4,000 characters"),
        ({"status": "held"}, "status is not part of this form."),
    ],
)
def test_the_service_checks_every_value_itself(pair, mentee, changes, message):
    with pytest.raises(SessionInvalid) as error:
        session_schedule(access=get_pair_for_user(mentee, pair.pk), data=data(**changes), by=mentee)
    assert message in str(error.value)
    assert not Session.objects.exists()


def test_two_sessions_cannot_overlap(scheduled, pair, mentor):
    with pytest.raises(SessionInvalid, match="overlaps the session scheduled for Wed 25 Nov 2026, 15:00"):
        session_schedule(
            access=get_pair_for_user(mentor, pair.pk),
            data=data(starts_at=datetime.datetime(2026, 11, 25, 15, 30, tzinfo=UTC)),
            by=mentor,
        )
    after = session_schedule(
        access=get_pair_for_user(mentor, pair.pk),
        data=data(starts_at=datetime.datetime(2026, 11, 25, 16, 0, tzinfo=UTC)),
        by=mentor,
    )
    assert Session.objects.count() == 2 and after.scheduled_by == mentor


# --- who may ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "sponsor", "other_coordinator", "outsider"])
def test_people_outside_the_pair_get_404_and_nothing_is_saved(client, pair, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url("session_schedule", pair.pk), posted()).status_code == 404
    assert client.get(url("session_schedule", pair.pk)).status_code == 404
    assert not Session.objects.exists()


def test_coordinators_and_hr_admins_do_not_schedule_for_the_pair(client, pair, coordinator, hr_admin):
    for user in (coordinator, hr_admin):
        client.force_login(user)
        assert client.post(url("session_schedule", pair.pk), posted()).status_code == 403
        with pytest.raises(FeedbackError, match="Only the mentor and the mentee schedule sessions"):
            session_schedule(access=get_pair_for_user(user, pair.pk), data=data(), by=user)
    assert not Session.objects.exists()


def test_an_ended_pair_schedules_nothing(client, pair, mentee):
    access = get_pair_for_user(mentee, pair.pk)
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=None, why="Schedules.")
    with pytest.raises(FeedbackError, match="This pair is ended early"):
        session_schedule(access=access, data=data(), by=mentee)
    client.force_login(mentee)
    assert client.post(url("session_schedule", pair.pk), posted()).status_code == 403
    assert not Session.objects.exists()


def test_the_invite_is_downloaded_by_the_members_only(client, scheduled, pair, mentor, coordinator, sponsor):
    client.force_login(mentor)
    response = client.get(url("session_ics", pair.pk, scheduled.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="mentoring-session-{scheduled.pk}.ics"'
    client.force_login(coordinator)
    assert client.get(url("session_ics", pair.pk, scheduled.pk)).status_code == 403
    client.force_login(sponsor)
    assert client.get(url("session_ics", pair.pk, scheduled.pk)).status_code == 404


def test_another_pairs_session_is_404_under_this_pair(client, scheduled, pair, mentor, approved):
    other = mentorship_create(
        mentor=pair.mentor, mentee=approved("mentee", person=PersonFactory()), by=None, source="manual"
    )
    client.force_login(mentor)
    for name in ("session_detail", "session_ics", "session_edit"):
        assert client.get(url(name, other.pk, scheduled.pk)).status_code == 404
    assert client.post(url("session_cancel", other.pk, scheduled.pk)).status_code == 404
    scheduled.refresh_from_db()
    assert scheduled.status == Session.Status.SCHEDULED


# --- rescheduling and cancelling ----------------------------------------------------------------------------


def test_rescheduling_bumps_the_sequence_and_sends_the_updated_invite(
    client, scheduled, pair, mentor, django_capture_on_commit_callbacks
):
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("session_edit", pair.pk, scheduled.pk), posted(time="17:00", duration_minutes="90")
        )
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.sequence == 1
    assert scheduled.starts_at == datetime.datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    assert scheduled.duration_minutes == 90
    moved = Notification.objects.filter(kind="session_rescheduled")
    assert moved.count() == 2 and {n.key for n in moved} == {f"session:{scheduled.pk}:1"}
    assert "planned for Wed 25 Nov 2026, 15:00 has moved" in moved.first().body
    [message, _] = mail.outbox
    _calendar, event = event_of(message.attachments[0][1])
    assert event["SEQUENCE"] == 1 and event["UID"] == f"session-{scheduled.pk}@127.0.0.1"
    assert event.start == datetime.datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    assert event.end == datetime.datetime(2026, 11, 25, 18, 30, tzinfo=UTC)


def test_saving_the_same_values_again_changes_nothing(client, scheduled, pair, mentor):
    client.force_login(mentor)
    response = client.post(url("session_edit", pair.pk, scheduled.pk), posted(), follow=True)
    assert "Nothing changed in the session." in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.sequence == 0
    assert not Notification.objects.filter(kind="session_rescheduled").exists()


def test_a_change_of_place_sends_an_updated_invite_too(scheduled, pair, mentor):
    session = session_reschedule(
        access=get_pair_for_user(mentor, pair.pk),
        session=scheduled,
        data=data(format="in_person", location="Room 4.12"),
        by=mentor,
    )
    assert session.sequence == 1
    _calendar, event = event_of(session_ics(session))
    assert str(event["LOCATION"]) == "Room 4.12" and event["SEQUENCE"] == 1


def test_a_session_cannot_be_moved_into_the_past_or_to_an_impossible_length(scheduled, pair, mentor):
    access = get_pair_for_user(mentor, pair.pk)
    with pytest.raises(SessionInvalid, match="a session is scheduled in the future"):
        session_reschedule(
            access=access,
            session=scheduled,
            data=data(starts_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)),
            by=mentor,
        )
    with pytest.raises(SessionInvalid, match="481 minutes is not possible"):
        session_reschedule(access=access, session=scheduled, data=data(duration_minutes=481), by=mentor)
    scheduled.refresh_from_db()
    assert (scheduled.sequence, scheduled.duration_minutes) == (0, 60)


def test_cancelling_sends_the_cancellation_and_records_the_change(
    client, scheduled, pair, mentor, django_capture_on_commit_callbacks
):
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("session_cancel", pair.pk, scheduled.pk), {"why": "I am ill."})
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.sequence) == ("cancelled", 1)
    change = scheduled.status_changes.last()
    assert (change.from_status, change.to_status, change.by, change.why) == (
        "scheduled",
        "cancelled",
        mentor,
        "I am ill.",
    )
    assert Notification.objects.filter(kind="session_cancelled").count() == 2
    assert len(mail.outbox) == 2
    calendar, event = event_of(mail.outbox[0].attachments[0][1])
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert event["UID"] == f"session-{scheduled.pk}@127.0.0.1"
    # The download now withdraws the event too.
    assert b"METHOD:CANCEL" in client.get(url("session_ics", pair.pk, scheduled.pk)).content


def test_a_cancelled_or_held_session_cannot_be_cancelled_or_changed(scheduled, pair, mentor):
    access = get_pair_for_user(mentor, pair.pk)
    session_cancel(access=access, session=scheduled, by=mentor)
    with pytest.raises(FeedbackError, match="already cancelled"):
        session_cancel(access=access, session=scheduled, by=mentor)
    with pytest.raises(FeedbackError, match="cancelled; schedule a new one"):
        session_reschedule(access=access, session=scheduled, data=data(duration_minutes=30), by=mentor)
    assert scheduled.status_changes.count() == 2


def test_a_coordinators_crafted_cancel_is_refused(client, scheduled, pair, coordinator):
    client.force_login(coordinator)
    response = client.post(url("session_cancel", pair.pk, scheduled.pk), follow=True)
    assert "Only the mentor and the mentee cancel sessions" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == Session.Status.SCHEDULED


def test_an_invite_email_sent_late_carries_the_session_as_it_is_then(scheduled, pair, mentor):
    notification = Notification.objects.get(kind="session_scheduled", recipient=mentor.person)
    session_cancel(access=get_pair_for_user(mentor, pair.pk), session=scheduled, by=mentor)
    [(_name, content, _type)] = invite_attachments(notification)
    assert icalendar.Calendar.from_ical(content)["METHOD"] == "CANCEL"


def test_an_invite_goes_to_the_pairs_members_only(scheduled, coordinator):
    stray = Notification.objects.create(
        recipient=coordinator.person,
        kind="session_scheduled",
        key=f"session:{scheduled.pk}:0",
        subject="x",
        body="x",
    )
    assert invite_attachments(stray) == []


def test_times_on_the_pages_are_in_the_sites_time_zone(client, settings, pair, mentee):
    settings.TIME_ZONE = "America/New_York"
    session_schedule(access=get_pair_for_user(mentee, pair.pk), data=data(), by=mentee)
    client.force_login(mentee)
    page = client.get(url("pair_detail", pair.pk)).content.decode()
    # 15:00 UTC is 10:00 in New York in November.
    assert "Wed 25 Nov 2026, 10:00" in page
    assert timezone.get_current_timezone_name() == "America/New_York"
