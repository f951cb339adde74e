"""Background work of the blind review. Thin: the task calls a service that decides from the database what
is due (``cohorts.services.review.reviews_remind_outstanding``)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .services.review import reviews_remind_outstanding


# Beat runs this daily (mentoring/settings/base.py); a missed or doubled run changes nothing.
@shared_task(
    name="cohorts.remind_outstanding_reviews",
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def remind_outstanding_reviews() -> int:
    return reviews_remind_outstanding(today=timezone.localdate())
