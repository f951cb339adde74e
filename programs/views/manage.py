"""Program pages for HR admins and coordinators: the list, creation from a starter template, the
overview (funnel, pending work, what is missing, history), the sectioned settings and key results,
status changes and duplication."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from programs.forms.manage import SECTION_FORMS, KeyResultForm, ProgramCreateForm, SectionForm, TransitionForm
from programs.models import KeyResult, Program
from programs.permissions import (
    get_key_result_for_user,
    get_program_for_manager,
    require_governance,
    require_program_manager,
)
from programs.selectors import program_funnel, program_history, programs_for_manage_list
from programs.services import ProgramError, config, duplication, lifecycle
from programs.services import key_results as key_result_services
from programs.services.config import SECTIONS, SectionInvalid
from programs.starter_templates import STARTER_TEMPLATES

PAGE_SIZE = 50

# Which part of the settings fixes each thing program_missing() can report, by words in its message.
MISSING_TARGETS = [
    ("description", "basics"),
    ("date", "timeline"),
    ("must not be after", "timeline"),
    ("must end after", "timeline"),
    ("capacity", "matching"),
    ("key result", "key-results"),
    ("coordinator", "governance"),
    ("registration question", "questions"),
]
TARGET_LABELS = {"key-results": "Key results", "questions": "Questionnaire"}

S = Program.Status
# Button wording and style for each allowed move, from the point of view of the person running it.
TRANSITION_BUTTONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, S.ENROLLING): ("Open enrollment", "primary"),
    (S.DRAFT, S.CLOSED): ("Cancel the program", "outline-danger"),
    (S.ENROLLING, S.MATCHING): ("Close enrollment and start matching", "primary"),
    (S.ENROLLING, S.DRAFT): ("Pause enrollment (back to draft)", "outline-secondary"),
    (S.ENROLLING, S.CLOSED): ("Close the program", "outline-danger"),
    (S.MATCHING, S.RUNNING): ("Start the program", "primary"),
    (S.MATCHING, S.ENROLLING): ("Reopen enrollment", "outline-secondary"),
    (S.MATCHING, S.CLOSED): ("Close the program", "outline-danger"),
    (S.RUNNING, S.CLOSED): ("Close the program", "outline-danger"),
}


def missing_with_targets(program: Program) -> list[dict[str, str]]:
    """What stops enrollment from opening, each with the part of the settings that fixes it."""
    items = []
    for message in lifecycle.program_missing(program):
        lowered = message.lower()
        target = next((t for words, t in MISSING_TARGETS if words in lowered), "")
        label = SECTIONS[target].title if target in SECTIONS else TARGET_LABELS.get(target, "")
        items.append({"message": message, "target": target, "label": label})
    return items


# --- list and creation ----------------------------------------------------------------------------


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_program_manager(user)
    programs = programs_for_manage_list(user)
    status = request.GET.get("status", "")
    if status in S.values:
        programs = programs.filter(status=status)
    else:
        status = ""
    page = Paginator(programs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "query": urlencode({"status": status}) if status else "",
        "statuses": S.choices,
        "can_create": user.has_perm("programs.add_program"),
        "templates": STARTER_TEMPLATES,
    }
    return render(request, "programs/manage/list.html", context)


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("programs.add_program"):
        raise PermissionDenied("Only HR admins create programs.")
    chosen = request.GET.get("template", "")
    form = ProgramCreateForm(
        request.POST or None, initial={"template_key": chosen if chosen in STARTER_TEMPLATES else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = config.program_create(
                name=form.cleaned_data["name"],
                template_key=form.cleaned_data["template_key"],
                by=request.user,
            )
        except SectionInvalid as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(
                request,
                f"{program.name} was created as a draft. Review each section, then open enrollment "
                "from the overview.",
            )
            return redirect("programs:program_settings", program.slug)
    templates = [
        {
            "key": key,
            "name": template["name"],
            "summary": template["summary"],
            "kind": Program.Kind(template["program"]["kind"]).label,
            "questions": len(template["questions"]),
            "key_results": len(template["key_results"]),
            "resources": len(template["resources"]),
        }
        for key, template in STARTER_TEMPLATES.items()
    ]
    selected = form["template_key"].value() or ""
    return render(
        request, "programs/manage/create.html", {"form": form, "templates": templates, "selected": selected}
    )


# --- overview and status ------------------------------------------------------------------------


@login_required
def program_overview(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    transitions = [
        {"to": to, "label": label, "style": style}
        for (current, to), (label, style) in TRANSITION_BUTTONS.items()
        if current == program.status and to in lifecycle.ALLOWED_TRANSITIONS[current]
    ]
    missing = missing_with_targets(program)
    timeline = [
        (config.LABELS[field], getattr(program, field)) for field in config.SECTIONS["timeline"].fields
    ]
    context = {
        "program": program,
        "funnel": program_funnel(program),
        "missing": missing,
        "history": program_history(program),
        "transitions": transitions,
        "transition_form": TransitionForm(),
        "timeline": timeline,
        "timeline_problems": lifecycle.timeline_problems(program),
        "can_duplicate": request.user.has_perm("programs.add_program"),
    }
    return render(request, "programs/manage/overview.html", context)


@login_required
@require_POST
def program_transition(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the status changes offered on this page.")
        return redirect("programs:program_overview", program.slug)
    to = form.cleaned_data["to"]
    try:
        lifecycle.program_transition(program=program, to=to, by=request.user, why=form.cleaned_data["why"])
    except ProgramError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{program.name} is now {S(to).label.lower()}.")
    return redirect("programs:program_overview", program.slug)


@login_required
@require_POST
def program_duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    if not request.user.has_perm("programs.add_program"):
        raise PermissionDenied("Only HR admins create programs.")
    copy = duplication.program_duplicate(program=program, by=request.user)
    messages.success(
        request,
        f"{copy.name} was created as a draft from {program.name}, with every date a year later. "
        "Participants and their answers were not copied.",
    )
    return redirect("programs:program_settings", copy.slug)


# --- settings -------------------------------------------------------------------------------------


def _section(request: HttpRequest, program: Program, key: str, form: SectionForm | None = None) -> dict:
    spec = SECTIONS[key]
    return {
        "key": key,
        "title": spec.title,
        "form": form or SECTION_FORMS[key](program=program),
        "readonly": spec.governance and not request.user.has_perm("programs.govern_program", program),
    }


def _key_results(
    program: Program, bound: KeyResultForm | None = None, bound_pk: int | None = None
) -> dict[str, Any]:
    key_results = list(program.key_results.all())
    used = {kr.metric for kr in key_results}
    rows = []
    for kr in key_results:
        if bound is not None and bound_pk == kr.pk:
            form = bound
        else:
            form = KeyResultForm(
                initial={f: getattr(kr, f) for f in key_result_services.KEY_RESULT_FIELDS},
                auto_id=f"id_kr{kr.pk}_%s",
                used_metrics=used - {kr.metric},
            )
        rows.append({"key_result": kr, "form": form})
    add_form = bound if bound is not None and bound_pk is None else None
    return {
        "rows": rows,
        "add_form": add_form or KeyResultForm(auto_id="id_kr_new_%s", used_metrics=used),
        "all_used": len(used) == len(KeyResult.Metric.values),
        "closed": program.status == S.CLOSED,
    }


def _settings_page(
    request: HttpRequest,
    program: Program,
    *,
    bound_section: SectionForm | None = None,
    key_results: dict[str, Any] | None = None,
) -> HttpResponse:
    sections = [
        _section(
            request, program, key, bound_section if bound_section and bound_section.section == key else None
        )
        for key in SECTIONS
    ]
    context = {
        "program": program,
        "sections": sections,
        "kr": key_results or _key_results(program),
        "missing": missing_with_targets(program),
        "locks": config.locked_fields(program),
    }
    return render(request, "programs/manage/settings.html", context)


def _partial(request: HttpRequest, template: str, program: Program, context: dict) -> HttpResponse:
    """A re-rendered part of the settings page, with the checklist of what is missing updated out of band."""
    context = {"program": program, "missing": missing_with_targets(program), "oob": True, **context}
    return render(request, template, context)


@login_required
def program_settings(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    return _settings_page(request, program)


@login_required
@require_POST
def program_settings_section(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404("No such section.")
    if spec.governance:
        require_governance(request.user, program)
    form = SECTION_FORMS[section](request.POST, program=program)
    saved = False
    if form.is_valid():
        if form.all_locked:
            status = program.get_status_display().lower()
            form.add_error(None, f"Nothing was saved: this section is fixed while the program is {status}.")
        else:
            try:
                program = config.program_update_section(
                    program=program, section=section, data=form.service_data(), by=request.user
                )
            except SectionInvalid as exc:
                form.add_service_errors(exc.errors)
            except ProgramError as exc:
                form.add_error(None, str(exc))
            else:
                saved = True
    if saved and not request.htmx:
        messages.success(request, f"{spec.title} saved.")
        return redirect(reverse("programs:program_settings", args=[program.slug]) + f"#section-{section}")
    if request.htmx:
        context = {"s": _section(request, program, section, None if saved else form), "saved": saved}
        return _partial(request, "programs/manage/_section.html", program, context)
    return _settings_page(request, program, bound_section=form)


def _key_results_response(
    request: HttpRequest,
    program: Program,
    *,
    form: KeyResultForm | None,
    pk: int | None,
    notice: str,
    error: str,
) -> HttpResponse:
    if not request.htmx and not form:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect(reverse("programs:program_settings", args=[program.slug]) + "#section-key-results")
    kr = _key_results(program, bound=form, bound_pk=pk)
    if not request.htmx:
        return _settings_page(request, program, key_results=kr)
    context = {"kr": kr, "notice": notice, "error": error}
    return _partial(request, "programs/manage/_key_results.html", program, context)


def _save_key_result(request: HttpRequest, program: Program, key_result: KeyResult | None) -> HttpResponse:
    used = set(program.key_results.values_list("metric", flat=True))
    prefix = f"id_kr{key_result.pk}_%s" if key_result else "id_kr_new_%s"
    if key_result:
        used.discard(key_result.metric)
    form = KeyResultForm(request.POST, auto_id=prefix, used_metrics=used)
    if form.is_valid():
        try:
            if key_result is None:
                saved = key_result_services.key_result_create(
                    program=program, data=form.cleaned_data, by=request.user
                )
            else:
                saved = key_result_services.key_result_update(
                    key_result=key_result, data=form.cleaned_data, by=request.user
                )
        except SectionInvalid as exc:
            form.add_service_errors(exc.errors)
        else:
            notice = f"Key result for {saved.get_metric_display().lower()} saved."
            return _key_results_response(request, program, form=None, pk=None, notice=notice, error="")
    pk = key_result.pk if key_result else None
    return _key_results_response(request, program, form=form, pk=pk, notice="", error="")


@login_required
@require_POST
def key_result_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    return _save_key_result(request, program, None)


@login_required
@require_POST
def key_result_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    key_result = get_key_result_for_user(request.user, slug, pk)
    return _save_key_result(request, key_result.program, key_result)


@login_required
@require_POST
def key_result_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    key_result = get_key_result_for_user(request.user, slug, pk)
    program = key_result.program
    label = key_result.get_metric_display().lower()
    try:
        key_result_services.key_result_delete(key_result=key_result, by=request.user)
    except ProgramError as exc:
        return _key_results_response(request, program, form=None, pk=None, notice="", error=str(exc))
    return _key_results_response(
        request, program, form=None, pk=None, notice=f"Key result for {label} removed.", error=""
    )
