"""Nomination cycle pages for HR admins: the list, creation, the overview (status, history, setup and
counts, what is missing), the details, seats per division, committee and rubric, status changes and
"start next cycle". Everyone else gets 403 on the list and creation, 404 on a cycle."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cohorts.forms.cycles import (
    CommitteeAddForm,
    CriterionForm,
    CycleForm,
    PersonSearchForm,
    QuotaForm,
    TransitionForm,
)
from cohorts.models import (
    Candidacy,
    Cohort,
    DivisionQuota,
    Nomination,
    NominationCycle,
    Review,
)
from cohorts.permissions.cycles import get_committee_member_for_hr, get_criterion_for_hr, get_cycle_for_hr
from cohorts.services import CohortError
from cohorts.services import cycles as services
from cohorts.services.cycles import CycleInvalid
from people.models import Division, Person
from people.permissions import require_hr_admin

PAGE_SIZE = 50
CANDIDATES = 20

S = NominationCycle.Status
# What HR reads once a status change is done; other moves read "<cycle> is now <status>."
TRANSITION_DONE = {
    S.REVIEWING: "Nominations to {cycle} are closed and the committee review has started.",
}
# The moves HR admins make from the overview, with button wording and style. Reviewing → decided is the
# chair's "publish decisions", on the selection page.
TRANSITION_BUTTONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, S.OPEN): ("Open nominations", "primary"),
    (S.OPEN, S.REVIEWING): ("Close nominations and start the review", "primary"),
    (S.DECIDED, S.CLOSED): ("Close the cycle", "outline-secondary"),
}
AREAS = {
    "details": ("cohorts:cycle_edit", "Details"),
    "seats": ("cohorts:cycle_seats", "Seats"),
    "committee": ("cohorts:cycle_committee", "Committee"),
    "rubric": ("cohorts:cycle_rubric", "Rubric"),
}


def missing_with_links(cycle: NominationCycle) -> list[dict[str, str]]:
    """What stops the cycle from opening, each with the page that fixes it."""
    items = []
    for item in services.cycle_missing(cycle):
        url_name, label = AREAS[item.area]
        items.append({"message": item.message, "url": reverse(url_name, args=[cycle.pk]), "label": label})
    return items


def _base_context(cycle: NominationCycle, **extra: Any) -> dict[str, Any]:
    # Once the review starts the setup is fixed, so there is nothing left to complete.
    missing = missing_with_links(cycle) if cycle.status in services.SETUP_STATUSES else []
    return {"cycle": cycle, "missing": missing, **extra}


# --- list and creation ----------------------------------------------------------------------------------


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    require_hr_admin(request.user)
    seats = (
        DivisionQuota.objects.filter(cycle=OuterRef("pk"))
        .values("cycle")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    candidacies = (
        Candidacy.objects.filter(cycle=OuterRef("pk")).values("cycle").annotate(n=Count("pk")).values("n")
    )
    cycles = NominationCycle.objects.annotate(
        seat_count=Coalesce(Subquery(seats, output_field=IntegerField()), 0),
        candidacy_count=Coalesce(Subquery(candidacies, output_field=IntegerField()), 0),
    ).order_by("-year", "name", "pk")
    page = Paginator(cycles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cohorts/cycles/list.html", {"page": page})


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    require_hr_admin(request.user)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(data=form.cleaned_data, by=request.user)
        except CycleInvalid as exc:
            form.add_service_errors(exc.errors)
        except CohortError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{cycle} was created as a draft with the default rubric. Give divisions their seats, "
                "choose the committee, then open nominations from this page.",
            )
            return redirect(cycle)
    return render(request, "cohorts/cycles/create.html", {"form": form})


# --- overview and status ------------------------------------------------------------------------------


def cycle_counts(cycle: NominationCycle) -> dict[str, Any]:
    """How far the cycle has come, in a fixed number of queries."""
    C = Candidacy.Status
    D = Candidacy.Decision
    candidacies = cycle.candidacies.aggregate(
        total=Count("pk"),
        invited=Count("pk", filter=Q(status=C.INVITED)),
        accepted=Count("pk", filter=Q(status=C.ACCEPTED)),
        declined=Count("pk", filter=Q(status=C.DECLINED)),
        selected=Count("pk", filter=Q(decision=D.SELECTED)),
        not_selected=Count("pk", filter=Q(decision=D.NOT_SELECTED)),
    )
    reviews = Review.objects.filter(candidacy__cycle=cycle).aggregate(
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        recused=Count("pk", filter=~Q(recusal="")),
    )
    return {
        "endorsements": cycle.endorsements.count(),
        "endorsed_people": cycle.endorsements.values("person").distinct().count(),
        "nominations": Nomination.objects.filter(candidacy__cycle=cycle).count(),
        "candidacies": candidacies,
        "reviews": reviews,
    }


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    transitions = [
        {"to": to, "label": label, "style": style}
        for (current, to), (label, style) in TRANSITION_BUTTONS.items()
        if current == cycle.status and to in services.ALLOWED_TRANSITIONS[current]
    ]
    quotas = list(cycle.quotas.select_related("division"))
    context = _base_context(
        cycle,
        transitions=transitions,
        transition_form=TransitionForm(),
        history=list(cycle.status_changes.select_related("by__person")),
        quotas=quotas,
        seat_total=sum(q.seats for q in quotas),
        committee=list(cycle.committee.select_related("person__department")),
        criteria=list(cycle.criteria.all()),
        counts=cycle_counts(cycle),
        date_problems=services.date_problems({f: getattr(cycle, f) for f in services.DATE_FIELDS}),
        next_cycles=list(cycle.next_cycles.order_by("year", "pk")),
        previous=cycle.previous if cycle.previous_id else None,
        today=timezone.localdate(),
        cohort=Cohort.objects.filter(cycle=cycle).first() if cycle.status in (S.DECIDED, S.CLOSED) else None,
    )
    return render(request, "cohorts/cycles/detail.html", context)


@login_required
@require_POST
def cycle_transition(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the status changes offered on this page.")
        return redirect(cycle)
    to = form.cleaned_data["to"]
    if (cycle.status, to) not in TRANSITION_BUTTONS and to == S.DECIDED:
        messages.error(
            request,
            "Decisions are published by the chair of the committee, from the selection page; the cycle "
            "becomes decided then.",
        )
        return redirect(cycle)
    try:
        services.cycle_transition(cycle=cycle, to=to, by=request.user, why=form.cleaned_data["why"])
    except CohortError as exc:
        messages.error(request, str(exc))
    else:
        done = TRANSITION_DONE.get(to, "{cycle} is now " + S(to).label.lower() + ".")
        messages.success(request, done.format(cycle=cycle))
    return redirect(cycle)


@login_required
@require_POST
def cycle_start_next(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    try:
        new = services.cycle_start_next(cycle=cycle, by=request.user)
    except CohortError as exc:
        messages.error(request, str(exc))
        return redirect(cycle)
    messages.success(
        request,
        f"{new} was created as a draft from {cycle}, with its rubric, seats and committee. Set the dates "
        "before opening nominations.",
    )
    return redirect(new)


# --- details ------------------------------------------------------------------------------------------------


@login_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    form = CycleForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        if form.all_locked:
            status = cycle.get_status_display().lower()
            form.add_error(None, f"Nothing was saved: the details are fixed while the cycle is {status}.")
        else:
            try:
                cycle = services.cycle_update(cycle=cycle, data=form.service_data(), by=request.user)
            except CycleInvalid as exc:
                form.add_service_errors(exc.errors)
            except CohortError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The details were saved.")
                return redirect("cohorts:cycle_edit", cycle.pk)
    return render(request, "cohorts/cycles/edit.html", _base_context(cycle, form=form, current="details"))


# --- seats per division -------------------------------------------------------------------------------------


@login_required
def cycle_seats(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    divisions = list(Division.objects.order_by("name"))
    form = QuotaForm(request.POST or None, cycle=cycle, divisions=divisions)
    refusal = services.setup_refusal(cycle, "the seats")
    if request.method == "POST":
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                services.quotas_update(cycle=cycle, seats=form.seats(), by=request.user)
            except CycleInvalid as exc:
                form.add_service_errors(exc.errors)
            except CohortError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The seats were saved.")
                return redirect("cohorts:cycle_seats", cycle.pk)
    context = _base_context(cycle, form=form, refusal=refusal, current="seats")
    return render(request, "cohorts/cycles/seats.html", context)


# --- committee ---------------------------------------------------------------------------------------


def _committee_page(
    request: HttpRequest, cycle: NominationCycle, *, error: str = "", status: int = 200
) -> HttpResponse:
    search = PersonSearchForm(request.GET or None)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    members = list(cycle.committee.select_related("person__department__division"))
    on_committee = {m.person_id for m in members}
    candidates = []
    if text:
        found = Person.objects.current().with_org().search(text).order_by("full_name", "pk")[:CANDIDATES]
        candidates = [{"person": p, "member": p.pk in on_committee} for p in found]
    context = _base_context(
        cycle,
        members=members,
        search=search,
        search_text=text,
        candidates=candidates,
        refusal=services.setup_refusal(cycle, "the committee"),
        min_committee=services.MIN_COMMITTEE,
        error=error,
        current="committee",
    )
    if request.htmx and request.headers.get("HX-Target") == "committee-candidates":
        return render(request, "cohorts/cycles/_committee_candidates.html", context)
    return render(request, "cohorts/cycles/committee.html", context, status=status)


@login_required
def cycle_committee(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    if request.method != "POST":
        return _committee_page(request, cycle)
    form = CommitteeAddForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _committee_page(request, cycle, error=error, status=400)
    person = form.cleaned_data["person"]
    chair = form.cleaned_data["chair"]
    try:
        services.committee_add(cycle=cycle, person=person, chair=chair, by=request.user)
    except CohortError as exc:
        return _committee_page(request, cycle, error=str(exc), status=400)
    role = "chair of the committee" if chair else "on the committee"
    messages.success(request, f"{person.full_name} is now {role}.")
    return redirect("cohorts:cycle_committee", cycle.pk)


@login_required
@require_POST
def committee_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_committee_member_for_hr(request.user, pk, member_pk)
    try:
        services.committee_remove(member=member, by=request.user)
    except CohortError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member.person.full_name} is no longer on the committee.")
    return redirect("cohorts:cycle_committee", pk)


@login_required
@require_POST
def committee_chair(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_committee_member_for_hr(request.user, pk, member_pk)
    try:
        services.committee_set_chair(member=member, by=request.user)
    except CohortError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member.person.full_name} now chairs the committee.")
    return redirect("cohorts:cycle_committee", pk)


# --- rubric ------------------------------------------------------------------------------------------


def _rubric_page(
    request: HttpRequest,
    cycle: NominationCycle,
    *,
    bound: CriterionForm | None = None,
    bound_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    criteria = list(cycle.criteria.all())
    ids = [c.pk for c in criteria]
    rows = []
    for position, criterion in enumerate(criteria):
        if bound is not None and bound_pk == criterion.pk:
            form = bound
        else:
            form = CriterionForm(
                initial={
                    "name": criterion.name,
                    "description": criterion.description,
                    "weight": criterion.weight,
                },
                auto_id=f"id_c{criterion.pk}_%s",
            )
        up = down = None
        if position > 0:
            up = [*ids[: position - 1], criterion.pk, ids[position - 1], *ids[position + 1 :]]
        if position < len(ids) - 1:
            down = [*ids[:position], ids[position + 1], criterion.pk, *ids[position + 2 :]]
        rows.append({"criterion": criterion, "form": form, "position": position + 1, "up": up, "down": down})
    add_form = bound if bound is not None and bound_pk is None else CriterionForm(auto_id="id_new_%s")
    context = _base_context(
        cycle,
        rows=rows,
        add_form=add_form,
        total_weight=sum(c.weight for c in criteria),
        refusal=services.rubric_refusal(cycle),
        current="rubric",
    )
    return render(request, "cohorts/cycles/rubric.html", context, status=status)


def _rubric_redirect(cycle: NominationCycle) -> HttpResponse:
    return redirect(reverse("cohorts:cycle_rubric", args=[cycle.pk]) + "#rubric")


@login_required
def cycle_rubric(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    if request.method != "POST":
        return _rubric_page(request, cycle)
    form = CriterionForm(request.POST, auto_id="id_new_%s")
    if form.is_valid():
        try:
            criterion = services.criterion_add(cycle=cycle, data=form.cleaned_data, by=request.user)
        except CycleInvalid as exc:
            form.add_service_errors(exc.errors)
        except CohortError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{criterion.name} was added to the rubric.")
            return _rubric_redirect(cycle)
    return _rubric_page(request, cycle, bound=form, status=400)


@login_required
@require_POST
def criterion_edit(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    criterion = get_criterion_for_hr(request.user, pk, criterion_pk)
    cycle = criterion.cycle
    form = CriterionForm(request.POST, auto_id=f"id_c{criterion.pk}_%s")
    if form.is_valid():
        try:
            criterion = services.criterion_update(
                criterion=criterion, data=form.cleaned_data, by=request.user
            )
        except CycleInvalid as exc:
            form.add_service_errors(exc.errors)
        except CohortError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{criterion.name} was saved.")
            return _rubric_redirect(cycle)
    return _rubric_page(request, cycle, bound=form, bound_pk=criterion.pk, status=400)


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    criterion = get_criterion_for_hr(request.user, pk, criterion_pk)
    try:
        services.criterion_remove(criterion=criterion, by=request.user)
    except CohortError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{criterion.name} was removed from the rubric.")
    return _rubric_redirect(criterion.cycle)


@login_required
@require_POST
def criteria_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_hr(request.user, pk)
    try:
        ordered = services.criteria_reorder(
            cycle=cycle, ordered_ids=request.POST.getlist("ids"), by=request.user
        )
    except CohortError as exc:
        messages.error(request, str(exc))
    else:
        moved = request.POST.get("moved", "")
        for position, criterion in enumerate(ordered, start=1):
            if str(criterion.pk) == moved:
                messages.success(request, f"{criterion.name} is now criterion {position} of {len(ordered)}.")
                break
        else:
            messages.success(request, "The new order is saved.")
    return _rubric_redirect(cycle)
