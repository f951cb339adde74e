"""Housekeeping jobs of the project itself."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="mentoring.clear_expired_sessions", time_limit=600, soft_time_limit=540)
def clear_expired_sessions() -> None:
    """Expired login sessions are deleted daily so the table does not grow without bound."""
    call_command("clearsessions")
