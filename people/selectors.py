"""Reads of the directory used by several pages."""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import DirectoryImport, Division, Person


def directory_stats() -> dict[str, int]:
    return Person.objects.aggregate(
        total=Count("pk"),
        current=Count("pk", filter=~Q(status=Person.Status.LEFT)),
        linked=Count("pk", filter=Q(user__isnull=False)),
    )


def direct_reports(person: Person) -> QuerySet[Person]:
    return person.reports.current().select_related("department__division").order_by("full_name")


def latest_import() -> DirectoryImport | None:
    return DirectoryImport.objects.select_related("uploaded_by").defer("content").first()


def divisions_with_counts() -> QuerySet[Division]:
    return Division.objects.annotate(
        people_count=Count("departments__people", filter=~Q(departments__people__status="left"))
    ).order_by("name")


def audit_log_entries(
    *,
    action: int | None = None,
    model: str = "",
    actor: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[LogEntry]:
    """Audit log entries, newest first, with their actor and kind of object; ``model`` is "app_label.model",
    ``actor`` part of an e-mail address, and the days are whole days in the reader's time zone."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if action is not None:
        entries = entries.filter(action=action)
    if model:
        app_label, _, model_name = model.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name.lower())
    if actor:
        entries = entries.filter(Q(actor__email__icontains=actor) | Q(actor_email__icontains=actor))
    if since is not None:
        entries = entries.filter(timestamp__gte=_start_of(since))
    if until is not None:
        entries = entries.filter(timestamp__lt=_start_of(until + datetime.timedelta(days=1)))
    return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
