"""The organization overview: one row per program the reader may see, and the totals of those rows.

Counts add up to the total row, so complementary suppression applies to them: a small program is never the
difference between the total and the others.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum

from feedback.models import Session, SessionFeedback
from matching.models import Mentorship
from programs.models import Participant, Program

from ..filters import Filters
from ..tables import Cell, Column, Section, Table, count, mean, percent, text
from .program import DAYS_PER_MONTH, pairs_in_period

M = Mentorship.Status


def overview_sections(programs: QuerySet[Program], filters: Filters, today: datetime.date) -> list[Section]:
    programs = programs.order_by("name")
    program_rows = list(programs.values("pk", "name", "status", "starts_on"))
    ids = [row["pk"] for row in program_rows]
    participants = Participant.objects.filter(program__in=ids).filter(filters.participant_q())
    people = {
        row["program"]: row
        for row in participants.values("program")
        .annotate(
            people=Count("person", distinct=True),
            mentees=Count("pk", filter=Q(role=Participant.Role.MENTEE, status=Participant.Status.APPROVED)),
        )
        .order_by()
    }
    pairs = pairs_in_period(Mentorship.objects.filter(program__in=ids), filters)
    end = min(filters.end or today, today)
    months: dict[int, float] = defaultdict(float)
    pair_counts: dict[int, int] = defaultdict(int)
    active: dict[int, int] = defaultdict(int)
    matched_mentees: dict[int, set[int]] = defaultdict(set)
    starts = {row["pk"]: row["starts_on"] for row in program_rows}
    for pair in pairs.values("program", "mentee", "status", "started_on", "ended_on"):
        program, started_on = pair["program"], pair["started_on"]
        if started_on is None:  # excluded by the query; keeps the arithmetic typed
            continue
        first = max(started_on, filters.start or starts[program] or started_on)
        last = min(pair["ended_on"] or end, end)
        days = (last - first).days + 1
        matched_mentees[program].add(pair["mentee"])
        if days > 0:
            months[program] += days / DAYS_PER_MONTH
            pair_counts[program] += 1
        if pair["status"] == M.ACTIVE:
            active[program] += 1
    sessions = dict(
        Session.objects.held()
        .filter(mentorship__in=pairs)
        .filter(filters.in_period("starts_at"))
        .values("mentorship__program")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("mentorship__program", "n")
    )
    # Per rater first, then per program here: counting distinct raters over a million answers in SQL
    # would sort them all. A participant's answers are all about their own program's sessions.
    ratings: dict[int, dict] = defaultdict(lambda: {"total": 0, "answers": 0, "people": 0, "average": None})
    for rater in (
        SessionFeedback.objects.filter(participant__in=participants)
        .filter(filters.in_period("session__starts_at"))
        .values("participant__program", "participant__person")
        .annotate(total=Sum("rating"), answers=Count("pk"))
        .order_by()
    ):
        slot = ratings[rater["participant__program"]]
        slot["total"] += rater["total"]
        slot["answers"] += rater["answers"]
        slot["people"] += 1
    for slot in ratings.values():
        slot["average"] = slot["total"] / slot["answers"] if slot["answers"] else None

    table = Table(
        "programs",
        "Programs",
        "Program",
        [
            Column("status", "Status", "text"),
            Column("people", "Participants", additive=True),
            Column("active", "Active pairs", additive=True),
            Column("sessions", "Sessions per pair per month", "ratio"),
            Column("rating", "Average session rating", "mean"),
            Column("match_rate", "Mentees matched (%)", "percent"),
        ],
        chart="people",
        note="Participants are counted once per program; someone in two programs counts in both.",
    )
    statuses = dict(Program.Status.choices)
    totals = {"people": 0, "active": 0, "sessions": 0, "pairs": 0, "mentees": 0, "matched": 0}
    total_months = 0.0
    for row in program_rows:
        pk = row["pk"]
        enrolled = people.get(pk, {"people": 0, "mentees": 0})
        rating = ratings.get(pk, {"average": None, "people": 0})
        table.add(
            row["name"],
            text(statuses[row["status"]]),
            count(enrolled["people"]),
            Cell(active[pk], "count", n=active[pk]),
            Cell(sessions.get(pk, 0) / months[pk] if months[pk] else None, "ratio", n=pair_counts[pk]),
            mean(rating["average"], rating["people"]),
            percent(len(matched_mentees[pk]), enrolled["mentees"]),
            n=enrolled["people"],
        )
        totals["people"] += enrolled["people"]
        totals["active"] += active[pk]
        totals["sessions"] += sessions.get(pk, 0)
        total_months += months[pk]
        totals["pairs"] += pair_counts[pk]
        totals["mentees"] += enrolled["mentees"]
        totals["matched"] += len(matched_mentees[pk])
    answers = sum(r["answers"] for r in ratings.values())
    # People who rated in two programs count twice here: the total is an upper bound of the raters.
    raters = sum(r["people"] for r in ratings.values())
    table.add(
        "All programs",
        text(""),
        count(totals["people"]),
        count(totals["active"]),
        Cell(totals["sessions"] / total_months if total_months else None, "ratio", n=totals["pairs"]),
        mean(sum(r["total"] for r in ratings.values()) / answers if answers else None, raters),
        percent(totals["matched"], totals["mentees"]),
        total=True,
    )
    return [Section("programs", "Programs", [table])]
