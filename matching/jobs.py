"""Scheduled work of matching, as plain functions the Celery tasks in ``matching/tasks.py`` call.

Each decides from the database what is due and claims it with a conditional UPDATE, so a missed or
doubled beat changes nothing.
"""

from __future__ import annotations

from django.utils import timezone

from .services.choice import mentor_requests_expire


def expire_mentor_requests() -> int:
    """Mentor requests with no answer in time move on to the mentee's next choice; returns how many."""
    return mentor_requests_expire(now=timezone.now())
