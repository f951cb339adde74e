"""Bar charts drawn on the server as SVG: no script, no CDN, printable, and always beside a table that
carries the same figures for screen readers and for copying."""

from __future__ import annotations

from dataclasses import dataclass

from .tables import Table

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
PLOT_WIDTH = 260


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: float
    text: str
    suppressed: bool


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + 70


def bar_chart(table: Table, formatter) -> Chart | None:
    """The table's chart column as horizontal bars (total rows left out); None without figures to draw."""
    if not table.chart or table.display != "table":
        return None
    index = table.column_index(table.chart)
    column = table.columns[index]
    rows = [row for row in table.body_rows if row.cells[index].kind != "text"]
    values = [
        float(row.cells[index].value)
        for row in rows
        if not row.cells[index].suppressed and isinstance(row.cells[index].value, int | float)
    ]
    if not values:
        return None
    top = max(values) or 1.0
    if column.kind == "percent":
        top = max(top, 100.0)
    bars = []
    for position, row in enumerate(rows):
        cell = row.cells[index]
        usable = not cell.suppressed and isinstance(cell.value, int | float)
        width = (float(cell.value) / top) * PLOT_WIDTH if usable else 0.0
        bars.append(
            Bar(
                label=row.label if len(row.label) <= 25 else row.label[:24] + "…",
                y=position * (BAR_HEIGHT + GAP),
                width=round(width, 1),
                text=formatter(cell),
                suppressed=cell.suppressed,
            )
        )
    return Chart(title=f"{table.title}: {column.label}", bars=bars, height=len(bars) * (BAR_HEIGHT + GAP))
