"""Mentee-choice mode: suggestions for a mentee, ranked requests to mentors, answers and expiry.

A mentee sees their best feasible mentors with free capacity (``suggestions_for``) and asks up to
``MAX_REQUESTS`` of them in ranked order (``mentor_requests_create``). Only one request is with a mentor at a
time: the first is *pending* for ``ANSWER_DAYS`` days, the others are *queued*. When the mentor declines, or
does not answer in time (``mentor_requests_expire``, run by a scheduled job), the next queued request
becomes pending. Acceptance (``mentor_request_accept``) makes the pair under the same row locks as every
other pairing, so a mentor never goes past capacity however many acceptances happen at once, and it
cancels the mentee's other requests.

What a mentee sees of a mentor (``mentor_profiles``): the name, the work profile fields the program marks
as visible (``Program.mentor_profile_fields``) and the mentor's answers to the questions marked
``shown_to_mentees``; no other answer, and never a score's per-criterion data beyond its explanation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import dateformat, timezone

from matching.pool import load_pool
from matching.scoring import Pool, breakdown, score_block
from people.models import Person, User
from people.permissions import person_for_user
from programs.models import Answer, Participant, Program, default_mentor_profile_fields

from ..models import MentorRequest, Mentorship, PairRule
from . import MatchingError
from .mentorships import mentorship_create
from .quality import explain as explain_breakdown

# How many mentors a mentee may have asked and not heard back from at once (pending + queued).
MAX_REQUESTS = 3
# How long a mentor has to answer before the request moves on to the mentee's next choice.
ANSWER_DAYS = 3
# How many suggestions a mentee sees by default, and at most when looking for a mentor by name.
SUGGESTIONS = 5
SEARCH_RESULTS = 10
SEARCH_MAX_LENGTH = 100
# Program states in which mentees may ask and mentors answer.
OPEN_STATUSES = (Program.Status.ENROLLING, Program.Status.MATCHING, Program.Status.RUNNING)
CHOICE_MODES = (Program.MatchingMode.MENTEE_CHOICE, Program.MatchingMode.BOTH)

R = MentorRequest.Status
OPEN = (R.PENDING, R.QUEUED)
# Why a request was cancelled without the mentor's word: they had become full.
FULL_REASON = "The mentor had no free place left."


@dataclass(frozen=True)
class Profile:
    """What one person is shown of another: the name, the visible work fields (hidden ones are empty) and
    answers shown as (question, answer) pairs."""

    name: str
    title: str
    department: str
    division: str
    location: str
    answers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls, person: Person, *, shown: Iterable[str] | None = None, answers: Iterable[tuple[str, str]] = ()
    ) -> Profile:
        """``shown``: the work fields to fill (all when None)."""
        visible = set(default_mentor_profile_fields() if shown is None else shown)
        department = person.department
        division = department.division.name if department and department.division_id else ""
        return cls(
            name=person.full_name,
            title=person.title if "title" in visible else "",
            department=department.name if department and "department" in visible else "",
            division=division if "division" in visible else "",
            location=person.location if "location" in visible else "",
            answers=tuple(answers),
        )


def _answer_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value).strip()


def mentor_profiles(program: Program, mentors: Iterable[Participant]) -> dict[int, Profile]:
    """What a mentee of ``program`` sees of each mentor, by participant id (one query for the answers)."""
    mentors = list(mentors)
    shown: dict[int, list[tuple[str, str]]] = {}
    answers = (
        Answer.objects.filter(
            participant__in=mentors, question__shown_to_mentees=True, question__archived_at__isnull=True
        )
        .select_related("question")
        .order_by("question__order", "question_id")
    )
    for answer in answers:
        text = _answer_text(answer.value)
        if text:
            shown.setdefault(answer.participant_id, []).append((answer.question.mentor_text, text))
    return {
        m.pk: Profile.of(m.person, shown=program.mentor_profile_fields, answers=shown.get(m.pk, ()))
        for m in mentors
    }


@dataclass(frozen=True)
class Suggestion:
    mentor: Participant
    profile: Profile
    score: float
    reasons: list[str]
    weak_point: str | None
    free_places: int


# --- Reads ------------------------------------------------------------------------------------------------


def choice_open(program: Program) -> bool:
    """Whether mentees of ``program`` may choose their mentor now."""
    return program.matching_mode in CHOICE_MODES and program.status in OPEN_STATUSES


def _capacity(participant: Participant, program: Program) -> int:
    return participant.capacity or program.default_mentor_capacity


def _mentors_with_load(program: Program) -> dict[int, tuple[Participant, int]]:
    """Approved mentors of ``program`` by id, each with how many current pairs they have (two queries)."""
    taken = dict(
        Mentorship.objects.current()
        .filter(program=program)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    mentors = (
        Participant.objects.filter(program=program, role=Participant.Role.MENTOR)
        .approved()
        .select_related("person__department__division")
    )
    return {m.pk: (m, taken.get(m.pk, 0)) for m in mentors}


def _excluded_mentor_ids(mentee: Participant) -> set[int]:
    """Mentors a mentee is not offered again: asked before, paired now, or paired before and ended early."""
    asked = MentorRequest.objects.filter(mentee=mentee).values_list("mentor_id", flat=True)
    paired = Mentorship.objects.filter(mentee=mentee).values_list("mentor_id", flat=True)
    return set(asked) | set(paired)


def _forbidden_pairs(mentee: Participant) -> list[tuple[int, int]]:
    """(mentee, mentor) participant ids ruled out for this mentee: coordinators' forbids and pairs that ended
    early before."""
    forbids = PairRule.objects.filter(mentee=mentee, kind=PairRule.Kind.FORBID).values_list(
        "mentor_id", flat=True
    )
    ended = Mentorship.objects.filter(mentee=mentee, status=Mentorship.Status.ENDED_EARLY).values_list(
        "mentor_id", flat=True
    )
    return [(mentee.pk, mentor_id) for mentor_id in {*forbids, *ended}]


def _mentee_row(pool: Pool, mentee: Participant) -> int:
    found = np.flatnonzero(pool.mentee_ids == mentee.pk)
    if not len(found):
        raise MatchingError("Only approved mentees of the program choose a mentor.")
    return int(found[0])


def explain(pool: Pool, mentee_idx: int, mentor_idx: int) -> tuple[list[str], str | None]:
    """The strongest reasons and the weak point of a pair, in words, the same way run proposals explain
    themselves (``quality.explain``)."""
    why = explain_breakdown(
        [
            {"criterion": label, "weight": weight, "similarity": sim, "points": points}
            for label, weight, sim, points in breakdown(pool, mentee_idx, mentor_idx)
        ]
    )
    reasons = [f"{r['criterion']} ({r['points']:.0f} points)" for r in why["reasons"]]
    weak = why["weak"]
    return reasons, f"{weak['criterion']} (misses {weak['lost']:.0f} points)" if weak else None


def infeasible_reason(pool: Pool, mentee_idx: int, mentor_idx: int) -> str | None:
    """Why a mentor cannot be this mentee's, in words, or None when they can."""
    if pool.mentee_person[mentee_idx] == pool.mentor_person[mentor_idx]:
        return "Nobody can mentor themself."
    mentor_person, mentee_person = pool.mentor_person[mentor_idx], pool.mentee_person[mentee_idx]
    if mentor_person in pool.mentee_chain[mentee_idx] or mentee_person in pool.mentor_chain[mentor_idx]:
        return "is in your reporting line"
    rows = slice(mentee_idx, mentee_idx + 1)
    for label, _weight, sim, known, hard in pool.criteria(rows):
        if hard and known[0, mentor_idx] and sim[0, mentor_idx] <= 0:
            return f"does not meet the program's rule “{label}”"
    _scores, feasible = score_block(pool, rows)
    if not feasible[0, mentor_idx]:
        return "cannot be paired with you in this program"
    return None


def suggestions_for(*, mentee: Participant, limit: int = SUGGESTIONS, name: str = "") -> list[Suggestion]:
    """The mentee's best feasible mentors with a free place, best first, each with its explanation;
    with ``name``, only mentors whose name contains it (a mentee looking for someone in particular).

    Leaves out mentors at capacity, mentors the mentee already asked (whatever the answer), current
    mentors, and mentors of pairs with this mentee that ended early. Only this mentee's row of the score
    matrix is computed.
    """
    program = mentee.program
    pool = load_pool(program, forbidden=_forbidden_pairs(mentee))
    row = _mentee_row(pool, mentee)
    scores, feasible = score_block(pool, slice(row, row + 1))
    scores, feasible = scores[0], feasible[0].copy()
    mentors = _mentors_with_load(program)
    excluded = _excluded_mentor_ids(mentee)
    wanted = name.strip().casefold()
    for j, mentor_id in enumerate(pool.mentor_ids.tolist()):
        found = mentors.get(mentor_id)
        unavailable = found is None or mentor_id in excluded or found[1] >= _capacity(found[0], program)
        named = found is not None and wanted in found[0].person.full_name.casefold()
        if unavailable or not named:
            feasible[j] = False
    feasible &= scores >= program.min_match_score
    candidates = np.flatnonzero(feasible)
    # Best score first; among equal scores, the earlier participant (a stable, explainable order).
    order = candidates[np.lexsort((candidates, -scores[candidates]))][:limit]
    suggestions = []
    profiles = mentor_profiles(program, [mentors[int(pool.mentor_ids[j])][0] for j in order.tolist()])
    for j in order.tolist():
        mentor, taken = mentors[int(pool.mentor_ids[j])]
        reasons, weak = explain(pool, row, j)
        suggestions.append(
            Suggestion(
                mentor=mentor,
                profile=profiles[mentor.pk],
                score=float(scores[j]),
                reasons=reasons,
                weak_point=weak,
                free_places=_capacity(mentor, program) - taken,
            )
        )
    return suggestions


def requests_of(mentee: Participant) -> list[MentorRequest]:
    """A mentee's requests in the order they were made (ranks keep counting across rounds of choice)."""
    return list(
        MentorRequest.objects.filter(mentee=mentee)
        .select_related("mentor__person__department__division")
        .order_by("rank")
    )


def pending_requests_for(mentor: Participant) -> list[MentorRequest]:
    """Requests waiting for ``mentor``'s answer, oldest first."""
    return list(
        MentorRequest.objects.filter(mentor=mentor, status=R.PENDING)
        .select_related("mentee__person__department__division")
        .order_by("expires_at", "pk")
    )


# --- Writes -----------------------------------------------------------------------------------------------


def _is_person(user: User | None, person_id: int) -> bool:
    person = person_for_user(user)
    return person is not None and person.pk == person_id


def _notify(recipient: Person, kind: str, key: str, subject: str, body: str, url: str) -> None:
    from notifications.services import notify

    notify(recipient=recipient, kind=kind, key=key, subject=subject, body=body, url=url)


def _notify_mentor(request: MentorRequest) -> None:
    mentor, mentee, program = request.mentor, request.mentee, request.program
    deadline = dateformat.format(timezone.localtime(request.expires_at), "j F Y, H:i")
    _notify(
        mentor.person,
        "mentor_request",
        f"request-{request.pk}",
        f"{mentee.person.full_name} asks you to be their mentor",
        f"{mentee.person.full_name} would like you as their mentor in {program.name}. "
        f"Please accept or decline by {deadline}; without an answer the request moves on to their next "
        "choice.",
        reverse("matching:mentor_requests", args=[program.slug]),
    )


def _lock(participant_id: int) -> Participant:
    return Participant.objects.select_for_update().select_related("program", "person").get(pk=participant_id)


def _advance(mentee: Participant, *, now: datetime.datetime) -> MentorRequest | None:
    """Pass the mentee's turn to their next queued request whose mentor still has a free place; if none is
    left, tell the mentee to choose again. Call with the mentee's row locked."""
    program = mentee.program
    queued = list(
        MentorRequest.objects.filter(mentee=mentee, status=R.QUEUED)
        .select_related("mentor__person", "mentee__person", "program")
        .order_by("rank")
    )
    for request in queued:
        mentor = request.mentor
        taken = Mentorship.objects.current().filter(mentor=mentor).count()
        if mentor.status != Participant.Status.APPROVED or taken >= _capacity(mentor, program):
            MentorRequest.objects.filter(pk=request.pk, status=R.QUEUED).update(
                status=R.CANCELLED, decided_at=now, decline_reason=FULL_REASON
            )
            continue
        request.expires_at = now + datetime.timedelta(days=ANSWER_DAYS)
        claimed = MentorRequest.objects.filter(pk=request.pk, status=R.QUEUED).update(
            status=R.PENDING, expires_at=request.expires_at
        )
        if claimed:
            request.status = R.PENDING
            _notify_mentor(request)
            return request
    last = MentorRequest.objects.filter(mentee=mentee).aggregate(last=Max("pk"))["last"]
    _notify(
        mentee.person,
        "mentor_request_choose_again",
        f"after-{last}",
        f"Choose your mentor again in {program.name}",
        "None of the mentors you asked could take you on this time. Fresh suggestions are waiting for you.",
        reverse("matching:choose", args=[program.slug]),
    )
    return None


def _validate_mentor(mentee: Participant, mentor: Participant, pool: Pool, row: int, taken: int) -> None:
    program = mentee.program
    name = mentor.person.full_name
    if (
        mentor.program_id != program.pk
        or mentor.role != Participant.Role.MENTOR
        or mentor.status != Participant.Status.APPROVED
    ):
        raise MatchingError("You can only ask mentors of this program.")
    if taken >= _capacity(mentor, program):
        raise MatchingError(f"{name} has no free place left; choose someone else.")
    found = np.flatnonzero(pool.mentor_ids == mentor.pk)
    if not len(found):
        raise MatchingError("You can only ask mentors of this program.")
    reason = infeasible_reason(pool, row, int(found[0]))
    if reason is not None:
        raise MatchingError(reason if reason.endswith(".") else f"{name} {reason}, so cannot be your mentor.")
    score = float(score_block(pool, slice(row, row + 1))[0][0, int(found[0])])
    if score < program.min_match_score:
        raise MatchingError(
            f"{name} scores {score:.0f} with you, under the program's minimum of {program.min_match_score}."
        )


def mentor_requests_create(
    *, mentee: Participant, mentors: Sequence[Participant], message: str = "", by: User | None
) -> list[MentorRequest]:
    """Ask ``mentors`` in ranked order. The first becomes pending (the mentor is notified and has
    ``ANSWER_DAYS`` days) unless an earlier request is still with a mentor; the others wait their turn."""
    mentors = list(mentors)
    message = message.strip()
    if not mentors:
        raise MatchingError("Choose at least one mentor.")
    if len({m.pk for m in mentors}) != len(mentors):
        raise MatchingError("Choose each mentor once.")
    if len(message) > 2000:
        raise MatchingError("Keep the message to at most 2000 characters.")
    with transaction.atomic():
        mentee = _lock(mentee.pk)
        program = mentee.program
        if by is not None and not _is_person(by, mentee.person_id):
            raise MatchingError("Only the mentee asks for a mentor.")
        if mentee.role != Participant.Role.MENTEE or mentee.status != Participant.Status.APPROVED:
            raise MatchingError("Only approved mentees of the program choose a mentor.")
        if program.matching_mode not in CHOICE_MODES:
            raise MatchingError("In this program the coordinators make the pairs; mentees do not choose.")
        if program.status not in OPEN_STATUSES:
            raise MatchingError(
                f"The program is {program.get_status_display().lower()}; requests are closed."
            )
        if Mentorship.objects.current().filter(mentee=mentee).count() >= program.mentors_per_mentee:
            raise MatchingError("You already have as many mentors as the program allows.")
        requests = MentorRequest.objects.filter(mentee=mentee)
        open_count = requests.filter(status__in=OPEN).count()
        if open_count + len(mentors) > MAX_REQUESTS:
            left = MAX_REQUESTS - open_count
            raise MatchingError(
                f"You can ask at most {MAX_REQUESTS} mentors at a time"
                + (f"; you can add {left} more." if 0 < left < MAX_REQUESTS else ".")
            )
        asked = set(requests.filter(mentor__in=mentors).values_list("mentor_id", flat=True))
        for mentor in mentors:
            if mentor.pk in asked:
                raise MatchingError(f"You already asked {mentor.person.full_name}.")
        ended = set(
            Mentorship.objects.filter(mentee=mentee, mentor__in=mentors).values_list("mentor_id", flat=True)
        )
        for mentor in mentors:
            if mentor.pk in ended:
                raise MatchingError(f"{mentor.person.full_name} was your mentor before; choose someone new.")
        pool = load_pool(program, forbidden=_forbidden_pairs(mentee))
        row = _mentee_row(pool, mentee)
        taken = dict(
            Mentorship.objects.current()
            .filter(mentor__in=mentors)
            .values_list("mentor_id")
            .annotate(n=Count("pk"))
        )
        for mentor in mentors:
            _validate_mentor(mentee, mentor, pool, row, taken.get(mentor.pk, 0))
        now = timezone.now()
        has_pending = requests.filter(status=R.PENDING).exists()
        next_rank = (requests.aggregate(last=Max("rank"))["last"] or 0) + 1
        created = []
        for offset, mentor in enumerate(mentors):
            first = offset == 0 and not has_pending
            created.append(
                MentorRequest.objects.create(
                    program=program,
                    mentee=mentee,
                    mentor=mentor,
                    rank=next_rank + offset,
                    status=R.PENDING if first else R.QUEUED,
                    message=message,
                    expires_at=now + datetime.timedelta(days=ANSWER_DAYS) if first else None,
                )
            )
        if created[0].status == R.PENDING:
            _notify_mentor(created[0])
    return created


def _locked_request(request: MentorRequest) -> MentorRequest:
    return (
        MentorRequest.objects.select_for_update(of=("self",))
        .select_related("program", "mentor__person", "mentee__person", "mentee__program")
        .get(pk=request.pk)
    )


def _check_answerable(request: MentorRequest, by: User | None, now: datetime.datetime) -> None:
    if by is not None and not _is_person(by, request.mentor.person_id):
        raise MatchingError("Only the mentor who was asked can answer this request.")
    if request.status != R.PENDING:
        raise MatchingError(
            f"This request is no longer waiting for an answer ({request.get_status_display().lower()})."
        )
    if request.expires_at is not None and request.expires_at <= now:
        raise MatchingError(
            "The time to answer this request has passed; it moves on to the mentee's next choice."
        )
    if not choice_open(request.program):
        raise MatchingError("The program no longer takes requests.")


def mentor_request_accept(*, request: MentorRequest, by: User | None) -> Mentorship:
    """The mentor accepts: the pair is made (never past the mentor's capacity), the mentee's other requests
    are cancelled and the mentee is told. At capacity nothing changes."""
    now = timezone.now()
    with transaction.atomic():
        # Locks in one order everywhere (mentor row, then request rows, then mentee rows), so acceptances,
        # declines and the expiry job never wait on each other in a circle. Locking the mentor first makes
        # concurrent acceptances for one mentor take turns, so the capacity check below holds.
        mentor = _lock(request.mentor_id)
        request = _locked_request(request)
        program = request.program
        taken = Mentorship.objects.current().filter(mentor=mentor).count()
        capacity = _capacity(mentor, program)
        if by is not None and not _is_person(by, request.mentor.person_id):
            raise MatchingError("Only the mentor who was asked can answer this request.")
        # Another acceptance filled the last place while this one waited for the lock.
        full = request.status == R.CANCELLED and request.decline_reason == FULL_REASON
        if not full:
            _check_answerable(request, by, now)
        if full or taken >= capacity:
            raise MatchingError(
                f"You are at capacity ({taken} of {capacity} mentees), so you cannot accept another "
                "mentee; decline the request so that it moves on."
            )
        pool = load_pool(program, forbidden=_forbidden_pairs(request.mentee))
        row = _mentee_row(pool, request.mentee)
        column = np.flatnonzero(pool.mentor_ids == mentor.pk)
        score = float(score_block(pool, slice(row, row + 1))[0][0, int(column[0])]) if len(column) else None
        mentorship = mentorship_create(
            mentor=request.mentor,
            mentee=request.mentee,
            by=by,
            source=Mentorship.Source.REQUEST,
            score=score,
            why="The mentor accepted the mentee's request.",
        )
        MentorRequest.objects.filter(pk=request.pk).update(status=R.ACCEPTED, decided_at=now)
        MentorRequest.objects.filter(mentee=request.mentee, status__in=OPEN).exclude(pk=request.pk).update(
            status=R.CANCELLED, decided_at=now, decline_reason="Another mentor accepted."
        )
        _notify(
            request.mentee.person,
            "mentor_request_accepted",
            f"request-{request.pk}",
            f"{request.mentor.person.full_name} is your mentor",
            f"{request.mentor.person.full_name} accepted your request in {program.name}. "
            f"Get in touch at {request.mentor.person.email} to plan your first meeting.",
            reverse("matching:my_pairs"),
        )
        if taken + 1 >= capacity:
            _release_requests_of_full_mentor(mentor, now=now)
    return mentorship


def _release_requests_of_full_mentor(mentor: Participant, *, now: datetime.datetime) -> None:
    """A mentor who is now full cannot take the other mentees waiting for them: their requests move on."""
    waiting = list(
        MentorRequest.objects.filter(mentor=mentor, status=R.PENDING).values_list("pk", "mentee_id")
    )
    for pk, mentee_id in waiting:
        claimed = MentorRequest.objects.filter(pk=pk, status=R.PENDING).update(
            status=R.CANCELLED, decided_at=now, decline_reason=FULL_REASON
        )
        if claimed:
            _advance(_lock(mentee_id), now=now)


def mentor_request_decline(*, request: MentorRequest, by: User | None, reason: str) -> MentorRequest:
    """The mentor declines, saying why (the mentee reads it); the request moves on to the next choice."""
    reason = reason.strip()
    if not reason:
        raise MatchingError("Say briefly why you decline; the mentee reads it.")
    if len(reason) > 300:
        raise MatchingError("Keep the reason to at most 300 characters.")
    now = timezone.now()
    with transaction.atomic():
        request = _locked_request(request)
        _check_answerable(request, by, now)
        mentee = _lock(request.mentee_id)
        MentorRequest.objects.filter(pk=request.pk).update(
            status=R.DECLINED, decided_at=now, decline_reason=reason
        )
        request.status, request.decided_at, request.decline_reason = R.DECLINED, now, reason
        _advance(mentee, now=now)
    return request


def mentor_requests_expire(*, now: datetime.datetime) -> int:
    """Pending requests past their deadline expire and move on to the mentee's next choice.

    Each is claimed with a conditional UPDATE, so running twice (or two workers at once) changes nothing
    more. Returns how many expired.
    """
    due = list(
        MentorRequest.objects.filter(status=R.PENDING, expires_at__lte=now)
        .order_by("expires_at", "pk")
        .values_list("pk", "mentee_id")
    )
    expired = 0
    for pk, mentee_id in due:
        with transaction.atomic():
            claimed = MentorRequest.objects.filter(pk=pk, status=R.PENDING, expires_at__lte=now).update(
                status=R.EXPIRED, decided_at=now
            )
            if claimed:
                expired += 1
                _advance(_lock(mentee_id), now=now)
    return expired


def open_requests(mentees: Iterable[Participant]) -> dict[int, list[MentorRequest]]:
    """Open (pending or queued) requests by mentee id, for pages listing several mentees."""
    found: dict[int, list[MentorRequest]] = {}
    for request in (
        MentorRequest.objects.filter(mentee__in=list(mentees), status__in=OPEN)
        .select_related("mentor__person")
        .order_by("rank")
    ):
        found.setdefault(request.mentee_id, []).append(request)
    return found
