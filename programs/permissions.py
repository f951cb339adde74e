"""Who may do what with programs. Views resolve every object through the helpers below the rules.

Objects answer 404 both when they do not exist and when the user may not see them (``get_*``); pages
for a role answer a plain 403 to everyone else (``require_*``).
"""

from __future__ import annotations

from typing import TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from people.models import Person, User
from people.permissions import is_employee, is_hr_admin, person_for_user, require_hr_admin

from .models import KeyResult, Participant, Program, Question, Resource

ObjectT = TypeVar("ObjectT", bound=Model)

# Participants read the playbook from the moment they apply; declined, withdrawn and waitlisted do not.
READER_STATUSES = (Participant.Status.APPLIED, Participant.Status.APPROVED)


def _in_role(user: User, program: Program | None, role: str) -> bool:
    person = person_for_user(user)
    if program is None or person is None:
        return False
    return getattr(program, role).filter(pk=person.pk).exists()


@rules.predicate
def is_coordinator(user: User, program: Program | None) -> bool:
    return _in_role(user, program, "coordinators")


@rules.predicate
def is_sponsor(user: User, program: Program | None) -> bool:
    return _in_role(user, program, "sponsors")


# HR admins create programs.
rules.add_perm("programs.add_program", is_hr_admin)
# HR admins and the program's coordinators configure and run it day to day.
rules.add_perm("programs.manage_program", is_hr_admin | is_coordinator)
# Governance (coordinators, sponsors, budget, deleting a draft) stays with HR admins.
rules.add_perm("programs.govern_program", is_hr_admin)
# HR admins keep the mentor training record.
rules.add_perm("programs.manage_training", is_hr_admin)
# Any employee may read and apply to programs (eligibility is checked by the enrollment service).
rules.add_perm("programs.apply", is_employee)


def _employee(user: User) -> Person | None:
    """The directory entry of a current employee; None for other logins (HR admins without one, leavers)."""
    person = person_for_user(user)
    return person if person is not None and is_employee(user) else None


def _first_or_404(queryset: QuerySet[ObjectT], message: str, **lookup: object) -> ObjectT:
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(message)
    return found


# --- Programs -----------------------------------------------------------------------------------------------


def programs_managed_by(user: User) -> QuerySet[Program]:
    if is_hr_admin(user):
        return Program.objects.all()
    person = person_for_user(user)
    if person is None:
        return Program.objects.none()
    return Program.objects.filter(coordinators=person)


def programs_visible_to_employee(user: User) -> QuerySet[Program]:
    """Programs an employee may read: open ones, and any they take part in."""
    person = _employee(user)
    if person is None:
        return Program.objects.none()
    return Program.objects.filter(
        Q(status__in=[Program.Status.ENROLLING, Program.Status.MATCHING, Program.Status.RUNNING])
        | Q(participants__person=person)
    ).distinct()


def get_program_for_manager(user: User, slug: str) -> Program:
    """A program its HR admins and coordinators manage; 404 for anyone else."""
    return _first_or_404(programs_managed_by(user), "No such program.", slug=slug)


def get_program_for_employee(user: User, slug: str) -> Program:
    """A program as employees see it (open, or one they take part in); 404 for anyone else."""
    return _first_or_404(programs_visible_to_employee(user), "No such program.", slug=slug)


def get_program_for_user(user: User, slug: str) -> tuple[Program, bool]:
    """The program as employees see it, or as its HR admins and coordinators do, and whether ``user``
    manages it; 404 for anyone else."""
    try:
        program = get_program_for_employee(user, slug)
    except Http404:
        program = get_program_for_manager(user, slug)
    return program, user.has_perm("programs.manage_program", program)


def get_playbook_for_user(user: User, slug: str) -> tuple[Program, list[str] | None]:
    """The program whose playbook ``user`` reads, and their roles in it (None: everything, as its managers
    see it); 404 for anyone who neither manages it nor has applied to or been approved in it."""
    program = programs_managed_by(user).filter(slug=slug).first()
    if program is not None:
        return program, None
    person = _employee(user)
    if person is None:
        raise Http404("No such program.")
    participations = list(
        Participant.objects.filter(program__slug=slug, person=person, status__in=READER_STATUSES)
        .select_related("program")
        .order_by("-role")  # "mentor" before "mentee"
    )
    if not participations:
        raise Http404("No such program.")
    return participations[0].program, [p.role for p in participations]


def require_program_manager(user: User) -> None:
    """The programs area is for HR admins and for coordinators of at least one program: 403 for others."""
    if user.has_perm("programs.add_program"):
        return
    if not programs_managed_by(user).exists():
        raise PermissionDenied("Program management is for HR admins and program coordinators.")


def require_governance(user: User, program: Program) -> None:
    """Coordinators manage a program, but only HR admins change its governance."""
    if not user.has_perm("programs.govern_program", program):
        raise PermissionDenied("Only HR admins change a program's coordinators, sponsors and budget.")


# --- What a program is made of (its managers only) ----------------------------------------------------------


def get_question_for_user(user: User, slug: str, pk: int) -> Question:
    """A current question of a program ``user`` manages; 404 for missing, archived or not theirs."""
    program = get_program_for_manager(user, slug)
    question = _first_or_404(program.questions.all(), "No such question.", pk=pk, archived_at__isnull=True)
    question.program = program
    return question


def get_resource_for_user(user: User, slug: str, pk: int) -> Resource:
    """A playbook resource of a program ``user`` manages; 404 for anything else."""
    program = get_program_for_manager(user, slug)
    resource = _first_or_404(program.resources.all(), "No such resource.", pk=pk)
    resource.program = program
    return resource


def get_key_result_for_user(user: User, slug: str, pk: int) -> KeyResult:
    """A key result of a program ``user`` manages; 404 for anything else."""
    program = get_program_for_manager(user, slug)
    key_result = _first_or_404(program.key_results.all(), "No such key result.", pk=pk)
    key_result.program = program
    return key_result


def get_global_resource_for_user(user: User, pk: int) -> Resource:
    """A resource of the global playbook: 403 for anyone but HR admins, 404 for what does not exist."""
    require_hr_admin(user)
    return _first_or_404(Resource.objects.filter(program__isnull=True), "No such resource.", pk=pk)


# --- Applications -------------------------------------------------------------------------------------------


def get_own_participant_for_user(user: User, slug: str, role: str) -> Participant:
    """The signed-in employee's own application to the program in ``role``; 404 for anything else."""
    program = get_program_for_employee(user, slug)
    if role not in Participant.Role.values:
        raise Http404("No such role.")
    found = Participant.objects.select_related("program", "person")
    return _first_or_404(
        found, "No such application.", program=program, person=person_for_user(user), role=role
    )


def require_manager(user: User) -> Person:
    """The signed-in employee, who approves their direct reports' applications: 403 for other logins."""
    person = _employee(user)
    if person is None:
        raise PermissionDenied("Manager approvals are for the people in the directory.")
    return person


def get_pending_approval_for_user(user: User, pk: int) -> Participant:
    """An application waiting for ``user`` as its applicant's direct manager; 404 for anything else."""
    found = Participant.objects.select_related("program", "person").filter(
        person__manager=require_manager(user),
        manager_approval=Participant.ManagerApproval.PENDING,
        status=Participant.Status.APPLIED,
    )
    return _first_or_404(found, "No such application waits for you.", pk=pk)


# --- The mentor training record -----------------------------------------------------------------------------


def require_training_admin(user: User) -> None:
    """The training record is kept by HR admins: a plain 403 for anyone else."""
    if not user.has_perm("programs.manage_training"):
        raise PermissionDenied("The mentor training record is kept by HR admins.")
