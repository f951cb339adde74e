"""The coordinators' health board of a program: the active pairs at risk and why, with the actions on them
(nudge both, mark a risk handled, end and re-match), and the mentors whose pairs keep struggling, with a
certified Master Mentor to coach them.

For the program's coordinators and HR admins only: every page resolves the program through
``get_program_for_board`` and every pair through ``get_pair_for_coordinator`` (404 for anyone else, and
for a pair of another program); every write is a service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from matching.services.runs import rematch_waits_for_review
from people.models import Person
from programs.models import Participant, Program

from ..forms.health import CoachingForm, PairEndForm, RiskHandledForm
from ..health import (
    RISKS,
    certified_master_mentors,
    health_summary,
    marginal_mentors,
    marginal_reasons,
    mentees_to_rematch,
    pairs_at_risk,
    risks_of,
)
from ..models import MentorCoaching
from ..permissions import PairAccess, get_pair_for_coordinator, get_program_for_board
from ..services import FeedbackError
from ..services.ending import pair_end_early
from ..services.health import mentor_coaching_assign, mentor_coaching_end, pair_nudge, pair_risk_handle

PAIRS_PER_PAGE = 25
MENTEES_PER_PAGE = 20
MENTORS_PER_PAGE = 25
REMATCHABLE = (Program.Status.MATCHING, Program.Status.RUNNING)


def _errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _board_url(program: Program, request: HttpRequest, anchor: str = "") -> str:
    url = reverse("feedback:health_board", args=[program.slug])
    page = request.POST.get("page", "")
    return f"{url}{'?page=' + page if page.isdigit() else ''}{anchor}"


def _pair_on_board(request: HttpRequest, slug: str, pk: int) -> tuple[Program, PairAccess]:
    """The program (its coordinators and HR admins only) and one of its pairs; 404 for a pair of another
    program."""
    program = get_program_for_board(request.user, slug)
    access = get_pair_for_coordinator(request.user, pk)
    if access.mentorship.program_id != program.pk:
        raise Http404("No such pair.")
    return program, access


def _can_rematch(program: Program) -> bool:
    return program.status in REMATCHABLE and not rematch_waits_for_review(program)


@login_required
@require_GET
def health_board(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_board(request.user, slug)
    page = Paginator(pairs_at_risk(program), PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for pair in page:
        risks = risks_of(pair)
        nudged = pair.last_nudged_at
        rows.append(
            {
                "pair": pair,
                "risks": risks,
                "nudged_today": nudged is not None and timezone.localdate(nudged) == today,
                "handled_form": RiskHandledForm(risks=[r.key for r in risks], auto_id=f"id_pair{pair.pk}_%s"),
                "end_form": PairEndForm(auto_id=f"id_end{pair.pk}_%s"),
            }
        )
    can_rematch = _can_rematch(program)
    rematch = Paginator(mentees_to_rematch(program), MENTEES_PER_PAGE).get_page(request.GET.get("rpage"))
    return render(
        request,
        "feedback/health/board.html",
        {
            "program": program,
            "page_title": "Pair health",
            "summary": health_summary(program),
            "page": page,
            "rows": rows,
            "rematch": rematch,
            "can_rematch": can_rematch,
            "marginal_count": marginal_mentors(program).count(),
        },
    )


@login_required
@require_POST
def health_nudge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program, access = _pair_on_board(request, slug, pk)
    try:
        pair_nudge(access=access, by=request.user)
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        pair = access.mentorship
        messages.success(
            request, f"{pair.mentor.person.full_name} and {pair.mentee.person.full_name} were nudged to meet."
        )
    return redirect(_board_url(program, request, f"#pair-{pk}"))


@login_required
@require_POST
def health_handled(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program, access = _pair_on_board(request, slug, pk)
    form = RiskHandledForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_board_url(program, request, f"#pair-{pk}"))
    try:
        action = pair_risk_handle(
            access=access, risk=form.cleaned_data["risk"], note=form.cleaned_data["note"], by=request.user
        )
    except FeedbackError as error:
        messages.error(request, str(error))
        return redirect(_board_url(program, request, f"#pair-{pk}"))
    pair = access.mentorship
    messages.success(
        request,
        f"“{RISKS[action.risk]}” is marked handled for {pair.mentor.person.full_name} and "
        f"{pair.mentee.person.full_name}; it comes back only with new evidence.",
    )
    return redirect(_board_url(program, request))


@login_required
@require_POST
def health_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program, access = _pair_on_board(request, slug, pk)
    form = PairEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_board_url(program, request, f"#pair-{pk}"))
    try:
        pair_end_early(
            access=access,
            category=form.cleaned_data["category"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except FeedbackError as error:
        messages.error(request, str(error))
        return redirect(_board_url(program, request, f"#pair-{pk}"))
    pair = access.mentorship
    mentee = pair.mentee.person.full_name
    if _can_rematch(program):
        next_step = f"Re-match {mentee} below."
    else:
        next_step = f"{mentee} can be re-matched from the matching page once no run waits for review."
    messages.success(
        request, f"The pair of {pair.mentor.person.full_name} and {mentee} has ended. {next_step}"
    )
    return redirect(_board_url(program, request, "#rematch-heading"))


@login_required
@require_GET
def health_mentors(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_board(request.user, slug)
    page = Paginator(marginal_mentors(program), MENTORS_PER_PAGE).get_page(request.GET.get("page"))
    coaches = list(certified_master_mentors().select_related(None).only("pk", "full_name", "title"))
    rows = []
    for mentor in page:
        coaching = mentor.current_coaching[0] if mentor.current_coaching else None
        form = None
        if coaching is None:
            form = CoachingForm(
                coaches=[c for c in coaches if c.pk != mentor.pk], auto_id=f"id_m{mentor.pk}_%s"
            )
        rows.append(
            {"mentor": mentor, "reasons": marginal_reasons(mentor), "coaching": coaching, "form": form}
        )
    return render(
        request,
        "feedback/health/mentors.html",
        {
            "program": program,
            "page_title": "Mentors to support",
            "page": page,
            "rows": rows,
            "has_coaches": bool(coaches),
        },
    )


def _mentors_url(program: Program, request: HttpRequest) -> str:
    url = reverse("feedback:health_mentors", args=[program.slug])
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@login_required
@require_POST
def mentor_coach(request: HttpRequest, slug: str, person_pk: int) -> HttpResponse:
    program = get_program_for_board(request.user, slug)
    mentor = (
        Person.objects.filter(
            pk=person_pk, participations__program=program, participations__role=Participant.Role.MENTOR
        )
        .distinct()
        .first()
    )
    if mentor is None:
        raise Http404("No such mentor.")
    form = CoachingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_mentors_url(program, request))
    coach = Person.objects.filter(pk=form.cleaned_data["coach"]).first()
    if coach is None:
        messages.error(request, "Choose a coach from the list of certified Master Mentors.")
        return redirect(_mentors_url(program, request))
    try:
        mentor_coaching_assign(
            program=program, mentor=mentor, coach=coach, note=form.cleaned_data["note"], by=request.user
        )
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{coach.full_name} will coach {mentor.full_name}; both were told.")
    return redirect(_mentors_url(program, request))


@login_required
@require_POST
def coaching_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = get_program_for_board(request.user, slug)
    # A coaching assigned in this program, or for one of its mentors from another program.
    coaching = (
        MentorCoaching.objects.select_related("mentor", "coach")
        .filter(pk=pk, mentor__participations__program=program)
        .first()
    )
    if coaching is None:
        raise Http404("No such coaching.")
    try:
        mentor_coaching_end(coaching=coaching, by=request.user)
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{coaching.coach.full_name}'s coaching of {coaching.mentor.full_name} has ended."
        )
    return redirect(_mentors_url(program, request))
