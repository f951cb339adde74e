"""Reads of the directory used by several pages."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

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
