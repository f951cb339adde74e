"""Who may see and do what in the life of a pair. Views resolve every object through these helpers.

- The mentor and the mentee of a pair read it and write to it (while it is current; afterwards they read it
  and answer its closure survey).
- The program's coordinators and HR admins read the pair, its sessions' shared parts, session feedback and
  check-in answers, and act on it (nudge, end, mark handled); they never write the pair's own content.
- A private note is read by its author alone: no helper here ever returns someone else's.
- Everyone else gets 404, exactly as if the pair did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from matching.models import Mentorship
from people.models import Person, User
from people.permissions import is_hr_admin, person_for_user
from programs.models import Participant, Program
from programs.permissions import get_program_for_manager, programs_managed_by

from .models import PrivateNote, Session

MENTOR, MENTEE, COORDINATOR = "mentor", "mentee", "coordinator"


@dataclass(frozen=True)
class PairAccess:
    """A pair as the signed-in user may see it, and in which capacity."""

    mentorship: Mentorship
    role: str  # MENTOR, MENTEE or COORDINATOR (HR admins see pairs as coordinators do)
    person: Person | None

    @property
    def is_member(self) -> bool:
        return self.role in (MENTOR, MENTEE)

    @property
    def participant(self) -> Participant | None:
        """The member's own participation in the pair; None for coordinators."""
        if self.role == MENTOR:
            return self.mentorship.mentor
        if self.role == MENTEE:
            return self.mentorship.mentee
        return None

    @property
    def partner(self) -> Participant | None:
        if self.role == MENTOR:
            return self.mentorship.mentee
        if self.role == MENTEE:
            return self.mentorship.mentor
        return None

    @property
    def can_write(self) -> bool:
        """Members write to a current pair (agreement, goals, sessions, feedback, check-ins)."""
        return self.is_member and self.mentorship.status in (
            Mentorship.Status.PROPOSED,
            Mentorship.Status.ACTIVE,
        )


def _pairs():
    return Mentorship.objects.select_related(
        "program",
        "mentor__person__department__division",
        "mentee__person__department__division",
        "mentor__person__user",
        "mentee__person__user",
    )


def get_pair_for_user(user: User, pk: int) -> PairAccess:
    """The pair ``pk`` if ``user`` is its mentor, its mentee, one of its program's coordinators or an HR
    admin; 404 for anyone else."""
    mentorship = _pairs().filter(pk=pk).first()
    if mentorship is None or not user.is_authenticated:
        raise Http404("No such pair.")
    person = person_for_user(user)
    if person is not None and mentorship.mentor.person_id == person.pk:
        return PairAccess(mentorship, MENTOR, person)
    if person is not None and mentorship.mentee.person_id == person.pk:
        return PairAccess(mentorship, MENTEE, person)
    if is_hr_admin(user) or programs_managed_by(user).filter(pk=mentorship.program_id).exists():
        return PairAccess(mentorship, COORDINATOR, person)
    raise Http404("No such pair.")


def get_pair_for_member(user: User, pk: int) -> PairAccess:
    """The pair for writing: its mentor or mentee only (a coordinator gets 403, anyone else 404)."""
    access = get_pair_for_user(user, pk)
    if not access.is_member:
        raise PermissionDenied("Only the mentor and the mentee write to their pair.")
    return access


def get_pair_for_coordinator(user: User, pk: int) -> PairAccess:
    """The pair for a coordinator's action (nudge, end, mark handled); the pair's members get 403."""
    access = get_pair_for_user(user, pk)
    if access.role != COORDINATOR:
        raise PermissionDenied("Only the program's coordinators and HR admins do this.")
    return access


def get_session_for_user(user: User, pair_pk: int, pk: int) -> tuple[PairAccess, Session]:
    """A session of a pair the user may see; 404 otherwise (also when the session is another pair's)."""
    access = get_pair_for_user(user, pair_pk)
    session = Session.objects.filter(mentorship=access.mentorship, pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    return access, session


def own_private_notes(user: User, sessions) -> dict[int, PrivateNote]:
    """The user's own private notes on ``sessions``, by session id. The only way notes are read."""
    if not user.is_authenticated:
        return {}
    notes = PrivateNote.objects.filter(author=user, session__in=sessions)
    return {note.session_id: note for note in notes}


def pairs_for_member(user: User):
    """Current and past pairs the signed-in person is part of, as mentor or mentee."""
    person = person_for_user(user)
    if person is None:
        return Mentorship.objects.none()
    return _pairs().filter(mentor__person=person) | _pairs().filter(mentee__person=person)


def get_program_for_board(user: User, slug: str) -> Program:
    """A program whose health board the user may see: its coordinators and HR admins; 404 otherwise."""
    return get_program_for_manager(user, slug)
