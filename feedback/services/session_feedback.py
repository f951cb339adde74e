"""Feedback after a session: each member rates a held session 1-5 and says what was useful; on the pair's
first held session they also answer the fit check (good fit / still deciding / not a good fit).

Feedback is given once per member and session, and read by the program's coordinators and HR admins,
never by the partner. A "not a good fit" alerts each coordinator of the program, and the author is offered
a no-fault end of the pair (``feedback.services.ending.pair_end_early``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from matching.models import Mentorship
from notifications.services import notify
from people.models import User
from people.timezones import in_time_zone_of

from ..models import RATING_RANGE, Session, SessionFeedback
from ..permissions import MENTEE, MENTOR, PairAccess
from . import FeedbackError

Fit = SessionFeedback.Fit
USEFUL_MAX_LENGTH = 4000
# Members are prompted for the feedback of sessions held this recently (the home page uses the same window).
FEEDBACK_WINDOW = datetime.timedelta(days=60)


def rating_open(access: PairAccess, session: Session, now: datetime.datetime | None = None) -> bool:
    """Whether the signed-in member may still rate a held ``session``: always while the pair is current,
    and for sessions of the last ``FEEDBACK_WINDOW`` once it has completed (a flash pair completes as soon
    as its one session is logged; a pair completed at the program's end still rates its last session).
    A pair that ended early is no longer rated."""
    if access.participant is None or session.status != Session.Status.HELD:
        return False
    if access.can_write:
        return True
    now = now or timezone.now()
    completed = access.mentorship.status == Mentorship.Status.COMPLETED
    return completed and session.starts_at >= now - FEEDBACK_WINDOW


def first_held_session_id(mentorship: Mentorship) -> int | None:
    """The pair's first held session (by when it took place), the one that carries the fit check."""
    return (
        Session.objects.held()
        .filter(mentorship=mentorship)
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def asks_fit(session: Session) -> bool:
    return session.status == Session.Status.HELD and first_held_session_id(session.mentorship) == session.pk


def _day(session: Session) -> str:
    return date_format(timezone.localtime(session.starts_at), "j M Y")


def feedback_request(session: Session) -> None:
    """Ask both members of a session just logged as held for their feedback (once each)."""
    mentorship = session.mentorship
    url = reverse("feedback:session_detail", args=[mentorship.pk, session.pk]) + "#feedback"
    fit = asks_fit(session)
    for role, person, other in (
        (MENTOR, mentorship.mentor.person, mentorship.mentee.person),
        (MENTEE, mentorship.mentee.person, mentorship.mentor.person),
    ):
        fit_line = (
            " As it was your first session together, also say whether the pair feels like a good fit."
            if fit
            else ""
        )
        with in_time_zone_of(person):
            day = _day(session)
        notify(
            recipient=person,
            kind="session_feedback_request",
            key=f"session:{session.pk}:{role}",
            subject=f"How was your session with {other.full_name} on {day}?",
            body=(
                f"Rate the session from 1 to 5 and say what was useful.{fit_line} Your feedback is read by "
                f"the program's coordinators, never by {other.full_name}."
            ),
            url=url,
        )


def _problems(rating: Any, useful: Any, fit: Any, *, fit_asked: bool) -> dict[str | None, list[str]]:
    problems: dict[str | None, list[str]] = {}
    low, high = RATING_RANGE
    if isinstance(rating, bool) or not isinstance(rating, int) or not low <= rating <= high:
        problems["rating"] = [f"Rate the session from {low} to {high}."]
    if not isinstance(useful, str):
        problems["useful"] = ["Say what was useful in words."]
    elif len(useful.strip()) > USEFUL_MAX_LENGTH:
        problems["useful"] = [
            f"Keep what was useful to at most {USEFUL_MAX_LENGTH:,} characters "
            f"(it has {len(useful.strip()):,})."
        ]
    if fit_asked and fit not in Fit.values:
        problems["fit"] = ["After your first session, say whether the pair is a good fit."]
    elif not fit_asked and fit:
        problems["fit"] = ["The fit check is asked after the pair's first session only."]
    return problems


class FeedbackInvalid(FeedbackError):
    """Feedback cannot be saved as given; ``errors`` maps a field (or None) to messages."""

    def __init__(self, errors: dict[str | None, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(m for messages in errors.values() for m in messages))


@transaction.atomic
def session_feedback_submit(
    *, access: PairAccess, session: Session, rating: Any, useful: Any = "", fit: Any = "", by: User
) -> SessionFeedback:
    """The signed-in member's feedback on a held session of their pair, given once. ``fit`` is required on
    the pair's first held session and refused on any other."""
    participant = access.participant
    if participant is None:
        raise FeedbackError(
            "Only the mentor and the mentee rate their sessions; coordinators read the ratings."
        )
    if session.mentorship_id != access.mentorship.pk:
        raise FeedbackError("That session belongs to another pair; nothing was saved.")
    # The session's row serializes two submissions of the same member.
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status != Session.Status.HELD:
        raise FeedbackError("A session is rated once it is logged as held.")
    if not rating_open(access, locked):
        status = access.mentorship.get_status_display().lower()
        raise FeedbackError(f"This pair is {status}: its sessions are no longer rated.")
    locked.mentorship = access.mentorship
    fit_asked = asks_fit(locked)
    problems = _problems(rating, useful, fit, fit_asked=fit_asked)
    if problems:
        raise FeedbackInvalid(problems)
    if SessionFeedback.objects.filter(session=locked, participant=participant).exists():
        raise FeedbackError("You already gave your feedback on this session; it is given once.")
    try:
        with transaction.atomic():
            feedback = SessionFeedback.objects.create(
                session=locked,
                participant=participant,
                rating=rating,
                useful=useful.strip(),
                fit=fit if fit_asked else "",
            )
    except IntegrityError:
        raise FeedbackError("You already gave your feedback on this session; it is given once.") from None
    if feedback.fit == Fit.NOT_GOOD:
        _alert_coordinators(access, feedback)
    return feedback


def _alert_coordinators(access: PairAccess, feedback: SessionFeedback) -> None:
    mentorship = access.mentorship
    program = mentorship.program
    author = access.participant.person if access.participant else None
    partner = access.partner.person if access.partner else None
    if author is None or partner is None:
        return
    for coordinator in program.coordinators.all():
        notify(
            recipient=coordinator,
            kind="fit_alert",
            key=f"session_feedback:{feedback.pk}",
            subject=f"{author.full_name} says the pair with {partner.full_name} is not a good fit",
            body=(
                f"After the first session of their pair in {program.name}, {author.full_name} "
                f"({access.role}) answered the fit check with “not a good fit”. They were offered a no-fault "
                "end; you can "
                "talk with them, or end the pair and re-match the mentee from the pair's page."
            ),
            url=reverse("feedback:pair_detail", args=[mentorship.pk]),
        )
