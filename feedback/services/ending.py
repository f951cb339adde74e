"""Ending a pair: a no-fault early end (by either member or a coordinator) and completion.

An early end records a reason category that only coordinators see, keeps the whole history, tells the
other member and the coordinators, and offers the mentee a new mentor: fresh suggestions without this
mentor in mentee-choice programs, and a one-click re-match for the coordinators in every program.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from matching.models import Mentorship
from matching.services import MatchingError
from matching.services.choice import CHOICE_MODES
from matching.services.mentorships import mentorship_transition
from notifications.services import notify
from people.models import User

from ..models import HealthAction
from ..permissions import COORDINATOR, MENTEE, MENTOR, PairAccess
from . import FeedbackError
from .closure import ask_for_closure_survey

M = Mentorship.Status
Category = Mentorship.EndCategory
NOTE_MAX_LENGTH = 2000


def _current_or_refuse(mentorship: Mentorship) -> None:
    if mentorship.status not in (M.PROPOSED, M.ACTIVE):
        raise FeedbackError(f"This pair is already {mentorship.get_status_display().lower()}.")


@transaction.atomic
def pair_end_early(*, access: PairAccess, category: str, note: str, by: User) -> Mentorship:
    """End the pair early, no fault implied. ``category`` is one of ``Mentorship.EndCategory``; ``note`` is
    for the coordinators. Refused with nothing changed when the pair is not current or input is bad."""
    mentorship = access.mentorship
    if access.role not in (MENTOR, MENTEE, COORDINATOR):
        raise FeedbackError("Only the pair and its coordinators can end it.")
    if category not in Category.values:
        raise FeedbackError("Choose why the pair ends from the list.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise FeedbackError(f"Keep the note to at most {NOTE_MAX_LENGTH} characters (it has {len(note)}).")
    _current_or_refuse(mentorship)
    label = Category(category).label
    try:
        ended = mentorship_transition(
            mentorship=mentorship, to=M.ENDED_EARLY, by=by, why=f"{label}. {note}".strip()
        )
    except MatchingError as error:
        raise FeedbackError(str(error)) from error
    Mentorship.objects.filter(pk=ended.pk).update(end_category=category)
    ended.end_category = category
    mentorship.status, mentorship.end_category = ended.status, category
    if access.role == COORDINATOR:
        HealthAction.objects.create(mentorship=ended, kind=HealthAction.Kind.ENDED, note=note, by=by)
    _tell_about_end(ended, ended_by=access.role)
    if ended.started_on is not None:
        ask_for_closure_survey(ended)
    return ended


def _tell_about_end(mentorship: Mentorship, *, ended_by: str) -> None:
    program = mentorship.program
    mentor, mentee = mentorship.mentor, mentorship.mentee
    who = {MENTOR: mentor.person.full_name, MENTEE: mentee.person.full_name}.get(ended_by, "A coordinator")
    key = f"mentorship:{mentorship.pk}"
    if program.matching_mode in CHOICE_MODES:
        next_step = "Choose a new mentor among fresh suggestions; the coordinators can also pair you."
        mentee_url = reverse("matching:choose", args=[program.slug])
    else:
        next_step = "The coordinators will pair you with a new mentor."
        mentee_url = program.get_absolute_url()
    notify(
        recipient=mentee.person,
        kind="pair_ended",
        key=key,
        subject=f"Your pair with {mentor.person.full_name} in {program.name} has ended",
        body=(
            f"{who} ended the pair early. This happens, and no fault is implied. {next_step}\n\n"
            "Your goals, sessions and notes stay where they were."
        ),
        url=mentee_url,
    )
    notify(
        recipient=mentor.person,
        kind="pair_ended",
        key=key,
        subject=f"Your pair with {mentee.person.full_name} in {program.name} has ended",
        body=(
            f"{who} ended the pair early. This happens, and no fault is implied. Thank you for the time you "
            "gave; the place frees up for another mentee."
        ),
        url=reverse("feedback:pair_detail", args=[mentorship.pk]),
    )
    if ended_by != COORDINATOR:
        rematch = reverse("matching:run_list", args=[program.slug])
        for coordinator in program.coordinators.all():
            notify(
                recipient=coordinator,
                kind="pair_ended_coordinator",
                key=key,
                subject=f"{mentor.person.full_name} and {mentee.person.full_name} ended their pair early",
                body=(
                    f"In {program.name}, {who} ended the pair early ("
                    f"{mentorship.get_end_category_display().lower()}). {mentee.person.full_name} can be "
                    "re-matched in one click on the program's matching page."
                ),
                url=rematch,
            )
