"""Each member reads and enters session times in their own time zone: the form reads what they type in it,
the invite they download and the one e-mailed to each member carry that member's zone, and the e-mail
text gives each member the time on their own clock."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import Session
from notifications.models import Notification

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def url(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


def posted(**changes) -> dict[str, str]:
    return {
        "date": "2026-11-25",
        "time": "09:00",
        "duration_minutes": "60",
        "format": "video",
        "location": "https://meet.example.com/career",
        "agenda": "",
    } | changes


@pytest.fixture
def zones(mentee, mentor):
    """The mentee works in Tokyo; the mentor keeps the organization's zone, here New York."""
    mentee.time_zone = "Asia/Tokyo"
    mentee.save(update_fields=["time_zone"])
    return mentee, mentor


def test_a_session_is_entered_in_the_members_zone_and_each_reads_it_on_their_own_clock(
    client, settings, pair, zones, mentee, mentor, django_capture_on_commit_callbacks
):
    settings.TIME_ZONE = "America/New_York"
    client.force_login(mentee)
    form = client.get(url("session_schedule", pair.pk)).content.decode()
    assert "In your time zone (Asia/Tokyo)" in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("session_schedule", pair.pk), posted())
    session = Session.objects.get()
    # 09:00 in Tokyo (UTC+9) is midnight UTC, 19:00 the evening before in New York (UTC-5 in November).
    assert session.starts_at == datetime.datetime(2026, 11, 25, 0, 0, tzinfo=UTC)

    bodies = {n.recipient: n.body for n in Notification.objects.filter(kind="session_scheduled")}
    assert "Wed 25 Nov 2026, 09:00" in bodies[mentee.person]
    assert "Tue 24 Nov 2026, 19:00" in bodies[mentor.person]

    invites = {}
    for message in mail.outbox:
        [(_name, content, _type)] = message.attachments
        event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
        invites[message.to[0]] = event
        assert event.start.astimezone(UTC) == session.starts_at
    assert invites["mentee@example.com"]["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert invites["mentee@example.com"].start.replace(tzinfo=None) == datetime.datetime(2026, 11, 25, 9, 0)
    assert invites["mentor@example.com"]["DTSTART"].params["TZID"] == "America/New_York"
    assert invites["mentor@example.com"].start.replace(tzinfo=None) == datetime.datetime(2026, 11, 24, 19, 0)

    # The downloaded invite and the session page follow whoever is signed in.
    download = client.get(url("session_ics", pair.pk, session.pk)).content
    assert b"DTSTART;TZID=Asia/Tokyo:20261125T090000" in download
    assert "09:00" in client.get(url("session_detail", pair.pk, session.pk)).content.decode()
    client.force_login(mentor)
    assert (
        b"DTSTART;TZID=America/New_York:20261124T190000"
        in client.get(url("session_ics", pair.pk, session.pk)).content
    )
    assert "19:00" in client.get(url("session_detail", pair.pk, session.pk)).content.decode()


def test_the_feedback_request_names_the_day_on_each_members_clock(
    client, settings, pair, zones, mentee, mentor
):
    settings.TIME_ZONE = "America/New_York"
    pair.started_on = datetime.date(2026, 10, 1)
    pair.save(update_fields=["started_on"])
    client.force_login(mentee)
    # 08:00 on 18 November in Tokyo is still 17 November in New York.
    client.post(
        url("session_log", pair.pk),
        {"date": "2026-11-18", "time": "08:00", "duration_minutes": "45", "format": "in_person"},
    )
    subjects = {n.recipient: n.subject for n in Notification.objects.filter(kind="session_feedback_request")}
    assert subjects[mentee.person].endswith("on 18 Nov 2026?")
    assert subjects[mentor.person].endswith("on 17 Nov 2026?")
