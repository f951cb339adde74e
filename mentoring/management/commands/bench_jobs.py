"""Benchmark the scheduled jobs: one full cycle of every dispatcher over a running program of N pairs, then an
immediate second cycle, which must send nothing again.

``manage.py bench_jobs --pairs 20000`` prepares the program once (people, pairs, sessions due tomorrow,
sessions waiting for feedback, pairs overdue for a session, quiet pairs) and reuses it afterwards; each run
first clears what an earlier run sent, so every run does the same work. The last line reads
``pairs=<n> seconds=<first cycle> sent=<n> resent=<n in second cycle>``. Meant for PostgreSQL.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from feedback.models import CheckIn, Session
from matching.models import Mentorship
from mentoring.celery import app
from notifications.jobruns import scheduled_job_names
from notifications.models import Notification
from people.models import Department, Division, Person
from programs.models import Participant, Program

PREFIX = "BJ"
DOMAIN = "bench-jobs.invalid"
BATCH = 5000


class Command(BaseCommand):
    help = (
        "Time one cycle of every scheduled job over N pairs, then a second cycle (which must resend nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pairs", type=int, default=20000, help="Active pairs in the benchmark program.")

    def handle(self, *args: Any, pairs: int, **options: Any) -> None:
        program = self._prepare(pairs)
        people = Person.objects.filter(employee_id__startswith=PREFIX)
        Notification.objects.filter(recipient__in=people).delete()
        CheckIn.objects.filter(mentorship__program=program).delete()
        Mentorship.objects.filter(program=program).update(status=Mentorship.Status.ACTIVE)
        app.loader.import_default_modules()
        jobs = [app.tasks[name] for name in scheduled_job_names()]

        started = time.perf_counter()
        for job in jobs:
            job.apply(throw=True)
        seconds = time.perf_counter() - started
        sent = Notification.objects.filter(recipient__in=people).count()
        for job in jobs:
            job.apply(throw=True)
        resent = Notification.objects.filter(recipient__in=people).count() - sent
        self.stdout.write(f"pairs={pairs} seconds={seconds:.2f} sent={sent} resent={resent}")

    def _prepare(self, pairs: int) -> Program:
        slug = f"bench-jobs-{pairs}"
        program = Program.objects.filter(slug=slug).first()
        if program is not None:
            self.stdout.write(f"Reusing {program.name}.")
            return program
        self.stdout.write(f"Preparing {pairs} pairs ...")
        today = timezone.localdate()
        with transaction.atomic():
            division, _ = Division.objects.get_or_create(name="Bench jobs")
            department, _ = Department.objects.get_or_create(name="Bench jobs", division=division)
            start = Person.objects.filter(employee_id__startswith=PREFIX).count()
            people = Person.objects.bulk_create(
                (
                    Person(
                        employee_id=f"{PREFIX}{n:07d}",
                        full_name=f"Bench Person {n}",
                        email=f"person{n}@{DOMAIN}",
                        job_level=5 if n % 2 else 3,
                        department=department,
                        hire_date=datetime.date(2020, 1, 1),
                    )
                    for n in range(start, start + 2 * pairs + 1)
                ),
                batch_size=BATCH,
            )
            coordinator, mentors, mentees = people[0], people[1 : pairs + 1], people[pairs + 1 :]
            program = Program.objects.create(
                name=f"Bench jobs ({pairs} pairs)",
                slug=slug,
                status=Program.Status.RUNNING,
                description="A program for the jobs benchmark.",
                starts_on=today - datetime.timedelta(days=100),
                ends_on=today + datetime.timedelta(days=265),
                meeting_cadence_days=14,
                checkin_cadence_months=3,
            )
            program.coordinators.set([coordinator])
            approved = Participant.Status.APPROVED
            participants = Participant.objects.bulk_create(
                [Participant(program=program, person=p, role="mentor", status=approved) for p in mentors]
                + [Participant(program=program, person=p, role="mentee", status=approved) for p in mentees],
                batch_size=BATCH,
            )
            made = Mentorship.objects.bulk_create(
                (
                    Mentorship(
                        program=program,
                        mentor=participants[n],
                        mentee=participants[pairs + n],
                        status=Mentorship.Status.ACTIVE,
                        started_on=today - datetime.timedelta(days=10 + n % 120),
                        source="manual",
                    )
                    for n in range(pairs)
                ),
                batch_size=BATCH,
            )
            Session.objects.bulk_create(self._sessions(made, today), batch_size=BATCH)
        return program

    def _sessions(self, pairs: list[Mentorship], today: datetime.date):
        """Some pairs meet tomorrow, some wait to rate a session, some met a while ago, the rest are quiet."""
        now = timezone.now()
        for n, pair in enumerate(pairs):
            if n % 10 == 0:
                tomorrow = now + datetime.timedelta(hours=20)
                yield Session(
                    mentorship=pair, status=Session.Status.SCHEDULED, starts_at=tomorrow, duration_minutes=60
                )
            if n % 5 == 1:
                held = now - datetime.timedelta(days=4)
                yield Session(
                    mentorship=pair,
                    status=Session.Status.HELD,
                    starts_at=held,
                    duration_minutes=60,
                    logged_at=held,
                    logged_by=None,
                )
            elif n % 3 == 2:
                held = now - datetime.timedelta(days=20 + n % 30)
                yield Session(
                    mentorship=pair,
                    status=Session.Status.HELD,
                    starts_at=held,
                    duration_minutes=45,
                    logged_at=held,
                    logged_by=None,
                )
