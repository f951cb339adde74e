"""Every dashboard table as CSV, the whole dashboard as XLSX, both from the protected ``Dashboard`` (so a
suppressed figure is as absent from a file as from the page)."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Dashboard, Table


def _header(table: Table) -> list[str]:
    return [table.row_header, *[column.label for column in table.columns]]


def _rows(table: Table) -> list[list[object]]:
    return [[row.label, *[cell.shown for cell in row.cells]] for row in table.rows]


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header(table))
    for row in _rows(table):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def _safe(value: object) -> object:
    """Text a spreadsheet would run as a formula is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _sheet_name(title: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Table"
    candidate, number = name, 2
    while candidate.lower() in taken:
        candidate = f"{name[:25]} {number}"
        number += 1
    taken.add(candidate.lower())
    return candidate


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "About"
    about.append([dashboard.title])
    about["A1"].font = Font(bold=True, size=14)
    about.append(["Figures as of", dashboard.as_of.strftime("%Y-%m-%d %H:%M %Z")])
    about.append(["Smallest group shown", dashboard.min_group_size])
    for name, value in dashboard.filters:
        about.append([name, value])
    if dashboard.withheld:
        about.append(["Not shown", dashboard.withheld])
    about.append([])
    about.append(["Figures about fewer people than the smallest group are marked suppressed."])
    taken = {"about"}
    for table in dashboard.tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        sheet.append(_header(table))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in _rows(table):
            sheet.append([_safe(value) for value in row])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 34
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
