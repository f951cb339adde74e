"""Background work of the life of a pair. Thin: beat wakes each dispatcher in ``feedback.jobs``, which
decides from the database what is due; a missed or doubled beat changes nothing."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import jobs

_RETRY = {
    "soft_time_limit": 10 * 60,
    "time_limit": 12 * 60,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 3,
}


@shared_task(name="feedback.remind_sessions", **_RETRY)
def remind_sessions() -> int:
    return jobs.remind_sessions()


@shared_task(name="feedback.remind_feedback", **_RETRY)
def remind_feedback() -> int:
    return jobs.remind_feedback()


@shared_task(name="feedback.nudge_cadence", **_RETRY)
def nudge_cadence() -> int:
    return jobs.nudge_cadence()


@shared_task(name="feedback.warn_inactive", **_RETRY)
def warn_inactive() -> int:
    return jobs.warn_inactive()


@shared_task(name="feedback.open_checkins", **_RETRY)
def open_checkins() -> int:
    return jobs.open_checkins()


@shared_task(name="feedback.purge_closed_pairs", **_RETRY)
def purge_closed_pairs() -> int:
    return jobs.purge_closed_pairs()


@shared_task(name="feedback.complete_ended_programs", **_RETRY)
def complete_ended_programs() -> int:
    return jobs.complete_ended_programs()
