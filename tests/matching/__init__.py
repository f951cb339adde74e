"""Matching tests. ``make_pool`` builds a :class:`~matching.scoring.Pool` from plain dicts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching.scoring import MISSING, Pool, QuestionCriterion


def _column(people: Sequence[dict], key: str, default) -> np.ndarray:
    return np.array([p.get(key, default) for p in people], dtype=np.int64)


def _chains(people: Sequence[dict]) -> np.ndarray:
    depth = max((len(p.get("chain", ())) for p in people), default=0)
    chains = np.full((len(people), depth), MISSING, dtype=np.int64)
    for row, p in enumerate(people):
        chain = list(p.get("chain", ()))
        chains[row, : len(chain)] = chain
    return chains


def make_pool(
    mentors: Sequence[dict],
    mentees: Sequence[dict],
    questions: Sequence[QuestionCriterion] = (),
    forbidden: Sequence[tuple[int, int]] = (),
    **settings,
) -> Pool:
    """Mentors and mentees as dicts (person, capacity, chain, department, division, location, level).

    People get distinct person ids unless given; unknown HR data is ``MISSING``.
    """
    for offset, group in ((1000, mentors), (2000, mentees)):
        for n, p in enumerate(group):
            p.setdefault("person", offset + n)
    sides = {}
    for side, people in (("mentor", mentors), ("mentee", mentees)):
        sides |= {
            f"{side}_ids": np.arange(len(people), dtype=np.int64) + 1,
            f"{side}_person": _column(people, "person", MISSING),
            f"{side}_chain": _chains(people),
            f"{side}_department": _column(people, "department", MISSING),
            f"{side}_division": _column(people, "division", MISSING),
            f"{side}_location": _column(people, "location", MISSING),
            f"{side}_level": _column(people, "level", MISSING),
        }
    return Pool(
        **sides,
        mentor_capacity=_column(mentors, "capacity", 1),
        questions=tuple(questions),
        forbidden=np.asarray(forbidden, dtype=np.int64).reshape(-1, 2),
        **settings,
    )
