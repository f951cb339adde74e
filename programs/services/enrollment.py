"""Enrollment: applying with the questionnaire, changing answers, withdrawing, and coordinators' decisions.

A participant's status moves only along ``ALLOWED_TRANSITIONS``; every move (and every change of answers)
leaves a ``ParticipantStatusChange``. Everything a form checks is checked here again, so a crafted POST
meets the same rules as the page. Who may apply is in ``eligibility``; invitations and manager approval
have their own modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentoring.audit import log_changes
from notifications.services import notify
from people.models import Person, User
from programs.forms.answers import NUMBER_LIMIT, TEXT_MAX_LENGTH
from programs.models import (
    Answer,
    Participant,
    ParticipantStatusChange,
    Program,
    Question,
)
from programs.text import human_join, plural

from . import ProgramError
from .eligibility import eligibility_problems, enrollment_closed_reason, role_conflict

P = Participant.Status
R = Participant.Role
M = Participant.ManagerApproval

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    P.APPLIED: {P.APPROVED, P.WAITLISTED, P.DECLINED, P.WITHDRAWN},
    P.WAITLISTED: {P.APPROVED, P.DECLINED, P.WITHDRAWN},
    # Back to the waiting list only before matching starts (checked in participants_decide).
    P.APPROVED: {P.WAITLISTED, P.WITHDRAWN},
    # A declined application has nothing left to withdraw, and a withdrawal is final.
    P.DECLINED: set(),
    P.WITHDRAWN: set(),
}
# What coordinators decide; withdrawing is the participant's own move.
DECISIONS = (P.APPROVED, P.WAITLISTED, P.DECLINED)
DECISION_VERBS: dict[str, str] = {
    P.APPROVED: "approved",
    P.WAITLISTED: "put on the waiting list",
    P.DECLINED: "declined",
}
DECIDING_STATUSES = {Program.Status.ENROLLING, Program.Status.MATCHING, Program.Status.RUNNING}


# --- Answers ----------------------------------------------------------------------------------------------


def _clean_value(question: Question, value: Any, label: str) -> tuple[Any, str | None]:
    """(clean value, problem); a clean value of None means unanswered."""
    if value is None or value == "" or value == []:
        return None, None
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        if not isinstance(value, str) or value not in question.choices:
            return None, f"{label}: “{value}” is not one of the choices offered."
        return value, None
    if kind == Question.Kind.MULTI:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None, f"{label}: choose among the options offered."
        unknown = [v for v in values if v not in question.choices]
        if unknown:
            return None, f"{label}: {human_join([f'“{v}”' for v in unknown])} not among the choices offered."
        return list(dict.fromkeys(values)), None
    if kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value.strip())
        low, high = (1, 5) if kind == Question.Kind.SCALE else (-NUMBER_LIMIT, NUMBER_LIMIT)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return None, f"{label} takes a whole number from {low:,} to {high:,}."
        return value, None
    if not isinstance(value, str):
        return None, f"{label} takes text."
    text = value.strip()
    if len(text) > TEXT_MAX_LENGTH:
        return None, f"{label} is too long: at most {TEXT_MAX_LENGTH:,} characters (it has {len(text):,})."
    return text or None, None


def answers_clean(*, program: Program, role: str, answers: Mapping[int, Any]) -> dict[int, Any]:
    """The answers checked against the program's questionnaire, or ProgramError naming each problem."""
    questions = {q.pk: q for q in program.questions.all()}
    problems: list[str] = []
    foreign = [key for key in answers if not isinstance(key, int) or key not in questions]
    if foreign:
        problems.append(
            "Some answers are for questions that are not in this program's questionnaire; reload the page "
            "and answer again."
        )
    clean: dict[int, Any] = {}
    for pk, question in questions.items():
        label = f"“{question.text_for(role)}”"
        if question.archived_at is not None:
            if pk in answers:
                problems.append(f"{label} is no longer asked; reload the page and answer again.")
            continue
        value, problem = _clean_value(question, answers.get(pk), label)
        if problem:
            problems.append(problem)
        elif value is None and question.required:
            problems.append(f"{label} needs an answer.")
        elif value is not None:
            clean[pk] = value
    if problems:
        raise ProgramError(" ".join(problems))
    return clean


def _capacity_clean(*, program: Program, role: str, capacity: int | None) -> int | None:
    if role == R.MENTEE:
        if capacity is not None:
            raise ProgramError("Only mentors state how many mentees they can take.")
        return None
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise ProgramError("Say how many mentees you can take.")
    if not 1 <= capacity <= program.max_mentor_capacity:
        raise ProgramError(
            f"Mentors in this program take from 1 to {program.max_mentor_capacity} mentees; "
            f"you asked for {capacity}."
        )
    return capacity


def role_clean(role: str) -> str:
    """The role as given, or ProgramError when it is neither mentor nor mentee."""
    if role not in R.values:
        raise ProgramError("Apply as a mentor or as a mentee.")
    return role


def record_status_change(participant: Participant, *, from_status: str, by: User | None, why: str) -> None:
    """The history row of a move to the participant's current status (or of a change of answers)."""
    ParticipantStatusChange.objects.create(
        participant=participant, from_status=from_status, to_status=participant.status, by=by, why=why
    )


def program_url(program: Program) -> str:
    """Where notifications about a program send people: its page."""
    return reverse("programs:program_detail", args=[program.slug])


# --- Applying, editing, withdrawing -----------------------------------------------------------------------


def participant_apply(
    *,
    program: Program,
    person: Person,
    role: str,
    answers: Mapping[int, Any],
    capacity: int | None,
    by: User | None,
) -> Participant:
    """Apply ``person`` to ``program`` as ``role`` with their answers, or ProgramError saying why not."""
    role = role_clean(role)
    closed = enrollment_closed_reason(program)
    if closed:
        raise ProgramError(closed)
    problems = eligibility_problems(program=program, person=person, role=role)
    if problems:
        raise ProgramError(" ".join(problems))
    existing = {p.role: p for p in Participant.objects.filter(program=program, person=person)}
    if role in existing:
        raise ProgramError(
            f"You already applied as a {R(role).label.lower()} to {program.name} "
            f"(status: {existing[role].get_status_display().lower()})."
        )
    conflict = role_conflict(program=program, role=role, other_roles=existing)
    if conflict:
        raise ProgramError(conflict)
    capacity = _capacity_clean(program=program, role=role, capacity=capacity)
    clean = answers_clean(program=program, role=role, answers=answers)

    notes: list[str] = ["Applied."]
    manager = person.manager
    manager_approval = M.NOT_REQUIRED
    if program.manager_approval:
        if manager is not None and manager.status != Person.Status.LEFT:
            manager_approval = M.PENDING
            notes.append(f"Waiting for {manager.full_name}, their manager, to approve.")
        else:
            notes.append("No current manager on record, so no manager approval was needed.")
    status = P.APPLIED
    if not program.enrollment_approval and manager_approval == M.NOT_REQUIRED:
        status = P.APPROVED
        notes.append("Approved directly: this program does not review applications.")
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                program=program,
                person=person,
                role=role,
                status=status,
                capacity=capacity,
                manager_approval=manager_approval,
            )
            Answer.objects.bulk_create(
                Answer(participant=participant, question_id=pk, value=value) for pk, value in clean.items()
            )
            record_status_change(participant, from_status="", by=by, why=" ".join(notes))
            if manager is not None and manager_approval == M.PENDING:
                _notify_manager(participant, manager)
    except IntegrityError as exc:
        raise ProgramError(f"You already applied as a {R(role).label.lower()} to {program.name}.") from exc
    return participant


def _notify_manager(participant: Participant, manager: Person) -> None:
    program, person = participant.program, participant.person
    role = participant.get_role_display().lower()
    days = program.manager_approval_days
    notify(
        recipient=manager,
        kind="manager_approval",
        key=f"participant:{participant.pk}",
        subject=f"{person.full_name} asks to join {program.name} as a {role}",
        body=(
            f"{person.full_name} applied to the mentoring program {program.name} as a {role}, and the "
            "program asks their manager to agree first. Please approve or decline. If there is no answer "
            f"within {days} {plural(days, 'day', 'days')}, the application counts as approved."
        ),
        url=reverse("programs:manager_approvals"),
    )


def answers_editable_reason(participant: Participant) -> str | None:
    """Why the participant can no longer change their answers, or None while they can."""
    if participant.status in (P.WITHDRAWN, P.DECLINED):
        status = participant.get_status_display().lower()
        return f"Your application was {status}, so the answers are kept as they were."
    if participant.program.status != Program.Status.ENROLLING:
        return (
            "Enrollment has ended, so answers can no longer change: matching uses them as they are. "
            "If something is wrong, write to the program's coordinators."
        )
    return None


@transaction.atomic
def participant_answers_update(
    *, participant: Participant, answers: Mapping[int, Any], capacity: int | None, by: User | None
) -> Participant:
    """Replace the participant's answers (and a mentor's capacity) while enrollment is open."""
    participant = Participant.objects.select_for_update().select_related("program").get(pk=participant.pk)
    reason = answers_editable_reason(participant)
    if reason:
        raise ProgramError(reason)
    program = participant.program
    capacity = _capacity_clean(program=program, role=participant.role, capacity=capacity)
    clean = answers_clean(program=program, role=participant.role, answers=answers)
    current = {a.question_id: a for a in participant.answers.filter(question__archived_at__isnull=True)}
    stale = [a.pk for pk, a in current.items() if pk not in clean]
    Answer.objects.filter(pk__in=stale).delete()
    changed = bool(stale)
    for pk, value in clean.items():
        answer = current.get(pk)
        if answer is None:
            Answer.objects.create(participant=participant, question_id=pk, value=value)
            changed = True
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value", "updated_at"])
            changed = True
    why = ["Changed their answers."] if changed else []
    if capacity != participant.capacity:
        why.append(f"Capacity {participant.capacity} → {capacity}.")
        participant.capacity = capacity
        participant.save(update_fields=["capacity", "updated_at"])
    if why:
        record_status_change(participant, from_status=participant.status, by=by, why=" ".join(why))
    return participant


@transaction.atomic
def participant_withdraw(*, participant: Participant, by: User | None, reason: str = "") -> Participant:
    """The participant leaves the program; allowed at any time, final."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if P.WITHDRAWN not in ALLOWED_TRANSITIONS[participant.status]:
        raise ProgramError(
            f"Your application is {participant.get_status_display().lower()}; there is nothing to withdraw."
        )
    reason = reason.strip()
    if len(reason) > 1000:
        raise ProgramError("Keep the reason under 1,000 characters.")
    previous = participant.status
    participant.status = P.WITHDRAWN
    participant.save(update_fields=["status", "updated_at"])
    record_status_change(participant, from_status=previous, by=by, why=reason or "Withdrew.")
    return participant


# --- Decisions by coordinators ----------------------------------------------------------------------------


def _decision_problem(participant: Participant, to: str, program: Program) -> str | None:
    who = f"{participant.person.full_name} ({participant.get_role_display().lower()})"
    if participant.status == to:
        return f"{who} is already {participant.get_status_display().lower()}."
    if to not in ALLOWED_TRANSITIONS[participant.status]:
        return f"{who} is {participant.get_status_display().lower()} and cannot be {DECISION_VERBS[to]}."
    if participant.manager_approval == M.PENDING:
        return f"{who} is still waiting for their manager's approval."
    if participant.status == P.APPROVED and program.status != Program.Status.ENROLLING:
        return f"{who} is approved and cannot go back to the waiting list once enrollment has ended."
    return None


def _decision_message(participant: Participant, to: str, reason: str) -> tuple[str, str]:
    program = participant.program
    role = participant.get_role_display().lower()
    if to == P.APPROVED:
        return (
            f"You are in: {program.name}",
            f"Your application to {program.name} as a {role} was approved. You will hear when you are "
            "matched.",
        )
    if to == P.WAITLISTED:
        return (
            f"You are on the waiting list for {program.name}",
            f"Your application to {program.name} as a {role} is on the waiting list. {reason}",
        )
    return (
        f"Your application to {program.name}",
        f"Your application to {program.name} as a {role} was declined. {reason}",
    )


def notify_decision(participant: Participant, reason: str = "") -> None:
    """Tell the applicant that their application was approved, waitlisted or declined, once per status."""
    subject, body = _decision_message(participant, participant.status, reason)
    notify(
        recipient=participant.person,
        kind="application_decided",
        key=f"participant:{participant.pk}:{participant.status}",
        subject=subject,
        body=body.strip(),
        url=program_url(participant.program),
    )


@transaction.atomic
def participants_decide(
    *, program: Program, participant_ids: Iterable[int], to: str, reason: str, by: User | None
) -> list[Participant]:
    """Approve, waitlist or decline many applications: all of them, or none, naming every offender."""
    if to not in DECISIONS:
        raise ProgramError("Choose to approve, waitlist or decline.")
    ids = set(participant_ids)
    if not ids:
        raise ProgramError("Choose at least one person.")
    reason = reason.strip()
    if to in (P.WAITLISTED, P.DECLINED) and not reason:
        raise ProgramError(
            f"Say why the applications are {DECISION_VERBS[to]}: the applicants see the reason."
        )
    if len(reason) > 1000:
        raise ProgramError("Keep the reason under 1,000 characters.")
    if program.status not in DECIDING_STATUSES:
        raise ProgramError(
            f"Applications are decided while the program is enrolling, matching or running; this one is "
            f"{program.get_status_display().lower()}."
        )
    participants = list(
        Participant.objects.select_for_update(of=("self",))
        .filter(program=program, pk__in=ids)
        .select_related("person", "program")
        .order_by("person__full_name", "pk")
    )
    if len(participants) != len(ids):
        raise ProgramError("Some of the chosen people are not in this program. Nothing was changed.")
    offenders = [p for p in (_decision_problem(p, to, program) for p in participants) if p]
    if offenders:
        raise ProgramError("Nothing was changed: " + " ".join(offenders))
    now = timezone.now()
    stored_reason = "" if to == P.APPROVED else reason
    Participant.objects.filter(pk__in=ids).update(status=to, reason=stored_reason, updated_at=now)
    log_changes(((p, {"status": (p.status, to)}) for p in participants), by=by)
    ParticipantStatusChange.objects.bulk_create(
        ParticipantStatusChange(participant=p, from_status=p.status, to_status=to, by=by, why=reason)
        for p in participants
    )
    for participant in participants:
        participant.status, participant.reason = to, stored_reason
        notify_decision(participant, stored_reason)
    return participants
