"""Completing a pair and the closure survey.

A member or a coordinator completes an active pair (at the program's end, or early: "we have reached our
goals"); the change goes through ``matching.services.mentorships.mentorship_transition``, so it leaves a
status-history row, and both members are asked for the closure survey. When a program's end date has
passed, its active pairs are completed together (by hand from the check-in page, later by a job).

The survey opens for each member once the pair is completed or ended early (if it ever started), or once
the program's end date has passed; each member answers once. The mentor also assesses the mentee's
promotion readiness. Answers are read by the member who gave them and by the program's coordinators and
HR admins, never by the partner.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from matching.models import Mentorship
from matching.services import MatchingError
from matching.services.mentorships import mentorship_transition
from notifications.services import notify
from people.models import User
from programs.models import Program

from ..models import ClosureSurvey
from ..permissions import COORDINATOR, MENTEE, MENTOR, PairAccess
from . import FeedbackError

M = Mentorship.Status
WHAT_CHANGED_MAX_LENGTH = 2000


def program_ended(program: Program, today: datetime.date | None = None) -> bool:
    """Whether the program's end date has passed (it ends at the end of ``ends_on``)."""
    today = today or timezone.localdate()
    return program.ends_on is not None and program.ends_on < today


def closure_open(mentorship: Mentorship, today: datetime.date | None = None) -> bool:
    """Whether the pair's closure survey is open: the pair is completed, ended early after it started, or
    still active after the program's end date."""
    if mentorship.status == M.COMPLETED:
        return True
    if mentorship.status == M.ENDED_EARLY:
        return mentorship.started_on is not None
    return mentorship.status == M.ACTIVE and program_ended(mentorship.program, today)


def closure_answerable(*, access: PairAccess, today: datetime.date | None = None) -> None:
    """Raise ``FeedbackError`` unless the signed-in member may answer the pair's closure survey now."""
    participant = access.participant
    if participant is None:
        raise FeedbackError("Only the mentor and the mentee answer the closure survey.")
    if not closure_open(access.mentorship, today):
        raise FeedbackError(
            "The closure survey opens when the pair is completed or ended, or when the program has ended."
        )
    if ClosureSurvey.objects.filter(mentorship=access.mentorship, participant=participant).exists():
        raise FeedbackError("You already answered the closure survey; it is answered once.")


def closure_submit(
    *,
    access: PairAccess,
    goals_achieved: str,
    would_recommend: bool | None,
    what_changed: str,
    promotion_readiness: str,
    by: User,
    today: datetime.date | None = None,
) -> ClosureSurvey:
    """A member's closure survey, once. The mentor must assess the mentee's promotion readiness; the mentee
    may not. Refused with nothing saved when the survey is not open, was already answered, or an answer
    is missing or out of the lists."""
    closure_answerable(access=access, today=today)
    if goals_achieved not in ClosureSurvey.GoalsAchieved.values:
        raise FeedbackError("Say how many of your goals you achieved, choosing from the list.")
    if not isinstance(would_recommend, bool):
        raise FeedbackError("Answer yes or no: would you recommend the program?")
    what_changed = (what_changed or "").strip()
    if len(what_changed) > WHAT_CHANGED_MAX_LENGTH:
        raise FeedbackError(
            f"Keep what changed to at most {WHAT_CHANGED_MAX_LENGTH} characters (it has {len(what_changed)})."
        )
    promotion_readiness = (promotion_readiness or "").strip()
    if access.role == MENTOR and promotion_readiness not in ClosureSurvey.Readiness.values:
        raise FeedbackError("Assess your mentee's promotion readiness, choosing from the list.")
    if access.role == MENTEE and promotion_readiness:
        raise FeedbackError("Only the mentor assesses promotion readiness.")
    participant = access.participant
    assert participant is not None  # closure_answerable refused anyone else
    try:
        with transaction.atomic():
            return ClosureSurvey.objects.create(
                mentorship=access.mentorship,
                participant=participant,
                goals_achieved=goals_achieved,
                would_recommend=would_recommend,
                what_changed=what_changed,
                promotion_readiness=promotion_readiness,
            )
    except IntegrityError as error:  # a second submission at the same moment
        raise FeedbackError("You already answered the closure survey; it is answered once.") from error


# --- Completion ---------------------------------------------------------------------------------------------


def complete_pair(mentorship: Mentorship, *, by: User | None, why: str) -> Mentorship:
    """Record that an active pair is completed (``why`` goes to its status history) and ask both members
    for the closure survey."""
    with transaction.atomic():
        try:
            completed = mentorship_transition(mentorship=mentorship, to=M.COMPLETED, by=by, why=why)
        except MatchingError as error:
            raise FeedbackError(str(error)) from error
        ask_for_closure_survey(completed)
    mentorship.status, mentorship.ended_on = completed.status, completed.ended_on
    return completed


def ask_for_closure_survey(mentorship: Mentorship) -> None:
    """Notify both members that their closure survey is open (once per pair and member)."""
    program = mentorship.program
    mentor, mentee = mentorship.mentor, mentorship.mentee
    url = reverse("feedback:closure", args=[mentorship.pk])
    for member, partner, extra in (
        (mentor, mentee, f" and how ready you think {mentee.person.full_name} is for a promotion"),
        (mentee, mentor, ""),
    ):
        notify(
            recipient=member.person,
            kind="closure_survey",
            key=str(mentorship.pk),
            subject=f"Your pair with {partner.person.full_name} is complete: look back on it",
            body=(
                f"Your pair with {partner.person.full_name} in {program.name} is complete. Thank you for the "
                f"time you gave it. Tell us in a few clicks how many of your goals you achieved, whether you "
                f"would recommend the program, what changed for you{extra}.\n\n"
                f"Your answers are read by the program's coordinators, never by {partner.person.full_name}."
            ),
            url=url,
        )


def pair_complete(*, access: PairAccess, by: User, today: datetime.date | None = None) -> Mentorship:
    """Mark an active pair completed (a member or a coordinator; at the program's end, or early when the
    pair has reached its goals), and ask both members for the closure survey."""
    mentorship = access.mentorship
    if access.role not in (MENTOR, MENTEE, COORDINATOR):
        raise FeedbackError("Only the pair and its coordinators can complete it.")
    if mentorship.status != M.ACTIVE:
        if mentorship.status == M.PROPOSED:
            raise FeedbackError("This pair has not started yet; only an active pair can be completed.")
        raise FeedbackError(f"This pair is already {mentorship.get_status_display().lower()}.")
    program = mentorship.program
    who = access.person.full_name if access.person and access.is_member else "A coordinator"
    if program.ends_on is not None and program_ended(program, today):
        why = f"Completed at the end of the program (it ended on {format_date(program.ends_on, 'j F Y')})."
    else:
        why = f"Completed early: {who} said the pair has reached its goals."
    return complete_pair(mentorship, by=by, why=why)


def pairs_complete_at_program_end(
    program: Program, by: User | None = None, *, today: datetime.date | None = None
) -> int:
    """Complete every active pair of a program whose end date has passed; returns how many were completed.
    Each pair is completed in its own transaction, so one that changed meanwhile does not stop the rest;
    a second call finds nothing left to complete."""
    today = today or timezone.localdate()
    if program.ends_on is None or not program_ended(program, today):
        when = f"ends on {format_date(program.ends_on, 'j F Y')}" if program.ends_on else "has no end date"
        raise FeedbackError(f"{program.name} {when}; its pairs are completed together once it has ended.")
    why = f"Completed at the end of the program (it ended on {format_date(program.ends_on, 'j F Y')})."
    pairs = Mentorship.objects.filter(program=program, status=M.ACTIVE).select_related(
        "program", "mentor__person", "mentee__person"
    )
    completed = 0
    for mentorship in pairs.order_by("pk"):
        try:
            complete_pair(mentorship, by=by, why=why)
        except FeedbackError:
            continue  # ended or completed by someone else in the meantime
        completed += 1
    return completed
