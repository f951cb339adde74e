"""Create pairs and move them between states, safely under concurrency.

Capacity is checked with the mentor's and mentee's Participant rows locked (SELECT ... FOR UPDATE), so two
requests accepted at once never take a mentor past capacity nor give a mentee more mentors than the
program allows. The database also refuses a second current pairing of the same two people.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from people.models import User
from programs.models import Participant

from ..models import MatchRun, Mentorship, MentorshipStatusChange
from . import MatchingError

M = Mentorship.Status
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    M.PROPOSED: {M.ACTIVE, M.ENDED_EARLY},
    M.ACTIVE: {M.COMPLETED, M.ENDED_EARLY},
    M.COMPLETED: set(),
    M.ENDED_EARLY: set(),
}


def mentor_capacity(mentor: Participant) -> int:
    return mentor.capacity or mentor.program.default_mentor_capacity


def mentorship_create(
    *,
    mentor: Participant,
    mentee: Participant,
    by: User | None,
    source: str,
    run: MatchRun | None = None,
    score: float | None = None,
    status: str = M.ACTIVE,
    why: str = "",
) -> Mentorship:
    """Pair ``mentor`` with ``mentee``, or raise MatchingError saying why not. Call inside a transaction
    when several pairs must be made together (publishing a run)."""
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Participant.objects.select_for_update()
            .select_related("program")
            .filter(pk__in=[mentor.pk, mentee.pk])
            .order_by("pk")
        }
        mentor, mentee = locked[mentor.pk], locked[mentee.pk]
        program = mentor.program
        if mentee.program_id != program.pk:
            raise MatchingError("A mentor and a mentee of different programs cannot be paired.")
        if mentor.role != Participant.Role.MENTOR or mentee.role != Participant.Role.MENTEE:
            raise MatchingError("Pairs are made of one mentor and one mentee.")
        if mentor.person_id == mentee.person_id:
            raise MatchingError("Nobody can mentor themself.")
        for participant in (mentor, mentee):
            if participant.status != Participant.Status.APPROVED:
                raise MatchingError(
                    f"{participant.person} is not an approved {participant.get_role_display().lower()} "
                    "of the program."
                )
        current = Mentorship.objects.current()
        if current.filter(mentor=mentor, mentee=mentee).exists():
            raise MatchingError(f"{mentor.person} and {mentee.person} are already a pair.")
        taken = current.filter(mentor=mentor).count()
        if taken >= mentor_capacity(mentor):
            raise MatchingError(
                f"{mentor.person} is at capacity ({taken} of {mentor_capacity(mentor)} mentees)."
            )
        if current.filter(mentee=mentee).count() >= program.mentors_per_mentee:
            raise MatchingError(f"{mentee.person} already has as many mentors as the program allows.")
        mentorship = Mentorship.objects.create(
            program=program,
            mentor=mentor,
            mentee=mentee,
            status=status,
            source=source,
            run=run,
            score=score,
            started_on=timezone.localdate() if status == M.ACTIVE else None,
        )
        MentorshipStatusChange.objects.create(
            mentorship=mentorship, from_status="", to_status=status, by=by, why=why
        )
    return mentorship


@transaction.atomic
def mentorship_transition(*, mentorship: Mentorship, to: str, by: User | None, why: str = "") -> Mentorship:
    locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    current = locked.status
    if to not in ALLOWED_TRANSITIONS.get(current, set()):
        raise MatchingError(
            f"A pair that is {locked.get_status_display().lower()} cannot become {M(to).label.lower()}."
        )
    if to == M.ENDED_EARLY and not why.strip():
        raise MatchingError("Say why the pair ends early; it stays in the record (no fault is implied).")
    locked.status = to
    fields = ["status", "updated_at"]
    if to == M.ACTIVE and locked.started_on is None:
        locked.started_on = timezone.localdate()
        fields.append("started_on")
    if to in (M.COMPLETED, M.ENDED_EARLY):
        locked.ended_on = timezone.localdate()
        locked.end_reason = why.strip()
        fields += ["ended_on", "end_reason"]
    locked.save(update_fields=fields)
    MentorshipStatusChange.objects.create(
        mentorship=locked, from_status=current, to_status=to, by=by, why=why
    )
    mentorship.status = to
    return locked
