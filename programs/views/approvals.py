"""Deciding on applications: HR admins and coordinators (list, decide in bulk, invite), and managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from people.models import Person
from programs.forms.enrollment import (
    DecisionForm,
    InviteCSVForm,
    InvitePasteForm,
    InvitePickForm,
    InviteSearchForm,
    ManagerDecisionForm,
    ParticipantFilterForm,
    errors_text,
)
from programs.models import Participant, Program
from programs.permissions import get_pending_approval_for_user, get_program_for_manager, require_manager
from programs.services import ProgramError
from programs.services.enrollment import DECISION_VERBS, participants_decide
from programs.services.invitations import people_for_emails, program_invite
from programs.services.manager_approval import manager_approval_decide
from programs.text import human_join

PAGE_SIZE = 100
CANDIDATES = 20
INVITATIONS_SHOWN = 50
FILTER_KEYS = ("q", "role", "status", "page")
INVITE_FORMS = {"pick": InvitePickForm, "paste": InvitePasteForm, "csv": InviteCSVForm}


def _filter_query(query: QueryDict) -> str:
    """The list's filters, and nothing else, to carry them through a POST and back."""
    kept = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if query.get(key):
            kept[key] = query.get(key)
    return kept.urlencode()


def _participants(program: Program, form: ParticipantFilterForm):
    participants = program.participants.select_related("person__department__division")
    if form.is_valid():
        data = form.cleaned_data
        text = (data.get("q") or "").strip()
        if text:
            participants = participants.filter(
                Q(person__full_name__icontains=text)
                | Q(person__email__icontains=text)
                | Q(person__employee_id__iexact=text)
            )
        if data.get("role"):
            participants = participants.filter(role=data["role"])
        if data.get("status"):
            participants = participants.filter(status=data["status"])
    return participants.order_by("person__full_name", "role", "pk")


def _candidates(program: Program, text: str) -> list[dict]:
    """Directory search results for inviting, each with how the person already stands in the program."""
    text = text.strip()
    if not text:
        return []
    people = list(Person.objects.current().with_org().search(text).order_by("full_name")[:CANDIDATES])
    ids = [p.pk for p in people]
    roles: dict[int, list[str]] = {}
    for person_id, role in program.participants.filter(person_id__in=ids).values_list("person_id", "role"):
        roles.setdefault(person_id, []).append(f"applied as {role}")
    for person_id, role in program.invitations.filter(person_id__in=ids).values_list("person_id", "role"):
        roles.setdefault(person_id, []).append(f"invited as {role}")
    return [{"person": p, "standing": human_join(sorted(roles.get(p.pk, [])))} for p in people]


def _participant_page(
    request: HttpRequest,
    program: Program,
    *,
    decision_form: DecisionForm | None = None,
    invite_forms: dict | None = None,
    invite_source: str = "",
) -> HttpResponse:
    invite_forms = invite_forms or {}
    filter_form = ParticipantFilterForm(request.GET or None)
    page = Paginator(_participants(program, filter_form), PAGE_SIZE).get_page(request.GET.get("page"))
    search_form = InviteSearchForm(request.GET or None)
    search_text = search_form.cleaned_data.get("invite_q", "") if search_form.is_valid() else ""
    context = {
        "program": program,
        "filter_form": filter_form,
        "page": page,
        "query": _filter_query(request.GET),
        "selected": set(getattr(decision_form, "cleaned_data", {}).get("participants", [])),
        "decision_form": decision_form or DecisionForm(),
        "search_form": search_form,
        "search_text": search_text,
        "candidates": _candidates(program, search_text),
        "pick_form": invite_forms.get("pick") or InvitePickForm(prefix="pick"),
    }
    target = request.headers.get("HX-Target")
    if request.htmx and target == "participant-results":
        return render(request, "programs/enrollment/_participant_rows.html", context)
    if request.htmx and target == "invite-candidates":
        return render(request, "programs/enrollment/_invite_candidates.html", context)
    counts = program.participants.values("role", "status").annotate(n=Count("pk"))
    table = {role: dict.fromkeys(Participant.Status.values, 0) for role in Participant.Role.values}
    for row in counts:
        table[row["role"]][row["status"]] = row["n"]
    invitations = (
        program.invitations.select_related("person", "invited_by")
        .annotate(
            applied=Exists(
                Participant.objects.filter(program=program, person=OuterRef("person"), role=OuterRef("role"))
            )
        )
        .order_by("-invited_at", "-pk")
    )
    context |= {
        "counts": [
            (Participant.Role(role).label, [(Participant.Status(s).label, n) for s, n in row.items()])
            for role, row in table.items()
        ],
        "paste_form": invite_forms.get("paste") or InvitePasteForm(prefix="paste"),
        "csv_form": invite_forms.get("csv") or InviteCSVForm(prefix="csv"),
        "invite_source": invite_source,
        "invitations": list(invitations[:INVITATIONS_SHOWN]),
        "invitation_count": program.invitations.count(),
        "invitations_shown": INVITATIONS_SHOWN,
        "can_invite": program.status == Program.Status.ENROLLING,
    }
    return render(request, "programs/enrollment/participants.html", context)


@login_required
def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    return _participant_page(request, program)


@login_required
@require_POST
def participant_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    form = DecisionForm(request.POST)
    if form.is_valid():
        ids = form.cleaned_data["participants"]
        decision = form.cleaned_data["decision"]
        try:
            decided = participants_decide(
                program=program,
                participant_ids=ids,
                to=decision,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ProgramError as exc:
            form.add_error(None, str(exc))
        else:
            who = decided[0].person.full_name if len(decided) == 1 else f"{len(decided)} people"
            messages.success(request, f"{who} {DECISION_VERBS[decision]}; each was notified.")
            if request.POST.get("return_to") == "detail" and len(decided) == 1:
                return redirect("programs:participant_detail", program.slug, decided[0].pk)
            url = reverse("programs:participant_list", args=[program.slug])
            query = _filter_query(request.GET)
            return redirect(f"{url}?{query}" if query else url)
    if request.POST.get("return_to") == "detail":
        messages.error(request, errors_text(form))
        ids = form.cleaned_data.get("participants") or []
        if len(ids) == 1 and program.participants.filter(pk=ids[0]).exists():
            return redirect("programs:participant_detail", program.slug, ids[0])
    return _participant_page(request, program, decision_form=form)


@login_required
def participant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    participant = get_object_or_404(
        program.participants.select_related(
            "person__department__division", "person__manager", "manager_decided_by"
        ),
        pk=pk,
    )
    answers = participant.answers.select_related("question").order_by("question__order", "question__pk")
    context = {
        "program": program,
        "participant": participant,
        "answers": list(answers),
        "history": list(participant.status_changes.select_related("by")),
        "decision_form": DecisionForm(initial={"participants": [participant.pk]}),
    }
    return render(request, "programs/enrollment/participant_detail.html", context)


def _invitees(source: str, form) -> tuple[list[Person], list[tuple[str, str]]]:
    if source == "pick":
        return list(form.cleaned_data["people"].select_related("department__division")), []
    key = "emails" if source == "paste" else "file"
    return people_for_emails(form.cleaned_data[key])


@login_required
@require_POST
def participant_invite(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    source = request.POST.get("source", "")
    if source not in INVITE_FORMS:
        raise Http404("No such way to invite.")
    form = INVITE_FORMS[source](request.POST, request.FILES, prefix=source)
    if not form.is_valid():
        return _participant_page(request, program, invite_forms={source: form}, invite_source=source)
    try:
        people, problems = _invitees(source, form)
        outcome = program_invite(
            program=program, people=people, role=form.cleaned_data["role"], by=request.user
        )
    except ProgramError as exc:
        form.add_error(None, str(exc))
        return _participant_page(request, program, invite_forms={source: form}, invite_source=source)
    role = Participant.Role(form.cleaned_data["role"]).label.lower()
    if outcome.invited:
        count = len(outcome.invited)
        messages.success(
            request, f"Invited {count} {'person' if count == 1 else 'people'} as {role}s; each was notified."
        )
    if outcome.already_invited:
        names = human_join([p.full_name for p in outcome.already_invited])
        messages.info(request, f"Already invited before, so not notified again: {names}.")
    refused = problems + outcome.refused
    if refused:
        messages.error(request, "Not invited: " + "; ".join(f"{who} ({why})" for who, why in refused) + ".")
    if not (outcome.invited or outcome.already_invited or refused):
        messages.info(request, "Nobody was invited.")
    return redirect(reverse("programs:participant_list", args=[program.slug]) + "#invite")


# --- Managers ---------------------------------------------------------------------------------------------


@login_required
def manager_approvals(request: HttpRequest) -> HttpResponse:
    manager = require_manager(request.user)
    pending = (
        Participant.objects.filter(
            person__manager=manager,
            manager_approval=Participant.ManagerApproval.PENDING,
            status=Participant.Status.APPLIED,
        )
        .select_related("program", "person__department__division")
        .order_by("applied_at", "pk")
    )
    decided = (
        Participant.objects.filter(manager_decided_by=manager)
        .select_related("program", "person")
        .order_by("-manager_decided_at", "-pk")[:20]
    )
    context = {"pending": list(pending), "decided": list(decided)}
    return render(request, "programs/enrollment/manager_approvals.html", context)


@login_required
@require_POST
def manager_approval_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_pending_approval_for_user(request.user, pk)
    form = ManagerDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("programs:manager_approvals")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        manager_approval_decide(
            participant=participant,
            manager=require_manager(request.user),
            approve=approve,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ProgramError as exc:
        messages.error(request, str(exc))
    else:
        verb = "approved" if approve else "declined"
        messages.success(
            request,
            f"You {verb} {participant.person.full_name}'s application to {participant.program.name}; "
            "they were notified.",
        )
    return redirect("programs:manager_approvals")
