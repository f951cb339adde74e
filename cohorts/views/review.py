"""Blind review, ranking and selection in the browser: the committee's list of candidacies and a candidacy's
review page (score, save a draft, submit, declare a conflict), the chair's ranking with the decision per
candidacy and the publication of decisions, the review's progress board (chair and HR admins) and a
person's history across cycles (HR admins).

Everything resolves through ``cohorts.permissions.review`` (404 for anyone else). Until the decisions are
published, committee pages and their htmx fragments never carry a candidate's name, e-mail, title,
department, manager or demographics: the templates read them only under ``revealed``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ..calibration import cycle_ranking
from ..forms.review import ConflictForm, DecisionForm, PublishForm, ReviewForm
from ..models import Candidacy, Criterion, Endorsement, Nomination, NominationCycle, Review
from ..permissions.review import (
    ReviewerAccess,
    accepted_candidacies,
    get_candidacy_for_reviewer,
    get_cycle_for_chair,
    get_cycle_for_progress,
    get_cycle_for_reviewer,
    get_person_for_history,
    recusal_map,
)
from ..selectors.endorsements import endorsement_evidence
from ..services import CohortError
from ..services.review import (
    REMIND_DAYS_BEFORE,
    ReviewInvalid,
    review_declare_conflict,
    review_progress,
    review_save,
    review_write_refusal,
    tenure_band,
)
from ..services.selection import candidacy_decide, decisions_publish, seat_problems

S = NominationCycle.Status
Recusal = Review.Recusal
# Only the evidence fields of a nomination are read for the committee: never who nominated.
EVIDENCE_FIELDS = (
    "pk",
    "candidacy_id",
    "informal_mentoring",
    "sought_out",
    "sponsoring",
    "communication",
    "statement",
)


def _cycle_context(cycle: NominationCycle, seat) -> dict:
    return {
        "cycle": cycle,
        "seat": seat,
        "revealed": cycle.decisions_published,
        "can_review": cycle.status == S.REVIEWING and not cycle.decisions_published,
    }


# --- The committee's list -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def review_list(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle, seat = get_cycle_for_reviewer(request.user, cycle_pk)
    candidacies = list(
        accepted_candidacies(cycle).annotate(nomination_count=Count("nominations", distinct=True))
    )
    recusals = recusal_map(candidacies)
    own = {
        r.candidacy_id: r
        for r in Review.objects.filter(candidacy__in=candidacies, reviewer=seat.person).only(
            "candidacy_id", "recusal", "submitted_at"
        )
    }
    endorsements = dict(
        Endorsement.objects.filter(cycle=cycle, person__in=[c.person_id for c in candidacies])
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    today = timezone.localdate()
    rows = []
    counts = {"submitted": 0, "outstanding": 0, "recused": 0}
    for candidacy in candidacies:
        review = own.get(candidacy.pk)
        recusal = recusals.reason(candidacy, seat.person_id) or (review.recusal if review else "")
        if recusal:
            state, counts["recused"] = "recused", counts["recused"] + 1
        elif review is not None and review.submitted_at is not None:
            state, counts["submitted"] = "submitted", counts["submitted"] + 1
        else:
            state = "draft" if review is not None else "not_started"
            counts["outstanding"] += 1
        rows.append(
            {
                "candidacy": candidacy,
                "division": candidacy.person.department.division.name,
                "level": candidacy.person.job_level,
                "tenure": tenure_band(candidacy.person, today),
                "endorsements": endorsements.get(candidacy.person_id, 0),
                "state": state,
                "recusal_label": Recusal(recusal).label if recusal else "",
            }
        )
    context = _cycle_context(cycle, seat) | {"rows": rows, "counts": counts}
    return render(request, "cohorts/review/list.html", context)


# --- A candidacy's review page ------------------------------------------------------------------------------


def _criteria(cycle: NominationCycle) -> list[Criterion]:
    return list(Criterion.objects.filter(cycle=cycle))


def _initial(access: ReviewerAccess, criteria: list[Criterion]) -> dict:
    review = access.review
    if review is None or review.recusal:
        return {}
    initial: dict = {"comment": review.comment}
    for score in review.scores.all():
        initial[f"score_{score.criterion_id}"] = score.score
        initial[f"comment_{score.criterion_id}"] = score.comment
    return initial


def _candidacy_context(
    request: HttpRequest,
    access: ReviewerAccess,
    *,
    form: ReviewForm | None = None,
    conflict_form: ConflictForm | None = None,
    criteria: list[Criterion] | None = None,
) -> dict:
    cycle, candidacy = access.cycle, access.candidacy
    context = _cycle_context(cycle, access.seat) | {
        "access": access,
        "candidacy": candidacy,
        "recusal_label": access.recusal_label,
        "review": access.review,
    }
    if access.recusal:
        # Recused: the reason only, no evidence and no form.
        return context
    criteria = criteria if criteria is not None else _criteria(cycle)
    if access.can_write:
        form = form or ReviewForm(initial=_initial(access, criteria), criteria=criteria)
        conflict_form = conflict_form or ConflictForm()
    context |= {
        "division": candidacy.person.department.division.name,
        "level": candidacy.person.job_level,
        "tenure": tenure_band(candidacy.person),
        "nominations": list(Nomination.objects.filter(candidacy=candidacy).only(*EVIDENCE_FIELDS)),
        "reasons": endorsement_evidence(candidacy, cycle).reasons,
        "form": form,
        "conflict_form": conflict_form,
        "submitted": access.review is not None and access.review.submitted_at is not None,
        "scores": list(access.review.scores.select_related("criterion")) if access.review else [],
        "url": reverse("cohorts:review_candidacy", args=[cycle.pk, candidacy.pk]),
    }
    return context


def _reload(request: HttpRequest, url: str) -> HttpResponse:
    """Back to ``url`` with the message: a whole-page load for htmx too, whose swap of a redirected page
    into the review form would nest one page in another."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def review_candidacy(request: HttpRequest, cycle_pk: int, pk: int) -> HttpResponse:
    access = get_candidacy_for_reviewer(request.user, cycle_pk, pk)
    url = reverse("cohorts:review_candidacy", args=[cycle_pk, pk])
    form = None
    criteria = None
    if request.method == "POST":
        refusal = review_write_refusal(
            cycle=access.cycle, candidacy=access.candidacy, reviewer=access.seat.person
        )
        if refusal:
            messages.error(request, refusal)
            return _reload(request, url)
        criteria = _criteria(access.cycle)
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                review_save(
                    candidacy=access.candidacy,
                    reviewer=access.seat.person,
                    scores=form.scores(),
                    comments=form.comments(),
                    comment=form.cleaned_data["comment"],
                    submit=form.submitting,
                    by=request.user,
                )
            except ReviewInvalid as error:
                form.add_service_errors(error.errors)
            except CohortError as error:
                messages.error(request, str(error))
                return _reload(request, url)
            else:
                label = access.candidacy.blind_label
                was_submitted = access.review is not None and access.review.submitted_at is not None
                if was_submitted:
                    done = f"Your changes to the review of {label} are saved."
                elif form.submitting:
                    done = (
                        f"Your review of {label} is submitted. You can change it while the committee reviews."
                    )
                else:
                    done = f"Your draft review of {label} is saved; submit it when it is complete."
                if request.htmx:
                    access = get_candidacy_for_reviewer(request.user, cycle_pk, pk)
                    context = _candidacy_context(request, access) | {"notice": done}
                    return render(request, "cohorts/review/_review_form.html", context)
                messages.success(request, done)
                return redirect(reverse("cohorts:review_list", args=[cycle_pk]))
    context = _candidacy_context(request, access, form=form, criteria=criteria)
    if request.htmx and request.method == "POST":
        return render(request, "cohorts/review/_review_form.html", context)
    return render(request, "cohorts/review/candidacy.html", context)


@login_required
@require_POST
def review_conflict(request: HttpRequest, cycle_pk: int, pk: int) -> HttpResponse:
    access = get_candidacy_for_reviewer(request.user, cycle_pk, pk)
    url = reverse("cohorts:review_candidacy", args=[cycle_pk, pk])
    refusal = review_write_refusal(
        cycle=access.cycle, candidacy=access.candidacy, reviewer=access.seat.person
    )
    if refusal:
        messages.error(request, refusal)
        return redirect(url)
    conflict_form = ConflictForm(request.POST)
    if conflict_form.is_valid():
        try:
            review_declare_conflict(
                candidacy=access.candidacy,
                reviewer=access.seat.person,
                note=conflict_form.cleaned_data["note"],
                by=request.user,
            )
        except ReviewInvalid as error:
            conflict_form.add_service_errors(error.errors)
        except CohortError as error:
            messages.error(request, str(error))
            return redirect(url)
        else:
            messages.success(
                request, f"Your conflict with {access.candidacy.blind_label} is recorded: you are recused."
            )
            return redirect(reverse("cohorts:review_list", args=[cycle_pk]))
    context = _candidacy_context(request, access, conflict_form=conflict_form)
    return render(request, "cohorts/review/candidacy.html", context)


# --- Progress -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def review_progress_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = get_cycle_for_progress(request.user, cycle_pk)
    rows = review_progress(cycle)
    totals = {
        key: sum(getattr(row, key) for row in rows)
        for key in ("submitted", "drafts", "outstanding", "recused")
    }
    context = {
        "cycle": cycle,
        "rows": rows,
        "totals": totals,
        "candidacy_count": accepted_candidacies(cycle).count(),
        "remind_days": REMIND_DAYS_BEFORE,
        "declared": Review.objects.filter(
            candidacy__cycle=cycle, candidacy__status=Candidacy.Status.ACCEPTED, recusal=Recusal.DECLARED
        )
        .select_related("reviewer", "candidacy")
        .order_by("candidacy__number", "reviewer__full_name"),
    }
    return render(request, "cohorts/review/progress.html", context)


# --- Ranking and selection (the chair) ----------------------------------------------------------------------


def _ranking_context(cycle: NominationCycle, seat) -> dict:
    divisions = cycle_ranking(cycle)
    can_decide = cycle.status == S.REVIEWING and not cycle.decisions_published
    return _cycle_context(cycle, seat) | {
        "divisions": divisions,
        "can_decide": can_decide,
        "margin": cycle.near_tie_margin,
    }


@login_required
@require_http_methods(["GET"])
def ranking(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle, seat = get_cycle_for_chair(request.user, cycle_pk)
    context = _ranking_context(cycle, seat)
    context["seat_problems"] = seat_problems(cycle) if context["can_decide"] else []
    return render(request, "cohorts/review/ranking.html", context)


@login_required
@require_POST
def selection_decide(request: HttpRequest, cycle_pk: int, pk: int) -> HttpResponse:
    cycle, seat = get_cycle_for_chair(request.user, cycle_pk)
    candidacy = accepted_candidacies(cycle).filter(pk=pk).first()
    if candidacy is None:
        raise Http404("No such candidacy.")
    candidacy.cycle = cycle
    division_id = candidacy.person.department.division_id
    form = DecisionForm(request.POST)
    error = notice = ""
    if form.is_valid():
        try:
            decided = candidacy_decide(
                candidacy=candidacy,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                justification=form.cleaned_data["justification"],
                by=request.user,
            )
        except CohortError as refused:
            error = str(refused)
        else:
            notice = (
                f"{decided.blind_label}: {decided.get_decision_display().lower()}. The decision is recorded."
            )
    else:
        error = " ".join(m for messages_ in form.errors.values() for m in messages_)
    anchor = f"candidate-{candidacy.number}"
    if request.htmx:
        context = _ranking_context(cycle, seat)
        division = next((d for d in context["divisions"] if d.division.pk == division_id), None)
        context |= {
            "d": division,
            "notice": notice,
            "error": error,
            "error_for": candidacy.pk,
            "seat_summary_oob": context["can_decide"],
            "seat_problems": seat_problems(cycle) if context["can_decide"] else [],
        }
        return render(request, "cohorts/review/_division.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(reverse("cohorts:ranking", args=[cycle_pk]) + f"#{anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """The chair's confirmation, then the service. A committee member who is not the chair is refused by
    the service with its message; anyone off the committee gets 404."""
    cycle, seat = get_cycle_for_reviewer(request.user, cycle_pk)
    ranking_url = reverse("cohorts:ranking", args=[cycle_pk])
    form = PublishForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                decisions_publish(
                    cycle=cycle, by=request.user, justification=form.cleaned_data["justification"]
                )
            except CohortError as error:
                if not seat.is_chair:
                    messages.error(request, str(error))
                    return redirect(reverse("cohorts:review_list", args=[cycle_pk]))
                # Shown once, beside the form (a message as well showed it twice).
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "The decisions are published: candidates and their nominators have been told."
                )
                return redirect(ranking_url)
    elif not seat.is_chair:
        raise Http404("No such page.")
    context = _cycle_context(cycle, seat) | {
        "form": form,
        "seat_problems": seat_problems(cycle),
        "undecided": accepted_candidacies(cycle).filter(decision=Candidacy.Decision.PENDING).count(),
    }
    return render(request, "cohorts/review/publish.html", context)


# --- A person's history (HR admins) -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def person_history(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_person_for_history(request.user, person_pk)
    endorsement_count = (
        Endorsement.objects.filter(cycle=OuterRef("cycle"), person=OuterRef("person"))
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    candidacies = (
        Candidacy.objects.filter(person=person)
        .select_related("cycle", "decided_by")
        .annotate(
            submitted_reviews=Count("reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True),
            endorsement_count=Coalesce(Subquery(endorsement_count), 0),
        )
        .prefetch_related("nominations__nominator")
        .order_by("-cycle__year", "-cycle__pk")
    )
    committee = person.committee_seats.select_related("cycle").order_by("-cycle__year", "-cycle__pk")
    context = {"person": person, "candidacies": candidacies, "committee": committee}
    return render(request, "cohorts/review/person_history.html", context)
