"""What the people and promotions imports share: checking the cells of one row, and batched writes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from ..models import MAX_JOB_LEVEL, MIN_JOB_LEVEL
from .files import normalize_name
from .report import ImportReport

BATCH_SIZE = 2000

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE_NUMBER = re.compile(r"^\d{1,4}$")
_DATE_HINT = "write dates as YYYY-MM-DD, for example 2024-03-31"


class Cells:
    """One row's cells, converted and checked; each problem becomes a row error on the report."""

    def __init__(self, number: int, raw: Mapping[str, str], report: ImportReport) -> None:
        self.number = number
        self.raw = raw
        self.report = report
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.report.error(self.number, column, message)

    def text(self, column: str, *, max_length: int, required: bool = False) -> str:
        value = (self.raw.get(column) or "").strip()
        if required and not value:
            self.error(column, "This column is required, but the cell is empty.")
        elif len(value) > max_length:
            self.error(column, f"The value is {len(value)} characters long; the most is {max_length}.")
        return value

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = (self.raw.get(column) or "").strip()
        if not value:
            if required:
                self.error(column, f"This column is required, but the cell is empty; {_DATE_HINT}.")
            return None
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.error(column, f"'{value}' is not a date; {_DATE_HINT}.")
            return None

    def level(self, column: str) -> int | None:
        value = (self.raw.get(column) or "").strip()
        hint = f"use a whole number from {MIN_JOB_LEVEL} to {MAX_JOB_LEVEL}"
        if not value:
            self.error(column, f"This column is required, but the cell is empty; {hint}.")
            return None
        if not _WHOLE_NUMBER.match(value) or not MIN_JOB_LEVEL <= int(value) <= MAX_JOB_LEVEL:
            self.error(column, f"'{value}' is not a job level; {hint}.")
            return None
        return int(value)

    def choice(self, column: str, choices: Sequence[tuple[str, str]], *, required: bool) -> str:
        """A value of ``choices``, written as the value or as its label, in any case."""
        value = (self.raw.get(column) or "").strip()
        if not value:
            if required:
                self.error(column, "This column is required, but the cell is empty.")
            return ""
        wanted = normalize_name(value)
        for stored, label in choices:
            if wanted in (stored, normalize_name(label)):
                return stored
        allowed = ", ".join(stored for stored, _ in choices[:-1]) + f" or {choices[-1][0]}"
        self.error(column, f"'{value}' is not allowed here; use {allowed}.")
        return ""


def is_blank(raw: Mapping[str, str]) -> bool:
    return not any((v or "").strip() for v in raw.values())


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
