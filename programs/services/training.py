"""The mentor training record: who completed mentor training, recorded one by one or from a CSV file.

Writes: ``mentor_training_record``, ``mentor_training_delete`` and ``mentor_trainings_import`` (all or
nothing, with row-level errors; importing the same file twice changes nothing). Reads: the selectors at
the bottom answer the enrollment's mentor requirement check.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from people.importing import RowError
from people.models import Person, PersonnelRecord, User
from programs.models import MentorTraining

from . import ProgramError

DEFAULT_COURSE = "Mentor training"
COURSE_MAX_LENGTH = 200
# The personnel-file certificate a graduate of the Master Mentor program receives.
MASTER_MENTOR_CERTIFICATE_TITLE = "Certified Master Mentor"
IMPORT_COLUMNS = ("employee_id", "completed_on")
IMPORT_OPTIONAL_COLUMNS = ("course",)
IMPORT_MAX_ROWS = 20_000


class TrainingError(ProgramError):
    """A training cannot be recorded; the message says why, for the HR admin."""


def training_problems(*, person: Person, completed_on: datetime.date, course: str) -> list[tuple[str, str]]:
    """Why a training of ``person`` on ``completed_on`` cannot be recorded: (field, plain message)."""
    problems = []
    if completed_on > timezone.localdate():
        problems.append(("completed_on", f"The completion date {completed_on:%Y-%m-%d} is in the future."))
    if completed_on < person.hire_date:
        problems.append(
            (
                "completed_on",
                f"The completion date {completed_on:%Y-%m-%d} is before {person.full_name} was hired "
                f"({person.hire_date:%Y-%m-%d}).",
            )
        )
    if not course:
        problems.append(("course", "Name the course."))
    elif len(course) > COURSE_MAX_LENGTH:
        problems.append(("course", f"Keep the course name to at most {COURSE_MAX_LENGTH} characters."))
    return problems


# --- Writing ------------------------------------------------------------------------------------------------


@transaction.atomic
def mentor_training_record(
    *, person: Person, completed_on: datetime.date, course: str = DEFAULT_COURSE, by: User | None
) -> MentorTraining:
    course = (course or "").strip()
    problems = training_problems(person=person, completed_on=completed_on, course=course)
    if problems:
        raise TrainingError(" ".join(message for _, message in problems))
    if MentorTraining.objects.filter(person=person, course=course, completed_on=completed_on).exists():
        raise TrainingError(f"{person.full_name}'s {course} on {completed_on:%Y-%m-%d} is already recorded.")
    try:
        with transaction.atomic():
            return MentorTraining.objects.create(
                person=person, course=course, completed_on=completed_on, recorded_by=by
            )
    except IntegrityError as exc:  # recorded at the same moment by someone else
        raise TrainingError(
            f"{person.full_name}'s {course} on {completed_on:%Y-%m-%d} is already recorded."
        ) from exc


@transaction.atomic
def mentor_training_delete(*, training: MentorTraining, by: User | None) -> None:
    MentorTraining.objects.filter(pk=training.pk).delete()


@dataclass
class TrainingImportReport:
    file_name: str
    rows: int = 0
    created: int = 0
    already_recorded: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))


@dataclass(frozen=True)
class _Row:
    number: int
    person: Person
    completed_on: datetime.date
    course: str


def mentor_trainings_import(*, content: bytes, file_name: str, by: User | None) -> TrainingImportReport:
    """Record every training of a CSV file (employee_id, completed_on, course optional), or none.

    Every row is checked first; with any error nothing is written and the report lists each one with its
    row (the header is row 1) and column. Trainings already recorded are counted, not repeated.
    """
    report = TrainingImportReport(file_name=file_name)
    table = _read_csv(content, report)
    if table is None:
        return report
    ids = {row.get("employee_id", "") for _, row in table} - {""}
    people = {p.employee_id: p for p in Person.objects.filter(employee_id__in=ids)}
    rows: list[_Row] = []
    seen: dict[tuple[str, str, datetime.date], int] = {}
    for number, raw in table:
        report.rows += 1
        row = _check_row(number, raw, people, report)
        if row is None:
            continue
        key = (row.person.employee_id, row.course, row.completed_on)
        if key in seen:
            report.error(number, None, f"This row repeats row {seen[key]}.")
            continue
        seen[key] = number
        rows.append(row)
    if report.errors:
        return report
    with transaction.atomic():
        existing = set(
            MentorTraining.objects.filter(person__in=[r.person for r in rows]).values_list(
                "person_id", "course", "completed_on"
            )
        )
        new = [
            MentorTraining(person=r.person, course=r.course, completed_on=r.completed_on, recorded_by=by)
            for r in rows
            if (r.person.pk, r.course, r.completed_on) not in existing
        ]
        MentorTraining.objects.bulk_create(new, ignore_conflicts=True)
    report.created = len(new)
    report.already_recorded = len(rows) - len(new)
    report.applied = True
    return report


def _read_csv(content: bytes, report: TrainingImportReport) -> list[tuple[int, dict[str, str]]] | None:
    """(row number, cells by column) of the non-blank rows, or None with a file-level error."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error(None, None, 'The file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.')
        return None
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        grid = [
            [cell.strip() for cell in cells] for cells in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        report.error(None, None, f"The file is not valid CSV ({exc}).")
        return None
    if not grid or not any(grid[0]):
        report.error(None, None, "The file is empty.")
        return None
    header = [cell.lower().replace(" ", "_") for cell in grid[0]]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in IMPORT_COLUMNS + IMPORT_OPTIONAL_COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        report.error(
            None,
            None,
            "The header row must name the columns employee_id, completed_on and, optionally, course"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not part of the format: {', '.join(unknown)}" if unknown else "")
            + ("; a column is named twice" if len(set(header)) != len(header) else "")
            + ".",
        )
        return None
    table = [
        (number, dict(zip(header, cells, strict=False)))
        for number, cells in enumerate(grid[1:], start=2)
        if any(cells)
    ]
    if not table:
        report.error(None, None, "The file has a header row but no rows below it.")
        return None
    if len(table) > IMPORT_MAX_ROWS:
        report.error(
            None, None, f"The file has {len(table):,} rows; split it into files of {IMPORT_MAX_ROWS:,}."
        )
        return None
    return table


def _check_row(
    number: int, raw: dict[str, str], people: dict[str, Person], report: TrainingImportReport
) -> _Row | None:
    before = len(report.errors)
    employee_id = raw.get("employee_id", "")
    person = people.get(employee_id)
    if not employee_id:
        report.error(number, "employee_id", "The employee ID is missing.")
    elif person is None:
        report.error(number, "employee_id", f"Nobody in the directory has the employee ID '{employee_id}'.")
    text = raw.get("completed_on", "")
    completed_on = None
    if not text:
        report.error(number, "completed_on", "The completion date is missing.")
    else:
        try:
            completed_on = datetime.date.fromisoformat(text)
        except ValueError:
            report.error(number, "completed_on", f"'{text}' is not a date; write it as YYYY-MM-DD.")
    course = raw.get("course", "") or DEFAULT_COURSE
    if person is not None and completed_on is not None:
        for column, problem in training_problems(person=person, completed_on=completed_on, course=course):
            report.error(number, column, problem)
    elif len(course) > COURSE_MAX_LENGTH:
        report.error(number, "course", f"Keep the course name to at most {COURSE_MAX_LENGTH} characters.")
    if len(report.errors) > before or person is None or completed_on is None:
        return None
    return _Row(number=number, person=person, completed_on=completed_on, course=course)


# --- Reading: the mentor requirement check ------------------------------------------------------------------


def has_completed_mentor_training(person: Person) -> bool:
    """Whether ``person`` has a recorded mentor training (of any course)."""
    return MentorTraining.objects.filter(person=person).exists()


def _master_mentor_certificates():
    return PersonnelRecord.objects.filter(
        kind=PersonnelRecord.Kind.CERTIFICATE, title__iexact=MASTER_MENTOR_CERTIFICATE_TITLE
    )


def is_certified_master_mentor(person: Person) -> bool:
    """Whether ``person``'s personnel file holds the Master Mentor certificate (title in any case)."""
    return _master_mentor_certificates().filter(person=person).exists()


def certified_master_mentors(person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` hold the Master Mentor certificate, in one query."""
    ids = list(person_ids)
    return set(_master_mentor_certificates().filter(person_id__in=ids).values_list("person_id", flat=True))
