"""Calibration and ranking of a cycle's candidacies, per division.

The method, in the words the ranking page uses:

1. Each submitted review gets a **rubric score**: the weighted mean of its criterion scores (1 to 5).
2. Reviewers differ in how they score: some are lenient, some harsh. So each review's rubric score is
   **standardized against the reviewer's own submitted reviews in the cycle**: how many standard deviations
   it lies above or below that reviewer's average (a z-score). A reviewer who submitted a single review, or
   gave every candidacy the same rubric score, tells us nothing about how candidacies compare: their
   reviews count as 0 (exactly average).
3. A candidacy's **calibrated score** is the mean of its reviews' z-scores; the **raw mean** of their rubric
   scores is shown beside it.
4. Within each division, candidacies are ranked by calibrated score (then raw mean, then number). A
   candidacy is flagged when it has fewer submitted reviews than the cycle asks for, and as a **near tie**
   when its calibrated score is closer than the cycle's margin to the score of the division's last seat.

The functions here take plain data (ids and numbers), so they are tested without a database;
``calibration_load`` reads a cycle into that shape.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Rankings and flags compare scores rounded to this many decimals, so float noise never flips a flag.
PRECISION = 9


@dataclass(frozen=True)
class ReviewInput:
    """One submitted review: who reviewed which candidacy, and the score given on each criterion."""

    candidacy_id: int
    reviewer_id: int
    scores: Mapping[int, int]  # criterion id → 1..5


@dataclass(frozen=True)
class CandidacyInput:
    candidacy_id: int
    number: int
    division_id: int | None


@dataclass
class RankedCandidacy:
    candidacy_id: int
    number: int
    division_id: int | None
    review_count: int
    raw_mean: float | None  # mean rubric score of its submitted reviews (1..5)
    calibrated: float | None  # mean z-score of its submitted reviews
    rank: int = 0
    few_reviews: bool = False
    near_tie: bool = False


@dataclass
class DivisionRanking:
    division_id: int | None
    seats: int
    rows: list[RankedCandidacy] = field(default_factory=list)
    cut_score: float | None = None  # calibrated score of the candidacy at the last seat


def weighted_score(scores: Mapping[int, int], weights: Mapping[int, int]) -> float:
    """The weighted mean of criterion scores. Criteria without a weight count once; a review without
    scores has no rubric score (ValueError)."""
    total = sum(weights.get(criterion, 1) for criterion in scores)
    if not scores or total <= 0:
        raise ValueError("A rubric score needs at least one criterion score.")
    return sum(score * weights.get(criterion, 1) for criterion, score in scores.items()) / total


def standardize(values: list[float]) -> list[float]:
    """z-scores of ``values`` against their own mean and population standard deviation. With fewer than
    two values, or no spread at all, every value counts as average (0)."""
    if len(values) < 2:
        return [0.0] * len(values)
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if round(spread, PRECISION) == 0:
        return [0.0] * len(values)
    return [(v - mean) / spread for v in values]


def review_z_scores(
    reviews: Iterable[ReviewInput], weights: Mapping[int, int]
) -> list[tuple[ReviewInput, float, float]]:
    """(review, rubric score, z-score) for each review, standardized per reviewer."""
    by_reviewer: dict[int, list[tuple[ReviewInput, float]]] = defaultdict(list)
    for review in reviews:
        if review.scores:
            by_reviewer[review.reviewer_id].append((review, weighted_score(review.scores, weights)))
    scored: list[tuple[ReviewInput, float, float]] = []
    for own in by_reviewer.values():
        zs = standardize([rubric for _, rubric in own])
        scored.extend((review, rubric, z) for (review, rubric), z in zip(own, zs, strict=True))
    return scored


def rank(
    *,
    candidacies: Iterable[CandidacyInput],
    reviews: Iterable[ReviewInput],
    weights: Mapping[int, int],
    seats: Mapping[int | None, int],
    min_reviews: int,
    near_tie_margin: float,
) -> list[DivisionRanking]:
    """Rank ``candidacies`` per division (divisions in the order of ``seats``, then any other), with the
    raw mean, the calibrated score and the flags described in this module's docstring."""
    rubrics: dict[int, list[float]] = defaultdict(list)
    zs: dict[int, list[float]] = defaultdict(list)
    for review, rubric, z in review_z_scores(reviews, weights):
        rubrics[review.candidacy_id].append(rubric)
        zs[review.candidacy_id].append(z)

    divisions: dict[int | None, DivisionRanking] = {
        division: DivisionRanking(division, count) for division, count in seats.items()
    }
    for candidacy in candidacies:
        own = rubrics.get(candidacy.candidacy_id, [])
        own_z = zs.get(candidacy.candidacy_id, [])
        row = RankedCandidacy(
            candidacy_id=candidacy.candidacy_id,
            number=candidacy.number,
            division_id=candidacy.division_id,
            review_count=len(own),
            raw_mean=sum(own) / len(own) if own else None,
            calibrated=round(sum(own_z) / len(own_z), PRECISION) if own_z else None,
        )
        row.few_reviews = row.review_count < min_reviews
        division = divisions.setdefault(candidacy.division_id, DivisionRanking(candidacy.division_id, 0))
        division.rows.append(row)

    margin = float(near_tie_margin)
    for division in divisions.values():
        # Unreviewed candidacies last; ties broken by raw mean, then by number (stable and visible).
        division.rows.sort(
            key=lambda r: (
                r.calibrated is None,
                -(r.calibrated or 0.0),
                -(r.raw_mean or 0.0),
                r.number,
            )
        )
        for position, row in enumerate(division.rows, start=1):
            row.rank = position
        _flag_near_ties(division, margin)
    return list(divisions.values())


def _flag_near_ties(division: DivisionRanking, margin: float) -> None:
    """Flag candidacies whose calibrated score is within ``margin`` of the last seat's; the last seat
    itself is flagged when anyone is that close to it."""
    scored = [row for row in division.rows if row.calibrated is not None]
    if division.seats <= 0 or len(scored) <= division.seats:
        return  # every scored candidacy fits in the seats: nobody is close to missing out
    cut = scored[division.seats - 1]
    cut_score = cut.calibrated
    if cut_score is None:  # never: ``scored`` holds calibrated rows only (narrows the type)
        return
    division.cut_score = cut_score
    for row in scored:
        score = row.calibrated
        if row is not cut and score is not None and round(abs(score - cut_score), PRECISION) < margin:
            row.near_tie = True
            cut.near_tie = True


# --- Loading a cycle ----------------------------------------------------------------------------------------


@dataclass
class DivisionView:
    """A division's ranking as pages show it: the rows with their candidacies, and its seats."""

    division: Any
    seats: int
    cut_score: float | None
    rows: list[tuple[RankedCandidacy, Any]]  # (ranked row, Candidacy)

    @property
    def selected(self) -> int:
        return sum(1 for _, candidacy in self.rows if candidacy.decision == "selected")


def cycle_ranking(cycle) -> list[DivisionView]:
    """Rank a cycle's accepted candidacies per division from its committee's submitted reviews. A review
    whose reviewer is recused (by the rules, or by a declared conflict) never counts. A bounded number of
    queries: candidacies, divisions' seats, criteria, reviews with their scores, nominators, and one per
    level of the org chart."""
    from .models import CommitteeMember, Criterion, DivisionQuota, Review, ReviewScore
    from .permissions.review import accepted_candidacies, recusal_map

    candidacies = list(accepted_candidacies(cycle))
    by_id = {c.pk: c for c in candidacies}
    recusals = recusal_map(candidacies)
    quotas = list(DivisionQuota.objects.filter(cycle=cycle).select_related("division"))
    weights = dict(Criterion.objects.filter(cycle=cycle).values_list("pk", "weight"))
    # Only the committee's reviews count: a member removed from the committee takes their reviews along.
    submitted = Review.objects.filter(
        candidacy__in=list(by_id),
        submitted_at__isnull=False,
        recusal="",
        reviewer__in=CommitteeMember.objects.filter(cycle=cycle).values("person"),
    ).values_list("pk", "candidacy_id", "reviewer_id")
    reviews = {pk: (candidacy_id, reviewer_id) for pk, candidacy_id, reviewer_id in submitted}
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for review_id, criterion_id, score in ReviewScore.objects.filter(review__in=list(reviews)).values_list(
        "review_id", "criterion_id", "score"
    ):
        scores[review_id][criterion_id] = score
    inputs = [
        ReviewInput(candidacy_id=candidacy_id, reviewer_id=reviewer_id, scores=scores[pk])
        for pk, (candidacy_id, reviewer_id) in reviews.items()
        if scores[pk] and not recusals.reason(by_id[candidacy_id], reviewer_id)
    ]
    divisions: dict[int | None, Any] = {q.division_id: q.division for q in quotas}
    for candidacy in candidacies:
        divisions.setdefault(candidacy.person.department.division_id, candidacy.person.department.division)
    ranked = rank(
        candidacies=[CandidacyInput(c.pk, c.number, c.person.department.division_id) for c in candidacies],
        reviews=inputs,
        weights=weights,
        seats={q.division_id: q.seats for q in quotas},
        min_reviews=cycle.min_reviews,
        near_tie_margin=float(cycle.near_tie_margin),
    )
    return [
        DivisionView(
            division=divisions[d.division_id],
            seats=d.seats,
            cut_score=d.cut_score,
            rows=[(row, by_id[row.candidacy_id]) for row in d.rows],
        )
        for d in ranked
    ]
