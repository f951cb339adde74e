"""The pair page and the "Your pairs" list; the agreement and goals sections of the pair page, and ending a
pair early from it.

Every view resolves the pair through ``feedback.permissions.get_pair_for_user`` (404 for anyone but the
pair, its program's coordinators and HR admins) and every write is a call of ``feedback.services``: a
coordinator's crafted POST, or one to an ended pair, is refused there with a message and saves nothing.
Goals and milestones are looked up inside the resolved pair, so another pair's are 404 too.

Writes answer htmx requests with the re-rendered section (and the page's facts, out of band); without
htmx they redirect after success and re-render the page, input kept, after an error.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matching.models import Mentorship
from matching.services.choice import choice_open
from people.permissions import is_employee, person_for_user
from programs.models import Resource
from programs.services.playbook import AUDIENCES_FOR_ROLE

from ..forms.pairs import (
    AgreementConfirmForm,
    AgreementForm,
    EndPairForm,
    GoalCommentForm,
    GoalForm,
    GoalStatusForm,
    MilestoneDoneForm,
    MilestoneForm,
)
from ..models import Goal, GoalComment, GoalStatusChange, Milestone, Session
from ..permissions import COORDINATOR, MENTEE, MENTOR, PairAccess, get_pair_for_user, pairs_for_member
from ..sections import PageSection, sections_for
from ..services import FeedbackError
from ..services import agreement as agreement_services
from ..services import goals as goal_services
from ..services.ending import pair_end_early

M = Mentorship.Status
G = Goal.Status
CURRENT = (M.PROPOSED, M.ACTIVE)
T = TypeVar("T")
GOAL_ORDER: dict[str, int] = {G.OPEN: 0, G.ACHIEVED: 1, G.DROPPED: 2}


def _memo(mentorship: Mentorship, name: str, load: Callable[[], T]) -> T:
    """Reads shared by the page's header and its sections, made once per request (the access's mentorship
    lives as long as the request)."""
    cache = mentorship.__dict__.setdefault("_pair_page_cache", {})
    if name not in cache:
        cache[name] = load()
    return cache[name]


def _kept(request: HttpRequest) -> dict[str, Any]:
    """Input of a write that failed, kept for the sections to show again with its error."""
    return request.__dict__.setdefault("_pair_page_kept", {})


def _pair_url(access: PairAccess, anchor: str = "") -> str:
    url = reverse("feedback:pair_detail", args=[access.mentorship.pk])
    return f"{url}#{anchor}" if anchor else url


# --- The page's facts ---------------------------------------------------------------------------------------


def pair_facts(access: PairAccess) -> dict[str, Any]:
    """Since when, the cadence, the next and last sessions, and goal progress: five queries at most."""
    mentorship = access.mentorship
    agreement = _memo(mentorship, "agreement", lambda: agreement_services.agreement_of(mentorship))
    sessions = Session.objects.filter(mentorship=mentorship)
    next_session = sessions.upcoming(timezone.now()).order_by("starts_at", "pk").first()
    last_session = sessions.held().order_by("-starts_at", "-pk").first()
    goals = Goal.objects.filter(mentorship=mentorship).exclude(status=G.DROPPED)
    goal_counts = goals.aggregate(total=Count("pk"), achieved=Count("pk", filter=Q(status=G.ACHIEVED)))
    milestone_counts = Milestone.objects.filter(goal__in=goals).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False))
    )
    agreed = agreement.cadence_days if agreement is not None else None
    return {
        "started_on": mentorship.started_on,
        "cadence_days": agreed or mentorship.program.meeting_cadence_days,
        "cadence_agreed": agreed is not None,
        "next_session": next_session,
        "last_session": last_session,
        "goals_total": goal_counts["total"],
        "goals_achieved": goal_counts["achieved"],
        "milestones_total": milestone_counts["total"],
        "milestones_done": milestone_counts["done"],
        "milestones_percent": (
            round(milestone_counts["done"] * 100 / milestone_counts["total"])
            if milestone_counts["total"]
            else None
        ),
    }


# --- The agreement section ----------------------------------------------------------------------------------


def _kickoff_resources(access: PairAccess) -> list[dict[str, Any]]:
    """The program's first-meeting questions and conversation prompts for the viewer's role, each kind
    falling back to the global playbook when the program has none of it (one query)."""
    found = Resource.objects.filter(
        Q(program=access.mentorship.program_id) | Q(program__isnull=True),
        kind__in=[Resource.Kind.FIRST_MEETING, Resource.Kind.PROMPT],
    )
    if access.is_member:
        found = found.filter(audience__in=AUDIENCES_FOR_ROLE[access.role])
    resources = sorted(found, key=lambda r: (r.order, r.title.casefold(), r.pk))
    groups = []
    for kind, label in (
        (Resource.Kind.FIRST_MEETING, "First-meeting questions"),
        (Resource.Kind.PROMPT, "Conversation prompts"),
    ):
        of_kind = [r for r in resources if r.kind == kind]
        own = [r for r in of_kind if r.program_id is not None]
        if own or of_kind:
            groups.append({"kind": kind, "label": label, "resources": own or of_kind})
    return groups


def agreement_section(request: HttpRequest, access: PairAccess) -> PageSection:
    mentorship = access.mentorship
    agreement = _memo(mentorship, "agreement", lambda: agreement_services.agreement_of(mentorship))
    kept = _kept(request)
    mentor, mentee = mentorship.mentor.person, mentorship.mentee.person
    own_confirmed_at = None
    confirmations = []
    updated_by_name = ""
    if agreement is not None:
        if access.is_member:
            own_confirmed_at = (
                agreement.mentor_confirmed_at if access.role == MENTOR else agreement.mentee_confirmed_at
            )
        confirmations = [
            {"name": mentor.full_name, "role": "mentor", "at": agreement.mentor_confirmed_at},
            {"name": mentee.full_name, "role": "mentee", "at": agreement.mentee_confirmed_at},
        ]
        # Only the members write the agreement: their logins name the author without another query.
        updated_by_name = next(
            (p.full_name for p in (mentor, mentee) if p.user_id and p.user_id == agreement.updated_by_id), ""
        )
    context = {
        "agreement": agreement,
        "confirmations": confirmations,
        "updated_by_name": updated_by_name,
        "can_write": access.can_write,
        "form": kept.get("agreement") or AgreementForm(agreement=agreement, auto_id="agreement_%s"),
        "editing": "agreement" in kept or agreement is None,
        "version": agreement_services.content_version(agreement),
        "own_confirmed_at": own_confirmed_at,
        "program_cadence": mentorship.program.meeting_cadence_days,
        "resources": _kickoff_resources(access),
        "edit_url": reverse("feedback:agreement_edit", args=[mentorship.pk]),
        "confirm_url": reverse("feedback:agreement_confirm", args=[mentorship.pk]),
    }
    return PageSection("agreement", "Agreement", "feedback/pairs/_agreement.html", context, order=10)


def _section_response(
    request: HttpRequest,
    access: PairAccess,
    section: Callable[[HttpRequest, PairAccess], PageSection],
    *,
    notice: str,
    error: str,
    anchor: str,
) -> HttpResponse:
    """After a change to a section: with HTMX the section alone (and the pair's facts, out of band), else
    the pair page with the error, or a redirect to the section with the notice."""
    if request.htmx:
        built = section(request, access)
        context = {
            "section": built,
            "access": access,
            "notice": notice,
            "error": error,
            "facts": pair_facts(access),
            "oob": True,
        }
        return render(request, built.template, context)
    if error:
        messages.error(request, error)
        return _pair_page(request, access)
    messages.success(request, notice)
    return redirect(_pair_url(access, anchor))


def _agreement_response(
    request: HttpRequest, access: PairAccess, *, notice: str = "", error: str = ""
) -> HttpResponse:
    return _section_response(
        request, access, agreement_section, notice=notice, error=error, anchor="agreement"
    )


@login_required
@require_POST
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    form = AgreementForm(request.POST, auto_id="agreement_%s")
    if form.is_valid():
        try:
            saved = agreement_services.agreement_save(access=access, data=form.cleaned_data, by=request.user)
        except agreement_services.AgreementInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            return _agreement_response(request, access, error=str(exc))
        else:
            if not saved.changed:
                notice = "Nothing changed in the agreement."
            elif saved.confirmations_cleared:
                partner = access.partner.person.full_name if access.partner else "your partner"
                notice = (
                    f"Agreement saved. It changed after a confirmation, so both of you confirm it again; "
                    f"{partner} was told."
                )
            else:
                notice = "Agreement saved. Confirm it when you both agree."
            return _agreement_response(request, access, notice=notice)
    _kept(request)["agreement"] = form
    return _agreement_response(request, access, error="Nothing was saved. Correct the fields marked below.")


@login_required
@require_POST
def agreement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    form = AgreementConfirmForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else ""
    try:
        agreement = agreement_services.agreement_confirm(access=access, by=request.user, version=version)
    except FeedbackError as exc:
        return _agreement_response(request, access, error=str(exc))
    if agreement.confirmed:
        notice = "You confirmed the agreement. You have both confirmed it."
    else:
        notice = "You confirmed the agreement; your partner was asked to confirm it too."
    return _agreement_response(request, access, notice=notice)


# --- The goals section --------------------------------------------------------------------------------------


def _goals(mentorship: Mentorship) -> list[Goal]:
    """The pair's goals with their milestones, comments and status history: four queries."""
    goals = Goal.objects.filter(mentorship=mentorship).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("order", "pk")),
        Prefetch("comments", queryset=GoalComment.objects.select_related("author__person")),
        Prefetch("status_changes", queryset=GoalStatusChange.objects.select_related("by__person")),
    )
    return sorted(goals, key=lambda g: (GOAL_ORDER.get(g.status, 3), g.created_at, g.pk))


def _user_name(user) -> str:
    if user is None:
        return "Someone who has left"
    person = getattr(user, "person", None)
    return person.full_name if person is not None else user.email


def goals_section(request: HttpRequest, access: PairAccess) -> PageSection:
    mentorship = access.mentorship
    kept = _kept(request)
    today = timezone.localdate()
    rows = []
    for goal in _goals(mentorship):
        milestones = list(goal.milestones.all())
        failed = kept.get("goal") if kept.get("goal", {}).get("pk") == goal.pk else {}
        rows.append(
            {
                "goal": goal,
                "progress": goal_services.goal_progress(goal, milestones),
                "milestones": milestones,
                "milestones_done": sum(1 for m in milestones if m.done_on is not None),
                "comments": [(c, _user_name(c.author)) for c in goal.comments.all()],
                "changes": [(c, _user_name(c.by)) for c in goal.status_changes.all()],
                "overdue": goal.status == G.OPEN and goal.target_on is not None and goal.target_on < today,
                "failed": failed,
                "edit_url": reverse("feedback:goal_edit", args=[mentorship.pk, goal.pk]),
                "status_url": reverse("feedback:goal_status", args=[mentorship.pk, goal.pk]),
                "milestone_url": reverse("feedback:milestone_add", args=[mentorship.pk, goal.pk]),
                "comment_url": reverse("feedback:goal_comment", args=[mentorship.pk, goal.pk]),
            }
        )
    context = {
        "rows": rows,
        "can_write": access.can_write,
        "today": today,
        "templates": goal_services.goal_templates_for(access) if access.can_write else [],
        "create_url": reverse("feedback:goal_create", args=[mentorship.pk]),
        "pair_pk": mentorship.pk,
    }
    return PageSection("goals", "Goals and milestones", "feedback/pairs/_goals.html", context, order=20)


def _goals_response(
    request: HttpRequest, access: PairAccess, *, notice: str = "", error: str = "", anchor: str = "goals"
) -> HttpResponse:
    return _section_response(request, access, goals_section, notice=notice, error=error, anchor=anchor)


def _goal_in_pair(access: PairAccess, goal_pk: int) -> Goal:
    goal = Goal.objects.filter(mentorship=access.mentorship, pk=goal_pk).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def _milestone_in_pair(access: PairAccess, pk: int) -> Milestone:
    milestone = Milestone.objects.filter(goal__mentorship=access.mentorship, pk=pk).first()
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


def _template_for(access: PairAccess, raw: Any) -> Resource | None:
    """The goal template asked for, if it is one offered to this viewer; 404 for any other id."""
    if raw in (None, ""):
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise Http404("No such goal template.") from None
    template = next((t for t in goal_services.goal_templates_for(access) if t.pk == pk), None)
    if template is None:
        raise Http404("No such goal template.")
    return template


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    if request.method == "GET" and not access.can_write:
        raise PermissionDenied("Only the mentor and the mentee of a current pair set its goals.")
    template = _template_for(access, request.POST.get("template") or request.GET.get("template"))
    form = GoalForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_services.goal_create(
                access=access, data=form.service_data(), template=template, by=request.user
            )
        except goal_services.GoalInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect(_pair_url(access, "goals"))
        else:
            messages.success(request, f"Goal “{goal.title}” set. Add milestones to show its progress.")
            return redirect(_pair_url(access, f"goal-{goal.pk}"))
    context = {
        "access": access,
        "mentorship": access.mentorship,
        "form": form,
        "template": template,
        "goal": None,
    }
    return render(request, "feedback/pairs/goal_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    goal = _goal_in_pair(access, goal_pk)
    if request.method == "GET" and not access.can_write:
        raise PermissionDenied("Only the mentor and the mentee of a current pair change its goals.")
    form = GoalForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_services.goal_update(
                access=access, goal=goal, data=form.service_data(), by=request.user
            )
        except goal_services.GoalInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect(_pair_url(access, "goals"))
        else:
            messages.success(request, f"Goal “{goal.title}” saved.")
            return redirect(_pair_url(access, f"goal-{goal.pk}"))
    context = {
        "access": access,
        "mentorship": access.mentorship,
        "form": form,
        "template": None,
        "goal": goal,
    }
    return render(request, "feedback/pairs/goal_form.html", context)


STATUS_NOTICES = {
    G.ACHIEVED: "Well done: “{title}” is achieved.",
    G.DROPPED: "“{title}” is dropped; it stays in the record.",
    G.OPEN: "“{title}” is open again.",
}


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    goal = _goal_in_pair(access, goal_pk)
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        error = "Choose open, achieved or dropped." if "to" in form.errors else str(form.errors["why"][0])
        return _goals_response(request, access, error=error)
    try:
        goal = goal_services.goal_set_status(
            access=access,
            goal=goal,
            to=form.cleaned_data["to"],
            why=form.cleaned_data["why"],
            by=request.user,
        )
    except FeedbackError as exc:
        return _goals_response(request, access, error=str(exc))
    notice = STATUS_NOTICES[G(goal.status)].format(title=goal.title)
    return _goals_response(request, access, notice=notice, anchor=f"goal-{goal.pk}")


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    goal = _goal_in_pair(access, goal_pk)
    form = MilestoneForm(request.POST, prefix=f"milestone-{goal.pk}")
    if form.is_valid():
        try:
            milestone = goal_services.milestone_add(
                access=access,
                goal=goal,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,
            )
        except goal_services.GoalInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            return _goals_response(request, access, error=str(exc))
        else:
            notice = f"Milestone “{milestone.title}” added to “{goal.title}”."
            return _goals_response(request, access, notice=notice, anchor=f"goal-{goal.pk}")
    _kept(request)["goal"] = {"pk": goal.pk, "milestone": form}
    return _goals_response(request, access, error=f"The milestone was not added: {form.first_error()}")


def _done_on(raw: str) -> datetime.date | None:
    form = MilestoneDoneForm({"done_on": raw})
    return form.cleaned_data["done_on"] if form.is_valid() else None


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int, goal_pk: int, milestone_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    goal = _goal_in_pair(access, goal_pk)
    milestone = _milestone_in_pair(access, milestone_pk)
    form = MilestoneDoneForm(request.POST)
    if not form.is_valid():
        return _goals_response(request, access, error="Say when the milestone was done, as a date.")
    try:
        milestone = goal_services.milestone_mark_done(
            access=access,
            goal=goal,
            milestone=milestone,
            done_on=form.cleaned_data["done_on"],
            by=request.user,
        )
    except FeedbackError as exc:
        return _goals_response(request, access, error=str(exc))
    return _goals_response(request, access, notice=f"“{milestone.title}” is done.", anchor=f"goal-{goal.pk}")


@login_required
@require_POST
def milestone_undone(request: HttpRequest, pk: int, goal_pk: int, milestone_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    goal = _goal_in_pair(access, goal_pk)
    milestone = _milestone_in_pair(access, milestone_pk)
    try:
        milestone = goal_services.milestone_mark_undone(
            access=access, goal=goal, milestone=milestone, by=request.user
        )
    except FeedbackError as exc:
        return _goals_response(request, access, error=str(exc))
    return _goals_response(
        request, access, notice=f"“{milestone.title}” is no longer marked done.", anchor=f"goal-{goal.pk}"
    )


@login_required
@require_POST
def goal_comment(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    goal = _goal_in_pair(access, goal_pk)
    form = GoalCommentForm(request.POST, prefix=f"comment-{goal.pk}")
    if form.is_valid():
        try:
            goal_services.goal_comment_add(
                access=access, goal=goal, body=form.cleaned_data["body"], by=request.user
            )
        except goal_services.GoalInvalid as exc:
            form.add_service_errors(exc.errors)
        except FeedbackError as exc:
            return _goals_response(request, access, error=str(exc))
        else:
            return _goals_response(request, access, notice="Comment posted.", anchor=f"goal-{goal.pk}")
    _kept(request)["goal"] = {"pk": goal.pk, "comment": form}
    return _goals_response(request, access, error=f"The comment was not posted: {form.first_error()}")


# --- Ending early -------------------------------------------------------------------------------------------


def _new_mentor_step(access: PairAccess) -> dict[str, str]:
    """How the mentee of an ended pair gets a new mentor."""
    program = access.mentorship.program
    if choice_open(program):
        return {
            "text": "Choose a new mentor among fresh suggestions; the coordinators can also pair you.",
            "url": reverse("matching:choose", args=[program.slug]),
            "link": "Choose a new mentor",
        }
    return {
        "text": "The program's coordinators will pair you with a new mentor; you will be told.",
        "url": "",
    }


@login_required
@require_POST
def pair_end(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    form = EndPairForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The pair was not ended: {form.first_error()}")
        return _pair_page(request, access, end_form=form)
    try:
        pair_end_early(
            access=access,
            category=form.cleaned_data["category"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except FeedbackError as exc:
        messages.error(request, str(exc))
        return _pair_page(request, access, end_form=form)
    mentee = access.mentorship.mentee.person.full_name
    if access.role == MENTEE:
        step = _new_mentor_step(access)
        messages.success(request, f"Your pair has ended; no fault is implied. {step['text']}")
    elif access.role == MENTOR:
        messages.success(
            request,
            f"Your pair has ended; {mentee} was told and offered a new mentor. Thank you for your time.",
        )
    else:
        messages.success(request, f"The pair has ended; both were told. {mentee} can be re-matched now.")
    return redirect(_pair_url(access))


# --- The page -----------------------------------------------------------------------------------------------


def _end_details(access: PairAccess) -> dict[str, str]:
    """What the page says about an early end: the reason category and note for coordinators only."""
    mentorship = access.mentorship
    if mentorship.status != M.ENDED_EARLY or access.role != COORDINATOR:
        return {}
    label = mentorship.get_end_category_display() if mentorship.end_category else ""
    note = mentorship.end_reason
    if label and note.startswith(f"{label}."):
        note = note[len(label) + 1 :].strip()
    return {"category": label, "note": note}


def _pair_page(
    request: HttpRequest, access: PairAccess, *, end_form: EndPairForm | None = None
) -> HttpResponse:
    mentorship = access.mentorship
    user = request.user
    others = list(
        pairs_for_member(user)
        .filter(status__in=CURRENT)
        .exclude(pk=mentorship.pk)
        .order_by("program__name", "pk")
    )
    person_id = access.person.pk if access.person is not None else None
    switcher = [
        {
            "pair": pair,
            "other": pair.mentee.person if pair.mentor.person_id == person_id else pair.mentor.person,
            "as_mentor": pair.mentor.person_id == person_id,
        }
        for pair in others
    ]
    current = mentorship.status in CURRENT
    new_mentor: dict[str, Any] = {}
    if access.role == MENTEE and mentorship.status == M.ENDED_EARLY:
        successor = next(
            (
                row
                for row in switcher
                if row["pair"].program_id == mentorship.program_id and not row["as_mentor"]
            ),
            None,
        )
        new_mentor = {"successor": successor} if successor else _new_mentor_step(access)
    context = {
        "access": access,
        "mentorship": mentorship,
        "program": mentorship.program,
        "partner": access.partner.person if access.partner else None,
        "facts": pair_facts(access),
        "switcher": switcher,
        "sections": sections_for(request, access),
        "can_end": current and access.role in (MENTOR, MENTEE, COORDINATOR),
        "end_form": end_form or EndPairForm(),
        "end_details": _end_details(access),
        "new_mentor": new_mentor,
    }
    return render(request, "feedback/pairs/detail.html", context)


@login_required
@require_GET
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pk)
    return _pair_page(request, access)


@login_required
@require_GET
def pair_list(request: HttpRequest) -> HttpResponse:
    if not is_employee(request.user):
        # HR admins without a directory entry and leavers have no pairs of their own.
        raise PermissionDenied("Pairs are for the people in the directory.")
    person = person_for_user(request.user)
    assert person is not None  # is_employee admits people in the directory only
    rows = []
    for pair in pairs_for_member(request.user):
        as_mentor = pair.mentor.person_id == person.pk
        rows.append(
            {
                "pair": pair,
                "as_mentor": as_mentor,
                "other": pair.mentee.person if as_mentor else pair.mentor.person,
            }
        )
    current = sorted(
        (r for r in rows if r["pair"].status in CURRENT), key=lambda r: (r["pair"].program.name, r["pair"].pk)
    )
    past = sorted(
        (r for r in rows if r["pair"].status not in CURRENT),
        key=lambda r: (r["pair"].ended_on or datetime.date.min, r["pair"].pk),
        reverse=True,
    )
    return render(request, "feedback/pairs/list.html", {"current": current, "past": past})
