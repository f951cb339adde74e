"""The build: one ``Seeder`` carries what the steps share (the random generators, today, the people as arrays,
the pairs) while each step writes its tables."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import models
from django.utils import timezone

from people.models import User

from .dataset import Sizes
from .rows import Writer


def build(sizes: Sizes, *, seed: int = 1, log: Callable[[str], None] = print) -> dict[str, int]:
    """Write the data set (in the caller's transaction); returns how many rows of each kind were written.

    Deterministic for a seed and a day, certificate codes aside. Raises ValueError when the sizes do not fit
    together (too few people for the pairs)."""
    from . import activity, cycles, directory, enrollment

    seeder = Seeder(sizes, seed)
    for label, step in (
        ("people", directory.seed_people),
        ("Master Mentor cycles", cycles.seed_cycles),
        ("programs and pairs", enrollment.seed_programs),
        ("sessions and feedback", activity.seed_sessions),
        ("agreements, goals, check-ins, closure surveys", activity.seed_pair_life),
        ("promotions", directory.seed_promotions),
    ):
        started = time.perf_counter()
        step(seeder)
        log(f"  {label}: {time.perf_counter() - started:.1f} s")
    return seeder.counts


@dataclass
class Pairs:
    """Every pair of the data set as parallel arrays, one entry per pair."""

    ids: np.ndarray
    mentor: np.ndarray  # participant ids
    mentee: np.ndarray
    mentor_person: np.ndarray  # person indices
    mentee_person: np.ndarray
    ended: np.ndarray  # completed or ended early
    early: np.ndarray  # ended early
    start: np.ndarray  # day ordinals
    end: np.ndarray  # day ordinals; NEVER while active
    cadence: np.ndarray  # days between sessions
    checkin_months: np.ndarray
    program_start: np.ndarray
    quality: np.ndarray  # how well the pair works: shifts ratings, check-ins and surveys


class Seeder:
    """What the steps share. People are indices into the arrays (``pid`` holds their ids); index 0 is the
    HR admin and 1 the sponsor."""

    # Set by directory.seed_people.
    hr_user: User
    sponsor_user: User
    pid: np.ndarray
    level: np.ndarray
    hire: np.ndarray  # day ordinals
    left: np.ndarray  # day ordinals; NEVER for those still here
    manager: np.ndarray  # index, or -1
    division: np.ndarray  # index into shapes.DIVISIONS
    division_ids: list[int]
    # Set by cycles.seed_cycles: certified Master Mentors, by index, with the day they graduated.
    certified: dict[int, int]
    # Set by enrollment.seed_programs.
    pairs: Pairs

    def __init__(self, sizes: Sizes, seed: int) -> None:
        self.sizes = sizes
        self.rng = np.random.default_rng(seed)
        self.draw = random.Random(seed)  # noqa: S311 - synthetic data; faster than numpy one value at a time
        self.now = timezone.now()
        self.now_s = int(self.now.timestamp())
        self.t = timezone.localdate().toordinal()
        self.writer = Writer(self.now)
        self.counts: dict[str, int] = {}

    def write(self, key: str, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> range:
        """Write ``rows``, numbered from the table's next id unless they carry their own; returns the ids."""
        first = self.writer.next_id(model)
        numbered = ({"id": i, **row} for i, row in zip(itertools.count(first), rows, strict=False))
        written = self.writer.write(model, numbered)
        self.counts[key] = self.counts.get(key, 0) + written
        return range(first, first + written)

    def employed(self, on: int) -> np.ndarray:
        """Who works here on day ``on``, the two logins aside: they never enroll."""
        employed = (self.hire < on) & (self.left > on)
        employed[:2] = False
        return employed

    def sample(self, pool: np.ndarray, weights: np.ndarray, count: int) -> np.ndarray:
        """``count`` different people of ``pool``, the more likely the heavier."""
        if count > len(pool):
            raise ValueError(f"Too few people for the data set: {count} wanted of {len(pool)}; add people.")
        return self.rng.choice(pool, size=count, replace=False, p=weights / weights.sum())
