"""Match runs in the browser: start, watch, review (pin, forbid, swap), re-run, publish; re-match one mentee.

For a program's HR admins and coordinators only: every page resolves the program or run through
``get_program_for_manager`` / ``get_run_for_manager`` (404 for anyone else); every write is a service
call of ``matching.services.runs``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matching.forms.runs import PairRuleForm, SwapForm
from matching.models import MatchRun, Mentorship
from matching.permissions import get_run_for_manager
from matching.services import MatchingError
from matching.services.quality import explain, why_line
from matching.services.runs import (
    ACTIVE_STATUSES,
    match_run_discard,
    match_run_publish,
    match_run_rerun,
    match_run_start,
    mentee_rematch,
    proposal_forbid,
    proposal_pin,
    proposal_swap,
    published_since,
    rematch_waits_for_review,
    swap_alternatives,
)
from programs.models import Participant, Program
from programs.permissions import get_program_for_manager

RUNS_PER_PAGE = 20
PROPOSALS_PER_PAGE = 50
UNMATCHED_PER_PAGE = 50
UNPAIRED_PER_PAGE = 50
MATCHABLE = (Program.Status.MATCHING, Program.Status.RUNNING)


def _errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _participant(pk: int) -> Participant:
    """A participant by id, for the service to check (program, role, status); 404 when there is none."""
    participant = Participant.objects.select_related("person", "program").filter(pk=pk).first()
    if participant is None:
        raise Http404("No such participant.")
    return participant


def _rematch_blocked(program: Program) -> bool:
    return program.status not in MATCHABLE or rematch_waits_for_review(program)


def _unpaired_mentees(program: Program):
    current = Mentorship.objects.current().filter(mentee=OuterRef("pk"))
    return (
        Participant.objects.filter(program=program, role=Participant.Role.MENTEE)
        .approved()
        .exclude(Exists(current))
        .select_related("person__department")
        .order_by("person__full_name", "pk")
    )


@login_required
@require_GET
def run_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    runs = program.match_runs.select_related("started_by", "published_by")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    busy = program.match_runs.filter(status__in=ACTIVE_STATUSES).exists()
    can_rematch = not _rematch_blocked(program)
    unpaired = None
    if can_rematch:
        unpaired = Paginator(_unpaired_mentees(program), UNPAIRED_PER_PAGE).get_page(request.GET.get("upage"))
    return render(
        request,
        "matching/runs/list.html",
        {
            "program": program,
            "page": page,
            "can_start": program.status in MATCHABLE and not busy,
            "busy": busy,
            "can_rematch": can_rematch,
            "waiting_run": (
                program.match_runs.filter(status=MatchRun.Status.DONE).first()
                if program.status in MATCHABLE and not can_rematch
                else None
            ),
            "unpaired": unpaired,
        },
    )


@login_required
@require_POST
def run_start(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    try:
        run = match_run_start(program=program, by=request.user)
    except MatchingError as error:
        messages.error(request, str(error))
        return redirect("matching:run_list", slug=program.slug)
    messages.success(request, "The run has started; this page shows its progress.")
    return redirect(run.get_absolute_url())


def _proposal_rows(run: MatchRun, page_number: str | None):
    proposals = run.proposals.select_related(
        "mentor__person__department", "mentee__person__department"
    ).order_by("-score", "pk")
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(page_number)
    for proposal in page:
        proposal.why = explain(proposal.breakdown)
    return page


@login_required
@require_GET
def run_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program, run = get_run_for_manager(request.user, slug, pk)
    context: dict = {"program": program, "run": run, "active": run.status in ACTIVE_STATUSES}
    if run.status in (MatchRun.Status.DONE, MatchRun.Status.PUBLISHED, MatchRun.Status.DISCARDED):
        unmatched = Paginator(run.stats.get("unmatched", []), UNMATCHED_PER_PAGE).get_page(
            request.GET.get("upage")
        )
        reviewable = run.status == MatchRun.Status.DONE
        earlier = published_since(run) if reviewable else None
        rematchable: set[int] = set()
        pairs_published = run.status == MatchRun.Status.PUBLISHED or earlier is not None
        if pairs_published and program.status in MATCHABLE:
            shown = [u["participant"] for u in unmatched if u["role"] == Participant.Role.MENTEE]
            rematchable = set(_unpaired_mentees(program).filter(pk__in=shown).values_list("pk", flat=True))
        context |= {
            "proposals": _proposal_rows(run, request.GET.get("page")),
            "unmatched": unmatched,
            "reviewable": reviewable,
            "rematchable": rematchable,
            "earlier_published": earlier,
            "rule_form": PairRuleForm(program=program) if reviewable else None,
            "stats": run.stats,
            "stats_groups": [
                ("division", run.stats.get("by_division", [])),
                ("gender", run.stats.get("by_gender", [])),
            ],
        }
    return render(request, "matching/runs/detail.html", context)


@login_required
@require_GET
def run_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress bar alone, polled by the run page; once the run ends, the page reloads itself."""
    program, run = get_run_for_manager(request.user, slug, pk)
    if not request.htmx:
        return redirect(run.get_absolute_url())
    if run.status not in ACTIVE_STATUSES:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "matching/runs/_progress.html", {"program": program, "run": run, "active": True})


def _back(run: MatchRun, request: HttpRequest) -> str:
    page = request.POST.get("page", "")
    url = run.get_absolute_url()
    return f"{url}?page={page}" if page.isdigit() else url


def _pair_rule(request: HttpRequest, slug: str, pk: int, service, done: str) -> HttpResponse:
    _program, run = get_run_for_manager(request.user, slug, pk)
    form = PairRuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_back(run, request))
    mentor, mentee = _participant(form.cleaned_data["mentor"]), _participant(form.cleaned_data["mentee"])
    try:
        service(run=run, mentor=mentor, mentee=mentee, by=request.user, reason=form.cleaned_data["reason"])
    except MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(mentor=mentor.person, mentee=mentee.person))
    return redirect(_back(run, request))


@login_required
@require_POST
def proposal_pin_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _pair_rule(
        request, slug, pk, proposal_pin, "{mentor} and {mentee} are pinned: every later run pairs them."
    )


@login_required
@require_POST
def proposal_forbid_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _pair_rule(
        request,
        slug,
        pk,
        proposal_forbid,
        "{mentor} and {mentee} will never be paired; re-run to see the proposals without them.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_swap_view(request: HttpRequest, slug: str, pk: int, proposal_pk: int) -> HttpResponse:
    program, run = get_run_for_manager(request.user, slug, pk)
    proposal = (
        run.proposals.select_related("mentor__person", "mentee__person__department")
        .filter(pk=proposal_pk)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    if request.method == "POST":
        form = SwapForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(form))
            return redirect(_back(run, request))
        mentor = _participant(form.cleaned_data["mentor"])
        try:
            swapped = proposal_swap(run=run, proposal=proposal, mentor=mentor, by=request.user)
        except MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{mentor.person} now mentors {proposal.mentee.person} (score {swapped.score:.0f}). "
                f"{why_line(swapped.breakdown)}",
            )
        return redirect(_back(run, request))
    options = swap_alternatives(run, proposal) if run.status == MatchRun.Status.DONE else []
    people = {
        p.pk: p
        for p in Participant.objects.filter(pk__in=[o["mentor"] for o in options]).select_related(
            "person__department"
        )
    }
    alternatives = [{"mentor": people[o["mentor"]], "score": o["score"]} for o in options]
    context = {"program": program, "run": run, "proposal": proposal, "alternatives": alternatives}
    if request.htmx:
        return render(request, "matching/runs/_swap.html", context)
    return render(request, "matching/runs/swap.html", context)


@login_required
@require_POST
def run_rerun_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _program, run = get_run_for_manager(request.user, slug, pk)
    try:
        new = match_run_rerun(run=run, by=request.user)
    except MatchingError as error:
        messages.error(request, str(error))
        return redirect(run.get_absolute_url())
    messages.success(request, "A new run has started with the pins and forbids in force.")
    return redirect(new.get_absolute_url())


@login_required
@require_POST
def run_discard_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _program, run = get_run_for_manager(request.user, slug, pk)
    try:
        match_run_discard(run=run, by=request.user)
    except MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Run {run.pk} was discarded; nothing changed for participants.")
    return redirect(run.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def run_publish_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program, run = get_run_for_manager(request.user, slug, pk)
    if request.method == "POST":
        try:
            match_run_publish(run=run, by=request.user)
        except MatchingError as error:
            messages.error(request, str(error))
            return redirect(run.get_absolute_url())
        messages.success(
            request,
            f"Published: {run.proposals.count()} pairs are active and each person got an introduction.",
        )
        return redirect(run.get_absolute_url())
    return render(
        request,
        "matching/runs/publish.html",
        {"program": program, "run": run, "pairs": run.proposals.count()},
    )


@login_required
@require_POST
def mentee_rematch_view(request: HttpRequest, slug: str, participant_pk: int) -> HttpResponse:
    program = get_program_for_manager(request.user, slug)
    mentee = (
        Participant.objects.filter(program=program, role=Participant.Role.MENTEE, pk=participant_pk)
        .select_related("person", "program")
        .first()
    )
    if mentee is None:
        raise Http404("No such mentee.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("matching:run_list", args=[program.slug])
    try:
        pair, parts = mentee_rematch(mentee=mentee, by=request.user)
    except MatchingError as error:
        messages.error(request, str(error))
        return redirect(back)
    details = "; ".join(
        f"{p['criterion']} {p['points']:.0f}" for p in sorted(parts, key=lambda p: -p["points"])
    )
    messages.success(
        request,
        f"{mentee.person} is now paired with {pair.mentor.person} (score {pair.score:.0f}: {details}). "
        "Both got an introduction.",
    )
    return redirect(back)
