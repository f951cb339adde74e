"""Sessions of a pair: scheduled ahead with a calendar invite, logged as held (once), or cancelled; and each
member's private note on a session.

A session moves only as ``ALLOWED_TRANSITIONS`` says (scheduled → held, scheduled → cancelled), each move
recorded in ``SessionStatusChange``; a meeting logged afterwards is created held. Every change to a
scheduled session (its time, length, format, place or agenda) raises its ``sequence`` and sends both members
an updated invite; cancelling sends the cancellation. Logging a session asks both members for their
feedback (``feedback.services.session_feedback``); a flash pair, made for one conversation, is completed
once its session is logged.

Only the mentor and the mentee of a current pair write here; every rule is checked here whatever the form
let through, so a crafted request changes nothing. A private note is its author's alone: nothing here
reads another person's note, and no notification ever carries one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from matching.models import Mentorship
from notifications.services import notify
from people.models import User
from people.timezones import in_time_zone_of
from programs.models import Program

from ..models import MAX_SESSION_MINUTES, Format, PrivateNote, Session, SessionStatusChange
from ..permissions import PairAccess
from . import FeedbackError
from .closure import complete_pair
from .session_feedback import feedback_request

S = Session.Status
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.SCHEDULED: {S.HELD, S.CANCELLED},
    S.HELD: set(),
    S.CANCELLED: set(),
}
DURATION_RANGE = (1, MAX_SESSION_MINUTES)
LOCATION_MAX_LENGTH = Session._meta.get_field("location").max_length or 500
AGENDA_MAX_LENGTH = 4000
SHARED_NOTES_MAX_LENGTH = 10000
PRIVATE_NOTE_MAX_LENGTH = 10000
REASON_MAX_LENGTH = 1000
# How far ahead a session may be scheduled.
SCHEDULE_HORIZON = datetime.timedelta(days=366)

SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "format", "location", "agenda")
LOG_FIELDS = ("starts_at", "duration_minutes", "format", "topics", "shared_notes")
TEXT_LIMITS = {
    "location": (LOCATION_MAX_LENGTH, "the place or link"),
    "agenda": (AGENDA_MAX_LENGTH, "the agenda"),
    "shared_notes": (SHARED_NOTES_MAX_LENGTH, "the shared notes"),
}
CURRENT = (Mentorship.Status.PROPOSED, Mentorship.Status.ACTIVE)
DURATION_MESSAGE = (
    f"A session lasts at least {DURATION_RANGE[0]} minute and at most 8 hours ({DURATION_RANGE[1]} minutes)."
)


class SessionInvalid(FeedbackError):
    """A session cannot be saved as given; ``errors`` maps a field (None: the whole session) to messages."""

    def __init__(self, errors: Mapping[str | None, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


def when(value: datetime.datetime) -> str:
    """A session's start as the site's users read it (their time zone)."""
    return date_format(timezone.localtime(value), "D j M Y, H:i")


def session_end(session: Session) -> datetime.datetime:
    return session.starts_at + datetime.timedelta(minutes=session.duration_minutes)


def _require_member(access: PairAccess, doing: str) -> None:
    if not access.is_member:
        raise FeedbackError(f"Only the mentor and the mentee {doing}; coordinators see the sessions.")
    if not access.can_write:
        status = access.mentorship.get_status_display().lower()
        raise FeedbackError(f"This pair is {status}: its sessions stay as they were and cannot be changed.")


def _lock_pair(access: PairAccess) -> Mentorship:
    """Lock the pair (serializing writes to its sessions) and check again that it is still current."""
    locked = Mentorship.objects.select_for_update().get(pk=access.mentorship.pk)
    if locked.status not in CURRENT:
        raise FeedbackError(
            f"This pair is {locked.get_status_display().lower()}: its sessions stay as they were and cannot "
            "be changed."
        )
    return locked


def _own_session(access: PairAccess, session: Session) -> None:
    if session.mentorship_id != access.mentorship.pk:
        raise FeedbackError("That session belongs to another pair; nothing was changed.")


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


def _pair_start(mentorship: Mentorship) -> datetime.date:
    return mentorship.started_on or timezone.localdate(mentorship.created_at)


# --- checking input ----------------------------------------------------------------------------------------


def session_problems(
    data: Mapping[str, Any], *, fields: tuple[str, ...], mentorship: Mentorship, held: bool
) -> dict[str | None, list[str]]:
    """Every rule on a session's values. ``held`` is True when logging a session that took place (its start
    has passed), False when scheduling one (its start lies ahead)."""
    problems: dict[str | None, list[str]] = {}

    def refuse(field: str | None, message: str) -> None:
        problems.setdefault(field, []).append(message)

    unknown = sorted(set(data) - set(fields))
    if unknown:
        refuse(None, f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not part of this form.")

    starts_at = data.get("starts_at")
    if not isinstance(starts_at, datetime.datetime) or timezone.is_naive(starts_at):
        refuse("starts_at", "Give the date and time the session starts.")
    else:
        now = timezone.now()
        if held and starts_at > now:
            refuse(
                "starts_at",
                f"{when(starts_at)} is in the future: a session is logged as held once it has started. "
                "Schedule it instead.",
            )
        elif held and timezone.localdate(starts_at) < _pair_start(mentorship):
            began = date_format(_pair_start(mentorship), "j M Y")
            refuse("starts_at", f"The pair began on {began}; a session before that cannot be logged here.")
        elif not held and starts_at <= now:
            refuse(
                "starts_at",
                f"{when(starts_at)} has passed: a session is scheduled in the future. To record a meeting "
                "that took place, log it instead.",
            )
        elif not held and starts_at - now > SCHEDULE_HORIZON:
            refuse("starts_at", "Schedule a session at most a year ahead.")

    duration = data.get("duration_minutes")
    if isinstance(duration, bool) or not isinstance(duration, int):
        refuse("duration_minutes", f"Give the duration in whole minutes. {DURATION_MESSAGE}")
    elif not DURATION_RANGE[0] <= duration <= DURATION_RANGE[1]:
        refuse("duration_minutes", f"{DURATION_MESSAGE} {duration} minutes is not possible.")

    if data.get("format") not in Format.values:
        refuse("format", "Choose how you meet: in person, video call or phone.")

    for field, (limit, label) in TEXT_LIMITS.items():
        if field not in fields:
            continue
        value = data.get(field) or ""
        if not isinstance(value, str):
            refuse(field, f"Write {label} as text.")
        elif len(value.strip()) > limit:
            refuse(field, f"Keep {label} to at most {limit:,} characters (it has {len(value.strip()):,}).")

    if "topics" in fields:
        topics = data.get("topics") or []
        offered = list(mentorship.program.session_topics or [])
        if not isinstance(topics, list | tuple) or not all(isinstance(t, str) for t in topics):
            refuse("topics", "Choose the topics from the program's list.")
        elif len(set(topics)) != len(topics):
            refuse("topics", "Choose each topic once.")
        else:
            unknown_topics = [t for t in topics if t not in offered]
            if unknown_topics:
                refuse(
                    "topics",
                    f"Choose the topics from the program's list; {', '.join(unknown_topics)} "
                    f"{'is' if len(unknown_topics) == 1 else 'are'} not on it.",
                )
    return problems


def _values(data: Mapping[str, Any], fields: tuple[str, ...], mentorship: Mentorship) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in fields:
        if field in TEXT_LIMITS:
            values[field] = (data.get(field) or "").strip()
        elif field == "topics":
            chosen = set(data.get("topics") or [])
            # In the program's order, whatever order they came in.
            values[field] = [t for t in mentorship.program.session_topics if t in chosen]
        else:
            values[field] = data[field]
    return values


def _check(data: Mapping[str, Any], *, fields: tuple[str, ...], mentorship: Mentorship, held: bool) -> None:
    problems = session_problems(data, fields=fields, mentorship=mentorship, held=held)
    if problems:
        raise SessionInvalid(problems)


def _overlapping(
    mentorship: Mentorship, starts_at: datetime.datetime, minutes: int, *, exclude: int | None = None
) -> Session | None:
    """A scheduled or held session of the pair whose time overlaps [starts_at, starts_at + minutes)."""
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    candidates = Session.objects.filter(
        mentorship=mentorship,
        status__in=[S.SCHEDULED, S.HELD],
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - datetime.timedelta(minutes=MAX_SESSION_MINUTES),
    ).order_by("starts_at", "pk")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    return next((s for s in candidates if session_end(s) > starts_at), None)


def _refuse_overlap(clash: Session | None, *, logging: bool) -> None:
    if clash is None:
        return
    if clash.status == S.HELD:
        raise SessionInvalid(
            {"starts_at": [f"It overlaps the session of {when(clash.starts_at)}, already logged as held."]}
        )
    if logging:
        raise SessionInvalid(
            {
                "starts_at": [
                    f"A session is scheduled at that time ({when(clash.starts_at)}): log that one as held "
                    "instead."
                ]
            }
        )
    raise SessionInvalid(
        {
            "starts_at": [
                f"It overlaps the session scheduled for {when(clash.starts_at)}; choose another time."
            ]
        }
    )


def _record(session: Session, *, from_status: str, by: User | None, why: str) -> None:
    SessionStatusChange.objects.create(
        session=session, from_status=from_status, to_status=session.status, by=by, why=why
    )


def _move(session: Session, to: str) -> str:
    """Check that ``session`` (locked) may move to ``to``; returns where it was."""
    current = session.status
    if to in ALLOWED_TRANSITIONS[current]:
        return current
    if current == S.HELD:
        logged = (
            f" on {date_format(timezone.localdate(session.logged_at), 'j M Y')}" if session.logged_at else ""
        )
        if to == S.HELD:
            raise FeedbackError(f"This session was already logged as held{logged}; it is logged once.")
        raise FeedbackError(f"This session was held{logged}; it cannot be changed or cancelled any more.")
    if to == S.HELD:
        raise FeedbackError(
            "This session was cancelled. If you met after all, log the meeting as a new session."
        )
    raise FeedbackError("This session is already cancelled.")


# --- telling the pair --------------------------------------------------------------------------------------


def _members(mentorship: Mentorship):
    return (mentorship.mentor.person, mentorship.mentee.person)


def _details(session: Session) -> str:
    lines = [f"When: {when(session.starts_at)} ({session.duration_minutes} minutes)"]
    lines.append(f"How: {session.get_format_display()}")
    if session.location:
        lines.append(f"Where: {session.location}")
    if session.agenda:
        lines.append(f"Agenda:\n{session.agenda}")
    return "\n".join(lines)


def _tell_pair(session: Session, *, kind: str, key: str, message: Callable[[str], tuple[str, str]]) -> None:
    """Notify both members; ``message(partner's name)`` gives the subject and the opening line."""
    mentorship = session.mentorship
    mentor, mentee = _members(mentorship)
    url = reverse("feedback:session_detail", args=[mentorship.pk, session.pk])
    for person, other in ((mentor, mentee), (mentee, mentor)):
        with in_time_zone_of(person):  # each reads the time in their own zone
            subject, opening = message(other.full_name)
            notify(
                recipient=person,
                kind=kind,
                key=key,
                subject=subject,
                body=f"{opening}\n\n{_details(session)}",
                url=url,
            )


def _invite_key(session: Session) -> str:
    return f"session:{session.pk}:{session.sequence}"


# --- the services ------------------------------------------------------------------------------------------


@transaction.atomic
def session_schedule(*, access: PairAccess, data: Mapping[str, Any], by: User) -> Session:
    """A session ahead, in the pair's record as scheduled; both members are sent the invite.

    ``data``: ``starts_at`` (an aware datetime in the future), ``duration_minutes`` (1-480), ``format``,
    ``location`` (a place or link) and ``agenda``."""
    _require_member(access, "schedule sessions")
    _check(data, fields=SCHEDULE_FIELDS, mentorship=access.mentorship, held=False)
    mentorship = _lock_pair(access)
    values = _values(data, SCHEDULE_FIELDS, access.mentorship)
    _refuse_overlap(_overlapping(mentorship, values["starts_at"], values["duration_minutes"]), logging=False)
    session = Session.objects.create(
        mentorship=access.mentorship, status=S.SCHEDULED, scheduled_by=by, sequence=0, **values
    )
    _record(session, from_status="", by=by, why="Scheduled.")
    _tell_pair(
        session,
        kind="session_scheduled",
        key=_invite_key(session),
        message=lambda other: (
            f"Mentoring session with {other} on {when(session.starts_at)}",
            f"A mentoring session with {other} is scheduled. The calendar invite is attached.",
        ),
    )
    return session


@transaction.atomic
def session_reschedule(*, access: PairAccess, session: Session, data: Mapping[str, Any], by: User) -> Session:
    """Change a scheduled session's time, length, format, place or agenda. A change raises the invite's
    sequence and sends both members the updated invite; the same values again change nothing."""
    _require_member(access, "change sessions")
    _own_session(access, session)
    _check(data, fields=SCHEDULE_FIELDS, mentorship=access.mentorship, held=False)
    mentorship = _lock_pair(access)
    locked = _lock_session(session)
    if locked.status == S.HELD:
        raise FeedbackError("This session was held; it cannot be changed any more.")
    if locked.status == S.CANCELLED:
        raise FeedbackError("This session was cancelled; schedule a new one instead.")
    values = _values(data, SCHEDULE_FIELDS, access.mentorship)
    changed = [field for field, value in values.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    if "starts_at" in changed or "duration_minutes" in changed:
        clash = _overlapping(mentorship, values["starts_at"], values["duration_minutes"], exclude=locked.pk)
        _refuse_overlap(clash, logging=False)
    moved = "starts_at" in changed
    before = when(locked.starts_at)
    for field in changed:
        setattr(locked, field, values[field])
    locked.sequence += 1
    locked.save(update_fields=[*changed, "sequence", "updated_at"])
    locked.mentorship = access.mentorship
    starts = when(locked.starts_at)

    def message(other: str) -> tuple[str, str]:
        if moved:
            return (
                f"Session with {other} moved to {starts}",
                f"Your session with {other} planned for {before} has moved. The updated invite is attached.",
            )
        return (
            f"Session with {other} on {starts} changed",
            f"The details of your session with {other} changed. The updated invite is attached.",
        )

    _tell_pair(locked, kind="session_rescheduled", key=_invite_key(locked), message=message)
    return locked


@transaction.atomic
def session_cancel(*, access: PairAccess, session: Session, by: User, why: str = "") -> Session:
    """Call off a scheduled session; both members are sent the cancellation for their calendars."""
    _require_member(access, "cancel sessions")
    _own_session(access, session)
    why = why.strip() if isinstance(why, str) else ""
    if len(why) > REASON_MAX_LENGTH:
        raise SessionInvalid(
            {"why": [f"Keep the reason to at most {REASON_MAX_LENGTH:,} characters (it has {len(why):,})."]}
        )
    _lock_pair(access)
    locked = _lock_session(session)
    from_status = _move(locked, S.CANCELLED)
    locked.status = S.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    locked.mentorship = access.mentorship
    _record(locked, from_status=from_status, by=by, why=why or "Cancelled.")
    reason = f"\n\nThe reason given: {why}" if why else ""
    _tell_pair(
        locked,
        kind="session_cancelled",
        key=_invite_key(locked),
        message=lambda other: (
            f"Cancelled: session with {other} on {when(locked.starts_at)}",
            f"Your session with {other} is cancelled; the attachment removes it from your calendar.{reason}",
        ),
    )
    return locked


@transaction.atomic
def session_log(
    *, access: PairAccess, data: Mapping[str, Any], by: User, session: Session | None = None
) -> Session:
    """Record that the pair met: a scheduled ``session`` once it has started, or (without ``session``) a
    meeting that took place. ``data``: ``starts_at`` (not in the future), ``duration_minutes``, ``format``,
    ``topics`` (from the program's list) and ``shared_notes``. A session is logged once: when both members
    log the same scheduled session at the same moment, the second is refused. Both are then asked for their
    feedback."""
    _require_member(access, "log sessions")
    if session is not None:
        _own_session(access, session)
    _check(data, fields=LOG_FIELDS, mentorship=access.mentorship, held=True)
    mentorship = _lock_pair(access)
    values = _values(data, LOG_FIELDS, access.mentorship)
    now = timezone.now()
    if session is not None:
        locked = _lock_session(session)
        from_status = _move(locked, S.HELD)
        if locked.starts_at > now:
            raise FeedbackError(
                f"This session starts on {when(locked.starts_at)}: log it as held once it has begun."
            )
        clash = _overlapping(mentorship, values["starts_at"], values["duration_minutes"], exclude=locked.pk)
        if clash is not None and clash.status == S.HELD:
            _refuse_overlap(clash, logging=True)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.status, locked.logged_by, locked.logged_at = S.HELD, by, now
        locked.save(update_fields=[*values, "status", "logged_by", "logged_at", "updated_at"])
        session = locked
        why = "Logged as held."
    else:
        _refuse_overlap(
            _overlapping(mentorship, values["starts_at"], values["duration_minutes"]), logging=True
        )
        session = Session.objects.create(
            mentorship=access.mentorship, status=S.HELD, logged_by=by, logged_at=now, **values
        )
        from_status, why = "", "Logged afterwards."
    session.mentorship = access.mentorship
    _record(session, from_status=from_status, by=by, why=why)
    feedback_request(session)
    if mentorship.program.kind == Program.Kind.FLASH and mentorship.status == Mentorship.Status.ACTIVE:
        # A flash pair exists for one conversation: once it is held, the pair is complete.
        complete_pair(mentorship, by=by, why="Completed: the flash pair's session was held.")
        access.mentorship.status, access.mentorship.ended_on = mentorship.status, mentorship.ended_on
    return session


# --- private notes -----------------------------------------------------------------------------------------


@transaction.atomic
def private_note_save(*, access: PairAccess, session: Session, body: str, by: User) -> PrivateNote | None:
    """Keep (or change) the signed-in member's own private note on a session; an empty note removes it.
    Returns the note, or None once removed. The note is its author's alone: nobody else ever reads it.

    Unlike the pair's shared record, a member's notes stay theirs to edit after the pair has ended."""
    if not access.is_member:
        raise FeedbackError("Private notes are for the mentor and the mentee, each their own.")
    _own_session(access, session)
    if not isinstance(body, str):
        raise SessionInvalid({"body": ["Write the note as text."]})
    body = body.strip()
    if len(body) > PRIVATE_NOTE_MAX_LENGTH:
        raise SessionInvalid(
            {
                "body": [
                    f"Keep the note to at most {PRIVATE_NOTE_MAX_LENGTH:,} characters (it has {len(body):,})."
                ]
            }
        )
    # One note per author and session: the session's row serializes two saves of the same author.
    _lock_session(session)
    if not body:
        PrivateNote.objects.filter(session=session, author=by).delete()
        return None
    note, _created = PrivateNote.objects.update_or_create(session=session, author=by, defaults={"body": body})
    return note
