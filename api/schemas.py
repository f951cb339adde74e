"""What the read API answers: programs as configured, and dashboards' figures exactly as the pages show
them (a suppressed figure is ``null`` with its reason, never the number)."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

# The bands of ``outcomes.filters.LEVEL_BANDS`` (a test checks they agree).
LevelBand = Literal["1-3", "4-6", "7-9", "10-12", "13-20"]
Reason = Literal["small_group", "withheld"]


class KeyResultOut(Schema):
    metric: str = Field(description="What the dashboards compute, e.g. `match_rate`.")
    metric_label: str
    objective: str = Field(description="The objective as the program's owners wrote it (may be empty).")
    baseline: float | None
    target: float
    due_on: datetime.date | None


class ProgramOut(Schema):
    slug: str = Field(description="The program's identifier in every other endpoint's path.")
    name: str
    kind: str
    purpose: str
    status: Literal["draft", "enrolling", "matching", "running", "closed"]
    enrollment_opens_on: datetime.date | None
    enrollment_closes_on: datetime.date | None
    matching_on: datetime.date | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    meeting_cadence_days: int = Field(description="Expected days between a pair's sessions.")
    checkin_cadence_months: int
    key_results: list[KeyResultOut] = Field(description="Objectives and key results as configured.")


class FiltersIn(Schema):
    """The dashboards' filters, as on the pages. Without any, the figures cover the whole program."""

    start: datetime.date | None = Field(None, description="Activity from this day (ISO date).")
    end: datetime.date | None = Field(None, description="Activity up to this day (ISO date), at most today.")
    division: int | None = Field(None, description="Only people of this division (its id).")
    level: LevelBand | None = Field(None, description="Only people in this band of job levels.")
    cohort: int | None = Field(
        None, description="Only pairs whose mentor belongs to this Master Mentor cohort."
    )


class FigureOut(Schema):
    column: str = Field(description="The column's key (see the table's columns).")
    value: float | int | str | None = Field(
        description=(
            "The figure; null when suppressed, and when there is nothing to show (e.g. no rating yet)."
        )
    )
    suppressed: bool
    reason: Reason | None = Field(
        description=(
            "Why the figure is hidden: `small_group` (it describes fewer people than the smallest group, or "
            "would let such a figure be worked out from the others), `withheld` (the whole selection is too "
            "small or could be worked out from another selection)."
        )
    )
    status: str | None = Field(
        None,
        description="For key results: `on-track`, `at-risk`, `off-track` or `no-data` (null when hidden).",
    )


class RowOut(Schema):
    label: str
    total: bool = Field(description="A total row (sums the rows above it).")
    figures: list[FigureOut]


class ColumnOut(Schema):
    key: str
    label: str
    kind: str = Field(description="count, percent, mean, ratio, days, money, text, score or number.")


class TableOut(Schema):
    key: str
    section: str
    title: str
    row_header: str
    note: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class AppliedFilter(Schema):
    name: str
    value: str


class DashboardOut(Schema):
    title: str
    as_of: datetime.datetime = Field(
        description="When the figures were computed (they are cached up to 15 minutes)."
    )
    min_group_size: int = Field(description="Figures about fewer people than this are suppressed.")
    filters: list[AppliedFilter]
    withheld: str | None = Field(description="Set when the whole selection is withheld, saying why.")
    tables: list[TableOut]


class CycleOut(Schema):
    cycle: str = Field(description="The nomination cycle: its name and year.")
    figures: list[FigureOut]


class CohortOut(Schema):
    cohort: str = Field(description="The cohort's name.")
    figures: list[FigureOut]


class ErrorOut(Schema):
    detail: str
