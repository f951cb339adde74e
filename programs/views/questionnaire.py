"""The registration questionnaire builder, for HR admins and the program's coordinators.

Every page resolves the program through ``get_program_for_manager`` (a question through
``get_question_for_user``; 404 for anyone else), and every change goes through
``programs.services.questionnaire``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from programs.forms.answers import QuestionnaireForm
from programs.forms.questionnaire import QuestionForm
from programs.models import Participant, Program, Question
from programs.permissions import get_program_for_manager, get_question_for_user
from programs.services import questionnaire as services
from programs.services.questionnaire import QuestionError, questions_can_change


def hr_criteria(program: Program) -> list[tuple[str, int]]:
    """The built-in HR criteria of a program with their weights, as the question list summarises them."""
    if program.kind == Program.Kind.REVERSE:
        seniority = "mentee 1 to 3 levels more senior (reverse mentoring)"
    else:
        seniority = "mentor 1 to 3 levels more senior"
    return [
        ("different department", program.weight_different_department),
        ("different division", program.weight_different_division),
        (seniority, program.weight_mentor_senior),
        ("same location", program.weight_same_location),
        *(
            [("mentor is a certified Master Mentor", program.weight_master_mentor)]
            if program.mentor_requirement == Program.MentorRequirement.MASTER_PREFERRED
            else []
        ),
    ]


def _list_context(program: Program) -> dict:
    questions = list(program.questions.annotate(answer_count=Count("answers")).order_by("order", "pk"))
    active = [q for q in questions if q.archived_at is None]
    ids = [q.pk for q in active]
    rows = []
    for position, question in enumerate(active):
        up = down = None
        if position > 0:
            up = [*ids[: position - 1], ids[position], ids[position - 1], *ids[position + 1 :]]
        if position < len(ids) - 1:
            down = [*ids[:position], ids[position + 1], ids[position], *ids[position + 2 :]]
        rows.append({"question": question, "position": position + 1, "up": up, "down": down})
    criteria = hr_criteria(program)
    return {
        "program": program,
        "rows": rows,
        "archived": [q for q in questions if q.archived_at is not None],
        "can_change": questions_can_change(program),
        "criteria_used": [c for c in criteria if c[1]],
        "criteria_unused": [c for c in criteria if not c[1]],
    }


@login_required
def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    return render(request, "programs/questions/list.html", _list_context(program))


@login_required
def question_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    if not questions_can_change(program):
        messages.error(
            request,
            f"The program is {program.get_status_display().lower()}: questions can no longer be added.",
        )
        return redirect("programs:question_list", program.slug)
    form = QuestionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                program=program, data=form.cleaned_data["data"], by=request.user
            )
        except QuestionError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Question added: {question.mentee_text}")
            return redirect("programs:question_list", program.slug)
    return render(
        request, "programs/questions/form.html", {"program": program, "form": form, "question": None}
    )


@login_required
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    question = get_question_for_user(request.user, slug, pk)
    program = question.program
    if request.htmx and request.POST.get("action") == "mapping":
        # What the mapping selects look like for the choices typed so far; nothing is saved.
        form = QuestionForm(program=program, question=question, typed=request.POST)
        return render(request, "programs/questions/_choice_mapping.html", {"form": form})
    form = QuestionForm(request.POST or None, program=program, question=question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["data"]
        try:
            question = services.question_update(question=question, data=data, by=request.user)
        except QuestionError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "The question was saved.")
            for old, new in (data.get("choice_mapping") or {}).items():
                messages.info(request, f"Answers of '{old}' now read '{new}'.")
            return redirect("programs:question_list", program.slug)
    revisions = question.revisions.select_related("by").order_by("-at", "-pk")
    context = {
        "program": program,
        "form": form,
        "question": question,
        "answer_count": form.answer_count,
        "revisions": revisions,
    }
    return render(request, "programs/questions/form.html", context)


def _add_errors(form: QuestionForm, exc: QuestionError) -> None:
    for field, problems in exc.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@login_required
@require_POST
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    question = get_question_for_user(request.user, slug, pk)
    try:
        outcome = services.question_delete(question=question, by=request.user)
    except QuestionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, outcome.message)
    return redirect("programs:question_list", slug)


@login_required
@require_POST
def question_reorder(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    try:
        ordered = services.questions_reorder(
            program=program, ordered_ids=request.POST.getlist("ids"), by=request.user
        )
    except QuestionError as exc:
        status, level = str(exc), "danger"
    else:
        status, level = _moved_message(ordered, request.POST.get("moved", "")), "success"
    if request.htmx:
        context = {**_list_context(program), "order_status": status, "order_level": level}
        return render(request, "programs/questions/_question_table.html", context)
    if level == "danger":
        messages.error(request, status)
    else:
        messages.success(request, status)
    return redirect("programs:question_list", program.slug)


def _moved_message(ordered: list[Question], moved: str) -> str:
    for position, question in enumerate(ordered, start=1):
        if str(question.pk) == moved:
            return f"“{question.mentee_text}” is now question {position} of {len(ordered)}."
    return "The new order is saved."


@login_required
def question_preview(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    role = request.GET.get("role", Participant.Role.MENTEE)
    if role not in Participant.Role.values:
        return HttpResponseBadRequest("Preview the questionnaire with role=mentor or role=mentee.")
    questions = list(program.questions.filter(archived_at__isnull=True).order_by("order", "pk"))
    form = QuestionnaireForm(questions=questions, role=role)
    context = {
        "program": program,
        "form": form,
        "role": role,
        "role_label": Participant.Role(role).label.lower(),
        "roles": Participant.Role.choices,
    }
    return render(request, "programs/questions/preview.html", context)
