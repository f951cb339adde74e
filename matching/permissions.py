"""Who may do what in matching. Views resolve objects only through these helpers."""

from __future__ import annotations

from django.http import Http404

from people.models import User
from people.permissions import person_for_user
from programs.models import Participant, Program
from programs.permissions import get_program_for_manager

from .models import MatchRun, Mentorship


def get_run_for_manager(user: User, slug: str, pk: int) -> tuple[Program, MatchRun]:
    """A match run of a program the user manages (HR admin or coordinator); 404 otherwise."""
    program = get_program_for_manager(user, slug)
    run = MatchRun.objects.filter(program=program, pk=pk).select_related("program", "started_by").first()
    if run is None:
        raise Http404("No such match run.")
    return program, run


def get_own_participant(user: User, program: Program, role: str) -> Participant:
    """The signed-in person's approved participation in ``program`` as ``role``; 404 otherwise."""
    person = person_for_user(user)
    participant = (
        Participant.objects.filter(
            program=program, person=person, role=role, status=Participant.Status.APPROVED
        ).first()
        if person is not None
        else None
    )
    if participant is None:
        raise Http404("You are not an approved participant in this role.")
    return participant


def mentorships_for_user(user: User):
    """The pairs the signed-in person is part of, as mentor or mentee."""
    person = person_for_user(user)
    if person is None:
        return Mentorship.objects.none()
    return Mentorship.objects.filter(mentor__person=person) | Mentorship.objects.filter(mentee__person=person)
