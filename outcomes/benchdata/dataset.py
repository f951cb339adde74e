"""What marks the benchmark data set, how big the one in the database is, and how to delete it.

Everything in it is marked (employee ids ``BD-``, addresses ``@bench-dashboards.invalid``, divisions ``BD ``,
program slugs ``bd-``, cycles named ``CYCLE_NAME``), so it can share a database with other data: ``present``
looks for the marks and ``remove`` deletes the marked rows and whatever refers to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, models
from django.db.models import QuerySet

from cohorts.models import NominationCycle
from feedback.models import Session
from matching.models import Mentorship
from people.models import Department, Division, Person, User
from programs.models import Program

PREFIX = "BD-"
DOMAIN = "bench-dashboards.invalid"
HR_EMAIL = f"bench.hr@{DOMAIN}"
SPONSOR_EMAIL = f"bench.sponsor@{DOMAIN}"
DIVISION_PREFIX = "BD "
SLUG_PREFIX = "bd-"
CYCLE_NAME = "Master Mentors (benchmark)"


@dataclass(frozen=True)
class Sizes:
    people: int = 50_000
    programs: int = 10
    pairs: int = 20_000
    sessions: int = 500_000  # held sessions; each has two feedback answers

    def __str__(self) -> str:
        return f"{self.people} people, {self.programs} programs, {self.pairs} pairs, {self.sessions} sessions"


def bench_programs() -> QuerySet[Program]:
    return Program.objects.filter(slug__startswith=SLUG_PREFIX)


def present() -> Sizes | None:
    """The sizes of the data set in the database, or None when there is none."""
    if not Division.objects.filter(name__startswith=DIVISION_PREFIX).exists():
        return None
    pairs = Mentorship.objects.filter(program__in=bench_programs())
    return Sizes(
        people=Person.objects.filter(employee_id__startswith=PREFIX).count(),
        programs=bench_programs().count(),
        pairs=pairs.count(),
        sessions=Session.objects.filter(mentorship__in=pairs, status=Session.Status.HELD).count(),
    )


def analyze() -> None:
    """Fresh planner statistics: without them PostgreSQL plans the new millions of rows as empty tables."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def remove() -> None:
    """Delete the data set and every row that refers to it, one statement per table: Django's collector would
    first load the millions of rows into memory."""
    for roots in (
        bench_programs(),
        NominationCycle.objects.filter(name=CYCLE_NAME),
        Person.objects.filter(employee_id__startswith=PREFIX),
        Department.objects.filter(division__name__startswith=DIVISION_PREFIX),
        Division.objects.filter(name__startswith=DIVISION_PREFIX),
        User.objects.filter(email__endswith=f"@{DOMAIN}"),
    ):
        _delete(roots)


def _delete(rows: QuerySet, depth: int = 0) -> None:
    if depth > 8:
        raise RuntimeError(f"Relations nest too deeply under {rows.model.__name__} to delete them safely.")
    keys = rows.values("pk")
    for relation in rows.model._meta.get_fields(include_hidden=True):
        if (
            relation.concrete
            or not relation.auto_created
            or not (relation.one_to_many or relation.one_to_one)
        ):
            continue
        field = relation.field  # the foreign key that refers to these rows, through tables' included
        referring = relation.related_model._base_manager.filter(**{f"{field.name}__in": keys})
        if relation.on_delete is models.SET_NULL:
            referring.update(**{field.name: None})
        else:  # CASCADE, and PROTECT too: whatever protects a benchmark row is benchmark data itself
            _delete(referring, depth + 1)
    sql, params = keys.query.sql_with_params()
    quote, meta = connection.ops.quote_name, rows.model._meta
    with connection.cursor() as cursor:
        # Table and column names come from the models; the values travel as parameters. (A blanket nosec: with
        # B608 named, bandit warns about every other piece of the f-string.)
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({sql})",  # noqa: S608  # nosec
            params,
        )
