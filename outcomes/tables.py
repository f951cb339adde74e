"""What a dashboard is made of: sections of tables of cells, each cell knowing how many people it describes.

Every figure a dashboard shows, charts and exports included, comes from a ``Table``; ``protect`` is the one
place that decides what is hidden, so pages, CSV and XLSX cannot disagree.

The rule (``protect``):

1. *Primary suppression*: a figure describing fewer than K people (``Cell.n`` or, for a whole row,
   ``Row.n``) is hidden. Zero is shown: it singles nobody out.
2. *Complementary suppression*: where rows partition a group whose size can be read elsewhere (a total row,
   or the population of the page), hidden rows must not be recoverable by subtraction: a single hidden
   row is joined by the next smallest, until the hidden rows together describe at least K people. The same
   holds, cell by cell, for additive columns of a table with a total row, and within a row for columns
   that add up to another column (``Table.column_parts``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["count", "percent", "mean", "ratio", "days", "money", "text", "score", "number"]


@dataclass
class Cell:
    value: Any
    kind: Kind = "count"
    # People the figure describes; None for figures that describe nobody (targets, labels, budgets).
    n: int | None = None
    suppressed: bool = False
    # Set where the figure has a meaning beyond its number (a key result's status, a CI).
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind == "count" and self.n is None and isinstance(self.value, int):
            self.n = self.value

    @property
    def shown(self) -> Any:
        """The value as exports carry it: a number, text, or "suppressed"."""
        if self.suppressed:
            return "suppressed"
        if self.value is None:
            return ""
        if isinstance(self.value, Decimal):
            return float(self.value)
        if isinstance(self.value, float):
            return round(self.value, 2)
        return self.value


@dataclass
class Column:
    key: str
    label: str
    kind: Kind = "count"
    # Rows of this column add up to the total row (complementary suppression applies cell by cell).
    additive: bool = False


@dataclass
class Row:
    label: str
    cells: list[Cell]
    n: int | None = None
    total: bool = False
    suppressed: bool = False


@dataclass
class Table:
    key: str
    title: str
    row_header: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    # The column drawn as a bar chart beside the table, if any.
    chart: str | None = None
    # Rows partition a population shown elsewhere on the page: complementary suppression applies to rows
    # even without a total row.
    partition: bool = False
    # "table" or "tiles" (a row of headline figures).
    display: str = "table"
    # Columns adding up, in every row, to another column: (the total's key, the parts' keys).
    column_parts: tuple[str, list[str]] | None = None

    def add(self, label: str, *cells: Cell, n: int | None = None, total: bool = False) -> Row:
        if len(cells) != len(self.columns):
            raise ValueError(f"Table {self.key}: {len(cells)} cells for {len(self.columns)} columns.")
        row = Row(label=label, cells=list(cells), n=n, total=total)
        self.rows.append(row)
        return row

    def column_index(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    @property
    def body_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.total]

    @property
    def hidden_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.suppressed)


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    intro: str = ""


@dataclass
class Dashboard:
    title: str
    sections: list[Section]
    as_of: datetime.datetime
    min_group_size: int
    # Filters as applied, for the page header and the exports' first sheet.
    filters: list[tuple[str, str]] = field(default_factory=list)
    # Set when the whole selection is withheld (too small, or recoverable from another selection).
    withheld: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def _too_small(n: int | None, k: int) -> bool:
    return n is not None and 0 < n < k


def complementary(sizes: list[int | None], hidden: list[bool], k: int) -> list[bool]:
    """Which members of a partition to hide so that none can be worked out from the total: hidden ones
    are never alone and together describe at least ``k`` people. ``sizes`` are the members' people counts;
    ``hidden`` says which are hidden already. Returns the new ``hidden``."""
    hidden = list(hidden)
    while True:
        chosen = [i for i, flag in enumerate(hidden) if flag]
        if not chosen:
            return hidden
        together = sum(sizes[i] or 0 for i in chosen)
        if len(chosen) >= 2 and together >= k:
            return hidden
        candidates = [i for i, flag in enumerate(hidden) if not flag and (sizes[i] or 0) > 0]
        if not candidates:
            # Nothing left to hide with it: whatever is hidden stays hidden, and callers hide the total.
            return hidden
        hidden[min(candidates, key=lambda i: (sizes[i] or 0, i))] = True


def _recoverable(sizes: list[int | None], hidden: list[bool], k: int) -> bool:
    """Hidden members that the total minus the shown ones would single out: one alone, or fewer than
    ``k`` people together."""
    chosen = [sizes[i] or 0 for i, flag in enumerate(hidden) if flag]
    return bool(chosen) and (len(chosen) == 1 or sum(chosen) < k)


def protect(table: Table, k: int) -> Table:
    """Apply primary and complementary suppression to ``table`` in place (see the module docstring)."""
    for row in table.rows:
        if _too_small(row.n, k):
            row.suppressed = True
        for cell in row.cells:
            if _too_small(cell.n, k):
                cell.suppressed = True
    body = table.body_rows
    totals = [row for row in table.rows if row.total]
    if (totals or table.partition) and any(row.n is not None for row in body):
        hidden = complementary([row.n for row in body], [row.suppressed for row in body], k)
        for row, flag in zip(body, hidden, strict=True):
            row.suppressed = flag
        if _recoverable([row.n for row in body], hidden, k):
            # Nothing left to hide with them: the total would give the hidden rows away.
            for row in totals:
                row.suppressed = True
    if totals:
        for index, column in enumerate(table.columns):
            if not column.additive:
                continue
            cells = [row.cells[index] for row in body]
            sizes = [cell.n for cell in cells]
            hidden = complementary(
                sizes, [c.suppressed or r.suppressed for c, r in zip(cells, body, strict=True)], k
            )
            for cell, flag in zip(cells, hidden, strict=True):
                cell.suppressed = cell.suppressed or flag
            if _recoverable(sizes, hidden, k):
                for row in totals:
                    row.cells[index].suppressed = True
    if table.column_parts:
        total_key, part_keys = table.column_parts
        total_index = table.column_index(total_key)
        indexes = [table.column_index(key) for key in part_keys]
        for row in table.rows:
            parts = [row.cells[i] for i in indexes]
            sizes = [cell.n for cell in parts]
            hidden = complementary(sizes, [cell.suppressed for cell in parts], k)
            for cell, flag in zip(parts, hidden, strict=True):
                cell.suppressed = cell.suppressed or flag
            if _recoverable(sizes, hidden, k):
                row.cells[total_index].suppressed = True
    for row in table.rows:
        if row.suppressed:
            for cell in row.cells:
                if cell.n is not None or cell.kind != "text":
                    cell.suppressed = True
    return table


def protect_dashboard(dashboard: Dashboard) -> Dashboard:
    for table in dashboard.tables:
        protect(table, dashboard.min_group_size)
    if dashboard.withheld:
        # Every figure about people goes; targets, baselines and dates describe no one and stay.
        for table in dashboard.tables:
            for row in table.rows:
                for cell in row.cells:
                    if cell.n is not None or cell.kind not in ("text", "number", "money"):
                        cell.suppressed = True
    return dashboard


# --- Building cells -----------------------------------------------------------------------------------------


def count(value: int) -> Cell:
    return Cell(value, "count", n=value)


def percent(part: int | float, whole: int | None, *, n: int | None = None) -> Cell:
    """``part`` of ``whole`` as a percentage; the figure describes ``whole`` people unless ``n`` says."""
    value = None if not whole else 100.0 * part / whole
    return Cell(value, "percent", n=whole if n is None else n)


def mean(value: float | Decimal | None, n: int, kind: Kind = "mean") -> Cell:
    return Cell(None if value is None else float(value), kind, n=n)


def text(value: str) -> Cell:
    return Cell(value, "text")


def plain(value: Any, kind: Kind) -> Cell:
    """A figure about no one in particular (a target, a budget)."""
    return Cell(value, kind, n=None)
