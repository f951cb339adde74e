"""How good a run's assignment is, and why each pair was made: the quality report and the explanations.

``measure`` makes one pass over every pair of the pool in numpy blocks; ``report`` turns it into the run's
stats; ``explain`` / ``why_line`` read a proposal's per-criterion breakdown.

One pass over the score matrix (``block`` mentees at a time, so memory stays at block x mentors) gives:

* why each unmatched participant is unmatched: no feasible pair at all, feasible pairs only below the
  minimum score, or feasible pairs whose other side went elsewhere (capacity exhausted);
* where each matched mentee's mentor stands in the mentee's own ranking of feasible mentors;
* the number of blocking pairs: a mentor m and mentee e not paired together where e scores m higher than
  its assignment (or e has a place left) and m has a free place or scores e higher than its lowest mentee.

Scores are compared in the solver's integer points (0.01 point), so ties are ties everywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

from matching.scoring import Pool, mentee_blocks, pair_breakdowns, score_block
from matching.solver import MAX_POINTS, Assignment, to_points
from programs.models import Participant, Program

NO_ELIGIBLE_MENTOR = "no eligible mentor"
CAPACITY_EXHAUSTED = "capacity exhausted"
BELOW_MINIMUM = "below the minimum score"
NO_ELIGIBLE_MENTEE = "no eligible mentee"
NOT_NEEDED = "the mentees they suit were better placed elsewhere"


@dataclass(frozen=True, eq=False)
class Quality:
    """Per-participant facts (indexed like the pool) and the pool-wide blocking-pair count."""

    mentee_pairs: np.ndarray  # mentors each mentee got
    mentee_rank: np.ndarray  # feasible mentors scoring strictly above the mentee's best assignment
    mentee_reason: list[str | None]
    mentor_used: np.ndarray
    mentor_reason: list[str | None]
    blocking_pairs: int


def _reason(has_feasible: bool, has_eligible: bool, *, nobody: str, elsewhere: str) -> str:
    if not has_feasible:
        return nobody
    if not has_eligible:
        return BELOW_MINIMUM
    return elsewhere


def measure(
    pool: Pool, assignment: Assignment, *, min_score: float, mentors_per_mentee: int = 1, block: int = 512
) -> Quality:
    n_mentees, n_mentors = pool.n_mentees, pool.n_mentors
    mentee, mentor = assignment.mentee.astype(np.int64), assignment.mentor.astype(np.int64)
    points = to_points(assignment.score)
    never = MAX_POINTS + 1  # above any score

    mentee_pairs = np.bincount(mentee, minlength=n_mentees)
    mentee_best = np.full(n_mentees, -1, dtype=np.int64)
    np.maximum.at(mentee_best, mentee, points)
    mentee_worst = np.full(n_mentees, never, dtype=np.int64)
    np.minimum.at(mentee_worst, mentee, points)
    # A mentee with a place left would take any eligible mentor: every eligible score beats -1.
    mentee_threshold = np.where(mentee_pairs < mentors_per_mentee, -1, mentee_worst)

    mentor_used = np.bincount(mentor, minlength=n_mentors)
    mentor_free = mentor_used < pool.mentor_capacity
    mentor_worst = np.full(n_mentors, never, dtype=np.int64)
    np.minimum.at(mentor_worst, mentor, points)
    assigned = np.unique(mentee * max(n_mentors, 1) + mentor)

    has_feasible = np.zeros(n_mentees, dtype=bool)
    has_eligible = np.zeros(n_mentees, dtype=bool)
    mentor_feasible = np.zeros(n_mentors, dtype=bool)
    mentor_eligible = np.zeros(n_mentors, dtype=bool)
    rank = np.zeros(n_mentees, dtype=np.int64)
    blocking = 0
    for rows in mentee_blocks(pool, block):
        scores, feasible = score_block(pool, rows)
        pts = to_points(scores)
        eligible = feasible & (scores >= min_score)
        has_feasible[rows] = feasible.any(axis=1)
        has_eligible[rows] = eligible.any(axis=1)
        mentor_feasible |= feasible.any(axis=0)
        mentor_eligible |= eligible.any(axis=0)
        rank[rows] = (feasible & (pts > mentee_best[rows, None])).sum(axis=1)
        wants = (
            eligible
            & (pts > mentee_threshold[rows, None])
            & (mentor_free[None, :] | (pts > mentor_worst[None, :]))
        )
        local, cols = np.nonzero(wants)
        keys = (local + rows.start) * max(n_mentors, 1) + cols
        blocking += int((~np.isin(keys, assigned)).sum())

    mentee_reason = [
        None
        if mentee_pairs[i]
        else _reason(
            bool(has_feasible[i]),
            bool(has_eligible[i]),
            nobody=NO_ELIGIBLE_MENTOR,
            elsewhere=CAPACITY_EXHAUSTED,
        )
        for i in range(n_mentees)
    ]
    mentor_reason = [
        None
        if mentor_used[j] or pool.mentor_capacity[j] <= 0
        else _reason(
            bool(mentor_feasible[j]),
            bool(mentor_eligible[j]),
            nobody=NO_ELIGIBLE_MENTEE,
            elsewhere=NOT_NEEDED,
        )
        for j in range(n_mentors)
    ]
    return Quality(
        mentee_pairs=mentee_pairs,
        mentee_rank=rank,
        mentee_reason=mentee_reason,
        mentor_used=mentor_used,
        mentor_reason=mentor_reason,
        blocking_pairs=blocking,
    )


def breakdowns(pool: Pool, mentee: np.ndarray, mentor: np.ndarray) -> list[list[dict]]:
    """The per-criterion breakdown of many pairs, as stored on proposals (JSON: criterion, weight,
    similarity, points; the points sum to the pair's score)."""
    return [
        [{"criterion": c, "weight": w, "similarity": s, "points": p} for c, w, s, p in pair]
        for pair in pair_breakdowns(pool, mentee, mentor)
    ]


# --- "Why this pair" --------------------------------------------------------------------------------------


def explain(breakdown: list[dict]) -> dict[str, Any]:
    """The strongest reasons (up to three criteria that earned points) and the weakest point (the
    criterion that lost the most points), from a proposal's breakdown."""
    reasons = sorted((b for b in breakdown if b["points"] > 0.05), key=lambda b: -b["points"])[:3]
    total = sum(b["weight"] for b in breakdown) or 1.0
    lost = [
        (100.0 * b["weight"] * (1 - b["similarity"]) / total, b) for b in breakdown if b["similarity"] < 1
    ]
    weak = max(lost, key=lambda item: item[0], default=None)
    return {
        "reasons": [{"criterion": b["criterion"], "points": b["points"]} for b in reasons],
        "weak": {"criterion": weak[1]["criterion"], "lost": weak[0]} if weak and weak[0] > 0.05 else None,
    }


def why_line(breakdown: list[dict]) -> str:
    """One line for notifications and messages."""
    why = explain(breakdown)
    if not why["reasons"]:
        return "No criterion distinguished this pair; it was the best place left."
    line = "Strongest: " + ", ".join(f"{r['criterion']} (+{r['points']:.0f})" for r in why["reasons"]) + "."
    if why["weak"]:
        line += f" Weakest: {why['weak']['criterion']} (-{why['weak']['lost']:.0f})."
    return line


# --- The report -----------------------------------------------------------------------------------------


def _groups(values: dict[str, list[float]]) -> list[dict]:
    smallest = settings.MIN_GROUP_SIZE
    out = []
    for name in sorted(values):
        scores = values[name]
        suppressed = len(scores) < smallest
        out.append(
            {
                "group": name,
                "n": None if suppressed else len(scores),
                "mean": None if suppressed else round(float(np.mean(scores)), 1),
                "suppressed": suppressed,
            }
        )
    return out


def report(
    program: Program,
    pool: Pool,
    scores: np.ndarray,
    mentee_rows: np.ndarray,
    quality: Quality,
    skipped_pins: list,
) -> dict:
    people = {
        pk: (name, gender, division)
        for pk, name, gender, division in Participant.objects.filter(program=program).values_list(
            "pk", "person__full_name", "person__gender", "person__department__division__name"
        )
    }
    n_mentees = pool.n_mentees
    matched = int((quality.mentee_pairs > 0).sum())
    by_division: dict[str, list[float]] = defaultdict(list)
    by_gender: dict[str, list[float]] = defaultdict(list)
    for i, s in zip(mentee_rows.tolist(), scores.tolist(), strict=True):
        _, gender, division = people.get(int(pool.mentee_ids[i]), ("", "", ""))
        by_division[division or "Unknown"].append(s)
        by_gender[(gender or "").strip() or "Not stated"].append(s)
    capacity = pool.mentor_capacity
    loads = quality.mentor_used[capacity > 0] / capacity[capacity > 0]
    matched_rows = quality.mentee_pairs > 0
    unmatched = [
        {
            "participant": int(pool.mentee_ids[i]),
            "name": people.get(int(pool.mentee_ids[i]), ("?",))[0],
            "role": "mentee",
            "reason": reason,
        }
        for i, reason in enumerate(quality.mentee_reason)
        if reason
    ] + [
        {
            "participant": int(pool.mentor_ids[j]),
            "name": people.get(int(pool.mentor_ids[j]), ("?",))[0],
            "role": "mentor",
            "reason": reason,
        }
        for j, reason in enumerate(quality.mentor_reason)
        if reason
    ]
    return {
        "mentees": n_mentees,
        "mentors": pool.n_mentors,
        "pairs": len(scores),
        "matched": matched,
        "share_matched": matched / n_mentees if n_mentees else 0.0,
        "mean_score": round(float(np.mean(scores)), 1) if len(scores) else None,
        "lowest_score": round(float(np.min(scores)), 1) if len(scores) else None,
        "total_score": round(float(np.sum(scores)), 2),
        "share_first": float((quality.mentee_rank[matched_rows] == 0).mean()) if matched else 0.0,
        "share_top5": float((quality.mentee_rank[matched_rows] < 5).mean()) if matched else 0.0,
        "mentor_load": round(float(loads.mean()), 3) if len(loads) else 0.0,
        "load_histogram": sorted(Counter(quality.mentor_used.tolist()).items()),
        "blocking_pairs": quality.blocking_pairs,
        "by_division": _groups(by_division),
        "by_gender": _groups(by_gender),
        "min_group_size": settings.MIN_GROUP_SIZE,
        "unmatched": unmatched,
        "skipped_pins": skipped_pins,
        "swaps": 0,
    }
