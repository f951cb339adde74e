"""A program's status moves only along ALLOWED_TRANSITIONS, and every move is recorded."""

from __future__ import annotations

from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from people.models import User
from programs.models import Program, ProgramStatusChange

from . import ProgramError

S = Program.Status
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.ENROLLING, S.CLOSED},
    # Enrollment may be paused back to draft to fix the configuration.
    S.ENROLLING: {S.MATCHING, S.DRAFT, S.CLOSED},
    # Matching may reopen enrollment to take late applicants.
    S.MATCHING: {S.RUNNING, S.ENROLLING, S.CLOSED},
    S.RUNNING: {S.CLOSED},
    S.CLOSED: set(),
}


def program_missing(program: Program) -> list[str]:
    """What a program still needs before it can open for enrollment, in plain words."""
    missing: list[str] = []
    if not program.description.strip():
        missing.append("A description of why the program exists.")
    dates = [
        ("enrollment_opens_on", "the date enrollment opens"),
        ("enrollment_closes_on", "the date enrollment closes"),
        ("matching_on", "the matching date"),
        ("starts_on", "the start date"),
        ("ends_on", "the end date"),
    ]
    for field, label in dates:
        if getattr(program, field) is None:
            missing.append(f"Set {label}.")
    missing.extend(timeline_problems(program))
    if program.default_mentor_capacity > program.max_mentor_capacity:
        missing.append("The default mentor capacity is above the maximum.")
    if not program.key_results.exists():
        missing.append("At least one key result, so success can be measured.")
    if not program.coordinators.exists():
        missing.append("At least one coordinator to run the program day to day.")
    if not program.questions.filter(archived_at__isnull=True).exists():
        missing.append("At least one registration question, so people can be matched well.")
    return missing


def timeline_problems(program: Program) -> list[str]:
    """Dates that are set but out of order."""
    order = [
        ("enrollment_opens_on", "Enrollment opens"),
        ("enrollment_closes_on", "enrollment closes"),
        ("matching_on", "matching"),
        ("starts_on", "the program starts"),
        ("ends_on", "the program ends"),
    ]
    problems: list[str] = []
    known = [(label, getattr(program, field)) for field, label in order if getattr(program, field)]
    for (label_a, a), (label_b, b) in pairwise(known):
        if a > b:
            problems.append(f"{label_a[0].upper()}{label_a[1:]} ({a}) must not be after {label_b} ({b}).")
    if program.starts_on and program.ends_on and program.starts_on == program.ends_on:
        problems.append("The program must end after it starts.")
    return problems


@transaction.atomic
def program_transition(*, program: Program, to: str, by: User | None, why: str = "") -> Program:
    """Move ``program`` to status ``to``, or raise ProgramError saying why not."""
    locked = Program.objects.select_for_update().get(pk=program.pk)
    current = locked.status
    if to not in ALLOWED_TRANSITIONS.get(current, set()):
        raise ProgramError(
            f"A {locked.get_status_display().lower()} program cannot move to "
            f"{Program.Status(to).label.lower()}."
        )
    fields = ["status", "updated_at"]
    if to == S.ENROLLING:
        missing = program_missing(locked)
        today = timezone.localdate()
        if locked.enrollment_closes_on and locked.enrollment_closes_on < today:
            missing.append(f"Enrollment was to close on {locked.enrollment_closes_on}; move that date first.")
        if missing:
            raise ProgramError("The program is not complete yet: " + " ".join(missing))
        if locked.enrollment_opens_on and locked.enrollment_opens_on > today:
            # Opening enrollment by hand opens it now, not on the date planned earlier.
            note = f"Enrollment opened on {today} instead of the planned {locked.enrollment_opens_on}."
            why = f"{why} {note}".strip()
            locked.enrollment_opens_on = today
            fields.append("enrollment_opens_on")
    locked.status = to
    locked.save(update_fields=fields)
    ProgramStatusChange.objects.create(program=locked, from_status=current, to_status=to, by=by, why=why)
    program.status = to
    return locked
