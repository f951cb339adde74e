"""Programs with their key results, coordinators and sponsors; participants; and the pairs of the running and
closed programs, with the applicants who were never paired."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.text import slugify

from matching.models import MatchRun, Mentorship
from programs.models import KeyResult, Participant, Program

from .dataset import SLUG_PREFIX
from .rows import NEVER, day, moment, pick
from .shapes import DECLINE_REASONS, END_CATEGORIES, END_REASONS, KEY_RESULTS, PROGRAMS

if TYPE_CHECKING:
    from .seeder import Seeder


def seed_programs(s: Seeder) -> None:
    from .seeder import Pairs

    specs = [PROGRAMS[g % len(PROGRAMS)] for g in range(s.sizes.programs)]
    shares = np.array([spec[4] for spec in specs])
    pairs = np.floor(shares / shares.sum() * s.sizes.pairs).astype(int)
    pairs[0] += s.sizes.pairs - pairs.sum()  # the first, the largest running program, takes the rest
    enrollment = _Enrollment(s)
    seen: dict[str, int] = {}
    for g, (name, kind, purpose, status, _) in enumerate(specs):
        if g >= len(PROGRAMS):
            name = f"{name} {g // len(PROGRAMS) + 1}"
        nth = seen[status] = seen.get(status, -1) + 1  # the nth program of its status, the latest first
        starts = (
            s.t
            + {
                "running": -120 - 45 * nth,  # began four months ago or earlier
                "closed": -395 - 100 * nth,  # ended a month ago or earlier
                "matching": 20,
                "enrolling": 60,
                "draft": 150,
            }[status]
        )
        program = _program(s, g, name, kind, purpose, status, starts)
        if status in (Program.Status.RUNNING, Program.Status.CLOSED) and pairs[g]:
            enrollment.pairs_of(program, int(pairs[g]), starts)
        elif status in (Program.Status.ENROLLING, Program.Status.MATCHING):
            enrollment.applicants(program, max(10, s.sizes.people // 200))
    s.write("participants", Participant, enrollment.participants)
    s.write("pairs", Mentorship, enrollment.pairs)
    s.counts["programs"] = len(specs)
    s.pairs = Pairs(
        **{key: np.concatenate([part[key] for part in enrollment.arrays]) for key in Pairs.__annotations__}
    )


def _program(s: Seeder, g: int, name: str, kind: str, purpose: str, status: str, starts: int) -> Program:
    rng = s.rng
    program = Program.objects.create(
        name=name,
        slug=SLUG_PREFIX + slugify(name),
        kind=kind,
        purpose=purpose,
        status=status,
        description=f"{name}: a program of the dashboards' benchmark data set.",
        enrollment_opens_on=day(starts - 75),
        enrollment_closes_on=day(starts - 40),
        matching_on=day(starts - 30),
        starts_on=day(starts),
        ends_on=day(starts + 365),
        meeting_cadence_days=[14, 21, 30, 14][g % 4],
        checkin_cadence_months=2 if g % 5 == 4 else 3,
        max_mentor_capacity=6 if kind == Program.Kind.GROUP else 4,
        budget=Decimal(int(rng.integers(20, 250)) * 1000),
        created_by=s.hr_user,
    )
    Program.objects.filter(pk=program.pk).update(created_at=moment(starts - 100))
    everyone = s.employed(s.t)
    managers = np.flatnonzero(everyone & (s.level >= 6) & (s.level <= 9))
    program.coordinators.set(s.pid[rng.choice(managers, 2, replace=False)].tolist())
    # The sponsor login sponsors the first program only: the largest running one.
    sponsor = 1 if g == 0 else int(rng.choice(np.flatnonzero(everyone & (s.level >= 10))))
    program.sponsors.set([int(s.pid[sponsor])])
    chosen = sorted(rng.choice(len(KEY_RESULTS), 2 if status == "draft" else int(rng.integers(3, 6)), False))
    KeyResult.objects.bulk_create(
        [
            KeyResult(
                program=program,
                metric=metric,
                objective=objective,
                baseline=Decimal(baseline),
                target=Decimal(target),
                due_on=program.ends_on,
            )
            for metric, objective, baseline, target in (KEY_RESULTS[i] for i in chosen)
        ]
    )
    return program


class _Enrollment:
    """Participants and pairs of every program, collected so each table is written once."""

    def __init__(self, s: Seeder) -> None:
        self.s = s
        self.participant_ids = itertools.count(s.writer.next_id(Participant))
        self.pair_ids = itertools.count(s.writer.next_id(Mentorship))
        self.participants: list[dict[str, Any]] = []
        self.pairs: list[dict[str, Any]] = []
        self.arrays: list[dict[str, np.ndarray]] = []

    def enroll(self, program: Program, person: int, role: str, status: str, capacity: int | None) -> int:
        participant = next(self.participant_ids)
        opens = program.enrollment_opens_on.toordinal()
        self.participants.append(
            {
                "id": participant,
                "program_id": program.pk,
                "person_id": int(self.s.pid[person]),
                "role": role,
                "status": status,
                "capacity": capacity,
                "reason": DECLINE_REASONS.get(status, ""),
                "applied_at": moment(opens + self.s.draw.randrange(35), self.s.draw.randrange(8, 18)),
            }
        )
        return participant

    def applicants(self, program: Program, count: int) -> None:
        """A program still enrolling or matching: applications, no pairs yet."""
        s = self.s
        pool = np.flatnonzero(s.employed(s.t))
        people = s.sample(pool, np.ones(len(pool)), min(count, len(pool))).tolist()
        if program.status == Program.Status.ENROLLING:
            shares = [("applied", 0.6), ("approved", 0.3), ("waitlisted", 0.05), ("withdrawn", 0.05)]
        else:
            shares = [("approved", 0.85), ("waitlisted", 0.08), ("declined", 0.04), ("withdrawn", 0.03)]
        for p, status in zip(people, pick(s.rng, shares, len(people)), strict=True):
            mentor = s.level[p] >= 6 and s.draw.random() < 0.7
            self.enroll(program, p, "mentor" if mentor else "mentee", status, 2 if mentor else None)

    def pairs_of(self, program: Program, n: int, starts: int) -> None:
        """``n`` pairs: mentors (senior; certified Master Mentors preferred, with more mentees), mentees
        (leavers less likely: participants stay longer), and the applicants who were not paired."""
        s, rng = self.s, self.s.rng
        employed = s.employed(starts) & (s.hire < starts - 40)
        reverse = program.kind == Program.Kind.REVERSE  # junior mentors, senior mentees
        pool = np.flatnonzero(employed & ((s.level <= 4) if reverse else (s.level >= 5)))
        weights = 13.0 - s.level[pool] if reverse else s.level[pool] ** 2.0
        weights *= np.where([s.certified.get(p, NEVER) < starts for p in pool.tolist()], 6, 1)
        mentors = s.sample(pool, weights, min(len(pool), n * 2 // 3 + 5))
        group = program.kind == Program.Kind.GROUP
        caps = rng.choice(
            [4, 5, 6] if group else [1, 2, 3, 4], len(mentors), p=None if group else [0.3, 0.4, 0.2, 0.1]
        )
        master = np.array([s.certified.get(p, NEVER) < starts for p in mentors.tolist()], dtype=bool)
        caps = np.where(master, program.max_mentor_capacity, caps)
        loads = np.where(rng.random(len(mentors)) < 0.65, caps, rng.integers(1, caps + 1))
        if loads.sum() < n:
            loads = caps
        if loads.sum() < n:
            raise ValueError(f"Too few mentors for {n} pairs in {program.name}; add people.")
        used = int(np.searchsorted(np.cumsum(loads), n)) + 1
        loads = loads[:used].copy()
        loads[-1] -= loads.sum() - n
        mentor_parts = [
            self.enroll(program, p, "mentor", "approved", c)
            for p, c in zip(mentors[:used].tolist(), caps[:used].tolist(), strict=True)
        ]
        spare = list(zip(mentors[used:].tolist(), caps[used:].tolist(), strict=True))[: max(1, used // 10)]
        spare_statuses = pick(rng, [("approved", 0.4), ("withdrawn", 0.3), ("declined", 0.3)], len(spare))
        for (p, c), status in zip(spare, spare_statuses, strict=True):
            self.enroll(program, p, "mentor", status, c)

        pool = np.flatnonzero(employed & ((s.level >= 7) if reverse else (s.level <= 8)))
        pool = np.setdiff1d(pool, mentors)
        weights = (s.level[pool] if reverse else 13 - s.level[pool]) * np.where(s.left[pool] < NEVER, 0.55, 1)
        unpaired = -(-n * 15 // 100)
        mentees = s.sample(pool, weights.astype(float), n + unpaired).tolist()
        mentee_parts = [self.enroll(program, p, "mentee", "approved", None) for p in mentees[:n]]
        statuses = [("approved", 0.35), ("declined", 0.25), ("withdrawn", 0.4)]
        if program.status == Program.Status.RUNNING:
            statuses += [("waitlisted", 0.25), ("applied", 0.1)]
        for p, status in zip(mentees[n:], pick(rng, statuses, unpaired), strict=True):
            self.enroll(program, p, "mentee", status, None)
        self._pair(
            program, n, starts, mentor_parts, loads, mentors[:used], np.array(mentees[:n]), mentee_parts
        )

    def _pair(
        self,
        program: Program,
        n: int,
        starts: int,
        mentor_parts: list[int],
        loads: np.ndarray,
        mentors: np.ndarray,
        mentee_person: np.ndarray,
        mentee_parts: list[int],
    ) -> None:
        """Most pairs start in the program's first three weeks; in a running program most are active, in a
        closed one most completed; some end early, those where one of the two left the organization too."""
        s, rng, t = self.s, self.s.rng, self.s.t
        mentor_person = np.repeat(mentors, loads)
        late = rng.random(n) < 0.06
        start = np.minimum(starts + np.where(late, rng.integers(30, 121, n), rng.integers(0, 22, n)), t - 14)
        running = program.status == Program.Status.RUNNING
        how = rng.choice(
            3, n, p=[0.82, 0.10, 0.08] if running else [0, 0.16, 0.84]
        )  # active, early, completed
        limit = min(starts + 365, t) - 1
        completed = (
            np.minimum(start + rng.integers(150, 301, n), limit) if running else np.full(n, starts + 365)
        )
        early = np.minimum(start + rng.integers(30, 301, n), limit)
        end = np.where(how == 2, completed, np.where(how == 1, early, NEVER))
        end = np.where(how > 0, np.maximum(end, start + 1), end)
        gone = np.minimum(s.left[mentee_person], s.left[mentor_person])
        left = (gone > start) & (gone < np.minimum(end, t))
        how, end = np.where(left, 1, how), np.where(left, gone, end)
        category = np.where(left, "left", np.array(pick(rng, END_CATEGORIES, n)))
        fit, schedule = (how == 1) & (category == "fit"), (how == 1) & (category == "schedule")
        quality = rng.normal(0, 0.45, n) - 0.9 * fit - 0.3 * schedule
        run = MatchRun.objects.create(
            program=program,
            status=MatchRun.Status.PUBLISHED,
            progress=100,
            stage="Published",
            stats={"pairs": n},
            started_by=s.hr_user,
            finished_at=moment(starts - 31),
            published_at=moment(starts - 30),
            published_by=s.hr_user,
        )
        sources = pick(rng, [("run", 0.82), ("request", 0.08), ("manual", 0.05), ("rematch", 0.05)], n)
        scores = np.round(np.clip(rng.normal(72, 10, n), 35, 99), 1).tolist()
        ids = [next(self.pair_ids) for _ in range(n)]
        mentor_of = np.repeat(mentor_parts, loads)
        statuses = ["active", "ended_early", "completed"]
        for k, (kind, first, last, why) in enumerate(
            zip(how.tolist(), start.tolist(), end.tolist(), category.tolist(), strict=True)
        ):
            self.pairs.append(
                {
                    "id": ids[k],
                    "program_id": program.pk,
                    "mentor_id": int(mentor_of[k]),
                    "mentee_id": mentee_parts[k],
                    "status": statuses[kind],
                    "source": sources[k],
                    "run_id": run.pk if sources[k] == "run" else None,
                    "score": scores[k],
                    "started_on": day(first),
                    "ended_on": day(last) if last < NEVER else None,
                    "end_reason": END_REASONS[why] if kind == 1 else "",
                    "end_category": why if kind == 1 else "",
                    "created_at": moment(first - 2),
                }
            )
        self.arrays.append(
            {
                "ids": np.array(ids),
                "mentor": mentor_of,
                "mentee": np.array(mentee_parts),
                "mentor_person": mentor_person,
                "mentee_person": mentee_person,
                "ended": how > 0,
                "early": how == 1,
                "start": start,
                "end": end,
                "cadence": np.full(n, program.meeting_cadence_days),
                "checkin_months": np.full(n, program.checkin_cadence_months),
                "program_start": np.full(n, starts),
                "quality": quality,
            }
        )
