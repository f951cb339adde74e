"""A program's impact: promotions and voluntary leaving of its mentees and mentors, against colleagues like
them who did not take part, and what the program cost per participant and per promoted participant.

People who join a mentoring program differ from those who do not: they tend to be junior, recently hired,
in some divisions more than others. Comparing them with "everyone else" would mostly measure that mix. So
each participant is compared only with non-participants of the same division, job level and tenure band
(exact matching on strata), and the colleagues' rates are weighted to the participants' mix of strata
(direct standardisation). What no stratum captures (motivation, a manager's support) still differs, and
the page says so.

Every figure is an SQL aggregate grouped by stratum: one query per window (during and after the program),
one for the cost, and one more only when the program has no start date. The count does not grow with the
number of people.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Case, CharField, Count, F, Min, Q, Value, When

from matching.models import Mentorship
from people.models import Person, PersonnelRecord
from programs.models import Participant, Program

from ..models import OutcomeSettings
from ..tables import Cell, Column, Section, Table, count, plain, text
from .program import Scope

# Two-sided 95% quantile of the normal distribution.
Z_95 = 1.96
# Tenure at the start of a window, in whole years: (upper bound, key). Longer tenures fall in OLDEST_BAND.
TENURE_BANDS: list[tuple[int, str]] = [(1, "<1y"), (3, "1-3y"), (5, "3-5y"), (10, "5-10y")]
OLDEST_BAND = "10y+"
MENTEES = Participant.Role.MENTEE.value
MENTORS = Participant.Role.MENTOR.value
COMPARISON = "comparison"
PROMOTED = "promoted"
LEFT = "left"
OUTCOMES = (PROMOTED, LEFT)
MINUS = "\N{MINUS SIGN}"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Window:
    """Days (both ends included) in which promotions and departures are counted."""

    key: str
    label: str
    first: datetime.date
    last: datetime.date


def windows(scope: Scope) -> list[Window]:
    """During the program: from its start to its end or the end of the period, whichever comes first.
    After the program: from the day after it ended to the end of the period, once it has ended.

    The period's start does not move the windows (it chooses which pairs count, as everywhere on the
    dashboard): a promotion rate over an arbitrary slice of the program would not compare with anything.
    """
    program = scope.program
    start = program.starts_on or _first_pair_start(program)
    if start is None:
        return []
    last = min(program.ends_on, scope.end) if program.ends_on else scope.end
    found: list[Window] = []
    if start <= last:
        found.append(Window("during", "during the program", start, last))
    if program.ends_on is not None and program.ends_on < scope.end:
        first = max(program.ends_on + datetime.timedelta(days=1), start)
        found.append(Window("after", "after the program", first, scope.end))
    return found


def _first_pair_start(program: Program) -> datetime.date | None:
    started = Mentorship.objects.filter(program=program, started_on__isnull=False).exclude(
        status=Mentorship.Status.PROPOSED
    )
    return started.aggregate(first=Min("started_on"))["first"]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def tenure_band(on: datetime.date) -> Case:
    """The tenure band of a person on ``on``: hire dates compared with dates computed here, so the
    expression is the same on every database (no date arithmetic in SQL)."""
    return Case(
        *[When(hire_date__gt=_years_before(on, years), then=Value(key)) for years, key in TENURE_BANDS],
        default=Value(OLDEST_BAND),
        output_field=CharField(),
    )


# --- The estimate -------------------------------------------------------------------------------------------


class Tally(NamedTuple):
    """One stratum: participants and how many of them had the outcome; the same for comparison people."""

    participants: int
    participant_events: int
    comparison: int
    comparison_events: int


@dataclass(frozen=True)
class Estimate:
    """Participants' rate against comparison colleagues' rate weighted to the participants' strata.

    Rates, the difference and the interval's bounds are proportions (0.1 is 10%); None when there is
    nobody to compare."""

    participants: int
    unmatched: int
    comparison: int
    participant_rate: float | None
    comparison_rate: float | None
    difference: float | None
    low: float | None
    high: float | None

    @property
    def size(self) -> int:
        """How many people the difference describes: the smaller side."""
        return min(self.participants, self.comparison)


def stratified_estimate(tallies: Iterable[Tally]) -> Estimate:
    """p over participants in strata holding comparison people; c = Σ w_s·c_s with w_s the share of those
    participants in stratum s; d = p - c with the 95% normal-approximation interval
    d ± 1.96·√(p(1-p)/n_p + Σ w_s²·c_s(1-c_s)/n_c,s). Participants in strata without anyone to compare
    with are counted in ``unmatched`` and left out: they have no comparable colleague."""
    strata = list(tallies)
    matched = [tally for tally in strata if tally.participants and tally.comparison]
    unmatched = sum(tally.participants for tally in strata if not tally.comparison)
    n_p = sum(tally.participants for tally in matched)
    n_c = sum(tally.comparison for tally in matched)
    if not n_p:
        return Estimate(0, unmatched, n_c, None, None, None, None, None)
    p = sum(tally.participant_events for tally in matched) / n_p
    c = 0.0
    variance_c = 0.0
    for tally in matched:
        weight = tally.participants / n_p
        rate = tally.comparison_events / tally.comparison
        c += weight * rate
        variance_c += weight**2 * rate * (1 - rate) / tally.comparison
    difference = p - c
    margin = Z_95 * math.sqrt(p * (1 - p) / n_p + variance_c)
    return Estimate(n_p, unmatched, n_c, p, c, difference, difference - margin, difference + margin)


# --- Queries ------------------------------------------------------------------------------------------------


def _strata(scope: Scope, window: Window) -> list[dict[str, Any]]:
    """People employed at the window's start, per stratum (division, current job level, tenure band then):
    how many mentees, mentors and comparison colleagues, and how many of each were promoted or left
    voluntarily in the window. One query.

    Membership and promotions are ``IN (subquery)`` filters, which the database evaluates once (a hashed
    subplan on PostgreSQL) instead of joining rows that would multiply the counts."""
    pairs = scope.pairs()
    members = {
        MENTEES: Q(pk__in=pairs.values("mentee__person_id")),
        MENTORS: Q(pk__in=pairs.values("mentor__person_id")),
        # Anyone who ever applied, in any role and whatever came of it, is not a comparison: applying
        # already sets them apart. The division and level filters need not apply here: matching is exact
        # on division and level, so mentees' strata hold only colleagues the filters would keep, and
        # mentors are compared within their own strata.
        COMPARISON: ~Q(pk__in=Participant.objects.filter(program=scope.program).values("person_id")),
    }
    outcomes = {
        PROMOTED: Q(
            pk__in=PersonnelRecord.objects.filter(
                kind=PersonnelRecord.Kind.PROMOTION, effective_on__range=(window.first, window.last)
            ).values("person_id")
        ),
        LEFT: Q(
            status=Person.Status.LEFT,
            left_reason=Person.LeftReason.VOLUNTARY,
            left_on__range=(window.first, window.last),
        ),
    }
    aggregates: dict[str, Count] = {}
    for group, member in members.items():
        aggregates[group] = Count("pk", filter=member)
        for outcome, happened in outcomes.items():
            aggregates[f"{group}_{outcome}"] = Count("pk", filter=member & happened)
    employed = Person.objects.filter(hire_date__lte=window.first).exclude(
        status=Person.Status.LEFT, left_on__lt=window.first
    )
    return list(
        employed.values(
            stratum_division=F("department__division_id"),
            stratum_level=F("job_level"),
            stratum_band=tenure_band(window.first),
        )
        .annotate(**aggregates)
        .order_by()
    )


@dataclass(frozen=True)
class ImpactRow:
    """One role in one window: the promotion and voluntary-leaving estimates."""

    window: Window
    role: str
    promotion: Estimate
    leaving: Estimate

    @property
    def label(self) -> str:
        return f"{'Mentees' if self.role == MENTEES else 'Mentors'}, {self.window.label}"


def impact_rows(scope: Scope, found: list[Window] | None = None) -> list[ImpactRow]:
    """Mentees then mentors, during then after the program (one query per window; ``found`` saves
    looking the windows up again)."""
    rows: list[ImpactRow] = []
    for window in windows(scope) if found is None else found:
        strata = _strata(scope, window)
        for role in (MENTEES, MENTORS):
            estimates = [
                stratified_estimate(
                    Tally(s[role], s[f"{role}_{outcome}"], s[COMPARISON], s[f"{COMPARISON}_{outcome}"])
                    for s in strata
                )
                for outcome in OUTCOMES
            ]
            rows.append(ImpactRow(window, role, *estimates))
    return rows


@dataclass(frozen=True)
class Cost:
    budget: Decimal | None
    participants: int
    promoted: int

    @property
    def per_participant(self) -> Decimal | None:
        return _divide(self.budget, self.participants)

    @property
    def per_promoted(self) -> Decimal | None:
        return _divide(self.budget, self.promoted)


def _divide(amount: Decimal | None, people: int) -> Decimal | None:
    if amount is None or not people:
        return None
    return (amount / people).quantize(CENT, rounding=ROUND_HALF_UP)


def program_cost(scope: Scope, found: list[Window] | None = None) -> Cost:
    """The budget over the people in a started pair of the program up to the end of the period (each
    once, in either role), and over those of them promoted since the program started (one query).

    The budget is the whole program's, so these figures cover the whole program whatever division,
    level or cohort is chosen: dividing it by one division's participants would overstate the cost."""
    program = scope.program
    pairs = Mentorship.objects.filter(
        program=program, started_on__isnull=False, started_on__lte=scope.end
    ).exclude(status=Mentorship.Status.PROPOSED)
    found = windows(scope) if found is None else found
    since = found[0].first if found else program.starts_on or scope.end
    promotions = PersonnelRecord.objects.filter(
        kind=PersonnelRecord.Kind.PROMOTION, effective_on__range=(since, scope.end)
    )
    totals = Person.objects.filter(
        Q(pk__in=pairs.values("mentee__person_id")) | Q(pk__in=pairs.values("mentor__person_id"))
    ).aggregate(
        participants=Count("pk"),
        promoted=Count("pk", filter=Q(pk__in=promotions.values("person_id"))),
    )
    return Cost(program.budget, totals["participants"], totals["promoted"])


# --- The page -----------------------------------------------------------------------------------------------

HOW_COMPUTED = (
    "How this is computed. Participants are the people in a started pair of the program: mentees and "
    "mentors separately, so someone in both roles counts in each. Each participant is compared with "
    "colleagues who never applied to the program and who share their division, job level and tenure band "
    "(under 1 year, 1-3, 3-5, 5-10, 10 years or more) at the start of the window: exact matching. "
    "Participants for whom no such colleague exists are left out and counted apart. Everyone counted was "
    "employed on the first day of the window. Job level is today's, as the directory keeps no history of "
    "levels, so someone promoted since is grouped at their new level. The comparison rate is the "
    "colleagues' rate in each group weighted by the participants in it (c = Σ w·c, w = the group's share "
    "of the participants), so it reflects the participants' mix rather than the whole organization's. "
    "The difference is the participants' rate minus the comparison rate, in percentage points; its 95% "
    "confidence interval uses the normal approximation: d ± 1.96·√(p(1-p)/n + Σ w²·c(1-c)/m), with n "
    "participants and m colleagues per group. An interval that excludes 0 suggests a real difference; "
    "it cannot prove the program caused it, as people who choose to join may differ in ways these groups "
    "do not capture. “During” runs from the program's start to its end (or the end of the period); "
    "“after” from the day after it ended to the end of the period; a chosen period selects the pairs that "
    "ran in it and ends both windows at its end."
)


def impact_sections(scope: Scope, *, settings: OutcomeSettings) -> list[Section]:
    """The impact page: promotions and voluntary leavers against comparable colleagues, and the cost.
    Figures carry the number of people they describe; the caller applies suppression."""
    found = windows(scope)
    rows = impact_rows(scope, found)
    promotions = _comparison_table(
        "impact_promotions",
        "Promotions",
        "A promotion is a promotion record in the personnel file dated in the window.",
        [(row.label, row.promotion) for row in rows],
    )
    leavers = _comparison_table(
        "impact_leavers",
        "Voluntary leavers",
        "A voluntary leaver left the organization for a voluntary reason on a day in the window.",
        [(row.label, row.leaving) for row in rows],
    )
    if not rows:
        for table in (promotions, leavers):
            table.note = (
                "The program has not started by the end of the period: there is nothing to compare yet."
            )
    return [
        Section(
            "impact",
            "Promotions and retention against comparable colleagues",
            [promotions, leavers],
            intro=HOW_COMPUTED,
        ),
        Section("cost", "Cost", [_cost_table(program_cost(scope, found), settings)]),
    ]


def _comparison_table(key: str, title: str, note: str, estimates: list[tuple[str, Estimate]]) -> Table:
    table = Table(
        key,
        title,
        "Group",
        [
            Column("participants", "Participants"),
            Column("unmatched", "Without a comparable colleague"),
            Column("comparison", "Comparable colleagues"),
            Column("participant_rate", "Participants (%)", "percent"),
            Column("comparison_rate", "Comparable colleagues, weighted (%)", "percent"),
            Column("difference", "Difference (percentage points)", "number"),
            Column("interval", "95% confidence interval", "text"),
        ],
        note=note,
    )
    for label, estimate in estimates:
        table.add(
            label,
            count(estimate.participants),
            count(estimate.unmatched),
            count(estimate.comparison),
            Cell(_points(estimate.participant_rate), "percent", n=estimate.participants),
            Cell(_points(estimate.comparison_rate), "percent", n=estimate.comparison),
            Cell(_points(estimate.difference), "number", n=estimate.size),
            Cell(interval_text(estimate), "text", n=estimate.size),
        )
    return table


def _points(proportion: float | None) -> float | None:
    return None if proportion is None else 100 * proportion


def interval_text(estimate: Estimate) -> str:
    """The interval in percentage points, signed, with a true minus sign: "-2.1 to +6.4 pp"."""
    if estimate.low is None or estimate.high is None:
        return ""
    return f"{_signed(100 * estimate.low)} to {_signed(100 * estimate.high)} pp"


def _signed(points: float) -> str:
    shown = f"{abs(points):.1f}"
    if shown == "0.0":
        return shown
    return f"{'+' if points > 0 else MINUS}{shown}"


def _cost_table(cost: Cost, settings: OutcomeSettings) -> Table:
    currency = settings.currency
    table = Table(
        "impact_cost",
        "Cost per participant",
        "Figure",
        [Column("value", "Value")],
        note=(
            "The budget is the whole program's, so these figures cover the whole program whatever the "
            "filters: everyone in a started pair up to the end of the period, each person once, and those of "
            "them promoted since the program started. HR admins set the cost of an external hire on the "
            "outcomes settings page."
        ),
    )
    table.add(f"Program budget ({currency})", _money(cost.budget))
    table.add("Participants", count(cost.participants))
    table.add(f"Cost per participant ({currency})", Cell(cost.per_participant, "money", n=cost.participants))
    table.add("Promoted participants", count(cost.promoted))
    table.add(
        f"Cost per promoted participant ({currency})", Cell(cost.per_promoted, "money", n=cost.promoted)
    )
    table.add(f"Cost of an external hire ({currency})", _money(settings.external_hire_cost))
    return table


def _money(amount: Decimal | None) -> Cell:
    return plain(amount, "money") if amount is not None else text("not set")


__all__ = [
    "Estimate",
    "ImpactRow",
    "Tally",
    "Window",
    "impact_rows",
    "impact_sections",
    "interval_text",
    "program_cost",
    "stratified_estimate",
    "windows",
]
