"""Benchmark the outcome dashboards on the data set of ``manage.py seed_bench``: render every page for the HR
admin and for the sponsor, each time with an empty cache, and count its queries.

Why: the dashboards must stay under a second (median) and 40 queries a page at 50,000 people and half a
million sessions, and run as many queries there as on the demo data. Run it on PostgreSQL, where the data set
is meant to live::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring_dash_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py bench_dashboards --seed    # seeds first when the data set is missing

One line per page, ``<persona> <page> p50_ms=.. max_ms=.. queries=..``, then as the last line
``p50_ms=<median ms of the slowest page> max_queries=<most queries on any page>``.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from outcomes import benchdata
from people.models import User
from programs.models import Program

# (page, whether it is a program's page); sponsors read their programs' pages only.
PAGES = [
    ("overview", False),
    ("program", True),
    ("impact", True),
    ("equity", True),
    ("master_mentors", False),
]
SPONSOR_PAGES = ["overview", "program", "impact", "equity"]


class Command(BaseCommand):
    help = (
        "Render each outcome dashboard --repeat times for the benchmark HR admin and sponsor, with a cold "
        "cache each time, and print per page the median and slowest milliseconds and the queries; the last "
        "line reads p50_ms=<median of the slowest page> max_queries=<most queries on any page>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=5, help="Renders of each page (default 5).")
        parser.add_argument(
            "--seed",
            action="store_true",
            help="Run seed_bench (default sizes) first if the data set is missing.",
        )

    def handle(self, *args: Any, repeat: int, seed: bool, **options: Any) -> None:
        if repeat < 1:
            raise CommandError(f"--repeat must be at least 1; got {repeat}.")
        if benchdata.present() is None:
            if not seed:
                raise CommandError(
                    "No benchmark data set here: run manage.py seed_bench first, or pass --seed."
                )
            call_command("seed_bench", stdout=self.stdout)
        hr_admin = User.objects.get(email=benchdata.HR_EMAIL)
        sponsor = User.objects.get(email=benchdata.SPONSOR_EMAIL)
        program = self._program(sponsor)

        results: list[tuple[str, str, float, int]] = []
        # The test client's host; the production settings' HTTPS redirect is met with secure requests.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for persona, user, pages in (
                ("hr_admin", hr_admin, [page for page, _ in PAGES]),
                ("sponsor", sponsor, SPONSOR_PAGES),
            ):
                client = Client()
                client.force_login(user)
                for page in pages:
                    url = self._url(page, program)
                    times, queries = [], 0
                    for _ in range(repeat):
                        cache.clear()  # every render computes its figures: the cold case is the one to bound
                        with CaptureQueriesContext(connection) as captured:
                            started = time.perf_counter()
                            response = client.get(url, secure=True)
                            times.append((time.perf_counter() - started) * 1000)
                        if response.status_code != 200:
                            where = f" to {response['Location']}" if response.has_header("Location") else ""
                            raise CommandError(
                                f"{persona} {page}: {url} answered {response.status_code}{where}, not 200."
                            )
                        queries = max(queries, len(captured))
                    p50 = statistics.median(times)
                    results.append((persona, page, p50, queries))
                    self.stdout.write(
                        f"{persona} {page} p50_ms={p50:.0f} max_ms={max(times):.0f} queries={queries}"
                    )
        slowest = max(p50 for _, _, p50, _ in results)
        self.stdout.write(f"p50_ms={round(slowest)} max_queries={max(q for *_, q in results)}")

    def _program(self, sponsor: User) -> Program:
        """The sponsor's running program, which should be the largest running one, the HR admin's too."""
        running = benchdata.bench_programs().filter(status=Program.Status.RUNNING)
        sponsored = running.filter(sponsors__user=sponsor).first()
        if sponsored is None:
            raise CommandError(f"{benchdata.SPONSOR_EMAIL} sponsors no running program; seed_bench --reset.")
        largest = running.annotate(pairs=Count("mentorships")).order_by("-pairs", "pk")[0]
        if largest != sponsored:
            self.stderr.write(f"The largest running program is {largest}, not the sponsored {sponsored}.")
        return sponsored

    def _url(self, page: str, program: Program) -> str:
        try:
            return reverse(f"outcomes:{page}", args=[program.slug] if dict(PAGES)[page] else [])
        except NoReverseMatch as exc:
            raise CommandError(f"The page outcomes:{page} does not exist (yet).") from exc
