"""Equity: who takes part, how well they were matched, how engaged their pairs are, and how their careers
moved, by division, department, level, gender and ethnicity.

Rows partition the participants the page covers, so complementary suppression applies to them (see
``outcomes.tables``) with the same counts the filters are checked against (``population.sizes_by``).
Self-identified gender and ethnicity appear only here, as suppressed aggregates.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from people.models import Department, Division, Person, PersonnelRecord
from programs.models import Participant

from ..filters import LEVEL_BAND_LABELS, level_range
from ..tables import Cell, Column, Section, Table, count, mean, percent
from .population import level_band_expression
from .program import DAYS_PER_MONTH, Scope

DIMENSIONS = [
    ("division", "Division"),
    ("department", "Department"),
    ("level", "Job level"),
    ("gender", "Gender (self-identified)"),
    ("ethnicity", "Ethnicity (self-identified)"),
]
NOT_STATED = "Not stated"

PERSON_FIELDS = {
    "division": "department__division",
    "department": "department",
    "gender": "gender",
    "ethnicity": "ethnicity",
}


@dataclass
class _Pair:
    started_on: datetime.date
    ended_on: datetime.date | None
    score: float | None
    keys: dict[str, str]


def _level_key(level: int | None) -> str:
    if level is None:
        return ""
    return next((key for key in LEVEL_BAND_LABELS if level_range(key)[0] <= level <= level_range(key)[1]), "")


def equity_sections(scope: Scope) -> list[Section]:
    participants = scope.participants()
    people = Person.objects.filter(pk__in=participants.values("person"))
    since = scope.program.starts_on or scope.start
    promoted_q = Q(
        pk__in=PersonnelRecord.objects.filter(
            kind=PersonnelRecord.Kind.PROMOTION, effective_on__gte=since, effective_on__lte=scope.end
        ).values("person")
    )
    matched_people = Person.objects.filter(
        Q(participations__mentorships_as_mentee__in=scope.pairs())
        | Q(participations__mentorships_as_mentor__in=scope.pairs())
    )

    # Pairs with their mentee's attributes, and their held sessions: two queries for every dimension.
    held = scope.held_sessions()
    pairs: list[tuple[int, _Pair]] = []
    for values in scope.pairs().values(
        "pk",
        "started_on",
        "ended_on",
        "score",
        "mentee__person__department__division",
        "mentee__person__department",
        "mentee__person__job_level",
        "mentee__person__gender",
        "mentee__person__ethnicity",
    ):
        keys = {
            "division": str(values["mentee__person__department__division"]),
            "department": str(values["mentee__person__department"]),
            "level": _level_key(values["mentee__person__job_level"]),
            "gender": values["mentee__person__gender"] or "",
            "ethnicity": values["mentee__person__ethnicity"] or "",
        }
        if values["started_on"] is not None:
            pairs.append(
                (values["pk"], _Pair(values["started_on"], values["ended_on"], values["score"], keys))
            )

    names = {
        "division": {str(pk): name for pk, name in Division.objects.values_list("pk", "name")},
        "department": {
            str(pk): f"{name} ({division})"
            for pk, name, division in Department.objects.values_list("pk", "name", "division__name")
        },
        "level": dict(LEVEL_BAND_LABELS),
    }

    sections = []
    tables = []
    for dimension, title in DIMENSIONS:
        grouped: QuerySet
        promoted_rows: QuerySet
        if dimension == "level":
            grouped = participants.annotate(key=level_band_expression()).values("key")
            promoted_rows = (
                matched_people.filter(pk__in=people.values("pk"))
                .annotate(key=level_band_expression("job_level"))
                .values("key")
            )
        else:
            grouped = participants.values(key=F(f"person__{PERSON_FIELDS[dimension]}"))
            promoted_rows = matched_people.filter(pk__in=people.values("pk")).values(
                key=F(PERSON_FIELDS[dimension])
            )
        by_key: dict[str, dict] = {
            str(group["key"] if group["key"] is not None else ""): group
            for group in grouped.annotate(
                people=Count("person", distinct=True),
                mentees=Count(
                    "pk", filter=Q(role=Participant.Role.MENTEE, status=Participant.Status.APPROVED)
                ),
                mentees_matched=Count(
                    "pk",
                    filter=Q(role=Participant.Role.MENTEE, mentorships_as_mentee__in=scope.pairs()),
                    distinct=True,
                ),
            ).order_by()
        }
        promoted: dict[str, dict] = {
            str(group["key"] if group["key"] is not None else ""): group
            for group in promoted_rows.annotate(
                matched=Count("pk", distinct=True), promoted=Count("pk", distinct=True, filter=promoted_q)
            ).order_by()
        }
        engagement: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0.0])
        for pk, pair in pairs:
            days = scope.days_paired(pair.started_on, pair.ended_on)
            slot = engagement[pair.keys[dimension]]
            if days > 0:
                slot[0] += held.get(pk, 0)
                slot[1] += days / DAYS_PER_MONTH
                slot[2] += 1
            if pair.score is not None:
                slot[3] += pair.score
                slot[4] += 1

        table = Table(
            f"equity_{dimension}",
            f"By {title[0].lower()}{title[1:]}",
            title,
            [
                Column("people", "Participants", additive=True),
                Column("matched", "Mentees matched (%)", "percent"),
                Column("score", "Average match score", "score"),
                Column("sessions", "Sessions per pair per month", "ratio"),
                Column("promoted", "Promoted since the start (%)", "percent"),
            ],
            chart="people",
            partition=True,
        )
        labels = names.get(dimension, {})
        ordered = sorted(by_key, key=lambda key: labels.get(key, key or "~").lower())
        for key in ordered:
            row = by_key[key]
            sessions, months, pair_count, score_total, scored = engagement.get(key, [0.0] * 5)
            careers = promoted.get(key, {"matched": 0, "promoted": 0})
            label = labels.get(key, key) or NOT_STATED
            table.add(
                label,
                count(row["people"]),
                percent(row["mentees_matched"], row["mentees"]),
                mean(score_total / scored if scored else None, int(scored), "score"),
                Cell(sessions / months if months else None, "ratio", n=int(pair_count)),
                percent(careers["promoted"], careers["matched"]),
                n=row["people"],
            )
        total_people = sum(row["people"] for row in by_key.values())
        table.add("All participants", count(total_people), *_blank(4), total=True)
        tables.append(table)
    sections.append(
        Section(
            "equity",
            "Equity",
            tables,
            intro=(
                "Participants are counted once per group whatever their role. Match scores and engagement "
                "follow the mentee's group; promotions cover matched participants since the program "
                "started. A group smaller than the minimum is hidden, and so is the next smallest, so a "
                "hidden group cannot be worked out from the total."
            ),
        )
    )
    return sections


def _blank(cells: int) -> list[Cell]:
    return [Cell(None, "text") for _ in range(cells)]


__all__ = ["DIMENSIONS", "equity_sections"]
