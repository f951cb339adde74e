"""Periodic check-ins: opening a period for a program, a participant's answers, and the coordinators' flags.

A program's check-in periods follow its ``checkin_cadence_months`` from its ``starts_on`` (or, for a
program without a start date, from each pair's ``started_on``). Opening a period gives each participant
of each active pair one check-in, due 14 days later; the database holds one per participant, pair and
period, so opening twice (by hand, or by the scheduled job) opens nothing new and notifies nobody again.
Answers are read by the participant who gave them, the program's coordinators and HR admins: never by the
partner. Answers that ask for help, say the chemistry is wrong or rate satisfaction low alert the
coordinators, once per check-in.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from matching.models import Mentorship
from mentoring.urlcache import fast_reverse
from notifications.services import Message, notify, notify_many
from people.models import User
from programs.models import Program

from ..models import RATING_RANGE, CheckIn
from ..permissions import PairAccess
from . import FeedbackError

DUE_DAYS = 14
COMMENTS_MAX_LENGTH = 2000
# A satisfaction at or below this alerts the coordinators.
LOW_SATISFACTION = 2

M = Mentorship.Status


@functools.lru_cache(maxsize=4096)
def _day(day: datetime.date) -> str:
    return format_date(day, "j F Y")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months, clamped to the end of shorter months (31 Jan + 1 = 28
    Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def _period_bounds(
    program: Program, day: datetime.date, started_on: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    anchor = program.starts_on or started_on or datetime.date(day.year, 1, 1)
    cadence = max(1, program.checkin_cadence_months or 1)
    months = (day.year - anchor.year) * 12 + day.month - anchor.month
    steps = months // cadence
    if _add_months(anchor, steps * cadence) > day:  # ``day`` falls before the anchor's day of the month
        steps -= 1
    return _add_months(anchor, steps * cadence), _add_months(anchor, (steps + 1) * cadence)


def checkin_period_start(
    program: Program, day: datetime.date, *, started_on: datetime.date | None = None
) -> datetime.date:
    """The first day of the check-in period of ``program`` that contains ``day``.

    Periods begin every ``checkin_cadence_months`` months from the program's start (also backwards, for
    pairs that began before it). A program without a start date counts from the pair's ``started_on``;
    with neither, periods follow the calendar year (1 January, 1 April, ... for quarterly check-ins).
    """
    return _period_bounds(program, day, started_on)[0]


def checkin_period_end(
    program: Program, day: datetime.date, *, started_on: datetime.date | None = None
) -> datetime.date:
    """The last day of the check-in period of ``program`` that contains ``day``."""
    return _period_bounds(program, day, started_on)[1] - datetime.timedelta(days=1)


def _checkin_url(checkin: CheckIn) -> str:
    return fast_reverse("feedback:checkin", checkin.mentorship_id, checkin.pk)


def checkins_open(
    *,
    program: Program,
    period_start: datetime.date | None = None,
    today: datetime.date | None = None,
    by: User | None = None,
) -> int:
    """Open the check-ins of a period: one per participant (mentor and mentee) of each active pair of
    ``program``, due ``DUE_DAYS`` days from ``today``, each participant notified once. Returns how many
    were opened; check-ins already open for the period are left as they are (so a second call opens 0).

    ``period_start`` defaults to the period containing ``today`` (each pair's own when the program has no
    start date). ``by`` is who opened them (None for the scheduled job); it is not stored.
    """
    today = today or timezone.localdate()
    if not program.checkin_cadence_months:
        raise FeedbackError(
            f"{program.name} has no check-in cadence; set the months between check-ins in its settings first."
        )
    if period_start is not None:
        if period_start > today:
            raise FeedbackError(
                f"The period starting {_day(period_start)} has not begun; open it on or after that day."
            )
        if program.starts_on and checkin_period_start(program, period_start) != period_start:
            raise FeedbackError(
                f"{_day(period_start)} does not begin a check-in period of {program.name}: periods begin "
                f"every {program.checkin_cadence_months} month(s) from {_day(program.starts_on)}."
            )
    due_on = today + datetime.timedelta(days=DUE_DAYS)
    with transaction.atomic():
        # One opening of a program at a time (a coordinator's click and the scheduled job): each sees
        # what the other created and opens only what is missing.
        Program.objects.select_for_update().filter(pk=program.pk).values_list("pk", flat=True).first()
        pairs = list(
            Mentorship.objects.filter(program=program, status=M.ACTIVE)
            .select_related("mentor__person", "mentee__person")
            .order_by("pk")
        )
        wanted = [
            CheckIn(
                mentorship=pair,
                participant=participant,
                period_start=period_start or checkin_period_start(program, today, started_on=pair.started_on),
                due_on=due_on,
            )
            for pair in pairs
            for participant in (pair.mentor, pair.mentee)
        ]
        existing = set(
            CheckIn.objects.filter(
                mentorship__in=[pair.pk for pair in pairs],
                period_start__in={checkin.period_start for checkin in wanted},
            ).values_list("mentorship_id", "participant_id", "period_start")
        )
        new = [c for c in wanted if (c.mentorship_id, c.participant_id, c.period_start) not in existing]
        CheckIn.objects.bulk_create(new)
        notify_many(_checkin_open_message(program, checkin) for checkin in new)
    return len(new)


def _checkin_open_message(program: Program, checkin: CheckIn) -> Message:
    pair = checkin.mentorship
    partner = pair.mentee if checkin.participant_id == pair.mentor_id else pair.mentor
    return Message(
        recipient=checkin.participant.person,
        kind="checkin_open",
        key=str(checkin.pk),
        subject=f"How is your pair with {partner.person.full_name} going?",
        body=(
            f"It is time for the {program.name} check-in on your pair with {partner.person.full_name}: "
            "a few questions on how satisfied you are, your progress, how often you meet and whether you "
            f"would like the coordinator's help. Please answer by {_day(checkin.due_on)}.\n\n"
            f"Your answers are read by the program's coordinators, never by {partner.person.full_name}."
        ),
        url=_checkin_url(checkin),
    )


# --- Answers ------------------------------------------------------------------------------------------------


def _rating(value: object, what: str) -> int:
    low, high = RATING_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FeedbackError(f"Rate {what} from {low} to {high}.")
    return value


def _yes_no(value: object, question: str) -> bool:
    if not isinstance(value, bool):
        raise FeedbackError(f"Answer yes or no: {question}")
    return value


@dataclass(frozen=True)
class CheckInAnswers:
    satisfaction: int
    goal_progress: int
    frequency: str
    chemistry_right: bool
    wants_help: bool
    comments: str = ""


def _validated(answers: CheckInAnswers) -> CheckInAnswers:
    if answers.frequency not in CheckIn.Frequency.values:
        raise FeedbackError("Say whether you meet often enough, choosing from the list.")
    comments = (answers.comments or "").strip()
    if len(comments) > COMMENTS_MAX_LENGTH:
        raise FeedbackError(
            f"Keep the comments to at most {COMMENTS_MAX_LENGTH} characters (they have {len(comments)})."
        )
    return CheckInAnswers(
        satisfaction=_rating(answers.satisfaction, "your satisfaction"),
        goal_progress=_rating(answers.goal_progress, "your progress on your goals"),
        frequency=answers.frequency,
        chemistry_right=_yes_no(answers.chemistry_right, "is the chemistry right?"),
        wants_help=_yes_no(answers.wants_help, "do you want the coordinator's help?"),
        comments=comments,
    )


def checkin_answerable(*, access: PairAccess, checkin: CheckIn) -> None:
    """Raise ``FeedbackError`` unless the signed-in member may answer ``checkin`` now: it is their own, not
    yet sent, and the pair is active."""
    participant = access.participant
    if participant is None or checkin.participant_id != participant.pk:
        raise FeedbackError("Only the person a check-in was opened for can answer it.")
    if checkin.mentorship_id != access.mentorship.pk:
        raise FeedbackError("This check-in belongs to another pair.")
    if checkin.submitted_at is not None:
        raise FeedbackError(
            f"You already sent this check-in on {_day(timezone.localdate(checkin.submitted_at))}; "
            "it is answered once per period."
        )
    if access.mentorship.status != M.ACTIVE:
        raise FeedbackError(
            f"This pair is {access.mentorship.get_status_display().lower()}; its check-ins are closed."
        )


def checkin_submit(*, access: PairAccess, checkin: CheckIn, answers: CheckInAnswers, by: User) -> CheckIn:
    """Send a participant's answers to their own check-in, once. Refused with nothing changed when the
    check-in is someone else's, was already sent, the pair is no longer active, or an answer is out of
    range. Flagging answers alert the program's coordinators."""
    checkin_answerable(access=access, checkin=checkin)
    clean = _validated(answers)
    now = timezone.now()
    with transaction.atomic():
        # The conditional update claims the check-in: of two submissions at once, the second finds it sent.
        claimed = CheckIn.objects.filter(pk=checkin.pk, submitted_at__isnull=True).update(
            submitted_at=now,
            satisfaction=clean.satisfaction,
            goal_progress=clean.goal_progress,
            frequency=clean.frequency,
            chemistry_right=clean.chemistry_right,
            wants_help=clean.wants_help,
            comments=clean.comments,
        )
        if not claimed:
            raise FeedbackError("You already sent this check-in; it is answered once per period.")
        checkin.submitted_at = now
        for name, value in vars(clean).items():
            setattr(checkin, name, value)
        if answer_flags(checkin):
            _tell_coordinators_about_flags(access, checkin)
    return checkin


def answer_flags(checkin: CheckIn) -> list[str]:
    """What in a sent check-in's answers asks for a coordinator's attention, in words."""
    if checkin.submitted_at is None:
        return []
    flags = []
    if checkin.wants_help:
        flags.append("wants the coordinator's help")
    if checkin.chemistry_right is False:
        flags.append("says the chemistry is not right")
    if checkin.satisfaction is not None and checkin.satisfaction <= LOW_SATISFACTION:
        flags.append(f"rates satisfaction {checkin.satisfaction} of 5")
    return flags


def checkin_flags(checkin: CheckIn, today: datetime.date | None = None) -> list[str]:
    """Every flag of a check-in: its answers' flags, or overdue (unanswered after its due date while the
    pair is active). The check-in's mentorship must be loaded (select_related)."""
    today = today or timezone.localdate()
    if checkin.submitted_at is None:
        overdue = checkin.due_on < today and checkin.mentorship.status == M.ACTIVE
        return [f"overdue since {_day(checkin.due_on)}"] if overdue else []
    return answer_flags(checkin)


def flagged_q(today: datetime.date) -> Q:
    """Check-ins with a flag (``checkin_flags``), as a filter of ``CheckIn`` rows."""
    answered = Q(submitted_at__isnull=False) & (
        Q(wants_help=True) | Q(chemistry_right=False) | Q(satisfaction__lte=LOW_SATISFACTION)
    )
    overdue = Q(submitted_at__isnull=True, due_on__lt=today, mentorship__status=M.ACTIVE)
    return answered | overdue


def _tell_coordinators_about_flags(access: PairAccess, checkin: CheckIn) -> None:
    pair = access.mentorship
    program = pair.program
    who = access.person.full_name if access.person else "A participant"
    role = access.role
    partner = access.partner
    with_whom = f" with {partner.person.full_name}" if partner else ""
    flags = "; ".join(answer_flags(checkin))
    for coordinator in program.coordinators.all():
        notify(
            recipient=coordinator,
            kind="checkin_flag",
            key=str(checkin.pk),
            subject=f"{who}'s check-in in {program.name} needs your attention",
            body=(
                f"{who} ({role}) answered the check-in on their pair{with_whom}: {flags}. "
                "The answers are on the program's check-in page; mark the check-in handled once you have "
                "followed it up."
            ),
            url=reverse("feedback:checkin_answers", args=[program.slug]),
        )


def checkin_mark_handled(*, checkin: CheckIn, by: User, today: datetime.date | None = None) -> CheckIn:
    """Record that a coordinator followed up a flagged check-in (who and when). Refused when nothing in it
    is flagged or it was already handled. The caller resolves ``checkin`` within a program ``by``
    manages."""
    if checkin.handled_at is not None:
        raise FeedbackError(
            f"This check-in was already marked handled on {_day(timezone.localdate(checkin.handled_at))}."
        )
    if not checkin_flags(checkin, today):
        raise FeedbackError("Nothing in this check-in needs handling.")
    now = timezone.now()
    claimed = CheckIn.objects.filter(pk=checkin.pk, handled_at__isnull=True).update(
        handled_at=now, handled_by=by
    )
    if not claimed:
        raise FeedbackError("This check-in was already marked handled.")
    checkin.handled_at, checkin.handled_by = now, by
    return checkin
