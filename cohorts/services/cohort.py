"""The cohort of a decided cycle: created from its selected candidates, its events (with calendar invites and
reminders), attendance taken in one grid, and each member's progress toward graduation.

Writes: ``cohort_create``, ``event_add``, ``event_change``, ``event_cancel``, ``attendance_record``, and the
two reminder dispatchers run by beat (``event_reminders_send``, ``attendance_reminders_send``). Each checks
every rule whatever a form let through and raises ``CohortError`` (``CohortInvalid`` for field errors) with
a message for the user, saving nothing.

Reads: ``cohort_progress`` and ``member_progress`` compute attendance in a fixed number of queries.

An event is *held* once its attendance is taken (the grid saves every member at once). A member's
attendance is present / (held events - events they were excused from); an excused absence never counts
against them, but a required event must be attended (excused or not) to graduate.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.services import notify
from people.models import Person, User
from people.timezones import in_time_zone_of

from ..models import Attendance, AuditEntry, Candidacy, Cohort, CohortEvent, CohortMember, NominationCycle
from . import CohortError

K = CohortEvent.Kind
A = Attendance.Status
M = CohortMember.Status

NAME_MAX_LENGTH = Cohort._meta.get_field("name").max_length or 120
TITLE_MAX_LENGTH = CohortEvent._meta.get_field("title").max_length or 200
LOCATION_MAX_LENGTH = CohortEvent._meta.get_field("location").max_length or 500
FACILITATOR_MAX_LENGTH = CohortEvent._meta.get_field("facilitator").max_length or 200
AGENDA_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 1000
DURATION_RANGE = (1, 600)
DEFAULT_MONTHS = 6
MAX_COHORT_DAYS = 2 * 366
MAX_COORDINATORS = 20
# Members are reminded this long before an event.
REMINDER_AHEAD = datetime.timedelta(hours=48)
# Coordinators are told about events that ended this long ago without attendance, and no older ones (so a
# cohort imported with its history does not flood their inbox).
ATTENDANCE_GRACE = datetime.timedelta(hours=2)
ATTENDANCE_LOOKBACK = datetime.timedelta(days=30)

EVENT_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "duration_minutes",
    "location",
    "facilitator",
    "agenda",
    "required",
)
TEXT_LIMITS = {
    "title": (TITLE_MAX_LENGTH, "the title"),
    "location": (LOCATION_MAX_LENGTH, "the place or link"),
    "facilitator": (FACILITATOR_MAX_LENGTH, "the facilitator"),
    "agenda": (AGENDA_MAX_LENGTH, "the agenda"),
}
DURATION_MESSAGE = f"An event lasts at least 1 minute and at most 10 hours ({DURATION_RANGE[1]} minutes)."
# Members who take part in events: those in training, and graduates whose record stays as it was.
ATTENDING = (M.ACTIVE, M.GRADUATED)
INVITE_KIND = "cohort_event_invite"


class CohortInvalid(CohortError):
    """Input that cannot be saved as given; ``errors`` maps a field (None: the whole form) to messages."""

    def __init__(self, errors: Mapping[str | None, list[str]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


def when(value: datetime.datetime) -> str:
    """An event's start as the reader reads it (the active time zone)."""
    return date_format(timezone.localtime(value), "D j M Y, H:i")


def event_end(event: CohortEvent) -> datetime.datetime:
    return event.starts_at + datetime.timedelta(minutes=event.duration_minutes)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def default_ends_on(starts_on: datetime.date) -> datetime.date:
    """About six months of training: the day before the same date six months on."""
    return add_months(starts_on, DEFAULT_MONTHS) - datetime.timedelta(days=1)


# --- Creating the cohort -----------------------------------------------------------------------------------


def _selected(cycle: NominationCycle):
    return (
        Candidacy.objects.filter(
            cycle=cycle, decision=Candidacy.Decision.SELECTED, status=Candidacy.Status.ACCEPTED
        )
        .exclude(person__status=Person.Status.LEFT)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )


def cohort_problems(
    *,
    name: Any,
    starts_on: Any,
    ends_on: Any,
    min_attendance_percent: Any,
    coordinators: Any,
) -> dict[str | None, list[str]]:
    problems: dict[str | None, list[str]] = {}

    def refuse(name_: str | None, message: str) -> None:
        problems.setdefault(name_, []).append(message)

    if not isinstance(name, str) or not name.strip():
        refuse("name", "Name the cohort.")
    elif len(name.strip()) > NAME_MAX_LENGTH:
        refuse("name", f"Keep the name to at most {NAME_MAX_LENGTH} characters.")
    if not isinstance(starts_on, datetime.date) or isinstance(starts_on, datetime.datetime):
        refuse("starts_on", "Give the day the cohort starts.")
    elif not isinstance(ends_on, datetime.date) or isinstance(ends_on, datetime.datetime):
        refuse("ends_on", "Give the day the cohort ends.")
    elif ends_on < starts_on:
        refuse("ends_on", "The cohort ends on or after the day it starts.")
    elif (ends_on - starts_on).days > MAX_COHORT_DAYS:
        refuse("ends_on", "A cohort trains for at most two years.")
    if (
        isinstance(min_attendance_percent, bool)
        or not isinstance(min_attendance_percent, int)
        or not 0 <= min_attendance_percent <= 100
    ):
        refuse(
            "min_attendance_percent", "Give the attendance needed to graduate as a whole percentage, 0-100."
        )
    if not isinstance(coordinators, list | tuple) or not all(isinstance(p, Person) for p in coordinators):
        refuse("coordinators", "Name the coordinators from the directory.")
    elif len(coordinators) > MAX_COORDINATORS:
        refuse("coordinators", f"Name at most {MAX_COORDINATORS} coordinators.")
    else:
        gone = [p.full_name for p in coordinators if p.status == Person.Status.LEFT]
        if gone:
            refuse("coordinators", f"{', '.join(gone)} left the organization and cannot coordinate.")
    return problems


@transaction.atomic
def cohort_create(
    *,
    cycle: NominationCycle,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    min_attendance_percent: int = 80,
    coordinators: Iterable[Person] = (),
    by: User | None,
) -> Cohort:
    """The cohort of a decided cycle whose decisions are published, with every selected candidate who
    accepted as a member; ``ends_on`` defaults to about six months after ``starts_on``. A cycle has one
    cohort. Members and coordinators are told."""
    coordinators = list(coordinators)
    if ends_on is None and isinstance(starts_on, datetime.date):
        ends_on = default_ends_on(starts_on)
    problems = cohort_problems(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        min_attendance_percent=min_attendance_percent,
        coordinators=coordinators,
    )
    if problems:
        raise CohortInvalid(problems)
    assert ends_on is not None
    locked = NominationCycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != NominationCycle.Status.DECIDED or locked.decisions_published_at is None:
        raise CohortError(
            f"The cycle is {locked.get_status_display().lower()}: a cohort is created once its decisions "
            "are published (and before it is closed)."
        )
    if Cohort.objects.filter(cycle=locked).exists():
        raise CohortError("This cycle already has its cohort; open it to change its events.")
    selected = list(_selected(locked))
    if not selected:
        raise CohortError("Nobody was selected in this cycle (or every selected candidate has left).")
    cohort = Cohort.objects.create(
        cycle=locked,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        min_attendance_percent=min_attendance_percent,
    )
    cohort.coordinators.set(coordinators)
    CohortMember.objects.bulk_create(
        [CohortMember(cohort=cohort, person=c.person, candidacy=c) for c in selected]
    )
    AuditEntry.objects.create(
        cycle=locked,
        action="cohort_created",
        details=f"{cohort.name}: {len(selected)} members, {starts_on:%Y-%m-%d} to {ends_on:%Y-%m-%d}.",
        by=by,
    )
    url = cohort.get_absolute_url()
    first_day = date_format(starts_on, "j F Y")
    for candidacy in selected:
        notify(
            recipient=candidacy.person,
            kind="cohort_member_added",
            key=f"cohort:{cohort.pk}",
            subject=f"Welcome to the {cohort.name} cohort",
            body=(
                f"Congratulations: you are a member of the {cohort.name} Master Mentor cohort, which "
                f"starts on {first_day}. You will receive a calendar invite for each event; attend at "
                f"least {min_attendance_percent}% of them, and every required one, to graduate."
            ),
            url=url,
        )
    for person in coordinators:
        notify(
            recipient=person,
            kind="cohort_coordinator_added",
            key=f"cohort:{cohort.pk}",
            subject=f"You coordinate the {cohort.name} cohort",
            body=(
                f"You coordinate the {cohort.name} Master Mentor cohort ({len(selected)} members, from "
                f"{first_day}): plan its events, take attendance after each one, and graduate its members."
            ),
            url=url,
        )
    return cohort


# --- Events ------------------------------------------------------------------------------------------------


def event_problems(data: Mapping[str, Any], *, cohort: Cohort) -> dict[str | None, list[str]]:
    """Every rule on an event's values."""
    problems: dict[str | None, list[str]] = {}

    def refuse(name: str | None, message: str) -> None:
        problems.setdefault(name, []).append(message)

    unknown = sorted(set(data) - set(EVENT_FIELDS))
    if unknown:
        refuse(None, f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not part of this form.")
    if data.get("kind") not in K.values:
        refuse("kind", "Choose the kind of event.")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        refuse("title", "Give the event a title.")
    starts_at = data.get("starts_at")
    if not isinstance(starts_at, datetime.datetime) or timezone.is_naive(starts_at):
        refuse("starts_at", "Give the date and time the event starts.")
    else:
        day = timezone.localdate(starts_at)
        if not cohort.starts_on <= day <= cohort.ends_on:
            period = f"{date_format(cohort.starts_on, 'j M Y')} to {date_format(cohort.ends_on, 'j M Y')}"
            refuse("starts_at", f"Events take place while the cohort runs ({period}).")
    duration = data.get("duration_minutes")
    if isinstance(duration, bool) or not isinstance(duration, int):
        refuse("duration_minutes", f"Give the duration in whole minutes. {DURATION_MESSAGE}")
    elif not DURATION_RANGE[0] <= duration <= DURATION_RANGE[1]:
        refuse("duration_minutes", DURATION_MESSAGE)
    for name, (limit, label) in TEXT_LIMITS.items():
        value = data.get(name) or ""
        if not isinstance(value, str):
            refuse(name, f"Write {label} as text.")
        elif len(value.strip()) > limit:
            refuse(name, f"Keep {label} to at most {limit:,} characters (it has {len(value.strip()):,}).")
    if not isinstance(data.get("required", False), bool):
        refuse("required", "Say whether the event is required.")
    return problems


def _event_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in EVENT_FIELDS:
        if name in TEXT_LIMITS:
            values[name] = (data.get(name) or "").strip()
        elif name == "required":
            values[name] = bool(data.get("required", False))
        else:
            values[name] = data[name]
    return values


def _attendance_taken(event: CohortEvent) -> bool:
    return Attendance.objects.filter(event=event).exists()


def _lock_event(event: CohortEvent) -> CohortEvent:
    locked = CohortEvent.objects.select_related("cohort").select_for_update().get(pk=event.pk)
    if locked.cancelled:
        raise CohortError("This event is cancelled; add a new one instead.")
    if _attendance_taken(locked):
        raise CohortError("Attendance was taken for this event: it was held and stays as it is.")
    return locked


def _event_details(event: CohortEvent) -> str:
    lines = [f"When: {when(event.starts_at)} ({event.duration_minutes} minutes)"]
    if event.location:
        lines.append(f"Where: {event.location}")
    if event.facilitator:
        lines.append(f"Facilitator: {event.facilitator}")
    if event.required:
        lines.append("Required: members attend this event to graduate.")
    if event.agenda:
        lines.append(f"Agenda:\n{event.agenda}")
    return "\n".join(lines)


def event_url(event: CohortEvent) -> str:
    return reverse("cohorts:event_detail", args=[event.cohort_id, event.pk])


def invite_key(event: CohortEvent) -> str:
    return f"cohort_event:{event.pk}:{event.sequence}"


def _active_members(cohort: Cohort) -> list[CohortMember]:
    return list(CohortMember.objects.filter(cohort=cohort, status=M.ACTIVE).select_related("person__user"))


def _send_invites(event: CohortEvent, *, subject: str, opening: str) -> None:
    """The invite (its update, its cancellation) to every member in training, each in their time zone.
    Nothing is sent for an event that has already begun."""
    if event.starts_at <= timezone.now():
        return
    url = event_url(event)
    for member in _active_members(event.cohort):
        with in_time_zone_of(member.person):
            notify(
                recipient=member.person,
                kind=INVITE_KIND,
                key=invite_key(event),
                subject=subject.format(when=when(event.starts_at)),
                body=f"{opening}\n\n{_event_details(event)}",
                url=url,
            )


@transaction.atomic
def event_add(*, cohort: Cohort, data: Mapping[str, Any], by: User | None) -> CohortEvent:
    """An event of the cohort; members in training are sent the calendar invite (for a future event).

    ``data``: ``kind``, ``title``, ``starts_at`` (aware, within the cohort's dates), ``duration_minutes``
    (1-600), ``location`` (a place or link), ``facilitator``, ``agenda`` and ``required``."""
    problems = event_problems(data, cohort=cohort)
    if problems:
        raise CohortInvalid(problems)
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    event = CohortEvent.objects.create(cohort=cohort, sequence=0, **_event_values(data))
    event.cohort = cohort
    _send_invites(
        event,
        subject=f"{event.title}: {{when}}",
        opening=f"A {event.get_kind_display().lower()} of the {cohort.name} cohort. The invite is attached.",
    )
    return event


@transaction.atomic
def event_change(*, event: CohortEvent, data: Mapping[str, Any], by: User | None) -> CohortEvent:
    """Change an event that is neither cancelled nor held. A change raises the invite's sequence and sends
    the members the updated invite; the same values again change nothing."""
    cohort = event.cohort
    problems = event_problems(data, cohort=cohort)
    if problems:
        raise CohortInvalid(problems)
    locked = _lock_event(event)
    values = _event_values(data)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    before = when(locked.starts_at)
    for name in changed:
        setattr(locked, name, values[name])
    locked.sequence += 1
    locked.save(update_fields=[*changed, "sequence", "updated_at"])
    locked.cohort = cohort
    if "starts_at" in changed:
        opening = f"{locked.title}, planned for {before}, has moved. The updated invite is attached."
        subject = f"Moved: {locked.title}, now {{when}}"
    else:
        opening = f"The details of {locked.title} changed. The updated invite is attached."
        subject = f"Changed: {locked.title}, {{when}}"
    _send_invites(locked, subject=subject, opening=opening)
    return locked


@transaction.atomic
def event_cancel(*, event: CohortEvent, by: User | None, why: str = "") -> CohortEvent:
    """Call off an event that has not been held; members are sent the cancellation for their calendars.
    A cancelled event no longer counts toward anyone's attendance."""
    why = why.strip() if isinstance(why, str) else ""
    if len(why) > REASON_MAX_LENGTH:
        raise CohortInvalid({"why": [f"Keep the reason to at most {REASON_MAX_LENGTH:,} characters."]})
    cohort = event.cohort
    locked = _lock_event(event)
    locked.cancelled = True
    locked.sequence += 1
    locked.save(update_fields=["cancelled", "sequence", "updated_at"])
    locked.cohort = cohort
    reason = f"\n\nThe reason given: {why}" if why else ""
    _send_invites(
        locked,
        subject=f"Cancelled: {locked.title}, {{when}}",
        opening=f"{locked.title} is cancelled; the attachment removes it from your calendar.{reason}",
    )
    return locked


# --- Attendance --------------------------------------------------------------------------------------------


def attendance_members(cohort: Cohort) -> list[CohortMember]:
    """The rows of an event's attendance grid: members in training and graduates, by name."""
    return list(
        CohortMember.objects.filter(cohort=cohort, status__in=ATTENDING)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )


@transaction.atomic
def attendance_record(*, event: CohortEvent, grid: Mapping[int, str], by: User | None) -> list[Attendance]:
    """Save an event's whole attendance grid: one status (present, absent, excused) for every member on it,
    no more and no less. All or nothing: any missing, unknown or invalid row refuses the whole grid. Taking
    attendance again replaces the earlier answers."""
    locked = CohortEvent.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled:
        raise CohortError("This event was cancelled: there is no attendance to take.")
    if locked.starts_at > timezone.now():
        raise CohortError(
            f"This event starts on {when(locked.starts_at)}: take attendance once it has begun."
        )
    members = attendance_members(event.cohort)
    by_pk = {m.pk: m for m in members}
    problems: list[str] = []
    if not isinstance(grid, Mapping):
        raise CohortInvalid({None: ["Give one status for every member."]})
    unknown = [key for key in grid if key not in by_pk]
    if unknown:
        problems.append("The grid names someone who is not a member of this cohort; reload the page.")
    missing = [m.person.full_name for m in members if m.pk not in grid]
    if missing:
        problems.append(f"Give a status for every member; missing: {', '.join(missing)}.")
    invalid = [by_pk[k].person.full_name for k, v in grid.items() if k in by_pk and v not in A.values]
    if invalid:
        problems.append(f"Choose present, absent or excused for {', '.join(invalid)}.")
    if problems:
        raise CohortInvalid({None: problems})
    existing = {a.member_id: a for a in Attendance.objects.filter(event=locked)}
    saved: list[Attendance] = []
    for member in members:
        status = grid[member.pk]
        row = existing.get(member.pk)
        if row is None:
            saved.append(
                Attendance.objects.create(event=locked, member=member, status=status, recorded_by=by)
            )
        elif row.status != status:
            row.status, row.recorded_by = status, by
            row.save(update_fields=["status", "recorded_by", "recorded_at"])
            saved.append(row)
        else:
            saved.append(row)
    return saved


# --- Progress ----------------------------------------------------------------------------------------------


@dataclass
class MemberProgress:
    """A member's attendance over the cohort's held events, and what stands between them and graduating."""

    member: CohortMember
    threshold: int
    present: int = 0
    absent: int = 0
    excused: int = 0
    held: int = 0
    statuses: dict[int, str] = field(default_factory=dict)  # event pk → status
    required_missed: list[CohortEvent] = field(default_factory=list)  # held, not attended
    required_ahead: list[CohortEvent] = field(default_factory=list)  # not held yet

    @property
    def counted(self) -> int:
        """The held events that count: those the member was not excused from."""
        return self.held - self.excused

    @property
    def percent(self) -> float | None:
        if self.counted <= 0:
            return None
        return round(100 * self.present / self.counted, 1)

    @property
    def meets_attendance(self) -> bool:
        if self.counted <= 0:
            return self.threshold == 0
        # Whole numbers, so 4 of 5 meets 80% exactly.
        return self.present * 100 >= self.threshold * self.counted

    @property
    def meets_required(self) -> bool:
        return not self.required_missed and not self.required_ahead

    @property
    def meets(self) -> bool:
        return self.meets_attendance and self.meets_required

    def missing(self) -> list[str]:
        """What the member lacks to graduate, in plain words."""
        reasons = []
        if not self.meets_attendance:
            if self.counted <= 0:
                reasons.append("No held event counts toward attendance yet.")
            else:
                reasons.append(
                    f"Attendance {self.percent:g}% ({self.present} of {self.counted}); "
                    f"{self.threshold}% is needed."
                )
        for event in self.required_missed:
            status = self.statuses.get(event.pk)
            how = "was excused from" if status == A.EXCUSED else "missed"
            reasons.append(f"{how.capitalize()} the required event “{event.title}”.")
        for event in self.required_ahead:
            reasons.append(f"The required event “{event.title}” has not been held yet.")
        return reasons


def cohort_events(cohort: Cohort) -> list[CohortEvent]:
    """The cohort's events, each annotated with ``attendance_taken``."""
    return list(
        CohortEvent.objects.filter(cohort=cohort)
        .annotate(attendance_taken=Exists(Attendance.objects.filter(event=OuterRef("pk"))))
        .order_by("starts_at", "pk")
    )


def _progress(
    member: CohortMember, events: list[CohortEvent], statuses: dict[int, str], threshold: int
) -> MemberProgress:
    progress = MemberProgress(member=member, threshold=threshold, statuses=statuses)
    for event in events:
        if event.cancelled:
            continue
        if not event.attendance_taken:  # type: ignore[attr-defined]
            if event.required:
                progress.required_ahead.append(event)
            continue
        status = statuses.get(event.pk)
        if status is None:  # not on the grid then (joined or came back later): not counted
            if event.required:
                progress.required_missed.append(event)
            continue
        progress.held += 1
        if status == A.PRESENT:
            progress.present += 1
        elif status == A.EXCUSED:
            progress.excused += 1
        else:
            progress.absent += 1
        if event.required and status != A.PRESENT:
            progress.required_missed.append(event)
    return progress


def cohort_progress(
    cohort: Cohort, *, events: list[CohortEvent] | None = None, statuses: Iterable[str] = ATTENDING
) -> list[MemberProgress]:
    """Every member's progress (members of ``statuses``), by name: three queries whatever the size."""
    events = cohort_events(cohort) if events is None else events
    members = list(
        CohortMember.objects.filter(cohort=cohort, status__in=list(statuses))
        .select_related("person__department__division", "certificate")
        .order_by("person__full_name", "pk")
    )
    rows: dict[int, dict[int, str]] = {m.pk: {} for m in members}
    for member_id, event_id, status in Attendance.objects.filter(event__cohort=cohort).values_list(
        "member_id", "event_id", "status"
    ):
        if member_id in rows:
            rows[member_id][event_id] = status
    return [_progress(m, events, rows[m.pk], cohort.min_attendance_percent) for m in members]


def member_progress(member: CohortMember, *, events: list[CohortEvent] | None = None) -> MemberProgress:
    events = cohort_events(member.cohort) if events is None else events
    statuses = dict(Attendance.objects.filter(member=member).values_list("event_id", "status"))
    return _progress(member, events, statuses, member.cohort.min_attendance_percent)


def events_without_attendance(cohort: Cohort, *, now: datetime.datetime | None = None) -> list[CohortEvent]:
    """Events that have begun, are not cancelled, and have no attendance yet."""
    now = now or timezone.now()
    return [
        e
        for e in cohort_events(cohort)
        if not e.cancelled and e.starts_at <= now and not e.attendance_taken  # type: ignore[attr-defined]
    ]


# --- Reminders (beat) --------------------------------------------------------------------------------------


def event_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind every member in training of each event starting within 48 hours: once per member and event
    (and again only if the event moves). Returns how many reminders were sent."""
    now = now or timezone.now()
    events = (
        CohortEvent.objects.filter(cancelled=False, starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD)
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for event in events:
        url = event_url(event)
        for member in _active_members(event.cohort):
            with in_time_zone_of(member.person):
                notification = notify(
                    recipient=member.person,
                    kind="cohort_event_reminder",
                    key=f"cohort_event:{event.pk}:{int(event.starts_at.timestamp())}",
                    subject=f"Reminder: {event.title}, {when(event.starts_at)}",
                    body=f"A reminder of the {event.cohort.name} cohort's event.\n\n{_event_details(event)}",
                    url=url,
                )
            sent += notification is not None
    return sent


def attendance_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Tell each coordinator about every event of their cohort that ended (in the last 30 days) without
    attendance: once per event. Returns how many notifications were sent."""
    now = now or timezone.now()
    candidates = (
        CohortEvent.objects.filter(
            cancelled=False,
            starts_at__lte=now - ATTENDANCE_GRACE,
            starts_at__gte=now - ATTENDANCE_LOOKBACK,
        )
        .exclude(Exists(Attendance.objects.filter(event=OuterRef("pk"))))
        .select_related("cohort")
        .prefetch_related("cohort__coordinators__user")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for event in candidates:
        if event_end(event) > now - ATTENDANCE_GRACE:
            continue
        url = reverse("cohorts:attendance_take", args=[event.cohort_id, event.pk])
        for person in event.cohort.coordinators.all():
            with in_time_zone_of(person):
                notification = notify(
                    recipient=person,
                    kind="cohort_attendance_due",
                    key=f"cohort_event:{event.pk}",
                    subject=f"Take attendance: {event.title} ({when(event.starts_at)})",
                    body=(
                        f"{event.title} of the {event.cohort.name} cohort took place on "
                        f"{when(event.starts_at)}, and its attendance is not recorded yet. Members' progress "
                        "and graduation count only events whose attendance is taken."
                    ),
                    url=url,
                )
            sent += notification is not None
    return sent
