"""A person's calendar feed as iCalendar (RFC 5545, with the refresh hints of RFC 7986).

The feed is published, not sent: it has no METHOD and each event's DTSTAMP is when it last changed, so the
same data gives the same bytes and calendar servers can be answered "not modified". Times are in UTC, so
every calendar shows them in its own user's zone. UIDs are those of the e-mailed invites
(``session-<pk>@<host>``, ``cohort-event-<pk>@<host>``): a calendar that holds both treats them as one event.

Calendar servers fetch the address with no session and may keep what they fetch, so an event carries only
what is needed to be somewhere at the right time: when, where, with whom, and a link to the page in the
product. Never an agenda, shared or private notes, feedback or any other text someone wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event, vDuration

from cohorts import ics as cohort_ics
from cohorts.models import CohortEvent
from cohorts.services.cohort import event_url
from feedback import ics as session_ics
from feedback.models import Session
from matching.models import Mentorship
from people.models import Person

REFRESH = datetime.timedelta(hours=1)
S = Session.Status
ENDED = (Mentorship.Status.COMPLETED, Mentorship.Status.ENDED_EARLY)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def _page(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def session_is_cancelled(session: Session) -> bool:
    """Cancelled, or still scheduled for after its pair ended (nobody will come)."""
    if session.status == S.CANCELLED:
        return True
    pair = session.mentorship
    return (
        session.status == S.SCHEDULED
        and pair.status in ENDED
        and pair.ended_on is not None
        and _utc(session.starts_at).date() > pair.ended_on
    )


def session_event(session: Session, person: Person) -> Event:
    pair = session.mentorship
    mentor, mentee = pair.mentor.person, pair.mentee.person
    other = mentee if mentor.pk == person.pk else mentor
    if mentor.pk == person.pk:
        relation = f"You mentor {mentee.full_name}"
    else:
        relation = f"{mentor.full_name} mentors you"
    cancelled = session_is_cancelled(session)
    page = _page(session.get_absolute_url())
    starts = _utc(session.starts_at)

    event = Event()
    event.add("uid", session_ics.invite_uid(session))
    event.add("dtstamp", _utc(session.updated_at))
    event.add("created", _utc(session.created_at))
    event.add("last-modified", _utc(session.updated_at))
    event.add("sequence", session.sequence)
    event.add("dtstart", starts)
    event.add("dtend", starts + datetime.timedelta(minutes=session.duration_minutes))
    event.add("summary", f"{'Cancelled: ' if cancelled else ''}Mentoring with {other.full_name}")
    if session.location:
        event.add("location", session.location)
    lines = [
        f"{relation} in {pair.program.name}.",
        f"{session.get_format_display()}.",
        f"The session's page: {page}",
    ]
    event.add("description", "\n".join(lines))
    event.add("url", page)
    event.add("categories", ["Mentoring"])
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def cohort_event_event(cohort_event: CohortEvent) -> Event:
    page = _page(event_url(cohort_event))
    starts = _utc(cohort_event.starts_at)
    cancelled = cohort_event.cancelled

    event = Event()
    event.add("uid", cohort_ics.invite_uid(cohort_event))
    event.add("dtstamp", _utc(cohort_event.updated_at))
    event.add("created", _utc(cohort_event.created_at))
    event.add("last-modified", _utc(cohort_event.updated_at))
    event.add("sequence", cohort_event.sequence)
    event.add("dtstart", starts)
    event.add("dtend", starts + datetime.timedelta(minutes=cohort_event.duration_minutes))
    summary = f"{cohort_event.cohort.name}: {cohort_event.title}"
    event.add("summary", f"Cancelled: {summary}" if cancelled else summary)
    if cohort_event.location:
        event.add("location", cohort_event.location)
    kind = cohort_event.get_kind_display()
    lines = [f"{kind} (required to graduate)." if cohort_event.required else f"{kind}."]
    if cohort_event.facilitator:
        lines.append(f"Facilitator: {cohort_event.facilitator}.")
    lines.append(f"The event's page: {page}")
    event.add("description", "\n".join(lines))
    event.add("url", page)
    event.add("categories", ["Master Mentor cohort"])
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def feed_calendar(
    person: Person, sessions: Iterable[Session], cohort_events: Iterable[CohortEvent]
) -> Calendar:
    name = f"{settings.SITE_NAME}: {person.full_name}"
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    description = "Your mentoring sessions and Master Mentor cohort events."
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for session in sessions:
        calendar.add_component(session_event(session, person))
    for cohort_event in cohort_events:
        calendar.add_component(cohort_event_event(cohort_event))
    return calendar
