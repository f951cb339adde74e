"""Reading an import file: CSV or XLSX into rows of text, the header checked against the format.

``read_table`` turns a file into rows of text keyed by column name; the row at index ``i`` is row ``i + 2``
of the file (the header is row 1), and blank rows are kept so that the numbering never drifts.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import PurePath

from ..models import DirectoryImport

PEOPLE_COLUMNS = (
    "employee_id",
    "full_name",
    "email",
    "title",
    "job_level",
    "division",
    "department",
    "manager_employee_id",
    "location",
    "hire_date",
    "status",
    "left_on",
    "left_reason",
)
PEOPLE_OPTIONAL_COLUMNS = ("gender", "ethnicity")
PROMOTION_COLUMNS = ("employee_id", "effective_on", "new_title", "new_level")
EXAMPLE_ROWS: dict[str, dict[str, str]] = {
    DirectoryImport.Kind.PEOPLE: {
        "employee_id": "E00042",
        "full_name": "Jane Doe",
        "email": "jane.doe@example.com",
        "title": "Senior Scientist",
        "job_level": "4",
        "division": "Research",
        "department": "Genomics",
        "manager_employee_id": "E00007",
        "location": "Baltimore",
        "hire_date": "2019-09-02",
        "status": "active",
        "left_on": "",
        "left_reason": "",
        "gender": "",
        "ethnicity": "",
    },
    DirectoryImport.Kind.PROMOTIONS: {
        "employee_id": "E00042",
        "effective_on": "2024-04-01",
        "new_title": "Senior Scientist",
        "new_level": "4",
    },
}
ACCEPTED_EXTENSIONS = (".csv", ".xlsx")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding or columns); the message is for HR."""


def columns_for(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required columns, optional columns) of a kind of import."""
    if kind == DirectoryImport.Kind.PEOPLE:
        return PEOPLE_COLUMNS, PEOPLE_OPTIONAL_COLUMNS
    if kind == DirectoryImport.Kind.PROMOTIONS:
        return PROMOTION_COLUMNS, ()
    raise ValueError(f"Unknown kind of import: {kind!r}.")


def rows_to_csv(*, rows: Sequence[Mapping[str, str]], kind: str) -> bytes:
    """Rows in the import format as a UTF-8 CSV file (templates, benchmarks, tests)."""
    required, optional = columns_for(kind)
    columns = [*required, *(c for c in optional if rows and c in rows[0])]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def template_csv(*, kind: str) -> bytes:
    """The header row and one example row, for HR to fill in."""
    return rows_to_csv(rows=[EXAMPLE_ROWS[kind]], kind=kind)


def read_table(*, content: bytes, file_name: str, kind: str = "people") -> list[dict[str, str]]:
    """Rows of the file as text keyed by (normalized) column name; raises ``ImportFileError``."""
    grid = _read_grid(content=content, file_name=file_name)
    while grid and not any(grid[-1]):
        grid.pop()
    if not grid:
        raise ImportFileError("The file is empty.")
    header = _check_header(grid[0], kind=kind)
    width = len(header)
    overlong = [n for n, cells in enumerate(grid[1:], start=2) if any(cells[width:])]
    if overlong:
        listed = ", ".join(str(n) for n in overlong[:10]) + (" …" if len(overlong) > 10 else "")
        raise ImportFileError(
            f"Some rows have more cells than the header has columns (rows {listed}). "
            "A value probably contains an unquoted comma or semicolon."
        )
    rows = [dict(zip(header, [*cells, *[""] * (width - len(cells))], strict=False)) for cells in grid[1:]]
    if not any(any(row.values()) for row in rows):
        raise ImportFileError("The file has a header row but no rows below it.")
    return rows


def check_file(*, content: bytes, file_name: str, kind: str) -> None:
    """The quick checks an upload gets before it is stored: type, encoding and header only."""
    grid = _read_grid(content=content, file_name=file_name, header_only=True)
    if not grid or not any(grid[0]):
        raise ImportFileError("The file is empty.")
    _check_header(grid[0], kind=kind)


def _read_grid(*, content: bytes, file_name: str, header_only: bool = False) -> list[list[str]]:
    extension = PurePath(file_name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise ImportFileError(
            f"{file_name} is not a CSV or Excel (.xlsx) file. Save it as .csv (UTF-8) or .xlsx "
            "and upload it again."
        )
    if not content.strip():
        raise ImportFileError("The file is empty.")
    if extension == ".csv":
        return _read_csv(content, header_only=header_only)
    return _read_xlsx(content, header_only=header_only)


def _read_csv(content: bytes, *, header_only: bool) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            'The file is not UTF-8 text. In Excel choose File > Save As > "CSV UTF-8 '
            '(Comma delimited)", then upload it again.'
        ) from exc
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # The header names contain no separators, so the separator is what splits the header most.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if header_only:
            return [next(reader, [])]
        return [[cell.strip() for cell in cells] for cells in reader]
    except csv.Error as exc:
        raise ImportFileError(f"The file is not valid CSV ({exc}).") from exc


def _read_xlsx(content: bytes, *, header_only: bool) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            "The file could not be opened as an Excel workbook (.xlsx). Open it in Excel and save it "
            "again as .xlsx, or export it as CSV UTF-8."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        grid: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            grid.append([_cell_text(v) for v in values])
            if header_only:
                break
    finally:
        workbook.close()
    return grid


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the same text a CSV export would give."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalize_name(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _check_header(cells: list[str], *, kind: str) -> list[str]:
    required, optional = columns_for(kind)
    header = [normalize_name(c) for c in cells]
    while header and not header[-1]:
        header.pop()
    if "" in header:
        raise ImportFileError(
            f"Column {header.index('') + 1} of the header row has no name. Name it or delete it."
        )
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise ImportFileError(f"The header names these columns twice: {', '.join(repeated)}.")
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    problems = []
    if missing:
        problems.append(f"These required columns are missing: {', '.join(missing)}.")
    if unknown:
        problems.append(f"These columns are not part of the format: {', '.join(unknown)}.")
    if problems:
        expected = ", ".join(required) + (f" (optional: {', '.join(optional)})" if optional else "")
        raise ImportFileError(" ".join([*problems, f"The columns are: {expected}."]))
    return header
