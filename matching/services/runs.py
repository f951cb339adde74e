"""Match runs: start, execute in the background, review (pin, forbid, swap), re-run, publish; re-match one.

A run snapshots its parameters (priority, minimum score, candidates per mentee, pins and forbids) when it
starts, so what it did stays readable after the program's settings change. The Celery task claims a
queued run with a conditional UPDATE, writes its progress to the row for the page to poll, and ends with
proposals (each with its per-criterion breakdown), the unmatched participants with a reason, and the
quality report; or with a plain message when it fails.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.utils import timezone

from notifications.services import notify
from people.models import User
from programs.models import Participant, Program, Resource
from programs.services import ProgramError
from programs.services.lifecycle import program_transition

from ..models import MatchRun, MentorRequest, Mentorship, PairRule, Proposal
from ..pool import load_pool
from ..scoring import Pool, QuestionCriterion, score_block
from ..solver import match
from . import MatchingError
from .mentorships import mentorship_create
from .quality import breakdowns, measure, report, why_line

logger = logging.getLogger(__name__)

R = MatchRun.Status
DEFAULT_K = 50
ACTIVE_STATUSES = (R.QUEUED, R.RUNNING)
# A run still queued or running after this long was lost (a worker killed past its hard time limit).
STALE_AFTER = timedelta(minutes=30)
SWAP_CHOICES = 10


# --- Pools as a run sees them ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class RunPool:
    """The pool a run matches: who is still to pair, places left, and the pairs ruled out."""

    pool: Pool
    mentee_index: dict[int, int]  # participant id -> row
    mentor_index: dict[int, int]  # participant id -> column
    # Mentees left out because a mentor they chose has yet to answer (mentee-choice or "both" mode).
    choosing: int = 0


def _ended_early_pairs(program: Program) -> list[tuple[int, int]]:
    return list(
        Mentorship.objects.filter(program=program, status=Mentorship.Status.ENDED_EARLY).values_list(
            "mentee_id", "mentor_id"
        )
    )


def _forbidden_pairs(program: Program) -> list[tuple[int, int]]:
    rules = PairRule.objects.filter(program=program, kind=PairRule.Kind.FORBID)
    return list(rules.values_list("mentee_id", "mentor_id")) + _ended_early_pairs(program)


def _current_counts(program: Program) -> tuple[dict[int, int], dict[int, int]]:
    """Current pairs per mentor and per mentee (participant ids)."""
    current = Mentorship.objects.current().filter(program=program)
    mentors = dict(current.values_list("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n"))
    mentees = dict(current.values_list("mentee_id").annotate(n=Count("pk")).values_list("mentee_id", "n"))
    return mentors, mentees


def _subset(pool: Pool, mentees: np.ndarray, mentors: np.ndarray, capacity: np.ndarray) -> Pool:
    """The pool restricted to the given rows and columns, with the mentors' places left."""
    new_mentee = np.full(pool.n_mentees, -1, dtype=np.int64)
    new_mentee[mentees] = np.arange(len(mentees))
    new_mentor = np.full(pool.n_mentors, -1, dtype=np.int64)
    new_mentor[mentors] = np.arange(len(mentors))
    forbidden = np.stack(
        [new_mentee[pool.forbidden[:, 0]], new_mentor[pool.forbidden[:, 1]]], axis=1
    ).reshape(-1, 2)
    forbidden = forbidden[(forbidden >= 0).all(axis=1)]
    changes: dict[str, Any] = {
        "questions": tuple(
            QuestionCriterion(q.label, q.rule, q.weight, q.hard, q.mentor[mentors], q.mentee[mentees])
            for q in pool.questions
        ),
        "forbidden": forbidden,
    }
    for f in dataclasses.fields(pool):
        value = getattr(pool, f.name)
        if value is None:
            continue
        if f.name.startswith("mentor_"):
            changes[f.name] = value[mentors]
        elif f.name.startswith("mentee_"):
            changes[f.name] = value[mentees]
    changes["mentor_capacity"] = capacity
    return dataclasses.replace(pool, **changes)


def run_pool(program: Program, *, forbidden: list[tuple[int, int]] | None = None) -> RunPool:
    """The program's approved participants still to pair: mentees without a current pair and mentors with
    places left (capacity minus current pairs), with forbidden and ended-early pairs ruled out. Mentees
    waiting for an answer to their own choice of mentor are left to it."""
    if forbidden is None:
        forbidden = _forbidden_pairs(program)
    pool = load_pool(program, forbidden=forbidden)
    mentor_taken, mentee_taken = _current_counts(program)
    free = pool.mentor_capacity - np.array(
        [mentor_taken.get(int(pk), 0) for pk in pool.mentor_ids], dtype=np.int64
    )
    mentors = np.flatnonzero(free > 0)
    choosing = set(
        MentorRequest.objects.filter(
            program=program, status__in=(MentorRequest.Status.PENDING, MentorRequest.Status.QUEUED)
        ).values_list("mentee_id", flat=True)
    )
    unpaired = [int(pk) for pk in pool.mentee_ids if mentee_taken.get(int(pk), 0) == 0]
    waiting = sum(1 for pk in unpaired if pk in choosing)
    to_pair = {pk for pk in unpaired if pk not in choosing}
    mentees = np.flatnonzero([int(pk) in to_pair for pk in pool.mentee_ids])
    pool = _subset(pool, mentees, mentors, free[mentors])
    return RunPool(
        pool=pool,
        mentee_index={int(pk): n for n, pk in enumerate(pool.mentee_ids)},
        mentor_index={int(pk): n for n, pk in enumerate(pool.mentor_ids)},
        choosing=waiting,
    )


def pair_problem(pool: Pool, mentee_idx: int, mentor_idx: int) -> str | None:
    """Why the pool's pair (mentee row, mentor column) cannot be made, in words; None when it can."""
    rows = slice(mentee_idx, mentee_idx + 1)
    for label, _weight, sim, known, hard in pool.criteria(rows):
        if hard and known[0, mentor_idx] and sim[0, mentor_idx] <= 0:
            return f"it breaks the hard rule “{label}”"
    mentee_person, mentor_person = pool.mentee_person[mentee_idx], pool.mentor_person[mentor_idx]
    if mentee_person == mentor_person:
        return "nobody can mentor themself"
    if mentor_person in pool.mentee_chain[mentee_idx]:
        return "the mentor is in the mentee's reporting line"
    if mentee_person in pool.mentor_chain[mentor_idx]:
        return "the mentee is in the mentor's reporting line"
    forbidden = pool.forbidden
    if len(forbidden) and ((forbidden[:, 0] == mentee_idx) & (forbidden[:, 1] == mentor_idx)).any():
        return "the pair is forbidden or ended early before"
    return None


def _score_and_breakdown(pool: Pool, mentee_idx: int, mentor_idx: int) -> tuple[float, list[dict]]:
    scores, _ = score_block(pool, slice(mentee_idx, mentee_idx + 1))
    parts = breakdowns(pool, np.array([mentee_idx]), np.array([mentor_idx]))[0]
    return float(scores[0, mentor_idx]), parts


# --- Starting and executing a run -------------------------------------------------------------------------


def _rule_pairs(program: Program, kind: str) -> list[list[int]]:
    rules = PairRule.objects.filter(program=program, kind=kind).order_by("pk")
    return [[mentee, mentor] for mentee, mentor in rules.values_list("mentee_id", "mentor_id")]


def run_params(program: Program) -> dict[str, Any]:
    """What a run of ``program`` started now runs with, kept on the run for audit."""
    return {
        "priority": program.matching_priority,
        "min_score": program.min_match_score,
        "k": DEFAULT_K,
        "mentors_per_mentee": program.mentors_per_mentee,
        "rematch": program.status == Program.Status.RUNNING,
        "pins": _rule_pairs(program, PairRule.Kind.PIN),
        "forbids": _rule_pairs(program, PairRule.Kind.FORBID),
    }


@transaction.atomic
def match_run_start(*, program: Program, by: User | None) -> MatchRun:
    """Queue a run for ``program`` (matching, or running for a later re-match), or raise MatchingError."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status not in (Program.Status.MATCHING, Program.Status.RUNNING):
        raise MatchingError(
            f"Matching runs while a program is in matching (or running, to pair newcomers); "
            f"{program.name} is {program.get_status_display().lower()}."
        )
    stale = timezone.now() - STALE_AFTER
    MatchRun.objects.filter(program=program, status__in=ACTIVE_STATUSES, created_at__lt=stale).update(
        status=R.FAILED,
        error="The run stopped without finishing (its worker was lost); start a new one.",
        finished_at=timezone.now(),
    )
    if MatchRun.objects.filter(program=program, status__in=ACTIVE_STATUSES).exists():
        raise MatchingError("A run of this program is already under way; wait for it to finish.")
    run = MatchRun.objects.create(
        program=program, started_by=by, stage="Waiting for a worker", params=run_params(program)
    )
    from ..tasks import execute_run

    transaction.on_commit(lambda: execute_run.delay(run.pk))
    return run


def _progress(run: MatchRun, progress: int, stage: str) -> None:
    MatchRun.objects.filter(pk=run.pk, status=R.RUNNING).update(progress=progress, stage=stage)


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Do a queued run; None when another worker already claimed it (or it is gone)."""
    claimed = MatchRun.objects.filter(pk=run_id, status=R.QUEUED).update(
        status=R.RUNNING, progress=2, stage="Loading the pool"
    )
    if not claimed:
        return None
    run = MatchRun.objects.select_related("program").get(pk=run_id)
    try:
        _execute(run)
    except MatchingError as error:
        _fail(run, str(error))
    except Exception as error:  # the page must say the run failed, whatever broke
        logger.exception("Match run %s failed", run.pk)
        _fail(run, f"The run failed unexpectedly ({type(error).__name__}: {error}). Nothing was changed.")
    run.refresh_from_db()
    return run


def _fail(run: MatchRun, message: str) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=R.FAILED, error=message, stage="Failed", finished_at=timezone.now()
    )


def _execute(run: MatchRun) -> None:
    program, params = run.program, run.params
    forbidden = [tuple(pair) for pair in params.get("forbids", [])] + _ended_early_pairs(program)
    rp = run_pool(program, forbidden=forbidden)
    pool = rp.pool
    pins, skipped = [], []
    for mentee_id, mentor_id in params.get("pins", []):
        if mentee_id in rp.mentee_index and mentor_id in rp.mentor_index:
            pins.append((rp.mentee_index[mentee_id], rp.mentor_index[mentor_id]))
        else:
            skipped.append([mentee_id, mentor_id])
    per_mentee = int(params.get("mentors_per_mentee", 1))
    min_score = float(params.get("min_score", 0))

    _progress(run, 15, f"Scoring and solving: {pool.n_mentees} mentees, {pool.n_mentors} mentors")
    try:
        assignment = match(
            pool,
            mentors_per_mentee=per_mentee,
            priority=params.get("priority", "best_scores"),
            min_score=min_score,
            pinned=pins,
            k=int(params.get("k", DEFAULT_K)),
        )
    except ValueError as error:
        raise MatchingError(f"The pins cannot all hold: {error} Remove a pin and run again.") from error

    _progress(run, 60, "Measuring quality")
    quality = measure(pool, assignment, min_score=min_score, mentors_per_mentee=per_mentee)

    _progress(run, 80, f"Writing {assignment.n_pairs} proposals")
    parts = breakdowns(pool, assignment.mentee, assignment.mentor)
    pin_set = set(pins)
    proposals = [
        Proposal(
            run=run,
            mentee_id=int(pool.mentee_ids[i]),
            mentor_id=int(pool.mentor_ids[j]),
            score=float(score),
            breakdown=parts[n],
            pinned=(int(i), int(j)) in pin_set,
        )
        for n, (i, j, score) in enumerate(
            zip(
                assignment.mentee.tolist(), assignment.mentor.tolist(), assignment.score.tolist(), strict=True
            )
        )
    ]
    stats = report(program, pool, assignment.score, assignment.mentee, quality, skipped)
    stats["choosing"] = rp.choosing
    with transaction.atomic():
        Proposal.objects.filter(run=run).delete()
        Proposal.objects.bulk_create(proposals, batch_size=1000)
        MatchRun.objects.filter(pk=run.pk, status=R.RUNNING).update(
            status=R.DONE, progress=100, stage="Ready for review", stats=stats, finished_at=timezone.now()
        )


# --- Review: pin, forbid, swap, re-run --------------------------------------------------------------------


def _check_participant(program: Program, participant: Participant, role: str) -> None:
    if participant.program_id != program.pk or participant.role != role:
        raise MatchingError(f"Choose an approved {role} of {program.name}.")
    if participant.status != Participant.Status.APPROVED:
        raise MatchingError(f"{participant.person} is not an approved {role} of {program.name}.")


def _check_pair(program: Program, mentor: Participant, mentee: Participant) -> None:
    _check_participant(program, mentor, Participant.Role.MENTOR)
    _check_participant(program, mentee, Participant.Role.MENTEE)


def _reviewable(run: MatchRun) -> None:
    if run.status != R.DONE:
        raise MatchingError(
            f"Only a run ready for review can be changed; this one is {run.get_status_display().lower()}."
        )


def _rule_set(
    run: MatchRun, mentor: Participant, mentee: Participant, kind: str, *, by: User | None, reason: str
) -> PairRule:
    """The pair's rule becomes ``kind`` (the latest decision about a pair replaces an earlier one)."""
    rule, _ = PairRule.objects.update_or_create(
        program=run.program,
        mentor=mentor,
        mentee=mentee,
        defaults={"kind": kind, "reason": reason.strip(), "by": by},
    )
    if run.status == R.DONE:  # a published or discarded run stays as it was, for audit
        Proposal.objects.filter(run=run, mentor=mentor, mentee=mentee).update(
            pinned=kind == PairRule.Kind.PIN
        )
    return rule


@transaction.atomic
def proposal_pin(
    *, run: MatchRun, mentor: Participant, mentee: Participant, by: User | None, reason: str = ""
) -> PairRule:
    """Always pair ``mentor`` and ``mentee`` in later runs of the program; refused, naming the rule, when
    the pair is not allowed, or when pins would exceed the mentor's or mentee's places."""
    program = run.program
    _check_pair(program, mentor, mentee)
    # A pin replaces an earlier forbid of the same pair; a pair that ended early stays ruled out.
    forbidden = [pair for pair in _forbidden_pairs(program) if pair != (mentee.pk, mentor.pk)]
    forbidden += [pair for pair in _ended_early_pairs(program) if pair == (mentee.pk, mentor.pk)]
    pool = load_pool(program, forbidden=forbidden)
    index_e = {int(pk): n for n, pk in enumerate(pool.mentee_ids)}
    index_m = {int(pk): n for n, pk in enumerate(pool.mentor_ids)}
    problem = pair_problem(pool, index_e[mentee.pk], index_m[mentor.pk])
    if problem:
        raise MatchingError(f"{mentor.person} and {mentee.person} cannot be pinned: {problem}.")
    pins = PairRule.objects.filter(program=program, kind=PairRule.Kind.PIN).exclude(
        mentor=mentor, mentee=mentee
    )
    capacity = mentor.capacity or program.default_mentor_capacity
    if pins.filter(mentor=mentor).count() >= capacity:
        raise MatchingError(
            f"{mentor.person} already has {capacity} pinned mentee{pluralize(capacity)}, their capacity."
        )
    if pins.filter(mentee=mentee).count() >= program.mentors_per_mentee:
        raise MatchingError(f"{mentee.person} already has as many pinned mentors as the program allows.")
    return _rule_set(run, mentor, mentee, PairRule.Kind.PIN, by=by, reason=reason)


@transaction.atomic
def proposal_forbid(
    *, run: MatchRun, mentor: Participant, mentee: Participant, by: User | None, reason: str = ""
) -> PairRule:
    """Never pair ``mentor`` and ``mentee`` in later runs (replacing a pin of the same pair)."""
    program = run.program
    _check_pair(program, mentor, mentee)
    return _rule_set(run, mentor, mentee, PairRule.Kind.FORBID, by=by, reason=reason)


def swap_alternatives(run: MatchRun, proposal: Proposal, limit: int = SWAP_CHOICES) -> list[dict]:
    """Feasible mentors with a free place in this run for the proposal's mentee, best first:
    [{"mentor": Participant id, "score": s}]."""
    rp = run_pool(run.program)
    if proposal.mentee_id not in rp.mentee_index:
        return []
    i = rp.mentee_index[proposal.mentee_id]
    scores, feasible = score_block(rp.pool, slice(i, i + 1))
    used = Counter(run.proposals.values_list("mentor_id", flat=True))
    taken = set(run.proposals.filter(mentee_id=proposal.mentee_id).values_list("mentor_id", flat=True))
    min_score = float(run.params.get("min_score", 0))
    options = []
    for j in np.argsort(-scores[0], kind="stable").tolist():
        mentor_id = int(rp.pool.mentor_ids[j])
        if not feasible[0, j] or scores[0, j] < min_score or mentor_id in taken:
            continue
        if used[mentor_id] >= rp.pool.mentor_capacity[j]:
            continue
        options.append({"mentor": mentor_id, "score": float(scores[0, j])})
        if len(options) >= limit:
            break
    return options


@transaction.atomic
def proposal_swap(*, run: MatchRun, proposal: Proposal, mentor: Participant, by: User | None) -> Proposal:
    """Give the proposal's mentee ``mentor`` instead: feasible, at or above the minimum score, with a free
    place in this run. The score and breakdown are recomputed."""
    run = MatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    _reviewable(run)
    proposal = (
        Proposal.objects.select_for_update().select_related("mentee__person").get(pk=proposal.pk, run=run)
    )
    program = run.program
    _check_pair(program, mentor, proposal.mentee)
    if mentor.pk == proposal.mentor_id:
        raise MatchingError(f"{mentor.person} is already this mentee's proposed mentor.")
    rp = run_pool(program)
    if mentor.pk not in rp.mentor_index:
        raise MatchingError(f"{mentor.person} has no free place left in the program.")
    if proposal.mentee_id not in rp.mentee_index:
        raise MatchingError(f"{proposal.mentee.person} already has a current mentor.")
    i, j = rp.mentee_index[proposal.mentee_id], rp.mentor_index[mentor.pk]
    problem = pair_problem(rp.pool, i, j)
    if problem:
        raise MatchingError(f"{mentor.person} cannot mentor {proposal.mentee.person}: {problem}.")
    if run.proposals.filter(mentee_id=proposal.mentee_id, mentor=mentor).exists():
        raise MatchingError(f"{mentor.person} is already proposed for {proposal.mentee.person}.")
    used = run.proposals.filter(mentor=mentor).count()
    if used >= rp.pool.mentor_capacity[j]:
        raise MatchingError(
            f"{mentor.person} is at capacity in this run ({used} of {rp.pool.mentor_capacity[j]} places)."
        )
    score, parts = _score_and_breakdown(rp.pool, i, j)
    min_score = float(run.params.get("min_score", 0))
    if score < min_score:
        raise MatchingError(
            f"{mentor.person} and {proposal.mentee.person} score {score:.0f}, below the program's minimum "
            f"of {min_score:.0f}."
        )
    proposal.mentor = mentor
    proposal.score = score
    proposal.breakdown = parts
    proposal.pinned = False
    proposal.save(update_fields=["mentor", "score", "breakdown", "pinned"])
    stats = dict(run.stats)
    stats["swaps"] = int(stats.get("swaps", 0)) + 1
    run.stats = stats
    run.save(update_fields=["stats"])
    return proposal


@transaction.atomic
def match_run_rerun(*, run: MatchRun, by: User | None) -> MatchRun:
    """A fresh run of the same program with the pins and forbids in force now; the old one, if it was
    waiting for review, is kept as discarded."""
    if run.status in ACTIVE_STATUSES:
        raise MatchingError("This run is still under way; wait for it to finish.")
    if run.status == R.PUBLISHED:
        raise MatchingError("This run is published; its pairs are made.")
    new = match_run_start(program=run.program, by=by)
    MatchRun.objects.filter(pk=run.pk, status=R.DONE).update(status=R.DISCARDED)
    return new


def match_run_discard(*, run: MatchRun, by: User | None) -> MatchRun:
    """Set aside a run waiting for review without publishing it; it is kept, discarded, for audit."""
    if MatchRun.objects.filter(pk=run.pk, status=R.DONE).update(status=R.DISCARDED) == 0:
        run.refresh_from_db(fields=["status"])
        raise MatchingError(
            f"Only a run ready for review can be discarded; this one is {run.get_status_display().lower()}."
        )
    logger.info("match run %s discarded by %s", run.pk, getattr(by, "pk", None))
    run.status = R.DISCARDED
    return run


# --- Publishing ---------------------------------------------------------------------------------------------


def _first_meeting(program: Program) -> list[Resource]:
    own = list(Resource.objects.filter(program=program, kind=Resource.Kind.FIRST_MEETING))
    return own or list(Resource.objects.filter(program__isnull=True, kind=Resource.Kind.FIRST_MEETING))


def _introduce(mentorship: Mentorship, breakdown: list[dict], questions: list[Resource]) -> None:
    """Separate introductions to the mentor and the mentee, each about the other person."""
    program = mentorship.program
    sides = (
        (mentorship.mentor, mentorship.mentee, "mentor", Resource.Audience.MENTORS),
        (mentorship.mentee, mentorship.mentor, "mentee", Resource.Audience.MENTEES),
    )
    for me, other, role, audience in sides:
        person = other.person
        details = ", ".join(x for x in (person.title, person.department.name) if x)
        mine = [q for q in questions if q.audience in (Resource.Audience.EVERYONE, audience)]
        lines = [
            f"You are paired with {person.full_name}"
            + (f" ({details})" if details else "")
            + f" as their {role} in {program.name}.",
            f"E-mail: {person.email}",
            "",
            f"Why this pair: {why_line(breakdown)}",
        ]
        if mine:
            lines += ["", "For your first meeting:"]
            for q in mine:
                lines += [f"• {q.title}", q.body.strip()]
        notify(
            recipient=me.person,
            kind="pair_introduction",
            key=f"mentorship:{mentorship.pk}:{role}",
            subject=f"Meet {person.full_name}, your {other.get_role_display().lower()} in {program.name}",
            body="\n".join(lines),
            url=program.get_absolute_url(),
        )


def match_run_publish(*, run: MatchRun, by: User | None) -> MatchRun:
    """Make every proposal a pair at once, mark the run published, move the program to running, and
    introduce each pair; refused with nothing changed when the run or the program was published before."""
    with transaction.atomic():
        # Locks the program too (a join under FOR UPDATE), so two runs of it never publish at once.
        locked = MatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
        program = locked.program
        if locked.status == R.PUBLISHED:
            raise MatchingError(
                f"This run was already published on {timezone.localtime(locked.published_at):%d %b %Y}; "
                "its pairs exist."
            )
        later = published_since(locked)
        if later is not None:
            raise MatchingError(
                f"Pairs were published from run {later.pk} after this run started, so its proposals are out "
                "of date. Start a new run to pair whoever is left."
            )
        _reviewable(locked)
        locked.status = R.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = by
        locked.save(update_fields=["status", "published_at", "published_by"])
        # Other runs ready for review counted on the places this one just took.
        MatchRun.objects.filter(program=program, status=R.DONE).exclude(pk=locked.pk).update(
            status=R.DISCARDED
        )
        proposals = list(
            locked.proposals.select_related(
                "mentor__person__department", "mentee__person__department"
            ).order_by("-score", "pk")
        )
        if not proposals:
            raise MatchingError("This run has no proposals to publish.")
        made = []
        for proposal in proposals:
            try:
                pair = mentorship_create(
                    mentor=proposal.mentor,
                    mentee=proposal.mentee,
                    by=by,
                    source=Mentorship.Source.RUN,
                    run=locked,
                    score=proposal.score,
                    why=f"Published from match run {locked.pk}.",
                )
            except MatchingError as error:
                raise MatchingError(f"Nothing was published: {error}") from error
            pair.mentor, pair.mentee, pair.program = proposal.mentor, proposal.mentee, program
            made.append((pair, proposal.breakdown))
        if program.status == Program.Status.MATCHING:
            try:
                program_transition(
                    program=program,
                    to=Program.Status.RUNNING,
                    by=by,
                    why=f"Pairs published from run {locked.pk}.",
                )
            except ProgramError as error:
                raise MatchingError(str(error)) from error
        questions = _first_meeting(program)
        for pair, parts in made:
            _introduce(pair, parts, questions)
    return locked


# --- Re-matching one mentee -------------------------------------------------------------------------------


def published_since(run: MatchRun) -> MatchRun | None:
    """The latest run of the program published after ``run`` was started: its pairs took places ``run``
    counted on, so ``run`` can no longer be published."""
    return (
        MatchRun.objects.filter(
            program_id=run.program_id, status=R.PUBLISHED, published_at__gt=run.created_at
        )
        .exclude(pk=run.pk)
        .order_by("-published_at")
        .first()
    )


def rematch_waits_for_review(program: Program) -> bool:
    """Whether a run ready for review could still be published: a re-match makes its pair at once and
    could take a place that run's proposals count on. Publishing a run discards the others, so any run
    still ready for review started after the last publication."""
    return MatchRun.objects.filter(program=program, status=R.DONE).exists()


def mentee_rematch(*, mentee: Participant, by: User | None) -> tuple[Mentorship, list[dict]]:
    """Pair an approved mentee who has no current mentor with the best feasible mentor who has a free
    place (never a mentor they ended early with, nor a forbidden one); the pair and its breakdown."""
    program = mentee.program
    if program.status not in (Program.Status.MATCHING, Program.Status.RUNNING):
        raise MatchingError(
            f"Re-matching happens while a program is matching or running; {program.name} is "
            f"{program.get_status_display().lower()}."
        )
    _check_participant(program, mentee, Participant.Role.MENTEE)
    if rematch_waits_for_review(program):
        raise MatchingError(
            "A run is waiting for review: publish or discard it before re-matching one mentee."
        )
    with transaction.atomic():
        rp = run_pool(program)
        if mentee.pk not in rp.mentee_index:
            raise MatchingError(f"{mentee.person} already has a current mentor.")
        i = rp.mentee_index[mentee.pk]
        scores, feasible = score_block(rp.pool, slice(i, i + 1))
        eligible = feasible[0] & (scores[0] >= program.min_match_score)
        if not eligible.any():
            raise MatchingError(
                f"No mentor with a free place suits {mentee.person}: every one is at capacity, breaks a "
                "hard rule, is in their reporting line, or scores below the program's minimum."
            )
        j = int(np.argmax(np.where(eligible, scores[0], -np.inf)))
        mentor = Participant.objects.select_related("person__department", "program").get(
            pk=int(rp.pool.mentor_ids[j])
        )
        score, parts = _score_and_breakdown(rp.pool, i, j)
        pair = mentorship_create(
            mentor=mentor,
            mentee=mentee,
            by=by,
            source=Mentorship.Source.REMATCH,
            score=score,
            why="Re-matched by a coordinator: the best mentor with a free place.",
        )
        pair.mentor, pair.mentee, pair.program = mentor, mentee, program
        _introduce(pair, parts, _first_meeting(program))
    return pair, parts
