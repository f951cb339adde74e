"""Scores, hard rules and the breakdown, on pools small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pytest

from matching.scoring import (
    MISSING,
    QuestionCriterion,
    breakdown,
    pair_breakdowns,
    score_block,
    score_rows,
    top_candidates,
)
from tests.matching import make_pool

NAN = float("nan")


def coded(rule, weight, mentors, mentees, hard=False, label="q"):
    return QuestionCriterion(label, rule, weight, hard, np.array(mentors), np.array(mentees))


def scores_of(pool):
    return score_block(pool, slice(0, pool.n_mentees))


def test_score_is_the_weighted_mean_of_similarities():
    pool = make_pool(
        [{"department": 1, "level": 5, "location": 7}],
        [{"department": 2, "level": 3, "location": 8}],
        [coded("same", 4, [10], [10])],
        weight_different_department=3,
        weight_mentor_senior=2,
        weight_same_location=1,
    )
    scores, feasible = scores_of(pool)
    # same 4x1, different department 3x1, senior (gap 2) 2x1, same location 1x0 -> 9/10.
    assert scores[0, 0] == pytest.approx(90)
    assert feasible[0, 0]


def test_a_missing_answer_drops_the_criterion_for_that_pair():
    pool = make_pool(
        [{"department": 1}, {"department": 1}],
        [{"department": 2}],
        [coded("same", 5, [MISSING, 3], [4])],
        weight_different_department=5,
    )
    scores, _ = scores_of(pool)
    assert scores[0, 0] == pytest.approx(100)  # only the department counts
    assert scores[0, 1] == pytest.approx(50)


def test_a_pair_with_nothing_to_compare_scores_zero():
    pool = make_pool([{}], [{}], weight_different_department=5)
    assert scores_of(pool)[0][0, 0] == 0


def test_different_rule_rewards_unequal_answers():
    pool = make_pool([{}, {}], [{}], [coded("different", 1, [1, 2], [1])])
    assert scores_of(pool)[0].tolist() == [[0, 100]]


def test_overlap_is_the_share_of_options_chosen_by_either():
    options = QuestionCriterion(
        "topics",
        "overlap",
        1,
        False,
        np.array([[1, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]], dtype=bool),
        np.array([[1, 0, 1, 0]], dtype=bool),
    )
    pool = make_pool([{}, {}, {}], [{}], [options], weight_same_location=1)
    scores, _ = scores_of(pool)
    # Jaccard 1/3 and 0 with the location unknown; the third mentor chose nothing: nothing to compare.
    assert scores[0].tolist() == pytest.approx([100 / 3, 0, 0])


def test_mentor_higher_needs_a_strictly_higher_value():
    pool = make_pool([{}, {}, {}], [{}], [coded("mentor_higher", 1, [5.0, 3.0, NAN], [3.0])])
    scores, _ = scores_of(pool)
    assert scores[0].tolist() == [100, 0, 0]


def test_mentor_senior_means_one_to_three_levels_above():
    mentors = [{"level": level} for level in (4, 5, 7, 8, 3)]
    pool = make_pool(mentors, [{"level": 4}], weight_mentor_senior=1)
    assert scores_of(pool)[0].tolist() == [[0, 100, 100, 0, 0]]


def test_reverse_mentoring_wants_the_mentee_more_senior():
    mentors = [{"level": level} for level in (4, 3, 1, 5)]
    pool = make_pool(mentors, [{"level": 4}], weight_mentor_senior=1, reverse=True)
    assert scores_of(pool)[0].tolist() == [[0, 100, 100, 0]]


def test_division_and_location_criteria():
    pool = make_pool(
        [{"division": 1, "location": 3}, {"division": 2, "location": 3}, {"division": 1, "location": 4}],
        [{"division": 1, "location": 3}],
        weight_different_division=1,
        weight_same_location=1,
    )
    assert scores_of(pool)[0].tolist() == [[50, 100, 0]]


def test_a_failed_hard_question_makes_the_pair_infeasible_but_a_missing_answer_does_not():
    pool = make_pool([{}, {}, {}], [{}], [coded("same", 1, [1, 2, MISSING], [1], hard=True)])
    assert scores_of(pool)[1].tolist() == [[True, False, True]]


def test_a_hard_overlap_needs_one_shared_option():
    mentors = np.array([[1, 0], [0, 1], [0, 0]], dtype=bool)
    mentees = np.array([[1, 1], [1, 0]], dtype=bool)
    language = QuestionCriterion("language", "overlap", 1, True, mentors, mentees)
    # The third mentor chose no language: unanswered, so the rule cannot fail.
    assert scores_of(make_pool([{}, {}, {}], [{}, {}], [language]))[1].tolist() == [
        [True, True, True],
        [True, False, True],
    ]


def test_nobody_mentors_themself():
    pool = make_pool([{"person": 7}, {"person": 8}], [{"person": 7}])
    assert scores_of(pool)[1].tolist() == [[False, True]]


def test_nobody_is_matched_along_their_reporting_line_in_either_direction():
    # Org chart: 1 -> 2 -> 3 (3 reports to 2, who reports to 1); 9 is elsewhere.
    mentors = [{"person": 1}, {"person": 2, "chain": [1]}, {"person": 9}, {"person": 4, "chain": [2, 1]}]
    mentees = [{"person": 3, "chain": [2, 1]}, {"person": 5, "chain": [4, 2, 1]}, {"person": 6}]
    # Mentee 6 manages nobody here, but mentor 4's chain does not contain 6, so they may pair.
    feasible = scores_of(make_pool(mentors, mentees))[1]
    assert feasible.tolist() == [
        [False, False, True, True],  # 3's grand-manager and manager are out; 4 is a peer
        [False, False, True, False],  # 5 reports to 4, who reports to 2, who reports to 1
        [True, True, True, True],
    ]
    # The reverse direction: a mentee who manages the mentor, at any level.
    reverse = make_pool([{"person": 3, "chain": [2, 1]}], [{"person": 1}, {"person": 2, "chain": [1]}])
    assert scores_of(reverse)[1].tolist() == [[False], [False]]


def test_forbidden_pairs_are_infeasible():
    pool = make_pool([{}, {}], [{}, {}], forbidden=[(1, 0)])
    assert scores_of(pool)[1].tolist() == [[True, True], [False, True]]


def random_pool(seed, n_mentors=12, n_mentees=20, **settings):
    rng = np.random.default_rng(seed)

    def person(n):
        return {
            "department": int(rng.integers(-1, 4)),
            "division": int(rng.integers(-1, 2)),
            "location": int(rng.integers(-1, 3)),
            "level": int(rng.integers(1, 9)),
            "capacity": int(rng.integers(1, 4)),
        }

    questions = [
        QuestionCriterion(
            "same", "same", 4, False, rng.integers(-1, 3, n_mentors), rng.integers(-1, 3, n_mentees)
        ),
        QuestionCriterion(
            "hard", "different", 2, True, rng.integers(0, 6, n_mentors), rng.integers(0, 6, n_mentees)
        ),
        QuestionCriterion(
            "topics", "overlap", 5, False, rng.random((n_mentors, 5)) < 0.4, rng.random((n_mentees, 5)) < 0.4
        ),
        QuestionCriterion(
            "years",
            "mentor_higher",
            3,
            False,
            np.where(rng.random(n_mentors) < 0.1, NAN, rng.integers(0, 20, n_mentors)),
            np.where(rng.random(n_mentees) < 0.1, NAN, rng.integers(0, 20, n_mentees)),
        ),
        QuestionCriterion(
            "unused", "same", 0, True, rng.integers(0, 2, n_mentors), rng.integers(0, 2, n_mentees)
        ),
    ]
    weights = {
        "weight_different_department": 3,
        "weight_different_division": 1,
        "weight_mentor_senior": 5,
        "weight_same_location": 2,
    }
    return make_pool(
        [person(n) for n in range(n_mentors)],
        [person(n) for n in range(n_mentees)],
        questions,
        forbidden=[(0, 0), (3, 5)],
        **(weights | settings),
    )


@pytest.mark.parametrize("reverse", [False, True])
def test_the_breakdown_sums_to_the_score(reverse):
    pool = random_pool(1, reverse=reverse)
    scores, _ = scores_of(pool)
    for i in range(pool.n_mentees):
        for j in range(pool.n_mentors):
            parts = breakdown(pool, i, j)
            assert sum(points for *_, points in parts) == pytest.approx(scores[i, j], abs=1e-3)
            assert all(0 <= similarity <= 1 and weight > 0 for _, weight, similarity, _ in parts)


def test_scoring_in_blocks_gives_the_same_arrays():
    pool = random_pool(2)
    whole = scores_of(pool)
    blocks = [score_block(pool, slice(start, start + 3)) for start in range(0, pool.n_mentees, 3)]
    assert np.array_equal(whole[0], np.vstack([b[0] for b in blocks]))
    assert np.array_equal(whole[1], np.vstack([b[1] for b in blocks]))


def test_top_candidates_keeps_each_mentees_best_feasible_mentors_and_the_pins():
    pool = random_pool(3)
    scores, feasible = scores_of(pool)
    edges = top_candidates(pool, k=3, pinned=[(0, 0)], min_score=20, block=4)
    for i in range(pool.n_mentees):
        mine = edges.mentee == i
        pairs = {(int(j), float(s)) for j, s in zip(edges.mentor[mine], edges.score[mine], strict=True)}
        allowed = np.flatnonzero(feasible[i] & (scores[i] >= 20))
        expected_scores = sorted(scores[i, allowed].tolist(), reverse=True)[:3]
        kept = sorted((s for j, s in pairs if (i, j) != (0, 0)), reverse=True)
        assert kept == pytest.approx(expected_scores)
        assert all(feasible[i, j] and s >= 20 for j, s in pairs if (i, j) != (0, 0))
    # Mentee 0 / mentor 0 is forbidden, yet pinned: the pin is kept with its score.
    assert ((edges.mentee == 0) & (edges.mentor == 0)).sum() == 1


@pytest.mark.parametrize("reverse", [False, True])
def test_pair_breakdowns_equal_the_breakdown_of_each_pair(reverse):
    pool = random_pool(4, reverse=reverse)
    mentee, mentor = np.meshgrid(np.arange(pool.n_mentees), np.arange(pool.n_mentors), indexing="ij")
    many = pair_breakdowns(pool, mentee.ravel(), mentor.ravel())
    for parts, i, j in zip(many, mentee.ravel().tolist(), mentor.ravel().tolist(), strict=True):
        expected = breakdown(pool, i, j)
        assert [label for label, *_ in parts] == [label for label, *_ in expected]
        assert [number for _, *numbers in parts for number in numbers] == pytest.approx(
            [number for _, *numbers in expected for number in numbers]
        )


def test_scoring_any_rows_equals_scoring_their_block():
    pool = random_pool(5)
    whole = scores_of(pool)
    rows = np.array([7, 2, 19, 3])
    scores, feasible = score_rows(pool, rows)
    assert np.array_equal(scores, whole[0][rows])
    assert np.array_equal(feasible, whole[1][rows])
    with pytest.raises(ValueError, match="each once"):
        score_rows(pool, np.array([1, 1]))


def test_a_certified_master_mentor_scores_higher_when_master_mentors_are_preferred():
    mentors = [{"department": 1}, {"department": 1}]
    pool = make_pool(
        mentors,
        [{"department": 2}],
        weight_different_department=3,
        mentor_master=np.array([False, True]),
        weight_master_mentor=1,
    )
    scores, feasible = scores_of(pool)
    # Different department 3x1 for both; the certificate adds 1x1 for the second mentor only.
    assert scores[0].tolist() == pytest.approx([75, 100])
    assert feasible.all()
    assert breakdown(pool, 0, 1)[-1] == ("Certified Master Mentor", 1.0, 1.0, pytest.approx(25))
    assert [row[-1] for row in pair_breakdowns(pool, np.array([0]), np.array([0]))] == [
        ("Certified Master Mentor", 1.0, 0.0, 0.0)
    ]
    assert score_rows(pool, np.array([0]))[0][0].tolist() == pytest.approx([75, 100])
