"""Mentee choice in the browser: a mentee picks mentors, a mentor answers, everyone sees their pairs.

Every page resolves its objects through access helpers that answer 404 for what is missing and for what
is not the signed-in person's; every write is a service call of ``matching.services.choice``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from matching.forms.choice import DeclineForm, MentorChoiceForm
from matching.models import MentorRequest, Mentorship
from matching.permissions import get_own_participant
from matching.services import MatchingError
from matching.services.choice import (
    ANSWER_DAYS,
    CHOICE_MODES,
    MAX_REQUESTS,
    OPEN,
    SEARCH_MAX_LENGTH,
    SEARCH_RESULTS,
    SUGGESTIONS,
    Profile,
    choice_open,
    mentor_profiles,
    mentor_request_accept,
    mentor_request_decline,
    mentor_requests_create,
    pending_requests_for,
    requests_of,
    suggestions_for,
)
from programs.models import Answer, Participant, Program
from programs.permissions import get_program_for_employee


def _own_participation(user, slug: str, role: str) -> tuple[Program, Participant]:
    """A mentee-choice program and the signed-in person's approved participation in it as ``role``; 404 for
    programs where coordinators make the pairs and for anyone not approved in that role."""
    program = get_program_for_employee(user, slug)
    if program.matching_mode not in CHOICE_MODES:
        raise Http404("In this program the coordinators make the pairs.")
    participant = get_own_participant(user, program, role)
    participant.program = program
    return program, participant


def get_request_for_mentor(user, slug: str, pk: int) -> MentorRequest:
    """A request made to the signed-in mentor; 404 for a missing request and for anyone else's."""
    program, mentor = _own_participation(user, slug, Participant.Role.MENTOR)
    request = (
        MentorRequest.objects.filter(program=program, mentor=mentor, pk=pk)
        .select_related("program", "mentor__person", "mentee__person")
        .first()
    )
    if request is None:
        raise Http404("No such request waits for you.")
    return request


def _why_not_choose(program: Program, mentee: Participant, pairs: list[Mentorship], open_count: int) -> str:
    if not choice_open(program):
        return f"The program is {program.get_status_display().lower()}; mentees do not choose now."
    if len(pairs) >= program.mentors_per_mentee:
        return "You have your mentor." if program.mentors_per_mentee == 1 else "You have all your mentors."
    if open_count >= MAX_REQUESTS:
        return f"You asked {MAX_REQUESTS} mentors; you can choose more once they have answered."
    return ""


@login_required
def choose(request: HttpRequest, slug: str) -> HttpResponse:
    program, mentee = _own_participation(request.user, slug, Participant.Role.MENTEE)
    pairs = list(
        Mentorship.objects.current()
        .filter(mentee=mentee)
        .select_related("mentor__person__department__division")
    )
    made = requests_of(mentee)
    open_count = sum(1 for r in made if r.status in OPEN)
    why_not = _why_not_choose(program, mentee, pairs, open_count)
    # Looking for someone in particular; the form posts back to the same address, so the options match.
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    suggestions = []
    if not why_not:
        limit = SEARCH_RESULTS if query else SUGGESTIONS
        suggestions = suggestions_for(mentee=mentee, limit=limit, name=query)
    form = None
    if not why_not:
        slots = min(MAX_REQUESTS - open_count, max(len(suggestions), 1))
        form = MentorChoiceForm(request.POST or None, suggestions=suggestions, slots=slots)
        if request.method == "POST" and form.is_valid():
            ranked = form.cleaned_data["ranked"]
            found = {
                p.pk: p for p in Participant.objects.filter(pk__in=ranked).select_related("person", "program")
            }
            try:
                if len(found) != len(ranked):
                    raise MatchingError("You can only ask mentors of this program.")
                created = mentor_requests_create(
                    mentee=mentee,
                    mentors=[found[pk] for pk in ranked],
                    message=form.cleaned_data["message"],
                    by=request.user,
                )
            except MatchingError as exc:
                form.add_error(None, str(exc))
            else:
                first = created[0]
                if first.status == MentorRequest.Status.PENDING:
                    messages.success(
                        request,
                        f"Your request went to {first.mentor.person.full_name}. If they cannot take you on, "
                        "it moves on to your next choice.",
                    )
                else:
                    messages.success(request, "Your choices were added after the requests already waiting.")
                return redirect("matching:choose", program.slug)
    elif request.method == "POST":
        messages.error(request, why_not)
        return redirect("matching:choose", program.slug)
    profiles = mentor_profiles(program, [r.mentor for r in made])
    context = {
        "program": program,
        "mentee": mentee,
        # A mentee sees all of their own mentor's work profile; of others, what the program shows.
        "pairs": [(pair, Profile.of(pair.mentor.person)) for pair in pairs],
        "requests": [(r, profiles[r.mentor_id]) for r in reversed(made)],
        "why_not": why_not,
        "query": query,
        "suggestions": suggestions,
        "form": form,
        "max_requests": MAX_REQUESTS,
        "answer_days": ANSWER_DAYS,
    }
    return render(request, "matching/choice/choose.html", context)


def _answers_by_mentee(mentee_ids: list[int]) -> dict[int, list[Answer]]:
    found: dict[int, list[Answer]] = {}
    answers = (
        Answer.objects.filter(participant_id__in=mentee_ids, question__archived_at__isnull=True)
        .select_related("question")
        .order_by("question__order", "question_id")
    )
    for answer in answers:
        found.setdefault(answer.participant_id, []).append(answer)
    return found


@login_required
def mentor_requests(request: HttpRequest, slug: str) -> HttpResponse:
    program, mentor = _own_participation(request.user, slug, Participant.Role.MENTOR)
    pending = pending_requests_for(mentor)
    answers = _answers_by_mentee([r.mentee_id for r in pending])
    taken = Mentorship.objects.current().filter(mentor=mentor).count()
    capacity = mentor.capacity or program.default_mentor_capacity
    context = {
        "program": program,
        "mentor": mentor,
        "taken": taken,
        "capacity": capacity,
        "rows": [
            (
                r,
                Profile.of(r.mentee.person),
                answers.get(r.mentee_id, []),
                DeclineForm(prefix=f"decline-{r.pk}"),
            )
            for r in pending
        ],
    }
    return render(request, "matching/choice/mentor_requests.html", context)


@login_required
@require_POST
def mentor_request_accept_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    mentor_request = get_request_for_mentor(request.user, slug, pk)
    try:
        mentor_request_accept(request=mentor_request, by=request.user)
    except MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"You are now {mentor_request.mentee.person.full_name}'s mentor; they were told. "
            "Plan your first meeting soon.",
        )
    return redirect("matching:mentor_requests", slug)


@login_required
@require_POST
def mentor_request_decline_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    mentor_request = get_request_for_mentor(request.user, slug, pk)
    form = DeclineForm(request.POST, prefix=f"decline-{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("matching:mentor_requests", slug)
    try:
        mentor_request_decline(request=mentor_request, by=request.user, reason=form.cleaned_data["reason"])
    except MatchingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"You declined {mentor_request.mentee.person.full_name}'s request; "
            "it moves on to their next choice.",
        )
    return redirect("matching:mentor_requests", slug)


@login_required
def my_pairs(request: HttpRequest) -> HttpResponse:
    """The pairs now live on their own pages (feedback); old links and notifications lead there."""
    return redirect("feedback:pair_list")
