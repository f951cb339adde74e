"""Run one scheduled job by hand, now, in this process: ``manage.py run_job NAME [--dry-run]``.

NAME is a task of the beat schedule (``manage.py run_job --list`` shows them). With ``--dry-run`` the job
runs inside a transaction that is rolled back: the notifications it would send are printed, and nothing is
kept or e-mailed. The last line reads ``job=<name> sent=<n> dry_run=<yes|no>``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from mentoring.celery import app
from notifications.jobruns import error_text, not_recorded, scheduled_job_names
from notifications.models import JobRun, Notification


class _RolledBack(Exception):
    pass


scheduled_jobs = scheduled_job_names


class Command(BaseCommand):
    help = "Run a scheduled job now (--dry-run: show what it would send, keep nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="The job's task name, e.g. feedback.nudge_cadence.")
        parser.add_argument("--dry-run", action="store_true", help="Roll back: print, keep and send nothing.")
        parser.add_argument("--list", action="store_true", help="List the scheduled jobs.")

    def handle(self, *args: Any, name: str | None, dry_run: bool, list: bool, **options: Any) -> None:
        jobs = scheduled_jobs()
        if list or not name:
            for job in jobs:
                self.stdout.write(job)
            if not name:
                return
        if name not in jobs:
            raise CommandError(f"No scheduled job is called {name!r}. Jobs: {', '.join(jobs)}.")
        app.loader.import_default_modules()
        task = app.tasks[name]
        started = timezone.now()
        new: list[Notification] = []
        if dry_run:
            try:
                with transaction.atomic(), not_recorded():
                    result = task.apply(throw=True).get()
                    new = [*Notification.objects.filter(created_at__gte=started).select_related("recipient")]
                    raise _RolledBack
            except _RolledBack:
                pass
        else:
            outcome = task.apply(throw=False)
            if outcome.failed():
                error = outcome.result
                JobRun.objects.filter(task_id=outcome.id).update(
                    status=JobRun.Status.FAILED,
                    error=error_text(error if isinstance(error, BaseException) else None),
                )
                raise CommandError(f"{name} failed: {error}")
            result = outcome.get()
            new = [*Notification.objects.filter(created_at__gte=started).select_related("recipient")]
        for notification in sorted(new, key=lambda n: (n.kind, n.recipient.full_name, n.key)):
            self.stdout.write(
                f"{notification.kind}  {notification.recipient.full_name}  {notification.subject}"
            )
        self.stdout.write(f"job={name} sent={len(new)} result={result} dry_run={'yes' if dry_run else 'no'}")
