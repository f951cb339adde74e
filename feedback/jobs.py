"""Scheduled work of the life of a pair, as plain functions the Celery tasks in ``feedback/tasks.py`` call.

Beat only wakes these dispatchers; each decides from the database what is due, with set-based queries, and
sends through ``notifications.services.notify``, whose (recipient, kind, key) constraint makes every
reminder go out once however often, or however concurrently, a dispatcher runs. Each returns how many
notifications it sent.

- ``remind_sessions``: a session starting within the next 24 hours, to both members, with its invite;
- ``remind_feedback``: once, 3 days after a session was logged, to a member who has not rated it yet;
- ``nudge_cadence``: no session within the pair's cadence (the agreement's, else the program's), counted
  from the last held session or the start: both members are nudged; within twice the cadence the
  coordinators are told. Once per gap: a new session starts a new gap;
- ``warn_inactive``: no activity for 90 days (sessions, goals, milestones, comments, check-ins; never a
  private note): both members are warned; 7 days after the warning, still nothing, the coordinators are
  asked to close or keep the pair. A pair is never closed automatically;
- ``open_checkins``: each running program's check-in period opens on schedule (not the one that begins
  with the program: pairs have just met), reminded 7 days before it is due, and a member's latest
  check-in still unanswered after its due date is escalated to the coordinators;
- ``complete_ended_programs``: the day after a running program ends, its active pairs are completed and
  asked for the closure survey, and its coordinators are told;
- ``purge_closed_pairs``: the retention policy (``feedback.services.retention``), off by default.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db import models
from django.db.models import (
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from matching.models import Mentorship
from mentoring.urlcache import fast_reverse
from notifications.models import Notification
from notifications.services import Message, notify_many
from people.models import Person
from people.timezones import in_time_zone_of
from programs.models import Program

from .models import CheckIn, Goal, GoalComment, Milestone, Session, SessionFeedback
from .services.checkins import checkin_period_start, checkins_open
from .services.closure import pairs_complete_at_program_end
from .services.retention import closed_pairs_purge
from .services.session_feedback import FEEDBACK_WINDOW

M = Mentorship.Status
S = Session.Status
FEEDBACK_REMINDER_AFTER = datetime.timedelta(days=3)
INACTIVE_AFTER = datetime.timedelta(days=90)
CLOSE_OR_KEEP_AFTER = datetime.timedelta(days=7)
CHECKIN_REMINDER_DAYS = 7
# A period opens on its first day; a dispatcher that was down catches up within this many days.
CHECKIN_OPEN_GRACE_DAYS = 14


@functools.lru_cache(maxsize=4096)
def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _pair_url(pair: Mentorship) -> str:
    return fast_reverse("feedback:pair_detail", pair.pk)


def _members(pair: Mentorship) -> tuple[tuple[str, Person, Person], ...]:
    return (
        ("mentor", pair.mentor.person, pair.mentee.person),
        ("mentee", pair.mentee.person, pair.mentor.person),
    )


# --- Sessions -----------------------------------------------------------------------------------------------


def remind_sessions(now: datetime.datetime | None = None) -> int:
    """Remind both members of every scheduled session starting within the next 24 hours (once per version
    of the session: a session moved to another day is reminded again), with the invite attached."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            status=S.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(hours=24),
            mentorship__status__in=(M.PROPOSED, M.ACTIVE),
        )
        .select_related(
            "mentorship__program", "mentorship__mentor__person__user", "mentorship__mentee__person__user"
        )
        .order_by("starts_at", "pk")
    )
    messages: list[Message] = []
    for session in sessions:
        pair = session.mentorship
        url = fast_reverse("feedback:session_detail", pair.pk, session.pk)
        for _role, person, other in _members(pair):
            with in_time_zone_of(person):
                starts = date_format(timezone.localtime(session.starts_at), "D j M, H:i")
            place = f" ({session.location})" if session.location else ""
            messages.append(
                Message(
                    recipient=person,
                    kind="session_reminder",
                    key=f"session:{session.pk}:{session.sequence}",
                    subject=f"Tomorrow: your session with {other.full_name}, {starts}",
                    body=(
                        f"A reminder of your {session.get_format_display().lower()} session with "
                        f"{other.full_name} on {starts}{place}, for {session.duration_minutes} minutes."
                        + (f"\n\nAgenda:\n{session.agenda}" if session.agenda else "")
                        + "\n\nThe calendar invite is attached."
                    ),
                    url=url,
                )
            )
    return notify_many(messages)


def remind_feedback(now: datetime.datetime | None = None) -> int:
    """Once, 3 days after a session was logged, remind each member who has not rated it (while it can still
    be rated: sessions of the last ``FEEDBACK_WINDOW`` of current or completed pairs)."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            status=S.HELD,
            logged_at__lte=now - FEEDBACK_REMINDER_AFTER,
            starts_at__gte=now - FEEDBACK_WINDOW,
            mentorship__status__in=(M.PROPOSED, M.ACTIVE, M.COMPLETED),
        )
        .annotate(
            mentor_rated=Exists(
                SessionFeedback.objects.filter(
                    session=OuterRef("pk"), participant=OuterRef("mentorship__mentor")
                )
            ),
            mentee_rated=Exists(
                SessionFeedback.objects.filter(
                    session=OuterRef("pk"), participant=OuterRef("mentorship__mentee")
                )
            ),
        )
        .filter(Q(mentor_rated=False) | Q(mentee_rated=False))
        .select_related("mentorship__mentor__person__user", "mentorship__mentee__person__user")
        .order_by("starts_at", "pk")
    )
    messages: list[Message] = []
    for session in sessions:
        pair = session.mentorship
        url = fast_reverse("feedback:session_detail", pair.pk, session.pk) + "#feedback"
        for role, person, other in _members(pair):
            if getattr(session, f"{role}_rated"):
                continue
            with in_time_zone_of(person):
                day = date_format(timezone.localtime(session.starts_at), "j M Y")
            messages.append(
                Message(
                    recipient=person,
                    kind="session_feedback_reminder",
                    key=f"session:{session.pk}:{role}",
                    subject=f"Still to rate: your session with {other.full_name} on {day}",
                    body=(
                        "Two clicks tell the coordinators how the session went: a rating from 1 to 5 and, if "
                        f"you like, what was useful. {other.full_name} never sees your answer."
                    ),
                    url=url,
                )
            )
    return notify_many(messages)


# --- Cadence and inactivity ---------------------------------------------------------------------------------


def _cadence() -> Coalesce:
    return Coalesce(
        F("agreement__cadence_days"), F("program__meeting_cadence_days"), output_field=IntegerField()
    )


def _last_held() -> Subquery:
    held = Session.objects.filter(mentorship=OuterRef("pk"), status=S.HELD).order_by("-starts_at")
    return Subquery(held.values("starts_at")[:1], output_field=DateTimeField())


def _active_pairs() -> QuerySet[Mentorship]:
    """Active pairs with what the messages name (only those columns: the dispatchers read many pairs)."""
    return (
        Mentorship.objects.filter(status=M.ACTIVE, started_on__isnull=False)
        .select_related("program", "mentor__person", "mentee__person")
        .only(
            "program__name",
            "program__slug",
            "started_on",
            "status",
            "mentor__person__full_name",
            "mentee__person__full_name",
        )
    )


def _coordinators(program_ids: set[int]) -> dict[int, list[Person]]:
    """Each program's coordinators, in one query for every program a dispatcher touches."""
    through = Program.coordinators.through.objects.filter(program_id__in=program_ids).select_related("person")
    out: dict[int, list[Person]] = {pk: [] for pk in program_ids}
    for row in through:
        out[row.program_id].append(row.person)
    return out


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def nudge_cadence(now: datetime.datetime | None = None) -> int:
    """Nudge both members of every active pair with no session within its cadence, and tell the
    coordinators once it is twice the cadence. Once per gap (the key names the day the gap began)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pairs = (
        _active_pairs()
        .annotate(cadence=_cadence(), last_held=_last_held())
        .filter(cadence__gt=0)
        .order_by("pk")
    )
    messages: list[Message] = []
    rows: list[Any] = list(pairs)  # annotated with cadence and last_held
    coordinators = _coordinators({pair.program_id for pair in rows})
    for pair in rows:
        since: datetime.date = timezone.localdate(pair.last_held) if pair.last_held else pair.started_on
        days = (today - since).days
        if days <= pair.cadence:
            continue
        key = f"pair:{pair.pk}:since:{since.isoformat()}"
        what = f"since {_day(since)}" if pair.last_held else f"since you started on {_day(since)}"
        their = f"since {_day(since)}" if pair.last_held else f"since they started on {_day(since)}"
        for _role, person, other in _members(pair):
            messages.append(
                Message(
                    recipient=person,
                    kind="cadence_nudge",
                    key=key,
                    subject=f"Time to meet {other.full_name} again",
                    body=(
                        f"You agreed to meet every {pair.cadence} days, and there has been no session "
                        f"{what}. Plan the next one with {other.full_name} now: it takes a minute, and both "
                        "of you get the invite."
                    ),
                    url=_pair_url(pair) + "#sessions",
                )
            )
        if days > 2 * pair.cadence:
            mentor, mentee = pair.mentor.person.full_name, pair.mentee.person.full_name
            for coordinator in coordinators[pair.program_id]:
                messages.append(
                    Message(
                        recipient=coordinator,
                        kind="cadence_escalation",
                        key=key,
                        subject=f"{mentor} and {mentee} have not met for {days} days",
                        body=(
                            f"In {pair.program.name}, {mentor} and {mentee} agreed to meet every "
                            f"{pair.cadence} days; nothing was held {their}. Both were nudged. A word "
                            "from you may help; the pair's health is on the program's Pair health tab."
                        ),
                        url=fast_reverse("feedback:health_board", pair.program.slug),
                    )
                )
    return notify_many(messages)


def _latest(model: type[models.Model], field: str, pair_field: str = "mentorship") -> Subquery:
    rows = model._default_manager.filter(**{pair_field: OuterRef("pk"), f"{field}__isnull": False}).order_by(
        f"-{field}"
    )
    return Subquery(rows.values(field)[:1], output_field=DateTimeField())


ACTIVITY_FIELDS = ("last_held_at", "last_logged_at", "last_goal_at", "last_comment_at", "last_checkin_at")


def with_last_activity(pairs: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """``pairs`` annotated with when something last happened in them that both members can see (never a
    private note): a held or logged session, a goal changed, a comment, a check-in answered, a milestone
    done. ``last_activity_day`` reads them."""
    held = Session.objects.filter(mentorship=OuterRef("pk"), status=S.HELD).order_by("-starts_at")
    milestones = Milestone.objects.filter(goal__mentorship=OuterRef("pk"), done_on__isnull=False)
    return pairs.annotate(
        last_held_at=Subquery(held.values("starts_at")[:1], output_field=DateTimeField()),
        last_logged_at=_latest(Session, "logged_at"),
        last_goal_at=_latest(Goal, "updated_at"),
        last_comment_at=_latest(GoalComment, "created_at", "goal__mentorship"),
        last_checkin_at=_latest(CheckIn, "submitted_at"),
        last_milestone_on=Subquery(milestones.order_by("-done_on").values("done_on")[:1]),
    )


def last_activity_day(pair: Any) -> datetime.date:
    """The day of the pair's latest activity (``with_last_activity``), or its start."""
    days: list[datetime.date] = [pair.started_on]
    days += [timezone.localdate(moment) for f in ACTIVITY_FIELDS if (moment := getattr(pair, f)) is not None]
    if pair.last_milestone_on is not None:
        days.append(pair.last_milestone_on)
    return max(days)


def warn_inactive(now: datetime.datetime | None = None) -> int:
    """Warn both members of a pair with no activity for 90 days; 7 days after that warning, with still
    nothing new, ask the coordinators to close or keep the pair (never closed automatically)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pairs = list(with_last_activity(_active_pairs()).order_by("pk"))
    coordinators = _coordinators({pair.program_id for pair in pairs})
    # Pairs whose warning went out a week ago or more (one query, whatever the number of pairs).
    warned = set(
        Notification.objects.filter(
            kind="inactive_warning", created_at__lte=now - CLOSE_OR_KEEP_AFTER
        ).values_list("key", flat=True)
    )
    messages: list[Message] = []
    for pair in pairs:
        since = last_activity_day(pair)
        if today - since < INACTIVE_AFTER:
            continue
        key = f"pair:{pair.pk}:since:{since.isoformat()}"
        for _role, person, other in _members(pair):
            messages.append(
                Message(
                    recipient=person,
                    kind="inactive_warning",
                    key=key,
                    subject=f"Nothing has happened in your pair with {other.full_name} since {_day(since)}",
                    body=(
                        f"Your pair with {other.full_name} in {pair.program.name} has had no session, "
                        f"goal or check-in for {(today - since).days} days. If it still helps you both, "
                        "plan a session; if it has run its course, complete or end it from the pair's "
                        "page. In a week the coordinators will be asked whether to close it."
                    ),
                    url=_pair_url(pair),
                )
            )
        if key not in warned:
            continue
        mentor, mentee = pair.mentor.person.full_name, pair.mentee.person.full_name
        for coordinator in coordinators[pair.program_id]:
            messages.append(
                Message(
                    recipient=coordinator,
                    kind="inactive_close_or_keep",
                    key=key,
                    subject=f"Close or keep: {mentor} and {mentee}, inactive since {_day(since)}",
                    body=(
                        f"In {pair.program.name}, nothing has happened in the pair of {mentor} and {mentee} "
                        f"since {_day(since)}, and a week after they were warned it is still quiet. Decide "
                        "whether to end it (the mentee can be re-matched) or keep it; nothing is closed "
                        "without you."
                    ),
                    url=_pair_url(pair),
                )
            )
    return notify_many(messages)


# --- Check-ins ----------------------------------------------------------------------------------------------


def open_checkins(now: datetime.datetime | None = None) -> int:
    """Open each running program's check-in period on schedule, remind unanswered check-ins 7 days before
    they are due, and escalate a member's latest check-in left unanswered after its due date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    programs = Program.objects.filter(
        status=Program.Status.RUNNING,
        starts_on__isnull=False,
        starts_on__lte=today,
        checkin_cadence_months__gt=0,
    ).order_by("pk")
    for program in programs:
        period = checkin_period_start(program, today)
        assert program.starts_on is not None
        if period == program.starts_on or (today - period).days > CHECKIN_OPEN_GRACE_DAYS:
            continue
        sent += checkins_open(program=program, period_start=period, today=today)
    return sent + _remind_checkins(today) + _escalate_checkins(today)


def _open_checkins() -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(submitted_at__isnull=True, mentorship__status=M.ACTIVE).select_related(
        "participant__person",
        "mentorship__program",
        "mentorship__mentor__person",
        "mentorship__mentee__person",
    )


def _remind_checkins(today: datetime.date) -> int:
    messages: list[Message] = []
    due_soon = _open_checkins().filter(
        due_on__gte=today, due_on__lte=today + datetime.timedelta(days=CHECKIN_REMINDER_DAYS)
    )
    for checkin in due_soon.order_by("pk"):
        pair = checkin.mentorship
        partner = pair.mentee if checkin.participant_id == pair.mentor_id else pair.mentor
        messages.append(
            Message(
                recipient=checkin.participant.person,
                kind="checkin_reminder",
                key=str(checkin.pk),
                subject=f"Your check-in on {partner.person.full_name} is due on {_day(checkin.due_on)}",
                body=(
                    f"A few questions on how your pair with {partner.person.full_name} in "
                    f"{pair.program.name} is going, due on {_day(checkin.due_on)}. Your answers are read "
                    f"by the coordinators, never by {partner.person.full_name}."
                ),
                url=fast_reverse("feedback:checkin", pair.pk, checkin.pk),
            )
        )
    return notify_many(messages)


def _escalate_checkins(today: datetime.date) -> int:
    later = CheckIn.objects.filter(
        mentorship=OuterRef("mentorship"),
        participant=OuterRef("participant"),
        period_start__gt=OuterRef("period_start"),
    )
    overdue = _open_checkins().filter(due_on__lt=today).exclude(Exists(later)).order_by("pk")
    messages: list[Message] = []
    late = list(overdue)
    coordinators = _coordinators({checkin.mentorship.program_id for checkin in late})
    for checkin in late:
        pair = checkin.mentorship
        who = checkin.participant.person.full_name
        role = "mentor" if checkin.participant_id == pair.mentor_id else "mentee"
        for coordinator in coordinators[pair.program_id]:
            messages.append(
                Message(
                    recipient=coordinator,
                    kind="checkin_overdue",
                    key=str(checkin.pk),
                    subject=f"Check-in overdue: {who} ({role}) in {pair.program.name}",
                    body=(
                        f"{who} has not answered the check-in due on {_day(checkin.due_on)} on the pair of "
                        f"{pair.mentor.person.full_name} and {pair.mentee.person.full_name}. A word from "
                        "you may help; the program's Check-ins tab lists every unanswered one."
                    ),
                    url=fast_reverse("feedback:checkin_answers", pair.program.slug),
                )
            )
    return notify_many(messages)


# --- The end of a program -------------------------------------------------------------------------------


def complete_ended_programs(now: datetime.datetime | None = None) -> int:
    """Complete the active pairs of every running program whose end date has passed (each asked for the
    closure survey) and tell the coordinators once; returns how many notifications went out."""
    today = timezone.localdate(now or timezone.now())
    messages: list[Message] = []
    programs = Program.objects.filter(status=Program.Status.RUNNING, ends_on__lt=today).prefetch_related(
        "coordinators"
    )
    for program in programs.order_by("pk"):
        assert program.ends_on is not None  # filtered on it
        if not Mentorship.objects.filter(program=program, status=M.ACTIVE).exists():
            continue
        completed = pairs_complete_at_program_end(program, today=today)
        for coordinator in program.coordinators.all():
            messages.append(
                Message(
                    recipient=coordinator,
                    kind="program_ended",
                    key=f"program:{program.pk}",
                    subject=f"{program.name} has ended: {completed} pairs completed",
                    body=(
                        f"{program.name} ended on {_day(program.ends_on)}. Its {completed} active pairs are "
                        "completed and both members are asked for the closure survey; their answers appear "
                        "on the program's Check-ins tab. Close the program when you are done with it."
                    ),
                    url=fast_reverse("feedback:checkin_answers", program.slug),
                )
            )
    return notify_many(messages)


# --- Retention ----------------------------------------------------------------------------------------------


def purge_closed_pairs(now: datetime.datetime | None = None) -> int:
    """Purge the free text and private notes of pairs closed longer than the retention period (when one is
    set); returns how many pairs were purged."""
    return closed_pairs_purge(timezone.localdate(now or timezone.now()))
