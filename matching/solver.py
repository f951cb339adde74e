"""Exact assignment of mentors to mentees: a min-cost flow, with pricing so top-k pruning stays exact.

The network: source -> mentor j (capacity = free places, cost 0) -> mentee i (capacity 1, cost = -score)
-> sink (capacity = mentors still wanted), plus a source -> sink bypass (cost 0) so anyone may stay
unmatched. Scores are made integers (score x 100, i.e. to 0.01 point) so the optimum is exact.

* ``best_scores`` maximises the total score; pairs need not be as many as possible.
* ``most_matched`` maximises the number of pairs, then the total score: every pair also earns a bonus
  larger than any achievable total score, so one more pair always beats any score.

Pairs scoring below ``min_score`` are never made. Pinned pairs are made first, whatever their score, and
use up the mentor's capacity and the mentee's places.

``match`` solves on each mentee's top-k candidates, then *prices* every other feasible pair: with node
potentials d that certify the optimum of the pruned network (reduced cost c(u,v) + d(u) - d(v) >= 0 on
every residual arc), a pruned pair whose reduced cost is also >= 0 cannot improve the solution. Pairs
with a negative reduced cost are added and the network re-solved until none remain, at which point the
potentials certify optimality over all feasible pairs. OR-Tools does not expose its duals, so d is
recomputed by Bellman-Ford on the residual network (vectorised: one numpy pass per round).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

from matching.scoring import Edges, Pool, block_top_k, mentee_blocks, score_block, score_rows

BEST_SCORES = "best_scores"
MOST_MATCHED = "most_matched"
SCALE = 100  # scores are compared to 0.01 point
MAX_POINTS = 100 * SCALE
PRICING_LIMIT = 20  # violating pairs added per mentee and pricing round
PRICING_CACHE_BYTES = 3 << 30  # keep the pool's points (int16) in memory for pricing up to this size
PRUNE_MARGIN: int | None = 300  # points of reduced cost past which a pair leaves the network
NOT_ALLOWED = np.iinfo(np.int16).min  # in that cache: infeasible or under the minimum score


def to_points(score: np.ndarray) -> np.ndarray:
    """Integer points (score x 100, rounded): the unit every optimisation here works in."""
    return np.rint(np.asarray(score, dtype=np.float64) * SCALE).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Assignment:
    """The pairs made (pinned ones included) and, for pricing, the potentials that prove them optimal."""

    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    total_points: int  # sum of to_points(score): exact, for comparisons
    mentor_potential: np.ndarray | None = None
    mentee_potential: np.ndarray | None = None
    pair_bonus: int = 0

    @property
    def n_pairs(self) -> int:
        return len(self.mentee)

    @property
    def total_score(self) -> float:
        return self.total_points / SCALE

    def pairs(self) -> set[tuple[int, int]]:
        return set(zip(self.mentee.tolist(), self.mentor.tolist(), strict=True))


def _pair_bonus(priority: str, max_pairs: int) -> int:
    if priority == BEST_SCORES:
        return 0
    if priority == MOST_MATCHED:
        # Larger than any total score, so one more pair outweighs every score difference.
        return MAX_POINTS * max_pairs + 1
    raise ValueError(f"Unknown matching priority {priority!r}.")


def _split_pins(
    edges: Edges, pinned: Iterable[tuple[int, int]], n_mentees: int, capacities: np.ndarray, per_mentee: int
) -> tuple[Edges, Edges, np.ndarray, np.ndarray]:
    """(free edges, pinned edges, free mentor capacity, free mentee places); pins must be among the edges."""
    n_mentors = len(capacities)
    keys = edges.mentee * n_mentors + edges.mentor
    pins = np.asarray(list(pinned), dtype=np.int64).reshape(-1, 2)
    _check_range(pins[:, 0], pins[:, 1], n_mentees, n_mentors)
    pin_keys = np.unique(pins[:, 0] * n_mentors + pins[:, 1])
    is_pin = np.isin(keys, pin_keys)
    if is_pin.sum() < len(pin_keys):
        raise ValueError("Every pinned pair must be among the candidate edges (its score is read there).")
    pinned_edges = Edges(edges.mentee[is_pin], edges.mentor[is_pin], edges.score[is_pin])
    free_capacity = capacities - np.bincount(pinned_edges.mentor, minlength=n_mentors)
    free_places = per_mentee - np.bincount(pinned_edges.mentee, minlength=n_mentees)
    if (free_capacity < 0).any():
        raise ValueError("Pinned pairs exceed a mentor's capacity.")
    if (free_places < 0).any():
        raise ValueError("Pinned pairs exceed the mentors a mentee may have.")
    free = Edges(edges.mentee[~is_pin], edges.mentor[~is_pin], edges.score[~is_pin])
    return free, pinned_edges, free_capacity, free_places


def _check_range(mentee: np.ndarray, mentor: np.ndarray, n_mentees: int, n_mentors: int) -> None:
    if ((mentee < 0) | (mentee >= n_mentees) | (mentor < 0) | (mentor >= n_mentors)).any():
        raise ValueError("A pair refers to a mentor or mentee outside the pool.")


def _unique(edges: Edges, n_mentees: int, n_mentors: int) -> Edges:
    """The edges, one per pair (the first given wins), after checking they lie inside the pool."""
    _check_range(edges.mentee, edges.mentor, n_mentees, n_mentors)
    _, first = np.unique(edges.mentee * n_mentors + edges.mentor, return_index=True)
    return Edges(edges.mentee[first], edges.mentor[first], edges.score[first])


def solve(
    edges: Edges,
    *,
    n_mentees: int,
    capacities: Iterable[int],
    mentors_per_mentee: int = 1,
    priority: str = BEST_SCORES,
    min_score: float = 0,
    pinned: Iterable[tuple[int, int]] = (),
) -> Assignment:
    """The exact optimum over the given candidate edges (see the module docstring)."""
    capacities = np.asarray(list(capacities), dtype=np.int64)
    n_mentors = len(capacities)
    edges = _unique(edges, n_mentees, n_mentors)
    free, pins, free_capacity, free_places = _split_pins(
        edges, pinned, n_mentees, capacities, mentors_per_mentee
    )
    allowed = free.score >= min_score
    free = Edges(free.mentee[allowed], free.mentor[allowed], free.score[allowed])

    supply = int(min(free_capacity.sum(), free_places.sum()))
    bonus = _pair_bonus(priority, supply)
    # Nodes: 0 source, 1 sink, 2.. mentors, then mentees.
    source, sink, mentor0, mentee0 = 0, 1, 2, 2 + n_mentors
    tails = np.concatenate(
        [[source], np.full(n_mentors, source), mentor0 + free.mentor, mentee0 + np.arange(n_mentees)]
    ).astype(np.int32)
    heads = np.concatenate(
        [[sink], mentor0 + np.arange(n_mentors), mentee0 + free.mentee, np.full(n_mentees, sink)]
    ).astype(np.int32)
    caps = np.concatenate([[supply], free_capacity, np.ones(len(free), dtype=np.int64), free_places])
    costs = np.concatenate(
        [[0], np.zeros(n_mentors, dtype=np.int64), -(to_points(free.score) + bonus), np.zeros(n_mentees)]
    ).astype(np.int64)

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps.astype(np.int64), costs)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    for node in range(2, mentee0 + n_mentees):
        flow.set_node_supply(node, 0)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"Min-cost flow failed with status {status}.")
    flows = flow.flows(arcs)

    potential = _potentials(tails, heads, caps, costs, flows, mentee0 + n_mentees)
    pair_arcs = slice(1 + n_mentors, 1 + n_mentors + len(free))
    made = flows[pair_arcs] > 0
    mentee = np.concatenate([pins.mentee, free.mentee[made]])
    mentor = np.concatenate([pins.mentor, free.mentor[made]])
    score = np.concatenate([pins.score, free.score[made]])
    return Assignment(
        mentee=mentee,
        mentor=mentor,
        score=score,
        total_points=int(to_points(score).sum()),
        mentor_potential=potential[mentor0:mentee0],
        mentee_potential=potential[mentee0:],
        pair_bonus=bonus,
    )


def _potentials(
    tails: np.ndarray, heads: np.ndarray, caps: np.ndarray, costs: np.ndarray, flows: np.ndarray, n_nodes: int
) -> np.ndarray:
    """Shortest distances d on the residual network from a virtual root joined to every node at cost 0.

    They satisfy d(v) <= d(u) + c(u, v) on every residual arc, i.e. they are optimal dual potentials.
    Bellman-Ford by rounds, each relaxing only the arcs out of the nodes whose distance changed in the
    round before (all nodes at first), so late rounds touch a few arcs instead of the whole network.
    """
    forward = flows < caps
    backward = flows > 0
    u = np.concatenate([tails[forward], heads[backward]]).astype(np.int64)
    v = np.concatenate([heads[forward], tails[backward]]).astype(np.int64)
    c = np.concatenate([costs[forward], -costs[backward]]).astype(np.int64)
    order = np.argsort(u, kind="stable")
    u, v, c = u[order], v[order], c[order]
    first = np.searchsorted(u, np.arange(n_nodes + 1))
    d = np.zeros(n_nodes, dtype=np.int64)
    changed = np.arange(n_nodes)
    for _ in range(n_nodes + 1):
        starts, counts = first[changed], first[changed + 1] - first[changed]
        total = int(counts.sum())
        if not total:
            return d
        # The arc indices of every changed node, without a Python loop.
        arcs = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        relaxed = d.copy()
        np.minimum.at(relaxed, v[arcs], d[u[arcs]] + c[arcs])
        changed = np.flatnonzero(relaxed < d)
        if not len(changed):
            return d
        d = relaxed
    raise RuntimeError("The residual network has a negative cycle: the flow is not optimal.")


@dataclass(frozen=True, eq=False)
class MatchOutcome:
    """``match`` with its workings: the candidates it started from, the pairs the last solve saw, timings."""

    assignment: Assignment
    candidates: Edges  # each mentee's top k (and the pins)
    edges: Edges  # every pair of the last solve: candidates plus those pricing added
    rounds: int
    priced: int  # pairs pricing added, over all rounds
    seconds: dict[str, float]  # "score" (candidates), "solve" (flows and potentials), "price"


def match(
    pool: Pool,
    *,
    mentors_per_mentee: int = 1,
    priority: str = BEST_SCORES,
    min_score: float = 0,
    pinned: Iterable[tuple[int, int]] = (),
    k: int = 50,
    block: int = 512,
    max_rounds: int = 100,
) -> Assignment:
    """The exact optimum over every feasible pair of the pool, solving on top-k candidates plus pricing."""
    return match_detailed(
        pool,
        mentors_per_mentee=mentors_per_mentee,
        priority=priority,
        min_score=min_score,
        pinned=pinned,
        k=k,
        block=block,
        max_rounds=max_rounds,
    ).assignment


def match_detailed(
    pool: Pool,
    *,
    mentors_per_mentee: int = 1,
    priority: str = BEST_SCORES,
    min_score: float = 0,
    pinned: Iterable[tuple[int, int]] = (),
    k: int = 50,
    block: int = 512,
    max_rounds: int = 100,
) -> MatchOutcome:
    """``match``, returning its workings too.

    Pricing is bounded per mentee: every pair left out scores at most the mentee's k-th best candidate,
    so when even that score has a non-negative reduced cost against the cheapest mentor potential, none
    of the mentee's left-out pairs can improve the solution and its row is not looked at again. The
    other rows are read from the scores kept in memory during the first pass when they fit in
    ``PRICING_CACHE_BYTES``, else scored again.
    """
    seconds = {"score": 0.0, "solve": 0.0, "price": 0.0}
    started = time.perf_counter()
    pinned = [(int(i), int(j)) for i, j in pinned]
    cache = None
    if pool.n_mentees * pool.n_mentors * 2 <= PRICING_CACHE_BYTES:
        cache = np.empty((pool.n_mentees, pool.n_mentors), dtype=np.int16)
    parts, caps = [], []
    for rows in mentee_blocks(pool, block):
        scores, feasible = score_block(pool, rows)
        keep = feasible & (scores >= min_score)
        part, cap = block_top_k(scores, keep, k, rows.start)
        parts.append(part)
        caps.append(cap)
        if cache is not None:
            cache[rows] = np.where(keep, to_points(scores), NOT_ALLOWED)
    cap = np.concatenate(caps) if caps else np.zeros(0, dtype=np.float32)
    # The most points a left-out pair can score, per mentee; -1: no allowed pair was left out.
    bound = np.where(np.isfinite(cap), to_points(np.where(np.isfinite(cap), cap, 0)), -1)
    edges = Edges.concat(parts)
    pins = np.asarray(pinned, dtype=np.int64).reshape(-1, 2)
    if len(pins):
        _check_range(pins[:, 0], pins[:, 1], pool.n_mentees, pool.n_mentors)
        pin_scores = np.array(
            [score_block(pool, slice(i, i + 1))[0][0, j] for i, j in pins], dtype=np.float64
        )
        edges = Edges.concat([edges, Edges(pins[:, 0], pins[:, 1], pin_scores)])
    candidates = edges
    priced = 0
    seconds["score"] += time.perf_counter() - started
    for rounds in range(1, max_rounds + 1):
        started = time.perf_counter()
        result = solve(
            edges,
            n_mentees=pool.n_mentees,
            capacities=pool.mentor_capacity,
            mentors_per_mentee=mentors_per_mentee,
            priority=priority,
            min_score=min_score,
            pinned=pinned,
        )
        seconds["solve"] += time.perf_counter() - started
        started = time.perf_counter()
        known = np.unique(edges.mentee * pool.n_mentors + edges.mentor)
        violating = _price(
            pool,
            result,
            known=known,
            min_score=min_score,
            block=block,
            bound=bound,
            limit=PRICING_LIMIT,
            cache=cache,
        )
        seconds["price"] += time.perf_counter() - started
        if not len(violating):
            if cache is not None:
                result = _exact_scores(pool, result, candidates)
            return MatchOutcome(result, candidates, edges, rounds, priced, seconds)
        if cache is not None and PRUNE_MARGIN is not None:
            # Every pair is priced from the cache, so pairs far from entering can leave the network and
            # are added back if pricing ever finds them worth it: later solves stay small.
            edges = _near_optimal(edges, result, pool.n_mentors, pinned)
        edges = Edges.concat([edges, violating])
        priced += len(violating)
    raise RuntimeError(f"Pricing did not converge in {max_rounds} rounds.")


def _near_optimal(edges: Edges, result: Assignment, n_mentors: int, pinned: list[tuple[int, int]]) -> Edges:
    """The edges whose reduced cost is within ``PRUNE_MARGIN`` points, those in use and the pins."""
    assert result.mentor_potential is not None and result.mentee_potential is not None
    reduced = (
        -(to_points(edges.score) + result.pair_bonus)
        + result.mentor_potential[edges.mentor]
        - result.mentee_potential[edges.mentee]
    )
    keys = edges.mentee * n_mentors + edges.mentor
    used = np.isin(
        keys,
        np.concatenate(
            [result.mentee * n_mentors + result.mentor, [i * n_mentors + j for i, j in pinned]]
        ).astype(np.int64),
    )
    keep = used | (reduced <= PRUNE_MARGIN)
    return Edges(edges.mentee[keep], edges.mentor[keep], edges.score[keep])


def _exact_scores(pool: Pool, result: Assignment, candidates: Edges) -> Assignment:
    """The assignment with every pair's score as scored (pairs priced from the cache carry points)."""
    keys = candidates.mentee * pool.n_mentors + candidates.mentor
    order = np.argsort(keys)
    wanted = result.mentee * pool.n_mentors + result.mentor
    at = np.minimum(np.searchsorted(keys[order], wanted), max(len(keys) - 1, 0))
    found = keys[order][at] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
    score = result.score.copy()
    score[found] = candidates.score[order][at[found]]
    rows = np.unique(result.mentee[~found])
    for start in range(0, len(rows), 512):
        chunk = rows[start : start + 512]
        scores, _ = score_rows(pool, chunk)
        for n in np.flatnonzero(~found & np.isin(result.mentee, chunk)):
            score[n] = scores[np.searchsorted(chunk, result.mentee[n]), result.mentor[n]]
    return dataclasses.replace(result, score=score, total_points=int(to_points(score).sum()))


def price(
    pool: Pool,
    result: Assignment,
    *,
    known: np.ndarray,
    min_score: float,
    block: int = 512,
    bound: np.ndarray | None = None,
    limit: int | None = None,
) -> Edges:
    """Feasible pairs outside ``known`` (keys mentee x n_mentors + mentor) with a negative reduced cost.

    ``bound``: per mentee, the most points any pair outside ``known`` can score (-1: none is left out);
    mentees it proves have no violating pair are not scored. ``limit``: at most this many pairs per
    mentee, the most negative first (enough for the next solve; pricing runs again until none is left).
    """
    known = np.unique(np.asarray(known, dtype=np.int64))
    return _price(pool, result, known=known, min_score=min_score, block=block, bound=bound, limit=limit)


def _price(
    pool: Pool,
    result: Assignment,
    *,
    known: np.ndarray,
    min_score: float,
    block: int,
    bound: np.ndarray | None,
    limit: int | None,
    cache: np.ndarray | None = None,
) -> Edges:
    """``price`` on sorted ``known`` keys; ``cache``: every pair's points (``NOT_ALLOWED``).

    Pairs priced from the cache carry their score rounded to the point (``_exact_scores`` restores it).
    """
    assert result.mentor_potential is not None and result.mentee_potential is not None
    rows = np.arange(pool.n_mentees)
    if bound is not None and pool.n_mentors:
        cheapest = int(result.mentor_potential.min())
        # Reduced cost of any left-out pair >= -(bound + bonus) + cheapest mentor potential - d(mentee).
        proven = (bound < 0) | (-(bound + result.pair_bonus) + cheapest - result.mentee_potential >= 0)
        rows = rows[~proven]
    # A pair violates when rint(100 x score) > t = d(mentor) - bonus - d(mentee). A loose test in
    # scores (score > (t - 1) / 100) picks the few candidates, which are then checked exactly in points.
    # Thresholds in int32 when they fit (they do unless "most matched" bonuses are huge): half the traffic.
    extreme = max(
        int(np.abs(result.mentor_potential).max(initial=0)),
        int(np.abs(result.mentee_potential).max(initial=0)),
    )
    narrow = np.int32 if 2 * extreme + result.pair_bonus < 2**30 else np.int64
    mentee_potential = result.mentee_potential.astype(narrow)
    mentor_potential = (result.mentor_potential - result.pair_bonus).astype(narrow)
    mentor_side = (result.mentor_potential - result.pair_bonus - 1) / SCALE
    mentee_side = result.mentee_potential / SCALE
    parts = []
    for at in range(0, len(rows), block):
        mentees = rows[at : at + block]
        if cache is not None:
            points = cache[mentees]  # NOT_ALLOWED is below any threshold worth testing
            threshold = np.add.outer(np.negative(mentee_potential[mentees]), mentor_potential)
            local, mentor = np.nonzero(points > threshold)
            pair_points = points[local, mentor].astype(np.int64)
            allowed = pair_points >= 0
            local, mentor, pair_points = local[allowed], mentor[allowed], pair_points[allowed]
            pair_scores = pair_points / SCALE
        else:
            scores, feasible = score_rows(pool, mentees)
            passes = scores > np.add.outer(-mentee_side[mentees], mentor_side)
            passes &= feasible
            passes &= scores >= min_score
            local, mentor = np.nonzero(passes)
            pair_scores = scores[local, mentor].astype(np.float64)
            pair_points = to_points(pair_scores)
        reduced = (
            -(pair_points + result.pair_bonus)
            + result.mentor_potential[mentor]
            - result.mentee_potential[mentees[local]]
        )
        keys = mentees[local] * pool.n_mentors + mentor
        at_key = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
        fresh = (reduced < 0) & (known[at_key] != keys if len(known) else True)
        local, mentor, reduced, pair_scores = local[fresh], mentor[fresh], reduced[fresh], pair_scores[fresh]
        if limit is not None and len(local):
            # Most negative first within each mentee, then keep each mentee's first ``limit``.
            order = np.lexsort((reduced, local))
            local, mentor, pair_scores = local[order], mentor[order], pair_scores[order]
            first = np.arange(len(local)) - np.searchsorted(local, local) < limit
            local, mentor, pair_scores = local[first], mentor[first], pair_scores[first]
        parts.append(Edges(mentees[local], mentor, pair_scores))
    return Edges.concat(parts)


def greedy(
    edges: Edges,
    *,
    n_mentees: int,
    capacities: Iterable[int],
    mentors_per_mentee: int = 1,
    min_score: float = 0,
) -> Assignment:
    """The baseline to beat, never used for real matching: take the best-scoring pair left, repeatedly."""
    capacity = np.asarray(list(capacities), dtype=np.int64).copy()
    places = np.full(n_mentees, mentors_per_mentee, dtype=np.int64)
    edges = _unique(edges, n_mentees, len(capacity))
    chosen: list[int] = []
    for e in np.argsort(-edges.score, kind="stable"):
        i, j = edges.mentee[e], edges.mentor[e]
        if edges.score[e] >= min_score and capacity[j] > 0 and places[i] > 0:
            capacity[j] -= 1
            places[i] -= 1
            chosen.append(e)
    taken = np.asarray(chosen, dtype=np.int64)
    score = edges.score[taken]
    return Assignment(edges.mentee[taken], edges.mentor[taken], score, int(to_points(score).sum()))


def exact_reference(
    scores: np.ndarray,
    feasible: np.ndarray,
    *,
    capacities: Iterable[int],
    priority: str = BEST_SCORES,
    min_score: float = 0,
) -> Assignment:
    """Dense check for tests and gap measurements: the Hungarian method on capacity-expanded mentors.

    One mentor per mentee only (an expanded matrix cannot stop a mentee taking two places of the same
    mentor). Memory is n_mentees x max(total capacity, n_mentees) float64.
    """
    capacities = np.asarray(list(capacities), dtype=np.int64)
    n_mentees = scores.shape[0]
    slot_mentor = np.repeat(np.arange(len(capacities)), capacities)
    n_slots = len(slot_mentor)
    bonus = _pair_bonus(priority, min(n_mentees, n_slots))
    # A pair that is not allowed costs 0, the same as staying unmatched; extra "stays unmatched"
    # columns are needed only when mentees outnumber places. Filled by rows to bound temporaries.
    cost = np.zeros((n_mentees, n_slots + max(0, n_mentees - n_slots)))
    for start in range(0, n_mentees, 1024):
        rows = slice(start, start + 1024)
        allowed = (feasible[rows] & (scores[rows] >= min_score))[:, slot_mentor]
        cost[rows, :n_slots] = np.where(allowed, -(to_points(scores[rows][:, slot_mentor]) + bonus), 0)
    rows, cols = linear_sum_assignment(cost)
    made = cols < n_slots
    rows, cols = rows[made], cols[made]
    mentor = slot_mentor[cols]
    made = feasible[rows, mentor] & (scores[rows, mentor] >= min_score)
    mentee, mentor = rows[made], mentor[made]
    score = scores[mentee, mentor].astype(np.float64)
    return Assignment(mentee.astype(np.int64), mentor.astype(np.int64), score, int(to_points(score).sum()))


def blocking_pairs(
    pool: Pool,
    result: Assignment,
    *,
    min_score: float = 0,
    mentors_per_mentee: int = 1,
    block: int = 512,
    dense: tuple[np.ndarray, np.ndarray] | None = None,
) -> int:
    """How many unpaired (mentee, mentor) would both rather be together than with their assignment.

    A pair counts when it is allowed (feasible, at least ``min_score``), the mentee has a free place or
    scores the mentor above its lowest-scoring mentor, and the mentor has free capacity or scores the
    mentee above its lowest-scoring mentee. Scores are compared in points (0.01). Mentees are scored
    ``block`` at a time; ``dense`` (scores, feasible of the whole pool) saves scoring again.
    """
    points = to_points(result.score)
    # The score a newcomer must beat: -1 when there is room (every allowed pair scores >= 0).
    mentee_floor = np.full(pool.n_mentees, -1, dtype=np.int64)
    mentor_floor = np.full(pool.n_mentors, -1, dtype=np.int64)
    full_mentees = np.bincount(result.mentee, minlength=pool.n_mentees) >= mentors_per_mentee
    full_mentors = np.bincount(result.mentor, minlength=pool.n_mentors) >= pool.mentor_capacity
    lowest_mentee = np.full(pool.n_mentees, np.iinfo(np.int64).max)
    lowest_mentor = np.full(pool.n_mentors, np.iinfo(np.int64).max)
    np.minimum.at(lowest_mentee, result.mentee, points)
    np.minimum.at(lowest_mentor, result.mentor, points)
    mentee_floor[full_mentees] = lowest_mentee[full_mentees]
    mentor_floor[full_mentors] = lowest_mentor[full_mentors]
    order = np.argsort(result.mentee, kind="stable")
    paired_mentee, paired_mentor = result.mentee[order], result.mentor[order]
    count = 0
    for rows in mentee_blocks(pool, block):
        if dense is None:
            scores, feasible = score_block(pool, rows)
        else:
            scores, feasible = dense[0][rows], dense[1][rows]
        block_points = to_points(scores)
        blocking = feasible & (scores >= min_score)
        blocking &= block_points > mentee_floor[rows, None]
        blocking &= block_points > mentor_floor[None, :]
        lo, hi = np.searchsorted(paired_mentee, [rows.start, rows.stop])
        blocking[paired_mentee[lo:hi] - rows.start, paired_mentor[lo:hi]] = False
        count += int(blocking.sum())
    return count
