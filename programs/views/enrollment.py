"""Employee-facing program pages: the open programs, a program's page, applying, answers, withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from people.models import Person
from people.permissions import is_employee, is_hr_admin, person_for_user
from programs.forms.answers import QuestionnaireForm
from programs.forms.enrollment import MentorCommitmentForm, WithdrawForm, errors_text
from programs.models import Invitation, Participant, Program
from programs.permissions import (
    get_own_participant_for_user,
    get_program_for_employee,
    get_program_for_user,
    programs_managed_by,
    programs_visible_to_employee,
)
from programs.selectors import RoleState, role_states
from programs.services import ProgramError
from programs.services.eligibility import MentorCredentials, eligibility_rules, enrollment_closed_reason
from programs.services.enrollment import (
    answers_editable_reason,
    participant_answers_update,
    participant_apply,
    participant_withdraw,
)


def _role_or_404(role: str) -> str:
    if role not in Participant.Role.values:
        raise Http404("No such role.")
    return role


def _states_for(program: Program, person: Person) -> list[RoleState]:
    participations = list(program.participants.filter(person=person))
    invited = program.invitations.filter(person=person).values_list("role", flat=True)
    return role_states(
        program=program,
        person=person,
        participations=participations,
        invited_roles=list(invited),
        credentials=MentorCredentials.for_person(person, [program]),
    )


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    person = person_for_user(user)
    employee = is_employee(user)
    if not (employee or is_hr_admin(user)):
        raise PermissionDenied("Mentoring programs are for the people in the directory.")
    today = timezone.localdate()
    open_programs: list[tuple[Program, list[RoleState], str | None]] = []
    participations: list[Participant] = []
    if employee and person is not None:
        programs = list(
            programs_visible_to_employee(user)
            .filter(status=Program.Status.ENROLLING)
            .filter(Q(enrollment_closes_on__isnull=True) | Q(enrollment_closes_on__gte=today))
            .prefetch_related("eligible_divisions", "eligible_departments")
            .order_by("enrollment_closes_on", "name")
        )
        participations = list(
            Participant.objects.filter(person=person).select_related("program").order_by("-applied_at")
        )
        invited: dict[int, list[str]] = {}
        for program_id, role in Invitation.objects.filter(person=person).values_list("program_id", "role"):
            invited.setdefault(program_id, []).append(role)
        credentials = MentorCredentials.for_person(person, programs)
        for program in programs:
            states = role_states(
                program=program,
                person=person,
                participations=participations,
                invited_roles=invited.get(program.pk, ()),
                credentials=credentials,
                today=today,
            )
            open_programs.append((program, states, enrollment_closed_reason(program, today)))
    managed = list(programs_managed_by(user).exclude(status=Program.Status.CLOSED).order_by("name")[:20])
    context = {
        "open_programs": open_programs,
        "participations": participations,
        "managed": managed,
        "employee": employee,
    }
    return render(request, "programs/enrollment/program_list.html", context)


@login_required
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program, manages = get_program_for_user(request.user, slug)
    prefetch_related_objects(
        [program],
        "eligible_divisions",
        "eligible_departments",
        Prefetch("coordinators", queryset=Person.objects.order_by("full_name")),
    )
    person = person_for_user(request.user)
    states = _states_for(program, person) if person is not None and is_employee(request.user) else []
    context = {
        "program": program,
        "manages": manages,
        "states": states,
        "viewer": person,
        "eligibility": eligibility_rules(program),
        "closed_reason": enrollment_closed_reason(program),
    }
    return render(request, "programs/enrollment/program_detail.html", context)


@login_required
def program_apply(request: HttpRequest, slug: str, role: str) -> HttpResponse:
    program = get_program_for_employee(request.user, slug)
    role = _role_or_404(role)
    person = person_for_user(request.user)
    assert person is not None  # get_program_for_employee admits employees only
    form, mentor_form, submitted = _questionnaire_forms(request, program, role)
    if submitted is not None:
        try:
            participant = participant_apply(
                program=program, person=person, role=role, **submitted, by=request.user
            )
        except ProgramError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _applied_message(participant))
            return redirect(program)
    state = next(s for s in _states_for(program, person) if s.role == role)
    context = {"program": program, "role": role, "state": state, "form": form, "mentor_form": mentor_form}
    return render(request, "programs/enrollment/apply.html", context)


def _applied_message(participant: Participant) -> str:
    applied = f"You applied to {participant.program.name} as a {participant.get_role_display().lower()}."
    if participant.manager_approval == Participant.ManagerApproval.PENDING:
        return f"{applied} Your manager is asked to agree first; you will hear from us."
    if participant.status == Participant.Status.APPROVED:
        return f"{applied} You are in: this program takes everyone eligible."
    return f"{applied} The coordinators will let you know their decision."


def _questionnaire_forms(
    request: HttpRequest,
    program: Program,
    role: str,
    *,
    answers: dict | None = None,
    participant: Participant | None = None,
) -> tuple[QuestionnaireForm, MentorCommitmentForm | None, dict | None]:
    """The questionnaire for ``role`` (and a mentor's capacity), and what was submitted once both are valid.

    Applying adds the mentor's commitment; editing an application (``participant``) shows its capacity.
    """
    data = request.POST if request.method == "POST" else None
    questions = list(program.questions.filter(archived_at__isnull=True))
    form = QuestionnaireForm(data, questions=questions, role=role, answers=answers)
    mentor_form = None
    if role == Participant.Role.MENTOR:
        mentor_form = MentorCommitmentForm(
            data,
            program=program,
            with_commitment=participant is None,
            initial={"capacity": participant.capacity} if participant else None,
        )
    if data is None or not form.is_valid() or (mentor_form is not None and not mentor_form.is_valid()):
        return form, mentor_form, None
    capacity = mentor_form.cleaned_data["capacity"] if mentor_form else None
    return form, mentor_form, {"answers": form.answer_values(), "capacity": capacity}


@login_required
def participant_answers(request: HttpRequest, slug: str, role: str) -> HttpResponse:
    participant = get_own_participant_for_user(request.user, slug, role)
    program = participant.program
    answers = list(participant.answers.select_related("question").order_by("question__order", "question__pk"))
    form, mentor_form, submitted = _questionnaire_forms(
        request, program, role, answers={a.question_id: a.value for a in answers}, participant=participant
    )
    if submitted is not None:
        try:
            participant_answers_update(participant=participant, **submitted, by=request.user)
        except ProgramError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your answers were saved.")
            return redirect(program)
    context = {
        "program": program,
        "participant": participant,
        "role": role,
        "form": form,
        "mentor_form": mentor_form,
        "answers": answers,
        "readonly_reason": answers_editable_reason(participant),
    }
    return render(request, "programs/enrollment/answers.html", context)


@login_required
@require_POST
def participant_withdraw_view(request: HttpRequest, slug: str, role: str) -> HttpResponse:
    participant = get_own_participant_for_user(request.user, slug, role)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(participant.program)
    try:
        participant_withdraw(participant=participant, by=request.user, reason=form.cleaned_data["reason"])
    except ProgramError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"You withdrew from {participant.program.name} as a {participant.get_role_display().lower()}.",
        )
    return redirect(participant.program)
