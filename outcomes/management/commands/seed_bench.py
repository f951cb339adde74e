"""Build the outcome dashboards' benchmark data set (see ``outcomes.benchdata``) in the configured database.

``manage.py seed_bench`` writes 50,000 people, 10 programs, 20,000 pairs, 500,000 held sessions and a million
feedback answers; the options scale it down. A second run finds the data set and leaves it alone; ``--reset``
deletes it (and only it) and builds it again. Meant for PostgreSQL, where it takes a few minutes; it also
runs on SQLite at small sizes, which the test suite does.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from outcomes import benchdata


class Command(BaseCommand):
    help = (
        "Build the outcome dashboards' benchmark data set: people, programs, pairs, held sessions with two "
        "feedback answers each, check-ins, goals, promotions and two Master Mentor cycles, plus the logins "
        f"{benchdata.HR_EMAIL} (HR admin) and {benchdata.SPONSOR_EMAIL} (sponsor of the largest running "
        "program). Left alone when it is already there; --reset rebuilds it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = benchdata.Sizes()
        parser.add_argument("--people", type=int, default=default.people, help="People in the directory.")
        parser.add_argument("--programs", type=int, default=default.programs, help="Programs.")
        parser.add_argument("--pairs", type=int, default=default.pairs, help="Pairs (mentorships).")
        parser.add_argument(
            "--sessions",
            type=int,
            default=default.sessions,
            help="Held sessions (two feedback answers each).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--reset", action="store_true", help="Delete the data set first and rebuild it.")

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = benchdata.Sizes(
            people=options["people"],
            programs=options["programs"],
            pairs=options["pairs"],
            sessions=options["sessions"],
        )
        if sizes.people < 100:
            raise CommandError(f"--people must be at least 100; got {sizes.people}.")
        if not 1 <= sizes.programs <= 100:
            raise CommandError(f"--programs must be between 1 and 100; got {sizes.programs}.")
        if not 1 <= sizes.pairs <= sizes.people // 2:
            raise CommandError(f"--pairs must be between 1 and half of --people; got {sizes.pairs}.")
        if sizes.sessions < 0:
            raise CommandError(f"--sessions cannot be negative; got {sizes.sessions}.")

        found = benchdata.present()
        if found is not None and not options["reset"]:
            if found != sizes:
                raise CommandError(
                    f"A benchmark data set of another size is there ({found}); --reset rebuilds it with "
                    f"{sizes}."
                )
            self.stdout.write(f"The benchmark data set is already there ({found}); --reset rebuilds it.")
            return
        try:
            # One transaction: a rebuild that fails leaves the earlier data set as it was.
            with transaction.atomic():
                if found is not None:
                    self.stdout.write(f"Deleting the benchmark data set ({found}) ...")
                    started = time.perf_counter()
                    benchdata.remove()
                    self.stdout.write(f"  deleted in {time.perf_counter() - started:.1f} s")
                self.stdout.write(f"Building {sizes} ...")
                built = time.perf_counter()
                counts = benchdata.build(sizes, seed=options["seed"], log=self.stdout.write)
        except ValueError as exc:  # the sizes do not fit together
            raise CommandError(str(exc)) from exc
        analyzed = time.perf_counter()
        benchdata.analyze()
        self.stdout.write(f"  statistics (ANALYZE): {time.perf_counter() - analyzed:.1f} s")
        self.stdout.write(
            f"Built in {time.perf_counter() - built:.1f} s: people={counts['people']} "
            f"programs={counts['programs']} pairs={counts['pairs']} sessions={counts['held sessions']} "
            f"feedback={counts['feedback']} check-ins={counts.get('check-ins', 0)} "
            f"promotions={counts.get('promotions', 0)}"
        )
