"""Endorsements, nominations and the candidate's answer in the browser.

The "Master Mentors" page lists the open cycles with what the signed-in person can do in each: endorse a
colleague (any employee), nominate (managers, directors and HR admins), see whom their team goes to for
advice (managers and directors), answer their own candidacy. HR admins also reach each cycle's page of
nominations and endorsements, the only page that names endorsers.

Objects resolve through ``cohorts.permissions.nominations`` (404 for anyone else); every write is a service
call of ``cohorts.services.endorsements`` or ``cohorts.services.nominations``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from people.models import Person, PersonQuerySet
from people.permissions import is_hr_admin

from ..forms.nominations import CandidacyAcceptForm, EndorsementForm, NominationForm, PersonSearchForm
from ..models import MAX_ENDORSEMENTS, Candidacy, Endorsement, Nomination, NominationCycle
from ..permissions import get_cycle_for_hr
from ..permissions.nominations import (
    current_person,
    endorsable_people,
    get_candidacy_for_candidate,
    get_cycle_for_endorser,
    get_cycle_for_nominator,
    get_cycle_for_team_advice,
    get_endorsement_for_endorser,
    is_nominator,
    nominatable_people,
)
from ..selectors.endorsements import (
    candidacies_for_hr,
    endorsements_for_hr,
    endorsements_given,
    has_reports,
    team_advice,
)
from ..services import CohortError
from ..services.endorsements import endorsement_create, endorsement_withdraw
from ..services.nominations import (
    ANSWERABLE,
    candidacy_accept,
    candidacy_decline,
    eligibility_problem,
    nomination_create,
    standing_problems,
    window_problem,
)

SEARCH_RESULTS = 20
ENDORSEMENTS_PER_PAGE = 100


def _home() -> str:
    return reverse("cohorts:nominations_home")


@login_required
@require_http_methods(["GET"])
def nominations_home(request: HttpRequest) -> HttpResponse:
    """The "Master Mentors" page. A fixed number of queries whatever the number of cycles or people."""
    user = request.user
    person = current_person(user)
    hr = is_hr_admin(user)
    if person is None and not hr:
        raise Http404("This page is for the people in the directory.")
    today = timezone.localdate()
    cycles = list(
        NominationCycle.objects.filter(status=NominationCycle.Status.OPEN).order_by("-year", "name")
    )
    nominator = is_nominator(user)
    given: dict[int, list[Endorsement]] = {c.pk: [] for c in cycles}
    nominations: list[Nomination] = []
    candidacies: list[Candidacy] = []
    if person is not None:
        for endorsement in (
            Endorsement.objects.filter(endorser=person, cycle__in=cycles)
            .select_related("person")
            .order_by("created_at", "pk")
        ):
            given[endorsement.cycle_id].append(endorsement)
        nominations = list(
            Nomination.objects.filter(nominator=person)
            .exclude(candidacy__cycle__status=NominationCycle.Status.DRAFT)
            .select_related("candidacy__person", "candidacy__cycle")
            .order_by("-candidacy__cycle__year", "candidacy__person__full_name", "pk")
        )
        candidacies = list(
            Candidacy.objects.filter(person=person)
            .exclude(cycle__status=NominationCycle.Status.DRAFT)
            .select_related("cycle")
            .order_by("-cycle__year", "pk")
        )
    rows = [
        {
            "cycle": cycle,
            "endorsement_problem": window_problem(cycle, today, "Endorsements"),
            "nomination_problem": window_problem(cycle, today),
            "given": given[cycle.pk],
            "left": MAX_ENDORSEMENTS - len(given[cycle.pk]),
        }
        for cycle in cycles
    ]
    hr_cycles = (
        list(NominationCycle.objects.exclude(status=NominationCycle.Status.DRAFT).order_by("-year", "name"))
        if hr
        else []
    )
    context = {
        "person": person,
        "rows": rows,
        "nominator": nominator,
        "has_team": person is not None and has_reports(person),
        "nominations": nominations,
        "candidacies": candidacies,
        "hr_cycles": hr_cycles,
        "max_endorsements": MAX_ENDORSEMENTS,
    }
    return render(request, "cohorts/nominations/home.html", context)


def _search(request: HttpRequest, people: PersonQuerySet) -> tuple[PersonSearchForm, list[Person]]:
    search = PersonSearchForm(request.GET or None)
    results: list[Person] = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        found = people.search(search.cleaned_data["q"]).with_org().order_by("full_name", "pk")
        results = list(found[:SEARCH_RESULTS])
    return search, results


def _chosen(request: HttpRequest, people: PersonQuerySet) -> Person | None:
    value = request.GET.get("person", "")
    return people.with_org().filter(pk=int(value)).first() if value.isdigit() else None


def _posted_person(form, fallback_people: PersonQuerySet) -> Person | None:
    """The person a POST names, to show it again beside the form's errors (only if one may choose them)."""
    value = form.data.get("person", "")
    return fallback_people.with_org().filter(pk=int(value)).first() if str(value).isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def endorse(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle, person = get_cycle_for_endorser(request.user, cycle_pk)
    people = endorsable_people(person)
    if request.method == "POST":
        # Any person converts: the service says why a choice is refused (oneself, a former employee...).
        form = EndorsementForm(request.POST, people=Person.objects.all())
        if form.is_valid():
            try:
                endorsement = endorsement_create(
                    cycle=cycle,
                    person=form.cleaned_data["person"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except CohortError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Thank you: your endorsement of {endorsement.person.full_name} is recorded. Nobody "
                    "but HR will know it came from you.",
                )
                return redirect(_home())
        chosen = _posted_person(form, people)
    else:
        chosen = _chosen(request, people)
        form = EndorsementForm(initial={"person": chosen.pk}, people=people) if chosen else None
    search, results = _search(request, people)
    given = list(endorsements_given(cycle, person))
    context = {
        "cycle": cycle,
        "problem": window_problem(cycle, timezone.localdate(), "Endorsements"),
        "form": form,
        "chosen": chosen,
        "search": search,
        "results": results,
        "given": given,
        "given_ids": {e.person_id for e in given},
        "left": MAX_ENDORSEMENTS - len(given),
        "max_endorsements": MAX_ENDORSEMENTS,
    }
    return render(request, "cohorts/nominations/endorse.html", context)


@login_required
@require_POST
def endorsement_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_endorsement_for_endorser(request.user, pk)
    try:
        endorsement_withdraw(endorsement=endorsement, by=request.user)
    except CohortError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Your endorsement of {endorsement.person.full_name} is withdrawn.")
    return redirect(_home())


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle, person = get_cycle_for_nominator(request.user, cycle_pk)
    people = nominatable_people(request.user, person)
    today = timezone.localdate()
    if request.method == "POST":
        # Any person converts: the service says why a choice is refused (outside the reporting line...).
        form = NominationForm(request.POST, people=Person.objects.all())
        if form.is_valid():
            try:
                nomination = nomination_create(
                    cycle=cycle, person=form.cleaned_data["person"], evidence=form.evidence(), by=request.user
                )
            except CohortError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Thank you: {nomination.candidacy.person.full_name} is nominated. They are asked to "
                    "accept or decline; you will hear their answer.",
                )
                return redirect(_home())
        chosen = _posted_person(form, people)
    else:
        chosen = _chosen(request, people)
        form = NominationForm(initial={"person": chosen.pk}, people=people) if chosen else None
    search, results = _search(request, people)
    results = list(results)
    standing = standing_problems([p.pk for p in results])
    context = {
        "cycle": cycle,
        "problem": window_problem(cycle, today),
        "form": form,
        "chosen": chosen,
        "chosen_problem": eligibility_problem(cycle, chosen, today) if chosen else None,
        "search": search,
        "results": [(p, eligibility_problem(cycle, p, today, standing=standing)) for p in results],
        "hr_admin": is_hr_admin(request.user),
        "has_team": has_reports(person),
    }
    return render(request, "cohorts/nominations/nominate.html", context)


@login_required
@require_http_methods(["GET"])
def team_advice_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """People of the manager's reporting tree whom colleagues go to for advice, with the reasons and never
    the endorsers."""
    cycle, person = get_cycle_for_team_advice(request.user, cycle_pk)
    context = {
        "cycle": cycle,
        "rows": team_advice(cycle, person),
        "can_nominate": window_problem(cycle, timezone.localdate()) is None,
    }
    return render(request, "cohorts/nominations/team_advice.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def candidacy(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate's own candidacy: accept with a motivation statement, or decline."""
    own = get_candidacy_for_candidate(request.user, pk)
    url = reverse("cohorts:candidacy", args=[own.pk])
    answerable = own.status == Candidacy.Status.INVITED and own.cycle.status in ANSWERABLE
    form = CandidacyAcceptForm()
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision == "accept":
            form = CandidacyAcceptForm(request.POST)
            if form.is_valid():
                try:
                    candidacy_accept(
                        candidacy=own, motivation=form.cleaned_data["motivation"], by=request.user
                    )
                except CohortError as error:
                    # The form checked the statement; what is left is the candidacy's state (answered...).
                    messages.error(request, str(error))
                else:
                    messages.success(
                        request, "You accepted the nomination. The committee will review your candidacy."
                    )
                return redirect(url)
        else:
            try:
                if decision != "decline":
                    raise CohortError("Choose whether you accept or decline.")
                candidacy_decline(candidacy=own, by=request.user)
            except CohortError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "You declined the nomination. Thank you for letting us know.")
            return redirect(url)
    context = {"candidacy": own, "cycle": own.cycle, "form": form, "answerable": answerable}
    return render(request, "cohorts/nominations/candidacy.html", context)


@login_required
@require_http_methods(["GET"])
def cycle_nominations_hr(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """HR admins: every candidacy of a cycle with its nominators, and every endorsement with its endorser."""
    cycle = get_cycle_for_hr(request.user, cycle_pk)
    endorsements = Paginator(endorsements_for_hr(cycle), ENDORSEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "cycle": cycle,
        "candidacies": list(candidacies_for_hr(cycle)),
        "endorsements": endorsements,
        "problem": window_problem(cycle, timezone.localdate()),
    }
    return render(request, "cohorts/nominations/hr_cycle.html", context)
