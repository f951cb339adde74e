"""Benchmark matching end to end on a synthetic program: load, score, solve exactly, write proposals."""

from __future__ import annotations

import resource
import time
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from matching.models import MatchRun, Proposal
from matching.pool import load_pool
from matching.scoring import Pool, mentee_blocks, pair_breakdowns, score_block
from matching.solver import blocking_pairs, exact_reference, greedy, match_detailed
from people.models import Department, Division, Person
from programs.models import Answer, Participant, Program, Question

EMPLOYEE_PREFIX = "BM"
BENCH_DOMAIN = "bench.invalid"
SPAN = 6  # direct reports per manager in the synthetic org chart
DIVISIONS = 6
LOCATIONS = ["Baltimore", "Boston", "Chicago", "Denver", "Remote", "Seattle", "Austin", "Toronto"]
BATCH = 5000

# (mentee wording, kind, match rule, choices, weight, hard); cycled when more questions are asked for.
QUESTIONS: list[tuple[str, str, str, list[str], int, bool]] = [
    (
        "Which area do you most want to grow in?",
        "single",
        "same",
        ["Leadership", "Strategy", "Finance", "Data", "Product", "People", "Operations", "Sales"],
        8,
        False,
    ),
    (
        "Which languages can you mentor in?",
        "multi",
        "overlap",
        ["English", "Spanish", "French", "German", "Mandarin"],
        3,
        True,
    ),
    ("Years of people-management experience", "number", "mentor_higher", [], 5, False),
    ("Preferred meeting format", "single", "same", ["In person", "Video", "Phone", "Mixed"], 4, False),
    (
        "Topics you enjoy discussing",
        "multi",
        "overlap",
        [
            "Careers",
            "Feedback",
            "Negotiation",
            "Wellbeing",
            "Technology",
            "Writing",
            "Presenting",
            "Networking",
            "Parenting",
            "Change",
        ],
        6,
        False,
    ),
    (
        "Your working style",
        "single",
        "different",
        ["Analytical", "Creative", "Practical", "Relational"],
        2,
        False,
    ),
    ("Confidence in public speaking (1-5)", "scale", "mentor_higher", [], 3, False),
    ("Time zone", "single", "same", ["Americas", "Europe", "Africa", "Asia-Pacific"], 5, False),
    (
        "The career step you are preparing for",
        "single",
        "same",
        ["First team", "Larger team", "Director", "Specialist", "Executive"],
        4,
        False,
    ),
    (
        "Industries you have worked in",
        "multi",
        "overlap",
        ["Health", "Finance", "Retail", "Public sector", "Technology", "Energy", "Education", "Media"],
        4,
        False,
    ),
    ("Preferred meeting frequency", "single", "same", ["Weekly", "Fortnightly", "Monthly"], 3, False),
    (
        "Interests outside work",
        "multi",
        "overlap",
        ["Music", "Sport", "Reading", "Travel", "Cooking", "Gaming", "Art", "Volunteering", "Film", "Hiking"],
        1,
        False,
    ),
]


class Command(BaseCommand):
    help = (
        "Create (or reuse) a synthetic matching program with --mentees and --mentors approved participants, "
        "their answers to --questions questions and an org chart, then run the whole match as a match run "
        "does (load from the database, score, solve exactly with pricing, write the proposals of a new "
        "run) and print on the last line: mentees= mentors= seconds= solve_s= score= greedy_score= gap= "
        "blocking_pairs= peak_mb=. gap is measured against an independent dense exact solve when it fits "
        "in --reference-mb, else printed as na with the reason. The synthetic people are marked (employee "
        f"ids starting {EMPLOYEE_PREFIX}, addresses @{BENCH_DOMAIN}); the command refuses a database whose "
        "directory holds anyone else unless --force is given, which adds the synthetic people next to "
        "the real ones (they stay marked and can be deleted later). Use a separate database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mentees", type=int, default=10_000, help="Approved mentees (default 10000).")
        parser.add_argument("--mentors", type=int, default=5_000, help="Approved mentors (default 5000).")
        parser.add_argument("--capacity", type=int, default=2, help="Mentees per mentor (default 2).")
        parser.add_argument("--questions", type=int, default=12, help="Matching questions (default 12).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--k", type=int, default=50, help="Candidates per mentee before pricing (50).")
        parser.add_argument(
            "--reference-mb",
            type=int,
            default=4096,
            help="Memory the dense exact reference may use, in MB (default 4096); above it gap=na.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the directory holds people other than earlier benchmarks' synthetic ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mentees, mentors = options["mentees"], options["mentors"]
        capacity, questions, seed = options["capacity"], options["questions"], options["seed"]
        for name, value, low in (
            ("mentees", mentees, 1),
            ("mentors", mentors, 1),
            ("capacity", capacity, 1),
            ("questions", questions, 1),
            ("k", options["k"], 1),
        ):
            if value < low:
                raise CommandError(f"--{name} must be at least {low}; got {value}.")
        if capacity > 20:
            raise CommandError(f"--capacity must be at most 20; got {capacity}.")
        others = Person.objects.exclude(
            employee_id__startswith=EMPLOYEE_PREFIX, email__endswith=f"@{BENCH_DOMAIN}"
        ).count()
        if others and not options["force"]:
            raise CommandError(
                f"The directory holds {others} people who are not synthetic benchmark people. bench_matching "
                "adds thousands of people and a program; run it on a separate database, or pass --force to "
                "add them anyway."
            )

        program = self._program(mentees, mentors, capacity, questions, seed)
        self._run(program, options)

    # The synthetic program ---------------------------------------------------------------------------

    def _program(self, mentees: int, mentors: int, capacity: int, questions: int, seed: int) -> Program:
        key = f"{mentees}x{mentors}-c{capacity}-q{questions}-s{seed}"
        slug = f"bench-matching-{key}"
        program = Program.objects.filter(slug=slug).first()
        if program is not None:
            counts = dict(
                program.participants.approved().values_list("role").annotate(n=Count("pk")).order_by()
            )
            if counts == {Participant.Role.MENTEE: mentees, Participant.Role.MENTOR: mentors}:
                self.stdout.write(f"Reusing the program {slug} and its {mentees + mentors} participants.")
                return program
            raise CommandError(
                f"The program {slug} exists but does not hold {mentees} mentees and {mentors} mentors; "
                "delete it (and its people) first."
            )
        started = time.perf_counter()
        with transaction.atomic():
            program = self._create(slug, key, mentees, mentors, capacity, questions, seed)
        self.stdout.write(
            f"Created the program {slug}: {mentees + mentors} people, participants and answers "
            f"in {time.perf_counter() - started:.1f} s."
        )
        return program

    def _create(
        self, slug: str, key: str, mentees: int, mentors: int, capacity: int, questions: int, seed: int
    ) -> Program:
        rng = np.random.default_rng(seed)
        n = mentees + mentors
        # Org chart: person p reports to (p - 1) // SPAN, so lower numbers are more senior.
        manager = np.concatenate([[-1], (np.arange(1, n) - 1) // SPAN])
        depth = np.zeros(n, dtype=np.int64)
        for p in range(1, n):
            depth[p] = depth[manager[p]] + 1
        level = np.clip(11 - depth - rng.integers(0, 2, n), 1, 12)
        # Divisions and departments follow the chart: the subtrees under the top two layers.
        top = np.arange(n)
        while True:
            up = np.where(depth[top] > 2, manager[top], top)
            if np.array_equal(up, top):
                break
            top = up
        divisions = [
            Division.objects.get_or_create(name=f"Bench division {d + 1}")[0] for d in range(DIVISIONS)
        ]
        unit = np.where(depth >= 2, top, np.where(depth == 1, top * SPAN + 1, 1))  # a department per unit
        units = np.unique(unit)
        departments = {
            int(u): Department.objects.get_or_create(
                division=divisions[int(u) % DIVISIONS], name=f"Bench department {int(u)}"
            )[0].pk
            for u in units
        }
        location = rng.integers(0, len(LOCATIONS), n)
        pks = np.zeros(n, dtype=np.int64)
        for d in range(int(depth.max()) + 1):
            at = np.flatnonzero(depth == d)
            for start in range(0, len(at), BATCH):
                chunk = at[start : start + BATCH]
                created = Person.objects.bulk_create(
                    Person(
                        employee_id=f"{EMPLOYEE_PREFIX}-{key}-{p:06d}",
                        full_name=f"Bench person {p}",
                        email=f"bm.{key}.{p}@{BENCH_DOMAIN}",
                        title=f"Level {level[p]}",
                        job_level=int(level[p]),
                        department_id=departments[int(unit[p])],
                        manager_id=int(pks[manager[p]]) if manager[p] >= 0 else None,
                        location=LOCATIONS[location[p]],
                        hire_date=date(2015, 1, 1) + timedelta(days=int(p % 3000)),
                    )
                    for p in chunk.tolist()
                )
                pks[chunk] = [c.pk for c in created]

        # Mentors lean senior: chosen with odds rising steeply with the job level.
        odds = level.astype(np.float64) ** 3
        is_mentor = np.zeros(n, dtype=bool)
        is_mentor[rng.choice(n, size=mentors, replace=False, p=odds / odds.sum())] = True
        program = Program.objects.create(
            name=f"Matching benchmark {key}",
            slug=slug,
            description="Synthetic participants for the matching benchmark (manage.py bench_matching).",
            status=Program.Status.MATCHING,
            default_mentor_capacity=capacity,
            max_mentor_capacity=max(capacity, 4),
            mentors_per_mentee=1,
        )
        participants = Participant.objects.bulk_create(
            (
                Participant(
                    program=program,
                    person_id=int(pks[p]),
                    role=Participant.Role.MENTOR if is_mentor[p] else Participant.Role.MENTEE,
                    status=Participant.Status.APPROVED,
                    capacity=capacity if is_mentor[p] else None,
                )
                for p in range(n)
            ),
            batch_size=BATCH,
        )
        made = [self._question(program, number, rng, is_mentor, level) for number in range(questions)]
        answers: list[Answer] = []
        for question, values in made:
            for participant, value in zip(participants, values, strict=True):
                if value is not None:
                    answers.append(Answer(participant=participant, question=question, value=value))
            if len(answers) >= 10 * BATCH:
                Answer.objects.bulk_create(answers, batch_size=BATCH)
                answers = []
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        return program

    def _question(
        self,
        program: Program,
        number: int,
        rng: np.random.Generator,
        is_mentor: np.ndarray,
        level: np.ndarray,
    ) -> tuple[Question, list[Any]]:
        text, kind, rule, choices, weight, hard = QUESTIONS[number % len(QUESTIONS)]
        if number >= len(QUESTIONS):
            text = f"{text} ({number // len(QUESTIONS) + 1})"
        question = Question.objects.create(
            program=program,
            order=number,
            mentor_text=text,
            mentee_text=text,
            kind=kind,
            choices=choices,
            match_rule=rule,
            weight=weight,
            hard=hard,
        )
        n = len(is_mentor)
        if kind == "multi":
            # Popular options first; the first language is spoken by almost everyone.
            popularity = np.linspace(0.45, 0.1, len(choices))
            if hard:
                popularity[0] = 0.95
            chosen = rng.random((n, len(choices))) < popularity
            values: list[Any] = [
                [c for c, on in zip(choices, row, strict=True) if on] or None for row in chosen
            ]
        elif kind == "single":
            weights = rng.dirichlet(np.ones(len(choices)) * 2)
            values = [choices[i] for i in rng.choice(len(choices), size=n, p=weights)]
        elif kind == "scale":
            values = np.clip(rng.integers(1, 5, n) + is_mentor, 1, 5).tolist()
        else:  # years of experience grow with the job level
            values = np.clip(level - 3 + rng.integers(-2, 3, n), 0, 30).tolist()
        if not hard:
            missing = rng.random(n) < 0.03
            values = [None if gone else v for v, gone in zip(values, missing, strict=True)]
        return question, values

    # The run -------------------------------------------------------------------------------------------

    def _run(self, program: Program, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            # Earlier benchmark runs of this synthetic program are replaced, not accumulated.
            program.match_runs.all().delete()
            run = MatchRun.objects.create(
                program=program,
                status=MatchRun.Status.RUNNING,
                stage="Benchmark",
                params={
                    "priority": program.matching_priority,
                    "min_score": program.min_match_score,
                    "mentors_per_mentee": program.mentors_per_mentee,
                    "k": options["k"],
                    "pins": [],
                    "forbids": [],
                },
            )
        pool = load_pool(program)
        loaded = time.perf_counter()
        outcome = match_detailed(
            pool,
            mentors_per_mentee=program.mentors_per_mentee,
            priority=program.matching_priority,
            min_score=program.min_match_score,
            k=options["k"],
        )
        matched = time.perf_counter()
        result = outcome.assignment
        parts = pair_breakdowns(pool, result.mentee, result.mentor)
        with transaction.atomic():
            Proposal.objects.bulk_create(
                (
                    Proposal(
                        run=run,
                        mentee_id=int(pool.mentee_ids[i]),
                        mentor_id=int(pool.mentor_ids[j]),
                        score=float(score),
                        breakdown=[
                            {"criterion": c, "weight": w, "similarity": s, "points": p} for c, w, s, p in rows
                        ],
                    )
                    for i, j, score, rows in zip(
                        result.mentee.tolist(),
                        result.mentor.tolist(),
                        result.score.tolist(),
                        parts,
                        strict=True,
                    )
                ),
                batch_size=BATCH,
            )
            run.status = MatchRun.Status.DONE
            run.progress = 100
            run.stage = "Ready for review"
            run.finished_at = timezone.now()
            run.stats = {"pairs": result.n_pairs, "total_score": result.total_score, "rounds": outcome.rounds}
            run.save(update_fields=["status", "progress", "stage", "finished_at", "stats"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Run {run.pk}: load {loaded - started:.1f} s, candidates {outcome.seconds['score']:.1f} s, "
            f"solve {outcome.seconds['solve']:.1f} s in {outcome.rounds} round(s), pricing "
            f"{outcome.seconds['price']:.1f} s, proposals {time.perf_counter() - matched:.1f} s; "
            f"{result.n_pairs} pairs from {len(outcome.candidates)} candidates and "
            f"{outcome.priced} priced in."
        )

        # The baseline takes the best pair left, repeatedly, among each mentee's top k candidates.
        baseline = greedy(
            outcome.candidates,
            n_mentees=pool.n_mentees,
            capacities=pool.mentor_capacity,
            mentors_per_mentee=program.mentors_per_mentee,
            min_score=program.min_match_score,
        )
        gap, dense = self._gap(pool, program, result.total_points, options["reference_mb"])
        checked = time.perf_counter()
        blocking = blocking_pairs(
            pool,
            result,
            min_score=program.min_match_score,
            mentors_per_mentee=program.mentors_per_mentee,
            dense=dense,
        )
        self.stdout.write(f"Blocking pairs counted in {time.perf_counter() - checked:.1f} s.")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"mentees={pool.n_mentees} mentors={pool.n_mentors} seconds={seconds:.2f} "
            f"solve_s={outcome.seconds['solve']:.2f} score={result.total_score:.2f} "
            f"greedy_score={baseline.total_score:.2f} gap={gap} blocking_pairs={blocking} "
            f"peak_mb={peak_mb:.0f}"
        )

    def _gap(
        self, pool: Pool, program: Program, total_points: int, budget_mb: int
    ) -> tuple[str, tuple[np.ndarray, np.ndarray] | None]:
        """(relative gap to the dense exact optimum, the dense scores) or ("na", None) with the reason."""
        places = int(pool.mentor_capacity.sum())
        cells = pool.n_mentees * pool.n_mentors
        # Scores and feasibility (5 bytes a pair) plus the float64 cost matrix, which the Hungarian
        # method may copy once.
        need_mb = (cells * 5 + pool.n_mentees * max(places, pool.n_mentees) * 8 * 2) / 2**20
        if program.mentors_per_mentee != 1:
            self.stdout.write("No gap: the dense reference handles one mentor per mentee only.")
            return "na", None
        if need_mb > budget_mb:
            self.stdout.write(
                f"No gap: the dense exact reference needs about {need_mb:.0f} MB, over the "
                f"{budget_mb} MB budget (--reference-mb)."
            )
            return "na", None
        started = time.perf_counter()
        scores = np.empty((pool.n_mentees, pool.n_mentors), dtype=np.float32)
        feasible = np.empty((pool.n_mentees, pool.n_mentors), dtype=bool)
        for rows in mentee_blocks(pool, 1024):
            scores[rows], feasible[rows] = score_block(pool, rows)
        reference = exact_reference(
            scores,
            feasible,
            capacities=pool.mentor_capacity,
            priority=program.matching_priority,
            min_score=program.min_match_score,
        )
        best = reference.total_points
        gap = 0.0 if best == total_points else (best - total_points) / max(abs(best), 1)
        self.stdout.write(
            f"Dense exact reference (Hungarian method on {pool.n_mentees} x {places} places): "
            f"{reference.total_score:.2f} in {time.perf_counter() - started:.1f} s."
        )
        return ("0" if gap == 0 else f"{gap:.6f}"), (scores, feasible)
