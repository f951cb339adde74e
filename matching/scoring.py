"""How well a mentor suits a mentee: scores, hard rules and the "why this pair" breakdown.

Pure numpy, no ORM: ``matching.pool.load_pool`` turns a program into a :class:`Pool` of arrays.

The score of a pair is 0-100, the weighted mean of per-criterion similarities in [0, 1]. The criteria are
the program's questions with a match rule (``same``, ``different``, ``overlap``, ``mentor_higher``) and the
four built-in HR criteria, each counted only when its weight is above zero:

* ``same``: 1 when both answers are equal, else 0. ``different``: the reverse.
* ``overlap``: the Jaccard index of the chosen options (shared / chosen by either).
* ``mentor_higher``: 1 when the mentor's value is strictly higher than the mentee's, else 0.
* different department, different division, same location: 1 when the rule holds, else 0.
* mentor senior: 1 when the mentor is 1 to 3 job levels above the mentee (for reverse mentoring, the
  mentee is 1 to 3 levels above the mentor), else 0.

A missing answer (or unknown HR datum) on either side skips that criterion for the pair: its weight
leaves the denominator, so the pair is judged on what is known. A pair with nothing to compare scores 0.

A pair is infeasible when a hard question fails (both answered and similarity 0; for ``overlap`` that
means no shared option, a missing answer never fails), when both sides are the same person, when either
is in the other's management chain (any level up to the root), or when an admin forbade the pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

SAME = "same"
DIFFERENT = "different"
OVERLAP = "overlap"
MENTOR_HIGHER = "mentor_higher"
RULES = (SAME, DIFFERENT, OVERLAP, MENTOR_HIGHER)

MASTER_MENTOR_LABEL = "Certified Master Mentor"
MISSING = -1  # the code of an unknown value in integer-coded arrays
SENIORITY_GAP = (1, 3)  # levels between mentor and mentee that count as "more senior"
MAX_ENCODED_VALUES = 64  # above this many distinct answers a criterion is compared pair by pair
OVERLAP_TABLE_SIZE = 16_000_000  # most (distinct mentee answers x mentors) tabulated for an overlap rule


@dataclass(frozen=True, eq=False)
class QuestionCriterion:
    """One matching question's encoded answers.

    ``same``/``different``: int64 codes [n] (``MISSING`` when unanswered). ``overlap``: bool multi-hot
    [n, options] (no option chosen counts as unanswered). ``mentor_higher``: float64 [n] (NaN when
    unanswered).
    """

    label: str
    rule: str
    weight: float
    hard: bool
    mentor: np.ndarray
    mentee: np.ndarray

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"Unknown match rule {self.rule!r}.")
        if self.rule == OVERLAP and (self.mentor.ndim != 2 or self.mentor.shape[1] != self.mentee.shape[1]):
            raise ValueError("Overlap answers are multi-hot matrices with the same options on both sides.")

    def similarity(self, mentees: slice) -> tuple[np.ndarray, np.ndarray]:
        """(similarity [block, n_mentors] float32, known: both sides answered)."""
        if self.rule == OVERLAP:
            a = self.mentee[mentees].astype(np.float32)
            b = self.mentor.astype(np.float32)
            # 0/1 float32 sums are exact integers, so the result does not depend on BLAS blocking.
            shared = a @ b.T
            union = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :] - shared
            known = (a.sum(axis=1) > 0)[:, None] & (b.sum(axis=1) > 0)[None, :]
            sim = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
            return sim, known
        if self.rule == MENTOR_HIGHER:
            a = self.mentee[mentees][:, None]
            b = self.mentor[None, :]
            known = ~np.isnan(a) & ~np.isnan(b)
            return (b > a).astype(np.float32), known
        a = self.mentee[mentees][:, None]
        b = self.mentor[None, :]
        known = (a != MISSING) & (b != MISSING)
        equal = a == b
        return (equal if self.rule == SAME else ~equal).astype(np.float32), known


@dataclass(frozen=True, eq=False)
class Pool:
    """Approved mentors (index j) and mentees (index i) of one program, as arrays.

    ``*_chain``: person ids of each person's managers up to the root, padded with ``MISSING``.
    Department, division and location are integer codes; job levels are ints; ``MISSING`` when unknown.
    ``forbidden``: [f, 2] (mentee index, mentor index) pairs an admin ruled out.
    """

    mentor_ids: np.ndarray
    mentor_person: np.ndarray
    mentor_capacity: np.ndarray
    mentor_chain: np.ndarray
    mentor_department: np.ndarray
    mentor_division: np.ndarray
    mentor_location: np.ndarray
    mentor_level: np.ndarray
    mentee_ids: np.ndarray
    mentee_person: np.ndarray
    mentee_chain: np.ndarray
    mentee_department: np.ndarray
    mentee_division: np.ndarray
    mentee_location: np.ndarray
    mentee_level: np.ndarray
    questions: tuple[QuestionCriterion, ...] = ()
    weight_different_department: float = 0
    weight_different_division: float = 0
    weight_mentor_senior: float = 0
    weight_same_location: float = 0
    # Master Mentors preferred: 1 per mentor holding the certificate, weighted like any criterion.
    mentor_master: np.ndarray | None = None
    weight_master_mentor: float = 0
    reverse: bool = False
    forbidden: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))

    @cached_property
    def _linear(self) -> _LinearCriteria:
        return _linearize(self)

    @property
    def n_mentors(self) -> int:
        return len(self.mentor_ids)

    @property
    def n_mentees(self) -> int:
        return len(self.mentee_ids)

    def criteria(self, mentees: slice) -> Iterable[tuple[str, float, np.ndarray, np.ndarray, bool]]:
        """Yield (label, weight, similarity, known, hard) for every criterion with weight > 0."""

        def coded(a: np.ndarray, b: np.ndarray, equal: bool) -> tuple[np.ndarray, np.ndarray]:
            a, b = a[mentees][:, None], b[None, :]
            same = a == b
            return (same if equal else ~same).astype(np.float32), (a != MISSING) & (b != MISSING)

        for q in self.questions:
            if q.weight > 0:
                yield (q.label, q.weight, *q.similarity(mentees), q.hard)
        if self.weight_different_department > 0:
            sim, known = coded(self.mentee_department, self.mentor_department, equal=False)
            yield "Different department", self.weight_different_department, sim, known, False
        if self.weight_different_division > 0:
            sim, known = coded(self.mentee_division, self.mentor_division, equal=False)
            yield "Different division", self.weight_different_division, sim, known, False
        if self.weight_mentor_senior > 0:
            mentee, mentor = self.mentee_level[mentees][:, None], self.mentor_level[None, :]
            gap = (mentee - mentor) if self.reverse else (mentor - mentee)
            sim = ((gap >= SENIORITY_GAP[0]) & (gap <= SENIORITY_GAP[1])).astype(np.float32)
            label = "Mentee 1-3 levels more senior" if self.reverse else "Mentor 1-3 levels more senior"
            yield label, self.weight_mentor_senior, sim, (mentee != MISSING) & (mentor != MISSING), False
        if self.weight_same_location > 0:
            sim, known = coded(self.mentee_location, self.mentor_location, equal=True)
            yield "Same location", self.weight_same_location, sim, known, False
        if self.weight_master_mentor > 0 and self.mentor_master is not None:
            n = len(self.mentee_ids[mentees])
            sim = np.broadcast_to(self.mentor_master[None, :].astype(np.float32), (n, self.n_mentors))
            known = np.ones((n, self.n_mentors), dtype=bool)
            yield MASTER_MENTOR_LABEL, self.weight_master_mentor, sim, known, False


Similarity = Callable[[slice | np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True, eq=False)
class _LinearCriteria:
    """The pool's criteria as matrix products, so a block of scores is a few BLAS calls.

    A criterion whose similarity is 0 or 1 and depends on one answer per side (same, different, mentor
    higher, seniority) is a sum over answer values: ``[a == v] * f_v(b)``. Encoding each mentee's answer
    one-hot and each mentor's answer as the vector ``f_v(b)`` makes the weighted similarity, the counted
    weight and the hard-rule failures dot products. Overlap (a ratio) and criteria with many distinct
    answers stay ``elementwise``.
    """

    mentee_points: np.ndarray
    mentor_points: np.ndarray
    mentee_known: np.ndarray
    mentor_known: np.ndarray
    mentee_hard: np.ndarray
    mentor_hard: np.ndarray
    elementwise: tuple[_Elementwise | _Overlap, ...]
    whole_weights: bool


@dataclass(frozen=True, eq=False)
class _Elementwise:
    weight: float
    hard: bool
    similarity: Similarity


@dataclass(frozen=True, eq=False)
class _Overlap:
    """An overlap question: its counted weight is in the matrix products, its Jaccard index is not."""

    weight: float
    hard: bool
    mentee: np.ndarray  # float32 multi-hot
    mentor: np.ndarray
    mentee_chosen: np.ndarray  # options chosen, float32
    mentor_chosen: np.ndarray
    # With few distinct mentee answers: each mentee's answer index, and per answer and mentor the
    # weighted Jaccard index and whether a hard rule fails, so a block is one gather.
    mentee_answer: np.ndarray | None = None
    points_table: np.ndarray | None = None
    fails_table: np.ndarray | None = None

    def points_and_fails(self, mentees: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(weighted Jaccard index float32 [block, n_mentors], hard failures or None)."""
        if self.mentee_answer is not None:
            assert self.points_table is not None
            answer = self.mentee_answer[mentees]
            return self.points_table[answer], None if self.fails_table is None else self.fails_table[answer]
        return self._compute(self.mentee[mentees], self.mentee_chosen[mentees])

    def _compute(self, mentee: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        # 0/1 float32 sums are exact integers, so the result does not depend on BLAS blocking.
        sim = mentee @ self.mentor.T
        fails = None
        if self.hard:  # both chose options, none shared
            fails = sim == 0
            fails &= (chosen > 0)[:, None]
            fails &= (self.mentor_chosen > 0)[None, :]
        union = np.add.outer(chosen, self.mentor_chosen)
        union -= sim
        # Where nothing was chosen on either side nothing is shared either: sim stays 0.
        np.divide(sim, union, out=sim, where=union > 0)
        sim *= np.float32(self.weight)
        return sim, fails

    @classmethod
    def of(cls, q: QuestionCriterion, n_mentors: int) -> _Overlap:
        a, b = q.mentee.astype(np.float32), q.mentor.astype(np.float32)
        plain = cls(q.weight, q.hard, a, b, a.sum(axis=1), b.sum(axis=1))
        answers, index = np.unique(q.mentee, axis=0, return_inverse=True)
        if len(answers) * n_mentors > OVERLAP_TABLE_SIZE:
            return plain
        answers = answers.astype(np.float32)
        points, fails = plain._compute(answers, answers.sum(axis=1))
        return cls(
            q.weight,
            q.hard,
            a,
            b,
            plain.mentee_chosen,
            plain.mentor_chosen,
            index.reshape(-1).astype(np.int64),
            points,
            fails,
        )


def _product(mentee: np.ndarray, mentor: np.ndarray, dtype: type) -> np.ndarray:
    return (mentee.astype(dtype, copy=False) @ mentor.astype(dtype, copy=False).T).astype(
        np.float32, copy=False
    )


def _one_hot(values: np.ndarray, universe: np.ndarray) -> np.ndarray:
    return (values[:, None] == universe[None, :]).astype(np.float64)


def _linearize(pool: Pool) -> _LinearCriteria:
    parts: dict[str, list[np.ndarray]] = {
        key: [] for key in ("points_e", "points_m", "known_e", "known_m", "hard_e", "hard_m")
    }
    elementwise: list[_Elementwise | _Overlap] = []

    def add(kind: str, mentee: np.ndarray, mentor: np.ndarray) -> None:
        parts[f"{kind}_e"].append(mentee.reshape(pool.n_mentees, -1))
        parts[f"{kind}_m"].append(mentor.reshape(pool.n_mentors, -1))

    def column(known: np.ndarray) -> np.ndarray:
        return known.astype(np.float64)[:, None]

    def coded(weight: float, hard: bool, a: np.ndarray, b: np.ndarray, equal: bool) -> None:
        """``same`` (equal) or ``different``; a is the mentees' codes, b the mentors'."""
        universe = np.intersect1d(a[a != MISSING], b[b != MISSING])
        if len(universe) > MAX_ENCODED_VALUES:

            def similarity(mentees: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                x, y = a[mentees][:, None], b[None, :]
                same = x == y
                return (same if equal else ~same).astype(np.float32), (x != MISSING) & (y != MISSING)

            elementwise.append(_Elementwise(weight, hard, similarity))
            return
        ka, kb = column(a != MISSING), column(b != MISSING)
        ha, hb = _one_hot(a, universe), _one_hot(b, universe)
        add("known", ka, weight * kb)
        if equal:
            add("points", ha, weight * hb)
            if hard:  # fails when both answered and the answers differ
                add("hard", np.hstack([ka, ha]), np.hstack([kb, -hb]))
        else:
            add("points", np.hstack([ka, ha]), np.hstack([weight * kb, -weight * hb]))
            if hard:  # fails when both answered the same
                add("hard", ha, hb)

    def stepped(
        weight: float,
        hard: bool,
        a: np.ndarray,
        b: np.ndarray,
        known_a: np.ndarray,
        known_b: np.ndarray,
        holds: Callable[[np.ndarray, np.ndarray], np.ndarray],
    ) -> None:
        """A 0/1 rule ``holds(mentee value, mentor value)`` on ordered values (numbers, job levels)."""
        universe = np.unique(a[known_a])
        if len(universe) > MAX_ENCODED_VALUES:

            def similarity(mentees: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                x, y = a[mentees][:, None], b[None, :]
                return holds(x, y).astype(np.float32), known_a[mentees][:, None] & known_b[None, :]

            elementwise.append(_Elementwise(weight, hard, similarity))
            return
        ka, kb = column(known_a), column(known_b)
        ha = _one_hot(a, universe) * ka
        step = (holds(universe[None, :], b[:, None]) & known_b[:, None]).astype(np.float64)
        add("known", ka, weight * kb)
        add("points", ha, weight * step)
        if hard:  # fails when both known and the rule does not hold
            add("hard", np.hstack([ka, ha]), np.hstack([kb, -step]))

    for q in pool.questions:
        if q.weight <= 0:
            continue
        if q.rule == OVERLAP:
            overlap = _Overlap.of(q, pool.n_mentors)
            add("known", column(overlap.mentee_chosen > 0), q.weight * column(overlap.mentor_chosen > 0))
            elementwise.append(overlap)
        elif q.rule == MENTOR_HIGHER:
            a, b = q.mentee.astype(np.float64), q.mentor.astype(np.float64)
            stepped(q.weight, q.hard, a, b, ~np.isnan(a), ~np.isnan(b), lambda x, y: y > x)
        else:
            coded(q.weight, q.hard, q.mentee, q.mentor, equal=q.rule == SAME)
    if pool.weight_different_department > 0:
        coded(pool.weight_different_department, False, pool.mentee_department, pool.mentor_department, False)
    if pool.weight_different_division > 0:
        coded(pool.weight_different_division, False, pool.mentee_division, pool.mentor_division, False)
    if pool.weight_mentor_senior > 0:
        low, high = SENIORITY_GAP

        def senior(mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
            gap = (mentee - mentor) if pool.reverse else (mentor - mentee)
            return (gap >= low) & (gap <= high)

        a, b = pool.mentee_level, pool.mentor_level
        stepped(pool.weight_mentor_senior, False, a, b, a != MISSING, b != MISSING, senior)
    if pool.weight_same_location > 0:
        coded(pool.weight_same_location, False, pool.mentee_location, pool.mentor_location, True)
    if pool.weight_master_mentor > 0 and pool.mentor_master is not None:
        every_mentee = np.ones((pool.n_mentees, 1))
        add("known", every_mentee, pool.weight_master_mentor * np.ones((pool.n_mentors, 1)))
        add("points", every_mentee, pool.weight_master_mentor * column(pool.mentor_master))

    weights_used = [q.weight for q in pool.questions if q.weight > 0] + [
        pool.weight_different_department,
        pool.weight_different_division,
        pool.weight_mentor_senior,
        pool.weight_same_location,
        pool.weight_master_mentor,
    ]
    whole_weights = all(float(w).is_integer() for w in weights_used)

    def stack(key: str, n: int) -> np.ndarray:
        stacked = np.hstack(parts[key]) if parts[key] else np.zeros((n, 0))
        return stacked.astype(np.float32 if whole_weights else np.float64)

    return _LinearCriteria(
        mentee_points=stack("points_e", pool.n_mentees),
        mentor_points=stack("points_m", pool.n_mentors),
        mentee_known=stack("known_e", pool.n_mentees),
        mentor_known=stack("known_m", pool.n_mentors),
        mentee_hard=stack("hard_e", pool.n_mentees),
        mentor_hard=stack("hard_m", pool.n_mentors),
        elementwise=tuple(elementwise),
        whole_weights=whole_weights,
    )


def score_block(pool: Pool, mentees: slice) -> tuple[np.ndarray, np.ndarray]:
    """Scores (float32 [block, n_mentors], 0-100) and the feasibility mask for a slice of mentees."""
    start, stop, _ = mentees.indices(pool.n_mentees)
    return _score(pool, slice(start, stop), np.arange(start, stop))


def score_rows(pool: Pool, mentees: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``score_block`` for any mentees (indices, each once), in the order given."""
    mentees = np.asarray(mentees, dtype=np.int64)
    _check_rows(mentees, pool.n_mentees)
    return _score(pool, mentees, mentees)


def _check_rows(mentees: np.ndarray, n_mentees: int) -> None:
    if ((mentees < 0) | (mentees >= n_mentees)).any() or len(np.unique(mentees)) != len(mentees):
        raise ValueError("Mentee indices must lie inside the pool, each once.")


def _score(pool: Pool, mentees: slice | np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The scores of the mentees selected by ``mentees`` (whose indices are ``index``)."""
    shape = (len(index), pool.n_mentors)
    linear = pool._linear
    # Criteria with 0/1 similarities are matrix products of encoded answers (see _LinearCriteria).
    # With whole weights their sums are small integers, exact in float32, so blocks never change a
    # result; other weights are summed in float64.
    dtype = np.float32 if linear.whole_weights else np.float64
    points = _product(linear.mentee_points[mentees], linear.mentor_points, dtype)
    weights = _product(linear.mentee_known[mentees], linear.mentor_known, dtype)
    feasible = _product(linear.mentee_hard[mentees], linear.mentor_hard, dtype) == 0
    for item in linear.elementwise:
        if isinstance(item, _Overlap):
            overlap, fails = item.points_and_fails(mentees)
            points += overlap
            if fails is not None:
                feasible &= ~fails
            continue
        sim, known = item.similarity(mentees)
        w = np.float32(item.weight) * known
        points += w * sim
        weights += w
        if item.hard:
            feasible &= ~known | (sim > 0)
    scores = np.divide(points, weights, out=np.zeros(shape, dtype=np.float32), where=weights > 0)
    scores *= np.float32(100)

    # Same person, reporting line in either direction, forbidden: few pairs, looked up sparsely.
    rows, cols = _excluded_pairs(pool, mentees)
    feasible[rows, cols] = False
    if len(pool.forbidden):
        positions, local = _people_lookup(index, pool.forbidden[:, 0])
        feasible[local, pool.forbidden[positions, 1]] = False
    return scores, feasible


def _people_lookup(person: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions in ``wanted``, indices in ``person``) of every entry of ``wanted`` found in ``person``."""
    order = np.argsort(person, kind="stable")
    sorted_person = person[order]
    flat = wanted.ravel()
    at = np.searchsorted(sorted_person, flat)
    at_clipped = np.minimum(at, max(len(sorted_person) - 1, 0))
    found = (flat != MISSING) & (at < len(sorted_person))
    if len(sorted_person):
        found &= sorted_person[at_clipped] == flat
    positions = np.flatnonzero(found)
    # Ids are unique (a person once per side, a mentee index once), so the first match is the only one.
    return positions, order[at_clipped[positions]]


def _excluded_pairs(pool: Pool, mentees: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row among ``mentees``, mentor) of pairs that are the same person or on one reporting line."""
    mentee_person = pool.mentee_person[mentees]
    parts_i, parts_j = [], []
    # The mentee's managers (and the mentee) among the mentors.
    mentee_side = np.column_stack([mentee_person, pool.mentee_chain[mentees]])
    positions, mentor = _people_lookup(pool.mentor_person, mentee_side)
    parts_i.append(positions // mentee_side.shape[1])
    parts_j.append(mentor)
    # The mentees in this block among each mentor's managers.
    chain = pool.mentor_chain
    positions, mentee = _people_lookup(mentee_person, chain)
    if chain.shape[1]:
        parts_i.append(mentee)
        parts_j.append(positions // chain.shape[1])
    return np.concatenate(parts_i).astype(np.int64), np.concatenate(parts_j).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Edges:
    """Candidate pairs as parallel arrays: mentee index, mentor index, score (0-100)."""

    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.mentee)

    @classmethod
    def of(cls, mentee: Iterable[int], mentor: Iterable[int], score: Iterable[float]) -> Edges:
        return cls(
            np.asarray(list(mentee), dtype=np.int64),
            np.asarray(list(mentor), dtype=np.int64),
            np.asarray(list(score), dtype=np.float64),
        )

    @classmethod
    def concat(cls, parts: Iterable[Edges]) -> Edges:
        parts = list(parts)
        if not parts:
            return cls.of([], [], [])
        return cls(
            np.concatenate([p.mentee for p in parts]),
            np.concatenate([p.mentor for p in parts]),
            np.concatenate([p.score for p in parts]),
        )


def mentee_blocks(pool: Pool, block: int) -> Iterable[slice]:
    for start in range(0, pool.n_mentees, block):
        yield slice(start, min(start + block, pool.n_mentees))


def block_top_k(scores: np.ndarray, keep: np.ndarray, k: int, start: int) -> tuple[Edges, np.ndarray]:
    """The best ``k`` kept pairs of each row of a block (mentee ``start`` first), and per row the highest
    score a kept pair left out can have (-inf when none is left out)."""
    n_mentors = scores.shape[1]
    masked = np.where(keep, scores, -np.inf)
    cap = np.full(len(scores), -np.inf, dtype=np.float32)
    if k < n_mentors:
        best = np.argpartition(masked, n_mentors - k, axis=1)[:, n_mentors - k :]
        full = keep.sum(axis=1) > k
        cap[full] = masked[np.arange(len(masked))[:, None], best].min(axis=1)[full]
    else:
        best = np.broadcast_to(np.arange(n_mentors), masked.shape)
    local = np.broadcast_to(np.arange(masked.shape[0])[:, None], best.shape)
    chosen = keep[local, best]
    edges = Edges(
        (local[chosen] + start).astype(np.int64),
        best[chosen].astype(np.int64),
        scores[local[chosen], best[chosen]].astype(np.float64),
    )
    return edges, cap


def top_candidates(
    pool: Pool,
    k: int = 50,
    *,
    pinned: Iterable[tuple[int, int]] = (),
    min_score: float = 0,
    block: int = 512,
) -> Edges:
    """Each mentee's best ``k`` feasible mentors scoring at least ``min_score``, plus the pinned pairs.

    Mentees are scored ``block`` at a time, so memory stays at block x n_mentors. Pinned (mentee, mentor)
    pairs are always included, whatever their score or feasibility: an admin's pin wins.
    """
    parts = []
    for rows in mentee_blocks(pool, block):
        scores, feasible = score_block(pool, rows)
        parts.append(block_top_k(scores, feasible & (scores >= min_score), k, rows.start)[0])
    pins = np.asarray(list(pinned), dtype=np.int64).reshape(-1, 2)
    if len(pins):
        pin_scores = np.array(
            [score_block(pool, slice(i, i + 1))[0][0, j] for i, j in pins], dtype=np.float64
        )
        parts.append(Edges(pins[:, 0], pins[:, 1], pin_scores))
    edges = Edges.concat(parts)
    # A pin may also be among the best k: keep one copy of each pair.
    _, first = np.unique(edges.mentee * max(pool.n_mentors, 1) + edges.mentor, return_index=True)
    return Edges(edges.mentee[first], edges.mentor[first], edges.score[first])


def breakdown(pool: Pool, mentee_idx: int, mentor_idx: int) -> list[tuple[str, float, float, float]]:
    """Why a pair scores what it does: (criterion, weight, similarity, points); the points sum to the score.

    Only the criteria counted for this pair appear (weight > 0 and both sides known).
    """
    rows = slice(mentee_idx, mentee_idx + 1)
    counted = [
        (label, float(weight), float(sim[0, mentor_idx]))
        for label, weight, sim, known, _hard in pool.criteria(rows)
        if known[0, mentor_idx]
    ]
    total = sum(weight for _, weight, _ in counted)
    return [(label, weight, sim, 100.0 * weight * sim / total) for label, weight, sim in counted]


def pair_breakdowns(
    pool: Pool, mentee: np.ndarray, mentor: np.ndarray
) -> list[list[tuple[str, float, float, float]]]:
    """``breakdown`` for many pairs at once (parallel index arrays), vectorised over the pairs."""
    mentee, mentor = np.asarray(mentee, dtype=np.int64), np.asarray(mentor, dtype=np.int64)
    columns: list[tuple[str, float, np.ndarray, np.ndarray]] = []

    def coded(label: str, weight: float, a: np.ndarray, b: np.ndarray, equal: bool) -> None:
        x, y = a[mentee], b[mentor]
        sim = (x == y) if equal else (x != y)
        columns.append((label, weight, sim.astype(np.float64), (x != MISSING) & (y != MISSING)))

    for q in pool.questions:
        if q.weight <= 0:
            continue
        if q.rule == OVERLAP:
            x, y = q.mentee[mentee].astype(np.float32), q.mentor[mentor].astype(np.float32)
            shared = (x * y).sum(axis=1)
            union = x.sum(axis=1) + y.sum(axis=1) - shared
            sim = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
            known = (x.sum(axis=1) > 0) & (y.sum(axis=1) > 0)
            columns.append((q.label, q.weight, sim.astype(np.float64), known))
        elif q.rule == MENTOR_HIGHER:
            x, y = q.mentee[mentee].astype(np.float64), q.mentor[mentor].astype(np.float64)
            columns.append((q.label, q.weight, (y > x).astype(np.float64), ~np.isnan(x) & ~np.isnan(y)))
        else:
            coded(q.label, q.weight, q.mentee, q.mentor, q.rule == SAME)
    if pool.weight_different_department > 0:
        coded(
            "Different department",
            pool.weight_different_department,
            pool.mentee_department,
            pool.mentor_department,
            False,
        )
    if pool.weight_different_division > 0:
        coded(
            "Different division",
            pool.weight_different_division,
            pool.mentee_division,
            pool.mentor_division,
            False,
        )
    if pool.weight_mentor_senior > 0:
        x, y = pool.mentee_level[mentee], pool.mentor_level[mentor]
        gap = (x - y) if pool.reverse else (y - x)
        sim = ((gap >= SENIORITY_GAP[0]) & (gap <= SENIORITY_GAP[1])).astype(np.float64)
        label = "Mentee 1-3 levels more senior" if pool.reverse else "Mentor 1-3 levels more senior"
        columns.append((label, pool.weight_mentor_senior, sim, (x != MISSING) & (y != MISSING)))
    if pool.weight_same_location > 0:
        coded("Same location", pool.weight_same_location, pool.mentee_location, pool.mentor_location, True)
    if pool.weight_master_mentor > 0 and pool.mentor_master is not None:
        master = pool.mentor_master[mentor].astype(np.float64)
        columns.append(
            (MASTER_MENTOR_LABEL, pool.weight_master_mentor, master, np.ones(len(mentor), dtype=bool))
        )

    total = sum((float(weight) * known for _, weight, _, known in columns), np.zeros(len(mentee)))
    out: list[list[tuple[str, float, float, float]]] = [[] for _ in range(len(mentee))]
    for label, weight, sim, known in columns:
        points = np.divide(100.0 * weight * sim, total, out=np.zeros(len(mentee)), where=total > 0)
        for n in np.flatnonzero(known).tolist():
            out[n].append((label, float(weight), float(sim[n]), float(points[n])))
    return out
