"""The solver finds the true optimum: hand-computed cases, brute force, and the dense reference."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import solver as solver_module
from matching.scoring import Edges, score_block, top_candidates
from matching.solver import (
    BEST_SCORES,
    MOST_MATCHED,
    Assignment,
    blocking_pairs,
    exact_reference,
    greedy,
    match,
    match_detailed,
    solve,
    to_points,
)
from tests.matching import make_pool
from tests.matching.test_scoring import random_pool


def edges(*triples):
    return Edges.of(*zip(*triples, strict=True)) if triples else Edges.of([], [], [])


def test_it_fills_a_mentor_with_capacity_two_with_the_best_pair_set():
    # Mentor 0 takes two mentees, mentor 1 one; mentee 2 scores best with mentor 0 but so do the others.
    result = solve(
        edges((0, 0, 90), (1, 0, 80), (2, 0, 85), (2, 1, 60), (0, 1, 10)),
        n_mentees=3,
        capacities=[2, 1],
    )
    # Best total: 0-0 (90) + 1-0 (80) + 2-1 (60) = 230 beats 0-0 + 2-0 + nothing for 1 (175).
    assert result.pairs() == {(0, 0), (1, 0), (2, 1)}
    assert result.total_score == pytest.approx(230)


def test_it_beats_the_greedy_baseline_where_greed_blocks_a_pair():
    instance = edges((0, 0, 90), (0, 1, 80), (1, 0, 70))
    exact = solve(instance, n_mentees=2, capacities=[1, 1])
    baseline = greedy(instance, n_mentees=2, capacities=[1, 1])
    assert exact.pairs() == {(0, 1), (1, 0)}
    assert exact.total_score == pytest.approx(150)
    assert baseline.pairs() == {(0, 0)}


def test_most_matched_makes_more_pairs_even_at_a_lower_total():
    instance = edges((0, 0, 90), (0, 1, 30), (1, 0, 50))
    best = solve(instance, n_mentees=2, capacities=[1, 1], priority=BEST_SCORES)
    most = solve(instance, n_mentees=2, capacities=[1, 1], priority=MOST_MATCHED)
    assert best.pairs() == {(0, 0)}
    assert most.pairs() == {(0, 1), (1, 0)}
    assert (best.total_score, most.total_score) == (90, 80)


def test_pairs_below_the_minimum_score_are_never_made():
    instance = edges((0, 0, 39.99), (1, 0, 40), (1, 1, 12))
    result = solve(instance, n_mentees=2, capacities=[2, 1], priority=MOST_MATCHED, min_score=40)
    assert result.pairs() == {(1, 0)}


def test_pins_are_made_and_use_up_capacity():
    instance = edges((0, 0, 90), (1, 0, 20), (1, 1, 80), (0, 1, 85))
    result = solve(instance, n_mentees=2, capacities=[1, 1], pinned=[(1, 0)], min_score=50)
    # The pin is made below the minimum score; mentor 0 is then full, so mentee 0 goes to mentor 1.
    assert result.pairs() == {(1, 0), (0, 1)}
    assert result.total_score == pytest.approx(105)


def test_pins_must_fit_and_be_candidates():
    instance = edges((0, 0, 90), (1, 0, 20))
    with pytest.raises(ValueError, match="capacity"):
        solve(instance, n_mentees=2, capacities=[1], pinned=[(0, 0), (1, 0)])
    with pytest.raises(ValueError, match="among the candidate"):
        solve(instance, n_mentees=2, capacities=[1, 1], pinned=[(1, 1)])
    with pytest.raises(ValueError, match="outside the pool"):
        solve(instance, n_mentees=2, capacities=[1], pinned=[(0, 1)])


def test_a_mentee_with_two_mentors_gets_two_different_ones():
    instance = edges((0, 0, 90), (0, 1, 50), (0, 2, 60), (0, 0, 90))
    result = solve(instance, n_mentees=1, capacities=[3, 3, 3], mentors_per_mentee=2)
    assert result.pairs() == {(0, 0), (0, 2)}


def test_match_never_pairs_a_mentee_with_their_manager_or_a_forbidden_mentor():
    # The manager and the forbidden mentor are the best fits on every criterion.
    mentors = [{"person": 1, "location": 1}, {"person": 2, "location": 1}, {"person": 3, "location": 2}]
    mentees = [{"person": 10, "chain": [1], "location": 1}, {"person": 11, "location": 1}]
    pool = make_pool(mentors, mentees, forbidden=[(1, 1)], weight_same_location=1)
    result = match(pool, priority=MOST_MATCHED)
    assert result.pairs() == {(0, 1), (1, 0)}
    # And the reverse: a mentee who manages the mentor.
    pool = make_pool([{"person": 1, "chain": [10]}], [{"person": 10}, {"person": 11}])
    assert match(pool, priority=MOST_MATCHED).pairs() == {(1, 0)}


def test_a_pinned_pair_survives_pricing():
    pool = random_pool(5)
    result = match(pool, k=1, pinned=[(0, 0), (4, 2)])
    assert {(0, 0), (4, 2)} <= result.pairs()


# Brute force: a memoised search over mentees, each taking any allowed set of mentors.


def brute_force(n_mentees, capacities, triples, per_mentee, priority, min_score):
    """(pairs, points) of the best assignment: lexicographic for most matched, points only otherwise."""
    allowed = {}
    for i, j, s in triples:
        if s >= min_score:
            allowed.setdefault(i, {})[j] = int(to_points(s))

    def value(pairs, points):
        return (pairs, points) if priority == MOST_MATCHED else (0, points)

    @functools.cache
    def best(i, left):
        if i == n_mentees:
            return (0, 0)
        options = allowed.get(i, {})
        found = (-1, -1)
        for size in range(per_mentee + 1):
            for chosen in itertools.combinations(sorted(options), size):
                if any(left[j] == 0 for j in chosen):
                    continue
                rest = tuple(c - (j in chosen) for j, c in enumerate(left))
                pairs, points = best(i + 1, rest)
                found = max(found, value(pairs + size, points + sum(options[j] for j in chosen)))
        return found

    return best(0, tuple(capacities))


def assert_valid(result, triples, capacities, n_mentees, per_mentee, min_score):
    scores = {(i, j): s for i, j, s in triples}
    pairs = list(zip(result.mentee.tolist(), result.mentor.tolist(), strict=True))
    assert len(pairs) == len(set(pairs))
    assert all(pair in scores and scores[pair] >= min_score for pair in pairs)
    assert np.all(np.bincount(result.mentor, minlength=len(capacities)) <= capacities)
    assert np.all(np.bincount(result.mentee, minlength=n_mentees) <= per_mentee)
    assert result.total_points == sum(int(to_points(scores[p])) for p in pairs)


@st.composite
def instances(draw):
    n_mentors = draw(st.integers(1, 5))
    n_mentees = draw(st.integers(1, 6))
    capacities = draw(st.lists(st.integers(1, 3), min_size=n_mentors, max_size=n_mentors))
    pairs = draw(
        st.sets(st.tuples(st.integers(0, n_mentees - 1), st.integers(0, n_mentors - 1)), max_size=30)
    )
    scores = draw(
        st.lists(st.integers(0, 10000).map(lambda p: p / 100), min_size=len(pairs), max_size=len(pairs))
    )
    triples = [(i, j, s) for (i, j), s in zip(sorted(pairs), scores, strict=True)]
    per_mentee = draw(st.integers(1, 2))
    priority = draw(st.sampled_from([BEST_SCORES, MOST_MATCHED]))
    min_score = draw(st.sampled_from([0, 0, 30, 60]))
    return n_mentees, capacities, triples, per_mentee, priority, min_score


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_solver_equals_brute_force_on_small_instances(instance):
    n_mentees, capacities, triples, per_mentee, priority, min_score = instance
    result = solve(
        edges(*triples),
        n_mentees=n_mentees,
        capacities=capacities,
        mentors_per_mentee=per_mentee,
        priority=priority,
        min_score=min_score,
    )
    assert_valid(result, triples, capacities, n_mentees, per_mentee, min_score)
    pairs, points = brute_force(n_mentees, capacities, triples, per_mentee, priority, min_score)
    assert result.total_points == points
    if priority == MOST_MATCHED:
        assert result.n_pairs == pairs


@settings(max_examples=100, deadline=None)
@given(instances())
def test_greedy_never_beats_the_solver(instance):
    n_mentees, capacities, triples, per_mentee, _priority, min_score = instance
    kwargs = {"n_mentees": n_mentees, "capacities": capacities, "mentors_per_mentee": per_mentee}
    exact = solve(edges(*triples), min_score=min_score, **kwargs)
    baseline = greedy(edges(*triples), min_score=min_score, **kwargs)
    assert_valid(baseline, triples, capacities, n_mentees, per_mentee, min_score)
    assert baseline.total_points <= exact.total_points


# Top-k pruning plus pricing equals the optimum over every pair.


def objective(result, priority):
    return (result.n_pairs, result.total_points) if priority == MOST_MATCHED else result.total_points


@pytest.mark.parametrize("priority", [BEST_SCORES, MOST_MATCHED])
@pytest.mark.parametrize("seed", range(6))
def test_top_k_with_pricing_equals_the_dense_reference(seed, priority):
    pool = random_pool(seed, n_mentors=25, n_mentees=60)
    scores, feasible = score_block(pool, slice(0, pool.n_mentees))
    min_score = [0, 35][seed % 2]
    reference = exact_reference(
        scores, feasible, capacities=pool.mentor_capacity, priority=priority, min_score=min_score
    )
    pruned = solve(
        top_candidates(pool, k=1, min_score=min_score),
        n_mentees=pool.n_mentees,
        capacities=pool.mentor_capacity,
        priority=priority,
        min_score=min_score,
    )
    priced = match(pool, k=1, priority=priority, min_score=min_score, block=7)
    assert objective(priced, priority) == objective(reference, priority)
    # Pruning alone falls short here, so pricing did the work.
    assert objective(pruned, priority) < objective(reference, priority)
    assert np.all(feasible[priced.mentee, priced.mentor])


@pytest.mark.parametrize("priority", [BEST_SCORES, MOST_MATCHED])
@pytest.mark.parametrize("seed", range(3))
def test_pricing_is_exact_with_two_mentors_per_mentee(seed, priority):
    pool = random_pool(seed + 10, n_mentors=15, n_mentees=30)
    kwargs = {"mentors_per_mentee": 2, "priority": priority, "min_score": 20}
    full = solve(
        top_candidates(pool, k=pool.n_mentors, min_score=20),
        n_mentees=pool.n_mentees,
        capacities=pool.mentor_capacity,
        **kwargs,
    )
    assert objective(match(pool, k=2, **kwargs), priority) == objective(full, priority)


def test_blocking_pairs_count_pairs_who_both_prefer_each_other():
    mentors = [{"capacity": 1}, {"capacity": 1}]
    pool = make_pool(mentors, [{}, {}])
    dense = (np.array([[90, 50], [60, 10]], dtype=np.float32), np.ones((2, 2), dtype=bool))
    # The best total (50 + 60) leaves mentee 0 and mentor 0 both preferring each other (90).
    best = solve(edges((0, 0, 90), (0, 1, 50), (1, 0, 60), (1, 1, 10)), n_mentees=2, capacities=[1, 1])
    assert best.pairs() == {(0, 1), (1, 0)}
    assert blocking_pairs(pool, best, dense=dense) == 1
    # 90 + 10: mentee 1 would rather have mentor 0, but mentor 0 would not trade mentee 0 for it.
    stable = Assignment(np.array([0, 1]), np.array([0, 1]), np.array([90.0, 10.0]), 10000)
    assert blocking_pairs(pool, stable, dense=dense) == 0
    # An unmatched mentee and a mentor with room block whenever the pair is allowed.
    alone = Assignment(np.array([0]), np.array([0]), np.array([90.0]), 9000)
    assert blocking_pairs(pool, alone, dense=dense) == 1  # (1, 1); (1, 0) loses to 90
    assert blocking_pairs(pool, alone, dense=dense, min_score=20) == 0


def test_blocking_pairs_scores_the_pool_when_not_given_scores():
    pool = random_pool(6, n_mentors=8, n_mentees=15)
    result = match(pool)
    scores, feasible = score_block(pool, slice(0, pool.n_mentees))
    assert blocking_pairs(pool, result, block=4) == blocking_pairs(pool, result, dense=(scores, feasible))


@pytest.mark.parametrize("priority", [BEST_SCORES, MOST_MATCHED])
def test_pricing_is_exact_when_scores_are_not_kept_in_memory(monkeypatch, priority):
    monkeypatch.setattr(solver_module, "PRICING_CACHE_BYTES", 0)
    pool = random_pool(21, n_mentors=25, n_mentees=60)
    scores, feasible = score_block(pool, slice(0, pool.n_mentees))
    reference = exact_reference(scores, feasible, capacities=pool.mentor_capacity, priority=priority)
    outcome = match_detailed(pool, k=1, priority=priority, block=7)
    assert objective(outcome.assignment, priority) == objective(reference, priority)
    assert outcome.rounds > 1


@pytest.mark.parametrize("margin", [0, None])
def test_pricing_stays_exact_however_hard_the_network_is_pruned(monkeypatch, margin):
    monkeypatch.setattr(solver_module, "PRUNE_MARGIN", margin)
    pool = random_pool(22, n_mentors=25, n_mentees=60)
    scores, feasible = score_block(pool, slice(0, pool.n_mentees))
    reference = exact_reference(scores, feasible, capacities=pool.mentor_capacity)
    outcome = match_detailed(pool, k=2)
    assert outcome.assignment.total_points == reference.total_points
    # Scores are those of the pool, not rounded to the point.
    assert np.array_equal(
        outcome.assignment.score, scores[outcome.assignment.mentee, outcome.assignment.mentor]
    )
