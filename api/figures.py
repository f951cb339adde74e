"""A protected ``outcomes`` dashboard as the API's documents. Nothing is computed here: each figure is the
dashboard's cell, and a cell the dashboard hides is ``null`` with its reason."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from outcomes.tables import Cell, Dashboard, Row, Table


class DashboardRows(list):
    """Rows of one of a dashboard's tables, with the dashboard they come from (for the page's header)."""

    def __init__(self, rows: list[dict[str, Any]], dashboard: Dashboard) -> None:
        super().__init__(rows)
        self.dashboard = dashboard


def _value(cell: Cell) -> float | int | str | None:
    value = cell.value
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, int | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def figure(cell: Cell, column: str, dashboard: Dashboard) -> dict[str, Any]:
    if cell.suppressed:
        reason = "withheld" if dashboard.withheld else "small_group"
        return {"column": column, "value": None, "suppressed": True, "reason": reason, "status": None}
    return {
        "column": column,
        "value": _value(cell),
        "suppressed": False,
        "reason": None,
        "status": cell.note or None,
    }


def row(table: Table, row: Row, dashboard: Dashboard) -> dict[str, Any]:
    return {
        "label": row.label,
        "total": row.total,
        "figures": [
            figure(cell, column.key, dashboard) for column, cell in zip(table.columns, row.cells, strict=True)
        ],
    }


def dashboard_document(dashboard: Dashboard) -> dict[str, Any]:
    return {
        "title": dashboard.title,
        "as_of": dashboard.as_of,
        "min_group_size": dashboard.min_group_size,
        "filters": [{"name": name, "value": value} for name, value in dashboard.filters],
        "withheld": dashboard.withheld or None,
        "tables": [
            {
                "key": table.key,
                "section": section.key,
                "title": table.title,
                "row_header": table.row_header,
                "note": table.note,
                "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
                "rows": [row(table, r, dashboard) for r in table.rows],
            }
            for section in dashboard.sections
            for table in section.tables
        ],
    }


def table_rows(dashboard: Dashboard, key: str, name: str) -> DashboardRows:
    """The rows of the dashboard's table ``key`` as ``{name: label, "figures": [...]}`` (none if absent)."""
    table = dashboard.table(key)
    rows = (
        []
        if table is None
        else [{name: r.label, "figures": row(table, r, dashboard)["figures"]} for r in table.rows]
    )
    return DashboardRows(rows, dashboard)
