"""Showing dashboard figures: one formatter for pages, charts and exports' text."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from ..charts import Chart, bar_chart
from ..tables import Cell, Table

register = template.Library()

SUPPRESSED = "suppressed"


@register.filter
def figure(cell: Cell) -> str:
    if cell.suppressed:
        return SUPPRESSED
    value = cell.value
    if value is None or value == "":
        return "—"
    if cell.kind == "text":
        return str(value)
    if cell.kind == "count":
        return number_format(int(value), force_grouping=True)
    if cell.kind == "percent":
        return f"{number_format(float(value), 1)}%"
    if cell.kind in ("mean", "ratio", "score"):
        return number_format(float(value), 2 if cell.kind == "ratio" else 1)
    if cell.kind == "days":
        return f"{number_format(float(value), 0)} days"
    if cell.kind == "money":
        return number_format(float(value), 0, force_grouping=True)
    return number_format(float(value), 2) if isinstance(value, float) else str(value)


@register.simple_tag
def chart_for(table: Table) -> Chart | None:
    return bar_chart(table, figure)
