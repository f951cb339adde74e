"""Background work of the Master Mentor cycles. Thin: each task calls a service that decides from the
database what is due.

Celery discovers this module only, so the other areas' tasks (``tasks_review``: reminders to reviewers;
``tasks_cohort``: event and attendance reminders) register by being imported here."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import tasks_cohort, tasks_review  # noqa: F401 - registers their tasks with Celery
from .services.nominations import nomination_windows_notify


# Beat runs this hourly (mentoring/settings/base.py): managers hear that a window opened and is about to
# close, unanswered candidates and HR admins that it closed. Each notification is sent once, so a missed or
# doubled run changes nothing.
@shared_task(
    name="cohorts.nomination_windows",
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def nomination_windows() -> int:
    return nomination_windows_notify()
