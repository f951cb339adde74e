"""Calendar invites (iCalendar, RFC 5545/5546) for a pair's sessions.

One VEVENT per session, with a UID that stays the same for the session's whole life and a SEQUENCE that is
the session's own revision (``Session.sequence``), so a calendar replaces the event when an updated invite
arrives and removes it when the cancellation does. Times are written in the zone of the person the invite
is for (their own choice, else the organization's TIME_ZONE) with its VTIMEZONE, so calendars show the
session at the wall-clock time that person reads on the session page.

An invite carries what both members already see on the session page: time, place, agenda and the link.
Never a private note or feedback.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from notifications.models import Notification
from people.models import Person
from people.timezones import in_time_zone_of

from .models import Session

S = Session.Status
# How a calendar is to treat the file: an invite (or its update), its withdrawal, or a plain record.
METHOD_FOR_STATUS = {S.SCHEDULED: "REQUEST", S.CANCELLED: "CANCEL", S.HELD: "PUBLISH"}
# Wide enough around the session for every daylight-saving change a calendar needs to place it.
VTIMEZONE_MARGIN = datetime.timedelta(days=400)
_SESSION_KEY = re.compile(r"^session:(\d+)(?::|$)")


def _site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "mentoring"


def invite_uid(session: Session) -> str:
    return f"session-{session.pk}@{_site_domain()}"


def invite_filename(session: Session) -> str:
    return f"mentoring-session-{session.pk}.ics"


def session_summary(session: Session) -> str:
    mentorship = session.mentorship
    return f"Mentoring: {mentorship.mentor.person.full_name} and {mentorship.mentee.person.full_name}"


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.full_name
    for name, value in params.items():
        address.params[name] = value
    return address


def _organizer(session: Session) -> Person:
    """Whoever scheduled the session, if still one of the pair; otherwise the mentor."""
    mentorship = session.mentorship
    members = (mentorship.mentor.person, mentorship.mentee.person)
    if session.scheduled_by_id is not None:
        for person in members:
            if person.user_id == session.scheduled_by_id:
                return person
    return members[0]


def session_calendar(session: Session) -> Calendar:
    """The session as a calendar with one event: an invite while it is scheduled, a cancellation once it is
    cancelled, a record once it is held."""
    method = METHOD_FOR_STATUS[S(session.status)]
    zone = timezone.get_current_timezone()
    starts = session.starts_at.astimezone(zone)
    ends = starts + datetime.timedelta(minutes=session.duration_minutes)
    page = f"{settings.SITE_URL}{session.get_absolute_url()}"

    event = Event()
    event.add("uid", invite_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("created", session.created_at.astimezone(datetime.UTC))
    event.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", session_summary(session))
    if session.location:
        event.add("location", session.location)
    description = [session.agenda.strip()] if session.agenda.strip() else []
    description.append(f"{session.get_format_display()}. The session's page: {page}")
    event.add("description", "\n\n".join(description))
    event.add("url", page)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if method == "CANCEL" else "OPAQUE")
    organizer = _organizer(session)
    event.add("organizer", _address(organizer))
    for person in (session.mentorship.mentor.person, session.mentorship.mentee.person):
        event.add(
            "attendee",
            _address(
                person,
                CUTYPE="INDIVIDUAL",
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="ACCEPTED" if person.pk == organizer.pk else "NEEDS-ACTION",
            ),
        )

    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Mentoring sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=(starts - VTIMEZONE_MARGIN).date(), last_date=(ends + VTIMEZONE_MARGIN).date()
    )
    return calendar


def session_ics(session: Session) -> bytes:
    return session_calendar(session).to_ical()


def _session_for_invite(pk: int) -> Session | None:
    return (
        Session.objects.select_related(
            "mentorship__program",
            "mentorship__mentor__person__user",
            "mentorship__mentee__person__user",
        )
        .filter(pk=pk)
        .first()
    )


def invite_attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The invite for a session e-mail (notifications.services.EMAIL_ATTACHMENTS): the session as it is
    when the e-mail goes out, for its two members only. A session since held needs no invite."""
    match = _SESSION_KEY.match(notification.key)
    session = _session_for_invite(int(match[1])) if match else None
    if session is None or session.status == S.HELD:
        return []
    mentorship = session.mentorship
    if notification.recipient_id not in (mentorship.mentor.person_id, mentorship.mentee.person_id):
        return []
    recipient = mentorship.mentor.person if notification.recipient_id == mentorship.mentor.person_id else None
    with in_time_zone_of(recipient or mentorship.mentee.person):
        return [(invite_filename(session), session_ics(session), "text/calendar")]
