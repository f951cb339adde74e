"""Scheduled work of the cohorts: event reminders to members and attendance reminders to coordinators.
Thin: each task calls a service that decides from the database what is due, so a missed or doubled beat
changes nothing (every notification is sent once, through its key)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .services.cohort import attendance_reminders_send, event_reminders_send


# Beat runs this every 15 minutes (mentoring/settings/base.py).
@shared_task(
    name="cohorts.send_event_reminders",
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def send_event_reminders() -> int:
    return event_reminders_send(now=timezone.now())


# Beat runs this hourly (mentoring/settings/base.py).
@shared_task(
    name="cohorts.remind_attendance",
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def remind_attendance() -> int:
    return attendance_reminders_send(now=timezone.now())
