"""The promotions import: personnel records, one per person and effective date, all or nothing."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction

from ..models import DirectoryImport, Person, PersonnelRecord, User
from .report import Change, ImportReport
from .rows import BATCH_SIZE, Cells, as_text, is_blank

logger = logging.getLogger(__name__)


def promotions_import(*, rows: Sequence[Mapping[str, str]], dry_run: bool, by: User | None) -> ImportReport:
    """Record promotions as personnel records, one per person and effective date.

    A promotion file never changes anybody's current title or level: the directory file is the source of
    truth for those. The same row again is unchanged; another title or level for the same date updates it.
    """
    report = ImportReport(kind=DirectoryImport.Kind.PROMOTIONS, dry_run=dry_run)
    people = {
        eid: (pk, name, hired)
        for eid, pk, name, hired in Person.objects.values_list("employee_id", "pk", "full_name", "hire_date")
    }
    existing = {
        (r["person_id"], r["effective_on"]): r
        for r in PersonnelRecord.objects.filter(kind=PersonnelRecord.Kind.PROMOTION).values(
            "pk", "person_id", "effective_on", "title", "job_level"
        )
    }
    seen: dict[tuple[str, date], int] = {}
    creates: list[PersonnelRecord] = []
    updates: list[PersonnelRecord] = []
    for index, raw in enumerate(rows):
        if is_blank(raw):
            continue
        report.rows += 1
        number = index + 2
        cells = Cells(number, raw, report)
        employee_id = cells.text("employee_id", max_length=64, required=True)
        effective_on = cells.date("effective_on", required=True)
        title = cells.text("new_title", max_length=200, required=True)
        level = cells.level("new_level")
        person = people.get(employee_id)
        if employee_id and person is None:
            cells.error("employee_id", f"Nobody in the directory has the employee ID {employee_id}.")
        if person and effective_on and effective_on < person[2]:
            cells.error(
                "effective_on",
                f"{effective_on} is before {employee_id}'s hire date ({person[2]}).",
            )
        if effective_on and (employee_id, effective_on) in seen:
            cells.error(
                "effective_on",
                f"{employee_id} already has a promotion on {effective_on} on row "
                f"{seen[(employee_id, effective_on)]}; keep one of the two rows.",
            )
        if not cells.ok or person is None or effective_on is None:
            continue
        seen[(employee_id, effective_on)] = number
        old = existing.get((person[0], effective_on))
        fields = {"effective_on": ["", effective_on.isoformat()]}
        if old is None:
            report.creates += 1
            fields.update(new_title=["", title], new_level=["", str(level)])
            report.sample(Change(number, employee_id, person[1], fields), created=True)
            creates.append(
                PersonnelRecord(
                    person_id=person[0],
                    kind=PersonnelRecord.Kind.PROMOTION,
                    effective_on=effective_on,
                    title=title,
                    job_level=level,
                    created_by=by,
                )
            )
        elif (old["title"], old["job_level"]) != (title, level):
            report.updates += 1
            fields["effective_on"][0] = fields["effective_on"][1]
            fields.update(new_title=[old["title"], title], new_level=[as_text(old["job_level"]), str(level)])
            report.sample(Change(number, employee_id, person[1], fields), created=False)
            updates.append(PersonnelRecord(pk=old["pk"], title=title, job_level=level))
        else:
            report.unchanged += 1

    if report.errors or dry_run:
        return report
    with transaction.atomic():
        PersonnelRecord.objects.bulk_create(creates, batch_size=BATCH_SIZE)
        PersonnelRecord.objects.bulk_update(updates, ["title", "job_level"], batch_size=BATCH_SIZE)
    report.applied = True
    logger.info(
        "Promotions import by %s: %s created, %s updated, %s unchanged",
        by or "the system",
        report.creates,
        report.updates,
        report.unchanged,
    )
    return report
