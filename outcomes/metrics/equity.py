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

from django.db.models import Exists, OuterRef, Q

from people.models import Department, Division, PersonnelRecord
from programs.models import Participant

from ..filters import LEVEL_BAND_LABELS, level_band
from ..tables import Cell, Column, Section, Table, count, mean, percent
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


def _participant_key(row: dict, dimension: str) -> str:
    if dimension == "level":
        return level_band(row["person__job_level"])
    value = row[f"person__{PERSON_FIELDS[dimension]}"]
    return "" if value is None else str(value)


def equity_sections(scope: Scope) -> list[Section]:
    pairs_in_scope = scope.pairs()
    since = scope.program.starts_on or scope.start
    promotions = PersonnelRecord.objects.filter(
        kind=PersonnelRecord.Kind.PROMOTION,
        person=OuterRef("person"),
        effective_on__gte=since,
        effective_on__lte=scope.end,
    )
    # One row per participant with their groups, whether they are a matched mentee, whether they are in
    # a pair at all and whether they were promoted: every dimension is grouped from these rows in Python.
    rows = list(
        scope.participants()
        .annotate(
            mentee_matched=Exists(pairs_in_scope.filter(mentee=OuterRef("pk"))),
            in_pair=Exists(pairs_in_scope.filter(Q(mentee=OuterRef("pk")) | Q(mentor=OuterRef("pk")))),
            promoted=Exists(promotions),
        )
        .values(
            "person",
            "role",
            "status",
            "mentee_matched",
            "in_pair",
            "promoted",
            "person__department__division",
            "person__department",
            "person__job_level",
            "person__gender",
            "person__ethnicity",
        )
    )

    # Pairs with their mentee's groups, and their held sessions: two queries for every dimension.
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
            "level": level_band(values["mentee__person__job_level"]),
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
        by_key: dict[str, dict] = defaultdict(
            lambda: {"people": set(), "mentees": 0, "mentees_matched": 0, "matched": set(), "promoted": set()}
        )
        for row in rows:
            group = by_key[_participant_key(row, dimension)]
            group["people"].add(row["person"])
            if row["role"] == Participant.Role.MENTEE and row["status"] == Participant.Status.APPROVED:
                group["mentees"] += 1
            if row["role"] == Participant.Role.MENTEE and row["mentee_matched"]:
                group["mentees_matched"] += 1
            if row["in_pair"]:
                group["matched"].add(row["person"])
                if row["promoted"]:
                    group["promoted"].add(row["person"])
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
            group = by_key[key]
            people = len(group["people"])
            sessions, months, pair_count, score_total, scored = engagement.get(key, [0.0] * 5)
            label = labels.get(key, key) or NOT_STATED
            table.add(
                label,
                count(people),
                percent(group["mentees_matched"], group["mentees"]),
                mean(score_total / scored if scored else None, int(scored), "score"),
                Cell(sessions / months if months else None, "ratio", n=int(pair_count)),
                percent(len(group["promoted"]), len(group["matched"])),
                n=people,
            )
        total_people = sum(len(group["people"]) for group in by_key.values())
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
