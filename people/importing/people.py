"""The people import: upsert people by employee ID, all or nothing (see the package's documentation).

Every row is checked against the file and the directory first (unique IDs and addresses, known managers,
no reporting loops); the writes are then planned so that no constraint trips half-way, managers are
created before their reports, and logins are linked to the people who own their verified addresses.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from ..models import Department, DirectoryImport, Division, Person, User
from .files import PEOPLE_OPTIONAL_COLUMNS
from .report import SAMPLE_SIZE, Change, ImportReport
from .rows import BATCH_SIZE, Cells, as_text, is_blank

logger = logging.getLogger(__name__)

ABSENT_SAMPLE_SIZE = 500  # absent people listed by name; all are counted


@dataclass
class _PersonRow:
    number: int
    employee_id: str
    values: dict[str, Any]  # Person field -> value, for the fields the file sets directly
    division: str
    department: str
    manager: str  # employee ID, or ""
    valid: bool


# Fields the file sets as they are, in column order; department and manager are resolved separately.
_DIRECT_FIELDS = (
    "full_name",
    "email",
    "title",
    "job_level",
    "location",
    "hire_date",
    "status",
    "left_on",
    "left_reason",
)


def _parse_person(number: int, raw: Mapping[str, str], report: ImportReport, optional: tuple[str, ...]):
    cells = Cells(number, raw, report)
    employee_id = cells.text("employee_id", max_length=64, required=True)
    values: dict[str, Any] = {"full_name": cells.text("full_name", max_length=200, required=True)}
    email = cells.text("email", max_length=254, required=True)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            cells.error("email", f"'{email}' is not a valid e-mail address.")
    values["email"] = email.lower()
    values["title"] = cells.text("title", max_length=200)
    values["job_level"] = cells.level("job_level")
    division = cells.text("division", max_length=120, required=True)
    department = cells.text("department", max_length=120, required=True)
    manager = cells.text("manager_employee_id", max_length=64)
    if manager and manager == employee_id:
        cells.error("manager_employee_id", f"{employee_id} cannot be their own manager.")
    values["location"] = cells.text("location", max_length=120)
    values["hire_date"] = cells.date("hire_date", required=True)
    values["status"] = cells.choice("status", Person.Status.choices, required=True)
    values["left_on"] = cells.date("left_on")
    values["left_reason"] = cells.choice("left_reason", Person.LeftReason.choices, required=False)
    for column in optional:
        values[column] = cells.text(column, max_length=64)

    left = values["status"] == Person.Status.LEFT
    if left and values["left_on"] is None and not (raw.get("left_on") or "").strip():
        cells.error("left_on", "This person has left (status left), so the date they left is required.")
    if not left and values["status"]:
        for column in ("left_on", "left_reason"):
            if (raw.get(column) or "").strip():
                cells.error(
                    column,
                    f"Only people who have left (status left) have a {column}; "
                    "clear this cell or set the status to left.",
                )
    if values["left_on"] and values["hire_date"] and values["left_on"] < values["hire_date"]:
        cells.error(
            "left_on",
            f"The leaving date {values['left_on']} is before the hire date {values['hire_date']}.",
        )
    return _PersonRow(number, employee_id, values, division, department, manager, cells.ok)


class _Org:
    """Divisions and departments by case-insensitive name: those that exist and those the file adds."""

    def __init__(self) -> None:
        self.divisions = {d.name.lower(): d for d in Division.objects.all()}
        self.departments = {
            (d.division.name.lower(), d.name.lower()): d
            for d in Department.objects.select_related("division")
        }
        self.labels = {d.pk: f"{d.division.name} / {d.name}" for d in self.departments.values()}
        self.new_divisions: dict[str, str] = {}
        self.new_departments: dict[tuple[str, str], tuple[str, str]] = {}

    @staticmethod
    def key(row: _PersonRow) -> tuple[str, str]:
        return row.division.lower(), row.department.lower()

    def note(self, row: _PersonRow) -> None:
        if not row.division or not row.department:
            return
        division_key, department_key = self.key(row)
        if division_key not in self.divisions:
            self.new_divisions.setdefault(division_key, row.division)
        if (division_key, department_key) not in self.departments:
            division = self.divisions.get(division_key)
            division_name = division.name if division else self.new_divisions[division_key]
            self.new_departments.setdefault((division_key, department_key), (division_name, row.department))

    def department_id(self, row: _PersonRow) -> int | None:
        """The department's key; None only before ``create_missing`` for a department the file adds."""
        department = self.departments.get(self.key(row))
        return department.pk if department else None

    def department_pk(self, row: _PersonRow) -> int:
        """The department's key, once ``create_missing`` has run."""
        return self.departments[self.key(row)].pk

    def label(self, row: _PersonRow) -> str:
        department = self.departments.get(self.key(row))
        if department is not None:
            return self.labels[department.pk]
        return " / ".join(self.new_departments[self.key(row)])

    def create_missing(self) -> None:
        if self.new_divisions:
            Division.objects.bulk_create(
                [Division(name=name) for name in self.new_divisions.values()], ignore_conflicts=True
            )
            self.divisions = {d.name.lower(): d for d in Division.objects.all()}
        if self.new_departments:
            Department.objects.bulk_create(
                [
                    Department(division=self.divisions[division_key], name=name)
                    for (division_key, _), (_, name) in self.new_departments.items()
                ],
                ignore_conflicts=True,
            )
            self.departments = {
                (d.division.name.lower(), d.name.lower()): d
                for d in Department.objects.select_related("division")
            }


def _check_cycles(
    parsed: dict[str, _PersonRow],
    existing: dict[str, dict[str, Any]],
    employee_id_of: dict[int, str],
    report: ImportReport,
) -> None:
    """Reject reporting lines that loop, across the org chart the import would leave behind."""
    boss = {eid: employee_id_of.get(p["manager_id"], "") for eid, p in existing.items()}
    for eid, row in parsed.items():
        boss[eid] = row.manager if row.manager != eid else ""  # own manager: reported already
    done: set[str] = set()
    for start in parsed:
        path: list[str] = []
        position: dict[str, int] = {}
        node = start
        while node and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            node = boss.get(node, "")
        if node in position:
            loop = path[position[node] :]
            description = " → ".join([*loop, loop[0]])
            for member in loop:
                on_loop = parsed.get(member)
                if on_loop is not None:
                    on_loop.valid = False
                    report.error(
                        on_loop.number,
                        "manager_employee_id",
                        f"These reporting lines go round in a loop: {description}. "
                        "Someone on it must report to a person outside the loop.",
                    )
        done.update(path)


def _describe(
    row: _PersonRow,
    old: Mapping[str, Any] | None,
    columns: Sequence[str],
    org: _Org,
    employee_id_of: Mapping[int, str],
) -> Change:
    fields: dict[str, list[str]] = {}
    for column in columns:
        if column == "department":
            before = org.labels.get(old["department_id"], "") if old else ""
            fields["department"] = [before, org.label(row)]
        elif column == "manager":
            before = employee_id_of.get(old["manager_id"], "") if old else ""
            if before or row.manager:
                fields["manager_employee_id"] = [before, row.manager]
        else:
            before = as_text(old[column]) if old else ""
            after = as_text(row.values[column])
            if before or after:
                fields[column] = [before, after]
    return Change(row.number, row.employee_id, row.values["full_name"], fields)


def people_import(*, rows: Sequence[Mapping[str, str]], dry_run: bool, by: User | None) -> ImportReport:
    """Upsert the people in ``rows`` by employee ID; write only if every row is right (see module doc)."""
    report = ImportReport(kind=DirectoryImport.Kind.PEOPLE, dry_run=dry_run)
    optional = tuple(c for c in PEOPLE_OPTIONAL_COLUMNS if rows and c in rows[0])
    fields = (*_DIRECT_FIELDS, *optional)

    parsed: dict[str, _PersonRow] = {}
    row_of_email: dict[str, _PersonRow] = {}
    for index, raw in enumerate(rows):
        if is_blank(raw):
            continue
        report.rows += 1
        row = _parse_person(index + 2, raw, report, optional)
        if row.employee_id in parsed:
            report.error(
                row.number,
                "employee_id",
                f"{row.employee_id} is also on row {parsed[row.employee_id].number}; "
                "each person must appear once.",
            )
            continue
        if row.employee_id:
            parsed[row.employee_id] = row
        email = row.values["email"]
        if email in row_of_email:
            other = row_of_email[email]
            row.valid = False
            report.error(
                row.number,
                "email",
                f"{email} is also used on row {other.number} ({other.employee_id}); "
                "e-mail addresses must be unique.",
            )
        elif email:
            row_of_email[email] = row

    existing = {
        p["employee_id"]: p
        for p in Person.objects.values("pk", "employee_id", "user_id", "manager_id", "department_id", *fields)
    }
    employee_id_of = {p["pk"]: eid for eid, p in existing.items()}
    for eid, person in existing.items():
        row = row_of_email.get(person["email"].lower())
        if row is not None and eid not in parsed:
            row.valid = False
            report.error(
                row.number,
                "email",
                f"{row.values['email']} already belongs to {eid} ({person['full_name']}), "
                "who is not in this file.",
            )
    for row in parsed.values():
        unknown = row.manager not in parsed and row.manager not in existing
        if row.manager and unknown:
            row.valid = False
            report.error(
                row.number,
                "manager_employee_id",
                f"Nobody has the employee ID {row.manager}, in this file or in the directory.",
            )
    _check_cycles(parsed, existing, employee_id_of, report)

    org = _Org()
    plan = _PeoplePlan(org=org, existing=existing)
    for row in parsed.values():
        org.note(row)
        if not row.valid:
            continue
        old = existing.get(row.employee_id)
        if old is None:
            report.creates += 1
            plan.creates.append(row)
            if len(report.create_samples) < SAMPLE_SIZE:
                columns = (*fields, "department", "manager")
                report.sample(_describe(row, None, columns, org, employee_id_of), created=True)
            continue
        changed = [f for f in fields if old[f] != row.values[f]]
        if org.department_id(row) != old["department_id"]:
            changed.append("department")
        if row.manager != employee_id_of.get(old["manager_id"], ""):
            changed.append("manager")
        if not changed:
            report.unchanged += 1
            continue
        report.updates += 1
        plan.updates.append((row, old, changed))
        if len(report.update_samples) < SAMPLE_SIZE:
            report.sample(_describe(row, old, changed, org, employee_id_of), created=False)
    report.new_divisions = sorted(org.new_divisions.values(), key=str.lower)
    report.new_departments = sorted(
        (" / ".join(names) for names in org.new_departments.values()), key=str.lower
    )
    absent = [
        {"employee_id": eid, "full_name": p["full_name"]}
        for eid, p in sorted(existing.items())
        if eid not in parsed and p["status"] != Person.Status.LEFT
    ]
    report.absent_count = len(absent)
    report.absent = absent[:ABSENT_SAMPLE_SIZE]
    report.errors.sort(key=lambda e: e.row or 0)

    if report.errors or dry_run:
        return report
    with transaction.atomic():
        report.linked_logins = plan.apply()
    report.applied = True
    logger.info(
        "People import by %s: %s created, %s updated, %s unchanged, %s logins linked",
        by or "the system",
        report.creates,
        report.updates,
        report.unchanged,
        report.linked_logins,
    )
    return report


@dataclass
class _PeoplePlan:
    """The writes of a people import, in an order that never trips a constraint half-way."""

    org: _Org
    existing: dict[str, dict[str, Any]]
    creates: list[_PersonRow] = field(default_factory=list)
    updates: list[tuple[_PersonRow, dict[str, Any], list[str]]] = field(default_factory=list)

    def apply(self) -> int:
        """Write the plan; return how many logins were linked to their person."""
        self.org.create_missing()
        now = timezone.now()
        pk_of = {eid: p["pk"] for eid, p in self.existing.items()}
        self._vacate_emails()

        groups: dict[tuple[str, ...], list[Person]] = defaultdict(list)
        later: list[tuple[Person, str]] = []  # people whose new manager is created below
        for row, old, changed in self.updates:
            person = Person(pk=old["pk"], updated_at=now)
            columns = []
            for column in changed:
                if column == "department":
                    person.department_id = self.org.department_pk(row)
                elif column == "manager" and not row.manager:
                    person.manager = None
                elif column == "manager" and row.manager in pk_of:
                    person.manager_id = pk_of[row.manager]
                elif column == "manager":
                    later.append((person, row.manager))
                    continue
                else:
                    setattr(person, column, row.values[column])
                columns.append(column)
            if columns:
                groups[tuple(columns)].append(person)
        for names, people in groups.items():
            Person.objects.bulk_update(people, [*names, "updated_at"], batch_size=BATCH_SIZE)

        # Managers before their reports, so that every new row's manager already has a key.
        for level in _levels(self.creates):
            batch = [
                Person(
                    employee_id=row.employee_id,
                    department_id=self.org.department_pk(row),
                    manager_id=pk_of.get(row.manager),
                    **row.values,
                )
                for row in level
            ]
            Person.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            if any(p.pk is None for p in batch):  # databases that cannot return keys
                ids = [p.employee_id for p in batch]
                pk_of.update(Person.objects.filter(employee_id__in=ids).values_list("employee_id", "pk"))
            else:
                pk_of.update((p.employee_id, p.pk) for p in batch)

        for person, manager in later:
            person.manager_id = pk_of[manager]
        Person.objects.bulk_update(
            [person for person, _ in later], ["manager", "updated_at"], batch_size=BATCH_SIZE
        )
        unlinked = {row.values["email"]: pk_of[row.employee_id] for row in self.creates}
        unlinked.update(
            (row.values["email"], old["pk"]) for row, old, _ in self.updates if old["user_id"] is None
        )
        return _link_logins(unlinked, now=now)

    def _vacate_emails(self) -> None:
        """Park addresses that move to another person, so no statement meets the unique index mid-way."""
        owner = {row.values["email"]: row.employee_id for row in self.creates}
        owner.update((row.values["email"], row.employee_id) for row, _, _ in self.updates)
        movers = [
            Person(pk=old["pk"], email=f"moving-{old['pk']}@import.invalid")
            for row, old, changed in self.updates
            if "email" in changed and owner.get(old["email"].lower(), row.employee_id) != row.employee_id
        ]
        Person.objects.bulk_update(movers, ["email"], batch_size=BATCH_SIZE)


def _levels(rows: Sequence[_PersonRow]) -> list[list[_PersonRow]]:
    """New people grouped by how many new managers stand above them (cycles were rejected)."""
    new = {row.employee_id: row for row in rows}
    depth: dict[str, int] = {}
    for row in rows:
        chain = []
        eid = row.employee_id
        while eid in new and eid not in depth:
            chain.append(eid)
            eid = new[eid].manager
        level = depth.get(eid, -1)
        for member in reversed(chain):
            level += 1
            depth[member] = level
    levels: list[list[_PersonRow]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for row in rows:
        levels[depth[row.employee_id]].append(row)
    return levels


def _link_logins(people: Mapping[str, int], *, now: datetime) -> int:
    """Link logins whose verified address is a new or changed person's, as ``person_link_user`` would."""
    if not people:
        return 0
    # Logins without a person are few (people exist before they log in), so read them all.
    candidates = EmailAddress.objects.filter(
        verified=True, user__is_active=True, user__person__isnull=True
    ).values_list("email", "user_id", "user__email")
    links = {}
    for email, user_id, user_email in candidates:
        email = email.lower()
        if email == user_email.lower() and email in people:
            links[people[email]] = user_id
    Person.objects.bulk_update(
        [Person(pk=pk, user_id=user_id, updated_at=now) for pk, user_id in links.items()],
        ["user", "updated_at"],
    )
    return len(links)
