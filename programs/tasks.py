"""Background work of programs. Thin: each task calls a service that decides from the database what is due."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import jobs
from .services.manager_approval import manager_approvals_expire


# Beat runs this hourly (mentoring/settings/base.py); a missed or doubled run changes nothing.
@shared_task(
    name="programs.approve_silent_managers",
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def approve_silent_managers() -> int:
    return manager_approvals_expire(now=timezone.now())


# Beat runs this every morning; a missed or doubled run changes nothing.
@shared_task(
    name="programs.program_phases",
    soft_time_limit=10 * 60,
    time_limit=12 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def program_phases() -> int:
    return jobs.program_phases()
