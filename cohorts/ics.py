"""Calendar invites (iCalendar, RFC 5545/5546) for a cohort's events.

One VEVENT per event, with a UID that stays the same for the event's whole life and a SEQUENCE that is the
event's own revision (``CohortEvent.sequence``), so a calendar replaces the event when an updated invite
arrives and removes it when the cancellation (METHOD:CANCEL) does. Times are written in the zone of the
person the invite is for, with its VTIMEZONE, so calendars show the wall-clock time that person reads on the
event's page.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from notifications.models import Notification
from people.models import Person
from people.timezones import in_time_zone_of

from .models import CohortEvent, CohortMember
from .services.cohort import event_url

# Wide enough around the event for every daylight-saving change a calendar needs to place it.
VTIMEZONE_MARGIN = datetime.timedelta(days=400)
_EVENT_KEY = re.compile(r"^cohort_event:(\d+)(?::|$)")


def _site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "mentoring"


def invite_uid(event: CohortEvent) -> str:
    return f"cohort-event-{event.pk}@{_site_domain()}"


def invite_filename(event: CohortEvent) -> str:
    return f"master-mentor-event-{event.pk}.ics"


def event_calendar(event: CohortEvent) -> Calendar:
    """The event as a calendar with one event: an invite (or its update), or its cancellation."""
    method = "CANCEL" if event.cancelled else "REQUEST"
    zone = timezone.get_current_timezone()
    starts = event.starts_at.astimezone(zone)
    ends = starts + datetime.timedelta(minutes=event.duration_minutes)
    page = f"{settings.SITE_URL}{event_url(event)}"

    vevent = Event()
    vevent.add("uid", invite_uid(event))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    vevent.add("created", event.created_at.astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("dtstart", starts)
    vevent.add("dtend", ends)
    vevent.add("summary", f"{event.cohort.name}: {event.title}")
    if event.location:
        vevent.add("location", event.location)
    description = [event.get_kind_display() + (" (required to graduate)" if event.required else "")]
    if event.facilitator:
        description.append(f"Facilitator: {event.facilitator}")
    if event.agenda.strip():
        description.append(event.agenda.strip())
    description.append(f"The event's page: {page}")
    vevent.add("description", "\n\n".join(description))
    vevent.add("url", page)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if event.cancelled else "OPAQUE")

    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Master Mentor cohort//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(vevent)
    cal.add_missing_timezones(
        first_date=(starts - VTIMEZONE_MARGIN).date(), last_date=(ends + VTIMEZONE_MARGIN).date()
    )
    return cal


def event_ics(event: CohortEvent) -> bytes:
    return event_calendar(event).to_ical()


def invite_attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The invite for a cohort event e-mail (notifications.services.EMAIL_ATTACHMENTS): the event as it is
    when the e-mail goes out, for members of its cohort only, in the recipient's time zone."""
    match = _EVENT_KEY.match(notification.key)
    event = CohortEvent.objects.select_related("cohort").filter(pk=int(match[1])).first() if match else None
    if event is None:
        return []
    if not CohortMember.objects.filter(cohort=event.cohort, person_id=notification.recipient_id).exists():
        return []
    recipient = Person.objects.select_related("user").get(pk=notification.recipient_id)
    with in_time_zone_of(recipient):
        return [(invite_filename(event), event_ics(event), "text/calendar")]
