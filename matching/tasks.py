"""Background work of matching. Thin: each task takes ids and calls a service."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import jobs
from .services.runs import match_run_execute


# The service claims the run with a conditional UPDATE, so a redelivered task finds nothing to do.
@shared_task(name="matching.execute_run", soft_time_limit=20 * 60, time_limit=22 * 60)
def execute_run(run_id: int) -> str | None:
    run = match_run_execute(run_id=run_id)
    return run.status if run is not None else None


# Beat runs this every quarter hour (mentoring/settings/base.py); a missed or doubled run changes nothing.
@shared_task(
    name="matching.expire_mentor_requests",
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def expire_mentor_requests() -> int:
    return jobs.expire_mentor_requests()
