"""What an import found: counts, row errors and a sample of the changes, as stored and shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

SAMPLE_SIZE = 50  # changes shown in the preview
STORED_ERRORS = 1000  # errors kept in a DirectoryImport report; the command prints them all


@dataclass
class RowError:
    row: int | None  # as in the file, counting the header as row 1; None for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return f"Row {self.row}: {self.message}"
        return f"Row {self.row}, column {self.column}: {self.message}"


@dataclass
class Change:
    row: int
    employee_id: str
    full_name: str
    # column -> [old, new], as text; old is "" for creates
    fields: dict[str, list[str]]


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    creates: int = 0
    updates: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # all errors, when ``errors`` was cut short for storage
    create_samples: list[Change] = field(default_factory=list)
    update_samples: list[Change] = field(default_factory=list)
    absent_count: int = 0
    absent: list[dict[str, str]] = field(default_factory=list)  # employee_id, full_name
    new_divisions: list[str] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)  # "Division / Department"
    linked_logins: int = 0
    applied: bool = False

    @property
    def changes(self) -> int:
        return self.creates + self.updates

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))
        self.error_count = len(self.errors)

    def sample(self, change: Change, *, created: bool) -> None:
        samples = self.create_samples if created else self.update_samples
        if len(samples) < SAMPLE_SIZE:
            samples.append(change)

    def to_json(self, *, max_errors: int = STORED_ERRORS) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = data["errors"][:max_errors]
        data["error_count"] = len(self.errors)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportReport:
        values = dict(data)
        values["errors"] = [RowError(**e) for e in values.get("errors", [])]
        values["create_samples"] = [Change(**c) for c in values.get("create_samples", [])]
        values["update_samples"] = [Change(**c) for c in values.get("update_samples", [])]
        return cls(**values)
