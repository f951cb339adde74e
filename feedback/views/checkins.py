"""Check-ins and closure in the browser: a member's check-in form, the coordinators' answers-and-flags page
of a program (open a period, mark a flag handled, complete the pairs of an ended program), the closure
survey, completing a pair, and the pair page's check-ins and closure sections.

Pairs resolve through ``feedback.permissions.get_pair_for_user`` and programs through
``get_program_for_board`` (404 for anyone else); a check-in is found only among the signed-in member's
own, so another person's answers are never reachable. Every write is a service call of
``feedback.services.checkins`` or ``feedback.services.closure``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from matching.models import Mentorship
from mentoring.audit import log_reads
from programs.models import Program

from ..forms.checkins import CheckInForm, ClosureSurveyForm
from ..models import CheckIn, ClosureSurvey
from ..permissions import MENTOR, PairAccess, get_pair_for_user, get_program_for_board
from ..sections import PageSection
from ..services import FeedbackError
from ..services.checkins import (
    DUE_DAYS,
    checkin_answerable,
    checkin_flags,
    checkin_mark_handled,
    checkin_period_end,
    checkin_period_start,
    checkin_submit,
    checkins_open,
    flagged_q,
)
from ..services.closure import (
    closure_answerable,
    closure_open,
    closure_submit,
    pair_complete,
    pairs_complete_at_program_end,
    program_ended,
)

M = Mentorship.Status
PERIODS_PER_PAGE = 8
FLAGS_PER_PAGE = 25


def _pair_url(pk: int, anchor: str = "") -> str:
    url = reverse("feedback:pair_detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _pair_context(access: PairAccess) -> dict:
    return {"access": access, "pair": access.mentorship, "program": access.mentorship.program}


# --- A member's check-in ------------------------------------------------------------------------------------


def _own_checkin(access: PairAccess, pk: int) -> CheckIn:
    """One of the signed-in member's own check-ins on this pair; 404 for anyone else's (the partner's, or
    any check-in for a coordinator) and for what does not exist."""
    if access.participant is None:
        raise Http404("No such check-in.")
    checkin = CheckIn.objects.filter(
        pk=pk, mentorship=access.mentorship, participant=access.participant
    ).first()
    if checkin is None:
        raise Http404("No such check-in.")
    return checkin


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pair_pk: int, pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pair_pk)
    own = _own_checkin(access, pk)
    url = reverse("feedback:checkin", args=[pair_pk, pk])
    form = None
    if own.submitted_at is None and access.mentorship.status == M.ACTIVE:
        form = CheckInForm(request.POST or None)
    if request.method == "POST":
        try:
            checkin_answerable(access=access, checkin=own)
        except FeedbackError as error:
            messages.error(request, str(error))
            return redirect(url)
        if form is not None and form.is_valid():
            try:
                sent = checkin_submit(access=access, checkin=own, answers=form.answers(), by=request.user)
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                done = "Thank you: your check-in is sent."
                if checkin_flags(sent):
                    done += " The coordinator will get in touch with you."
                messages.success(request, done)
                return redirect(_pair_url(pair_pk, "checkins"))
    context = _pair_context(access) | {
        "checkin": own,
        "form": form,
        "overdue": own.submitted_at is None and own.due_on < timezone.localdate(),
    }
    return render(request, "feedback/checkins/checkin.html", context)


# --- The pair page's sections -------------------------------------------------------------------------------


def checkins_section(request: HttpRequest, access: PairAccess) -> PageSection:
    """Members see their own check-ins (open ones with a link, sent ones with their own answers), never
    their partner's; coordinators and HR admins see both members' answers, period by period. One query."""
    pair = access.mentorship
    today = timezone.localdate()
    context: dict = {"access": access, "pair": pair, "today": today}
    if access.is_member:
        own = list(CheckIn.objects.filter(mentorship=pair, participant=access.participant))
        context |= {
            "open": [c for c in own if c.submitted_at is None and pair.status == M.ACTIVE],
            "sent": [c for c in own if c.submitted_at is not None],
            "missed": [c for c in own if c.submitted_at is None and pair.status != M.ACTIVE],
        }
    else:
        checkins = list(
            CheckIn.objects.filter(mentorship=pair).select_related("participant__person", "handled_by")
        )
        log_reads([c for c in checkins if c.submitted_at], request=request, what="check-in answers")
        by_period: dict[datetime.date, list[CheckIn]] = defaultdict(list)
        for c in checkins:
            c.mentorship = pair  # already loaded: spares a query per check-in in checkin_flags
            c.flags = checkin_flags(c, today)
            by_period[c.period_start].append(c)
        context["periods"] = [
            (start, sorted(rows, key=lambda c: c.participant_id != pair.mentor_id))
            for start, rows in sorted(by_period.items(), reverse=True)
        ]
    context["cadence"] = pair.program.checkin_cadence_months
    return PageSection(
        key="checkins",
        title="Check-ins",
        template="feedback/checkins/_section_checkins.html",
        context=context,
        order=40,
    )


def closure_section(request: HttpRequest, access: PairAccess) -> PageSection | None:
    """The closure survey (members: their own, or the form's link while it is open; coordinators: both
    answers) and, while the pair is active, completing it. Nothing for a pair with neither."""
    pair = access.mentorship
    today = timezone.localdate()
    is_open = closure_open(pair, today)
    can_complete = pair.status == M.ACTIVE
    surveys = list(ClosureSurvey.objects.filter(mentorship=pair).select_related("participant__person"))
    if access.is_member:
        surveys = [s for s in surveys if s.participant_id == access.participant.pk]
    if not (is_open or surveys or can_complete):
        return None
    if not access.is_member:
        log_reads(surveys, request=request, what="closure survey")
    context = {
        "access": access,
        "pair": pair,
        "is_open": is_open,
        "surveys": sorted(surveys, key=lambda s: s.participant_id != pair.mentor_id),
        "own": surveys[0] if access.is_member and surveys else None,
        "can_complete": can_complete,
        "program_ended": program_ended(pair.program, today),
    }
    return PageSection(
        key="closure",
        title="Closure",
        template="feedback/checkins/_section_closure.html",
        context=context,
        order=50,
    )


# --- The coordinators' answers and flags --------------------------------------------------------------------


def _period_param(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET"])
def checkin_answers(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_board(request.user, slug)
    today = timezone.localdate()
    rows = CheckIn.objects.filter(mentorship__program=program)
    unhandled_flags = flagged_q(today) & Q(handled_at__isnull=True)
    periods = (
        rows.values("period_start")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(submitted_at__isnull=False)),
            mean_satisfaction=Avg("satisfaction"),
            mean_progress=Avg("goal_progress"),
            flagged=Count("pk", filter=unhandled_flags),
        )
        .order_by("-period_start")
    )
    period_page = Paginator(periods, PERIODS_PER_PAGE).get_page(request.GET.get("page"))
    for row in period_page:
        row["rate"] = round(100 * row["answered"] / row["total"]) if row["total"] else 0
    period = _period_param(request.GET.get("period"))
    show_handled = request.GET.get("handled") == "1"
    flagged = rows.filter(flagged_q(today) if show_handled else unhandled_flags)
    if period:
        flagged = flagged.filter(period_start=period)
    flagged = flagged.select_related(
        "mentorship__mentor__person", "mentorship__mentee__person", "participant__person", "handled_by"
    ).order_by("-period_start", "due_on", "mentorship_id", "pk")
    flag_page = Paginator(flagged, FLAGS_PER_PAGE).get_page(request.GET.get("fpage"))
    for c in flag_page:
        c.flags = checkin_flags(c, today)
    log_reads([c for c in flag_page if c.submitted_at], request=request, what="check-in answers")
    query = {"period": period.isoformat() if period else "", "handled": "1" if show_handled else ""}
    context = {
        "program": program,
        "page_title": "Check-ins",
        "today": today,
        "due_days": DUE_DAYS,
        "periods": period_page,
        "flagged": flag_page,
        "period": period,
        "show_handled": show_handled,
        "flag_query": "&".join(f"{k}={v}" for k, v in query.items() if v),
        "current_start": checkin_period_start(program, today) if program.starts_on else None,
        "program_ended": program_ended(program, today),
        "active_pairs": program.mentorships.filter(status=M.ACTIVE).count(),
    }
    return render(request, "feedback/checkins/answers.html", context)


def _back(request: HttpRequest, program: Program) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("feedback:checkin_answers", args=[program.slug])


@login_required
@require_http_methods(["GET", "POST"])
def checkins_open_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the current period's check-ins of a program: a confirmation, then the service."""
    program = get_program_for_board(request.user, slug)
    today = timezone.localdate()
    answers_url = reverse("feedback:checkin_answers", args=[program.slug])
    if request.method == "POST":
        try:
            opened = checkins_open(program=program, today=today, by=request.user)
        except FeedbackError as error:
            messages.error(request, str(error))
            return redirect(answers_url)
        if opened:
            due = today + datetime.timedelta(days=DUE_DAYS)
            messages.success(
                request,
                f"Opened {opened} check-in{'s' if opened != 1 else ''} for this period; each person was "
                f"notified and has until {format_date(due, 'j F Y')} to answer.",
            )
        elif program.mentorships.filter(status=M.ACTIVE).exists():
            messages.info(request, "The check-ins of this period are already open: none was opened.")
        else:
            messages.info(request, f"{program.name} has no active pair: no check-in was opened.")
        return redirect(answers_url)
    context = {
        "program": program,
        "period_start": checkin_period_start(program, today) if program.starts_on else None,
        "period_end": checkin_period_end(program, today) if program.starts_on else None,
        "due_on": today + datetime.timedelta(days=DUE_DAYS),
        "active_pairs": program.mentorships.filter(status=M.ACTIVE).count(),
    }
    return render(request, "feedback/checkins/open_confirm.html", context)


@login_required
@require_POST
def checkin_handled(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = get_program_for_board(request.user, slug)
    flagged = (
        CheckIn.objects.filter(mentorship__program=program, pk=pk)
        .select_related("mentorship", "participant__person")
        .first()
    )
    if flagged is None:
        raise Http404("No such check-in.")
    try:
        checkin_mark_handled(checkin=flagged, by=request.user)
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{flagged.participant.person.full_name}'s check-in is marked handled.")
    return redirect(_back(request, program))


@login_required
@require_http_methods(["GET", "POST"])
def program_pairs_complete(request: HttpRequest, slug: str) -> HttpResponse:
    """Complete every active pair of a program that has ended: a confirmation, then the service."""
    program = get_program_for_board(request.user, slug)
    answers_url = reverse("feedback:checkin_answers", args=[program.slug])
    if request.method == "POST":
        try:
            completed = pairs_complete_at_program_end(program, request.user)
        except FeedbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Completed {completed} pair{'s' if completed != 1 else ''}; each member is asked for the "
                "closure survey."
                if completed
                else "No active pair was left to complete.",
            )
        return redirect(answers_url)
    context = {
        "program": program,
        "ended": program_ended(program),
        "active_pairs": program.mentorships.filter(status=M.ACTIVE).count(),
    }
    return render(request, "feedback/checkins/complete_program_confirm.html", context)


# --- Closure ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def closure(request: HttpRequest, pair_pk: int) -> HttpResponse:
    access = get_pair_for_user(request.user, pair_pk)
    if request.method == "POST" and not access.is_member:
        raise PermissionDenied("Only the mentor and the mentee answer the closure survey.")
    pair = access.mentorship
    url = reverse("feedback:closure", args=[pair_pk])
    surveys = list(ClosureSurvey.objects.filter(mentorship=pair).select_related("participant__person"))
    if access.is_member:
        surveys = [s for s in surveys if s.participant_id == access.participant.pk]
    is_open = closure_open(pair)
    form = None
    if access.is_member and is_open and not surveys:
        form = ClosureSurveyForm(request.POST or None, mentor=access.role == MENTOR)
    if request.method == "POST":
        try:
            closure_answerable(access=access)
        except FeedbackError as error:
            messages.error(request, str(error))
            return redirect(url)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                closure_submit(
                    access=access,
                    goals_achieved=data["goals_achieved"],
                    would_recommend=data["would_recommend"],
                    what_changed=data["what_changed"],
                    promotion_readiness=data["promotion_readiness"],
                    by=request.user,
                )
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Thank you for looking back on your pair: your answers are sent.")
                return redirect(_pair_url(pair_pk, "closure"))
    context = _pair_context(access) | {
        "form": form,
        "is_open": is_open,
        "surveys": sorted(surveys, key=lambda s: s.participant_id != pair.mentor_id),
    }
    return render(request, "feedback/checkins/closure.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pair_complete_view(request: HttpRequest, pair_pk: int) -> HttpResponse:
    """A member or a coordinator completes an active pair: a confirmation, then the service."""
    access = get_pair_for_user(request.user, pair_pk)
    if request.method == "POST":
        try:
            pair_complete(access=access, by=request.user)
        except FeedbackError as error:
            messages.error(request, str(error))
            return redirect(_pair_url(pair_pk))
        if access.is_member:
            messages.success(
                request, "Your pair is completed. Congratulations! Please look back on it below."
            )
            return redirect("feedback:closure", pair_pk=pair_pk)
        messages.success(request, "The pair is completed; both members are asked for the closure survey.")
        return redirect(_pair_url(pair_pk, "closure"))
    context = _pair_context(access) | {"program_ended": program_ended(access.mentorship.program)}
    return render(request, "feedback/checkins/complete_confirm.html", context)
