"""Calibration: weighted rubric scores standardized per reviewer, so lenient and harsh reviewers count
equally; flags for too few reviews and near ties at the last seat."""

import math

import pytest
from django.utils import timezone

from cohorts.calibration import (
    CandidacyInput,
    ReviewInput,
    cycle_ranking,
    rank,
    review_z_scores,
    standardize,
    weighted_score,
)
from cohorts.factories import CandidacyFactory, NominationFactory, ReviewFactory, ReviewScoreFactory
from cohorts.models import NominationCycle, Review
from tests.factories import PersonFactory

CRIT_A, CRIT_B = 1, 2
WEIGHTS = {CRIT_A: 2, CRIT_B: 1}
DIVISION = 10


def review(candidacy_id: int, reviewer_id: int, a: int, b: int | None = None) -> ReviewInput:
    return ReviewInput(candidacy_id, reviewer_id, {CRIT_A: a, CRIT_B: a if b is None else b})


def candidacies(*ids: int) -> list[CandidacyInput]:
    return [CandidacyInput(candidacy_id=i, number=i, division_id=DIVISION) for i in ids]


def by_id(rankings):
    return {row.candidacy_id: row for d in rankings for row in d.rows}


def test_the_rubric_score_is_the_weighted_mean_of_the_criteria():
    assert weighted_score({CRIT_A: 5, CRIT_B: 2}, WEIGHTS) == pytest.approx(4.0)  # (10 + 2) / 3
    assert weighted_score({CRIT_A: 1, CRIT_B: 4}, WEIGHTS) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="at least one"):
        weighted_score({}, WEIGHTS)


def test_scores_are_standardized_against_their_own_mean_and_spread():
    assert standardize([2.0, 4.0]) == pytest.approx([-1.0, 1.0])
    zs = standardize([1.0, 2.0, 3.0])
    assert zs == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    assert sum(zs) == pytest.approx(0.0)


def test_a_single_review_or_no_spread_counts_as_average():
    assert standardize([4.0]) == [0.0]
    assert standardize([3.0, 3.0, 3.0]) == [0.0, 0.0, 0.0]
    assert standardize([]) == []


def test_each_reviewer_is_standardized_on_their_own_reviews_only():
    scored = review_z_scores(
        [review(1, 100, 5), review(2, 100, 3), review(1, 200, 1), review(2, 200, 2)], WEIGHTS
    )
    z = {(r.candidacy_id, r.reviewer_id): value for r, _, value in scored}
    assert z[(1, 100)] == pytest.approx(1.0)
    assert z[(2, 100)] == pytest.approx(-1.0)
    assert z[(1, 200)] == pytest.approx(-1.0)
    assert z[(2, 200)] == pytest.approx(1.0)


def test_a_harsh_reviewers_low_scores_do_not_sink_a_candidate_lenient_reviewers_rank_highly():
    lenient_1, lenient_2, harsh = 100, 200, 300
    top, rival, c, d = 1, 2, 3, 4
    reviews = [
        # The lenient reviewers both rank ``top`` (and ``rival``) first.
        review(top, lenient_1, 5),
        review(rival, lenient_1, 5),
        review(c, lenient_1, 4),
        review(d, lenient_1, 3),
        review(top, lenient_2, 5),
        review(rival, lenient_2, 5),
        review(c, lenient_2, 3),
        review(d, lenient_2, 4),
        # The harsh reviewer (recused from ``rival``) scores everyone low, ``top`` still best of theirs.
        review(top, harsh, 2),
        review(c, harsh, 1),
        review(d, harsh, 1),
    ]
    rankings = rank(
        candidacies=candidacies(top, rival, c, d),
        reviews=reviews,
        weights=WEIGHTS,
        seats={DIVISION: 1},
        min_reviews=2,
        near_tie_margin=0.1,
    )
    rows = by_id(rankings)
    # Raw means would put the rival first: the harsh reviewer's 2 dragged ``top`` down to 4.0 ...
    assert rows[top].raw_mean == pytest.approx(4.0)
    assert rows[rival].raw_mean == pytest.approx(5.0)
    # ... but calibrated, ``top`` keeps the first seat: a 2 is the harsh reviewer's best score.
    assert rows[top].rank == 1
    assert rows[top].calibrated > rows[rival].calibrated
    assert rows[top].calibrated == pytest.approx((2 * 0.75 / math.sqrt(0.6875) + math.sqrt(2)) / 3)
    assert rows[c].calibrated < 0 and rows[d].calibrated < 0


def test_a_harsh_reviewer_and_a_lenient_one_who_agree_count_the_same():
    lenient, harsh = 100, 200
    reviews = [review(1, lenient, 5), review(2, lenient, 4), review(1, harsh, 2), review(2, harsh, 1)]
    rows = by_id(
        rank(
            candidacies=candidacies(1, 2),
            reviews=reviews,
            weights=WEIGHTS,
            seats={DIVISION: 1},
            min_reviews=1,
            near_tie_margin=0.1,
        )
    )
    assert rows[1].calibrated == pytest.approx(1.0)
    assert rows[2].calibrated == pytest.approx(-1.0)
    assert rows[1].raw_mean == pytest.approx(3.5)
    assert rows[2].raw_mean == pytest.approx(2.5)


def test_candidacies_with_too_few_reviews_are_flagged_and_unreviewed_ones_come_last():
    reviews = [review(1, 100, 5), review(2, 100, 3), review(1, 200, 4), review(2, 200, 2)]
    rankings = rank(
        candidacies=candidacies(1, 2, 3),
        reviews=reviews,
        weights=WEIGHTS,
        seats={DIVISION: 2},
        min_reviews=2,
        near_tie_margin=0.1,
    )
    rows = by_id(rankings)
    assert not rows[1].few_reviews
    assert rows[3].few_reviews
    assert rows[3].calibrated is None
    assert rows[3].rank == 3


def test_near_ties_with_the_last_seat_are_flagged():
    # Reviewer 100 scores 1..4 on candidacies 1..4; reviewer 200 the same except 2 and 3 swapped,
    # so candidacies 2 and 3 end exactly level around the one seat-edge (seats = 2).
    reviews = [
        review(1, 100, 5),
        review(2, 100, 4),
        review(3, 100, 3),
        review(4, 100, 1),
        review(1, 200, 5),
        review(2, 200, 3),
        review(3, 200, 4),
        review(4, 200, 1),
    ]
    rankings = rank(
        candidacies=candidacies(1, 2, 3, 4),
        reviews=reviews,
        weights=WEIGHTS,
        seats={DIVISION: 2},
        min_reviews=2,
        near_tie_margin=0.1,
    )
    rows = by_id(rankings)
    assert rows[2].calibrated == pytest.approx(rows[3].calibrated)
    assert rows[2].near_tie and rows[3].near_tie
    assert not rows[1].near_tie and not rows[4].near_tie
    assert rankings[0].cut_score == pytest.approx(rows[2].calibrated)


def test_no_near_tie_when_every_candidacy_fits_in_the_seats():
    reviews = [review(1, 100, 5), review(2, 100, 5)]
    rankings = rank(
        candidacies=candidacies(1, 2),
        reviews=reviews,
        weights=WEIGHTS,
        seats={DIVISION: 2},
        min_reviews=1,
        near_tie_margin=1,
    )
    assert not any(row.near_tie for row in rankings[0].rows)


# --- Loading a cycle ----------------------------------------------------------------------------------------


@pytest.fixture
def reviewing(cycle):
    cycle.status = NominationCycle.Status.REVIEWING
    cycle.save(update_fields=["status"])
    return cycle


def submit(candidacy, reviewer, a: int, b: int, *, submitted: bool = True) -> Review:
    criteria = list(candidacy.cycle.criteria.all())
    r = ReviewFactory(
        candidacy=candidacy, reviewer=reviewer, submitted_at=timezone.now() if submitted else None
    )
    ReviewScoreFactory(review=r, criterion=criteria[0], score=a)
    ReviewScoreFactory(review=r, criterion=criteria[1], score=b)
    return r


def test_the_cycle_ranking_counts_submitted_reviews_of_members_not_recused(
    reviewing, department, chair, reviewer, second_reviewer
):
    first = CandidacyFactory(cycle=reviewing, person__department=department)
    second = CandidacyFactory(cycle=reviewing, person__department=department)
    submit(first, reviewer.person, 5, 5)
    submit(second, reviewer.person, 3, 3)
    submit(first, second_reviewer.person, 4, 4)
    submit(second, second_reviewer.person, 2, 2)
    # A draft does not count.
    submit(first, chair.person, 1, 1, submitted=False)
    # A nominator's review (recused by the rules, e.g. written before the nomination was recorded) does not
    # count either.
    nominator = PersonFactory(department=department)
    submit(second, nominator, 5, 5)
    NominationFactory(candidacy=second, nominator=nominator)
    reviewing.committee.create(person=nominator)
    # Someone off the committee does not count.
    submit(first, PersonFactory(department=department), 1, 1)

    (division,) = cycle_ranking(reviewing)
    assert division.division == department.division
    assert division.seats == 2
    rows = {c.pk: row for row, c in division.rows}
    assert rows[first.pk].review_count == 2
    assert rows[first.pk].raw_mean == pytest.approx(4.5)
    assert rows[first.pk].calibrated == pytest.approx(1.0)
    assert rows[second.pk].review_count == 2
    assert rows[second.pk].raw_mean == pytest.approx(2.5)
    assert rows[second.pk].few_reviews  # the cycle asks for 3
