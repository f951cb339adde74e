"""The HR directory import, checked directly: every rule of the format, all-or-nothing, idempotence."""

from __future__ import annotations

import io
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from people.demo import generate_directory
from people.importing import (
    PEOPLE_COLUMNS,
    PEOPLE_OPTIONAL_COLUMNS,
    PROMOTION_COLUMNS,
    ImportFileError,
    ImportStateError,
    directory_import_apply_request,
    directory_import_create,
    directory_import_discard,
    directory_import_validate,
    people_import,
    promotions_import,
    read_table,
    rows_to_csv,
)
from people.models import Department, Division, Person, PersonnelRecord
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def person(employee_id: str, **values: str) -> dict[str, str]:
    """One row of a people file; the defaults describe an ordinary, current employee."""
    number = employee_id.lstrip("E")
    row = {
        "employee_id": employee_id,
        "full_name": f"Person {number}",
        "email": f"person{number}@example.com",
        "title": "Scientist",
        "job_level": "3",
        "division": "Research",
        "department": "Genomics",
        "manager_employee_id": "",
        "location": "Baltimore",
        "hire_date": "2020-01-15",
        "status": "active",
        "left_on": "",
        "left_reason": "",
    }
    row.update(values)
    return row


def small_org() -> list[dict[str, str]]:
    """A head of department, a manager and two reports; reports come before their manager."""
    return [
        person("E1", full_name="Ada Head", title="Head of Genomics", job_level="7"),
        person("E3", full_name="Cy Report", manager_employee_id="E2"),
        person("E4", full_name="Di Report", manager_employee_id="E2", department="Data Science"),
        person("E2", full_name="Bo Manager", job_level="5", manager_employee_id="E1"),
    ]


def errors_of(report) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


def statements(queries: CaptureQueriesContext, verb: str) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(verb)]


# --- It works ---------------------------------------------------------------------------------------------


def test_it_creates_people_with_their_divisions_and_departments():
    report = people_import(rows=small_org(), dry_run=False, by=None)

    assert report.applied and not report.errors
    assert (report.creates, report.updates, report.unchanged) == (4, 0, 0)
    assert report.new_divisions == ["Research"]
    assert report.new_departments == ["Research / Data Science", "Research / Genomics"]
    assert Division.objects.get().name == "Research"
    assert Person.objects.get(employee_id="E4").department.name == "Data Science"


def test_it_resolves_managers_whatever_the_row_order():
    people_import(rows=small_org(), dry_run=False, by=None)

    cy = Person.objects.select_related("manager__manager").get(employee_id="E3")
    assert cy.manager.employee_id == "E2"
    assert cy.manager.manager.employee_id == "E1"


def test_reimporting_the_same_file_changes_nothing_and_writes_nothing():
    people_import(rows=small_org(), dry_run=False, by=None)

    with CaptureQueriesContext(connection) as queries:
        report = people_import(rows=small_org(), dry_run=False, by=None)

    assert (report.creates, report.updates, report.unchanged, report.changes) == (0, 0, 4, 0)
    assert statements(queries, "UPDATE") == []
    assert statements(queries, "INSERT") == []


def test_it_updates_only_the_people_and_columns_that_changed():
    people_import(rows=small_org(), dry_run=False, by=None)
    rows = small_org()
    rows[1]["title"] = "Senior Scientist"
    rows[1]["job_level"] = "4"

    with CaptureQueriesContext(connection) as queries:
        report = people_import(rows=rows, dry_run=False, by=None)

    assert (report.creates, report.updates, report.unchanged) == (0, 1, 3)
    change = report.update_samples[0]
    assert (change.row, change.employee_id) == (3, "E3")
    assert change.fields == {"title": ["Scientist", "Senior Scientist"], "job_level": ["3", "4"]}
    [update] = statements(queries, "UPDATE")
    assert '"title"' in update and '"job_level"' in update and '"email"' not in update
    assert Person.objects.get(employee_id="E3").title == "Senior Scientist"


def test_a_dry_run_previews_the_changes_and_writes_nothing():
    report = people_import(rows=small_org(), dry_run=True, by=None)

    assert report.creates == 4 and not report.applied
    assert report.create_samples[0].fields["email"] == ["", "person1@example.com"]
    assert not Person.objects.exists() and not Division.objects.exists()


def test_it_moves_people_to_new_departments_and_new_managers():
    people_import(rows=small_org(), dry_run=False, by=None)
    rows = small_org()
    rows[1].update(department="Proteomics", manager_employee_id="E5")
    rows.append(person("E5", full_name="Ed New Manager", job_level="5", manager_employee_id="E1"))

    report = people_import(rows=rows, dry_run=False, by=None)

    assert (report.creates, report.updates) == (1, 1)
    assert report.update_samples[0].fields == {
        "department": ["Research / Genomics", "Research / Proteomics"],
        "manager_employee_id": ["E2", "E5"],
    }
    cy = Person.objects.select_related("manager", "department").get(employee_id="E3")
    assert (cy.manager.employee_id, cy.department.name) == ("E5", "Proteomics")


def test_it_moves_people_to_another_existing_manager_or_to_none():
    people_import(rows=small_org(), dry_run=False, by=None)
    rows = small_org()
    rows[1]["manager_employee_id"] = "E1"
    rows[2]["manager_employee_id"] = ""

    report = people_import(rows=rows, dry_run=False, by=None)

    assert report.updates == 2
    assert Person.objects.get(employee_id="E3").manager.employee_id == "E1"
    assert Person.objects.get(employee_id="E4").manager is None


def test_it_matches_divisions_and_departments_whatever_their_case():
    people_import(rows=small_org(), dry_run=False, by=None)
    rows = small_org()
    for row in rows:
        row.update(division=row["division"].upper(), department=row["department"].lower())

    report = people_import(rows=rows, dry_run=False, by=None)

    assert report.changes == 0 and report.new_divisions == report.new_departments == []
    assert Division.objects.count() == 1 and Department.objects.count() == 2


def test_people_absent_from_the_file_are_reported_and_kept():
    people_import(rows=small_org(), dry_run=False, by=None)
    PersonFactory(employee_id="E9", full_name="Long Gone", status="left", left_on=date(2024, 1, 1))

    report = people_import(rows=small_org()[1:], dry_run=False, by=None)

    assert report.absent_count == 1
    assert report.absent == [{"employee_id": "E1", "full_name": "Ada Head"}]
    assert Person.objects.filter(employee_id__in=["E1", "E9"]).count() == 2


def test_two_people_may_swap_e_mail_addresses():
    people_import(rows=small_org(), dry_run=False, by=None)
    rows = small_org()
    rows[1]["email"], rows[2]["email"] = rows[2]["email"], rows[1]["email"]

    report = people_import(rows=rows, dry_run=False, by=None)

    assert report.updates == 2
    assert Person.objects.get(employee_id="E3").email == "person4@example.com"


def test_it_accepts_labels_and_any_case_for_statuses_and_reasons():
    rows = [
        person("E1", status="On leave", email="Mixed.Case@Example.com"),
        person("E2", status="LEFT", left_on="2024-05-31", left_reason="End of contract"),
    ]

    report = people_import(rows=rows, dry_run=False, by=None)

    assert report.creates == 2
    leaver = Person.objects.get(employee_id="E2")
    assert (leaver.status, leaver.left_on, leaver.left_reason) == (
        "left",
        date(2024, 5, 31),
        "end_of_contract",
    )
    assert Person.objects.get(employee_id="E1").email == "mixed.case@example.com"


def test_without_the_optional_columns_self_identified_data_is_kept():
    PersonFactory(employee_id="E1", email="person1@example.com", gender="Woman")

    people_import(rows=[person("E1")], dry_run=False, by=None)

    assert Person.objects.get(employee_id="E1").gender == "Woman"
    people_import(rows=[person("E1", gender="", ethnicity="")], dry_run=False, by=None)
    assert Person.objects.get(employee_id="E1").gender == ""


def test_it_links_logins_with_a_verified_address_to_new_people():
    verified = UserFactory(email="person3@example.com")
    unverified = UserFactory(email="person4@example.com", verified=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False, primary=True)

    report = people_import(rows=small_org(), dry_run=False, by=None)

    assert report.linked_logins == 1
    assert Person.objects.get(employee_id="E3").user == verified
    assert Person.objects.get(employee_id="E4").user is None


def test_a_generated_organization_imports_and_reimports_without_changes():
    rows, _ = generate_directory(people=300, seed=7)

    first = people_import(rows=rows, dry_run=False, by=None)
    again = people_import(rows=rows, dry_run=False, by=None)

    assert (first.creates, first.errors) == (300, [])
    assert (again.changes, again.unchanged) == (0, 300)


def test_the_demo_generator_writes_the_documented_format():
    rows, promotions = generate_directory(people=50, seed=2)
    assert all(list(row) == list(PEOPLE_COLUMNS + PEOPLE_OPTIONAL_COLUMNS) for row in rows)
    assert all(list(row) == list(PROMOTION_COLUMNS) for row in promotions)


# --- It rejects bad rows, naming row, column and what is wrong --------------------------------------------


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"email": "jane.doe@"}, "email", "'jane.doe@' is not a valid e-mail address."),
        ({"full_name": ""}, "full_name", "This column is required, but the cell is empty."),
        ({"hire_date": "31/12/2020"}, "hire_date", "'31/12/2020' is not a date; write dates as YYYY-MM-DD"),
        ({"hire_date": "2021-02-30"}, "hire_date", "'2021-02-30' is not a date"),
        ({"job_level": "21"}, "job_level", "'21' is not a job level; use a whole number from 1 to 20."),
        ({"job_level": "three"}, "job_level", "'three' is not a job level"),
        ({"job_level": "0"}, "job_level", "'0' is not a job level"),
        ({"status": "retired"}, "status", "'retired' is not allowed here; use active, on_leave or left."),
        (
            {"status": "left"},
            "left_on",
            "This person has left (status left), so the date they left is required.",
        ),
        (
            {"status": "left", "left_on": "2019-01-01"},
            "left_on",
            "The leaving date 2019-01-01 is before the hire date 2020-01-15.",
        ),
        ({"left_on": "2024-01-01"}, "left_on", "Only people who have left (status left) have a left_on"),
        (
            {"status": "left", "left_on": "2024-01-01", "left_reason": "bored"},
            "left_reason",
            "'bored' is not allowed",
        ),
        (
            {"manager_employee_id": "E99"},
            "manager_employee_id",
            "Nobody has the employee ID E99, in this file",
        ),
        ({"manager_employee_id": "E3"}, "manager_employee_id", "E3 cannot be their own manager."),
        ({"title": "x" * 201}, "title", "The value is 201 characters long; the most is 200."),
    ],
    ids=[
        "a malformed e-mail",
        "a missing name",
        "a date in another format",
        "a date that does not exist",
        "a level above the scale",
        "a level in words",
        "a level below the scale",
        "an unknown status",
        "a leaver without a leaving date",
        "a leaving date before the hire date",
        "a leaving date for someone still here",
        "an unknown leaving reason",
        "an unknown manager",
        "someone who is their own manager",
        "a title that is too long",
    ],
)
def test_it_rejects_a_bad_cell_with_its_row_and_column(change, column, message):
    rows = small_org()
    rows[1].update(change)

    report = people_import(rows=rows, dry_run=False, by=None)

    [(row, error_column, error)] = errors_of(report)
    assert (row, error_column) == (3, column)
    assert error.startswith(message)
    assert not report.applied and not Person.objects.exists()


def test_it_rejects_a_duplicate_employee_id_on_the_later_row():
    rows = [*small_org(), person("E3", email="other@example.com")]

    report = people_import(rows=rows, dry_run=True, by=None)

    assert errors_of(report) == [(6, "employee_id", "E3 is also on row 3; each person must appear once.")]


def test_it_rejects_an_e_mail_used_twice_in_the_file_whatever_its_case():
    rows = [*small_org(), person("E5", email="PERSON3@example.com")]

    report = people_import(rows=rows, dry_run=True, by=None)

    assert errors_of(report) == [
        (6, "email", "person3@example.com is also used on row 3 (E3); e-mail addresses must be unique.")
    ]


def test_it_rejects_an_e_mail_that_belongs_to_someone_not_in_the_file():
    PersonFactory(employee_id="T1", full_name="Tess Other", email="person3@example.com")

    report = people_import(rows=small_org(), dry_run=False, by=None)

    assert errors_of(report) == [
        (3, "email", "person3@example.com already belongs to T1 (Tess Other), who is not in this file.")
    ]
    assert Person.objects.count() == 1


def test_it_rejects_a_manager_cycle_naming_every_row():
    rows = [
        person("E1", manager_employee_id="E3"),
        person("E2", manager_employee_id="E1"),
        person("E3", manager_employee_id="E2"),
        person("E4", manager_employee_id="E3"),
    ]

    report = people_import(rows=rows, dry_run=True, by=None)

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "manager_employee_id"),
        (3, "manager_employee_id"),
        (4, "manager_employee_id"),
    ]
    assert "These reporting lines go round in a loop: E1 → E3 → E2 → E1." in report.errors[0].message


def test_it_rejects_a_cycle_through_someone_already_in_the_directory():
    people_import(rows=small_org(), dry_run=False, by=None)

    report = people_import(rows=[person("E1", manager_employee_id="E3")], dry_run=True, by=None)

    [(row, column, message)] = errors_of(report)
    assert (row, column) == (2, "manager_employee_id")
    assert "E1 → E3 → E2 → E1" in message


def test_one_bad_row_among_many_applies_nothing_and_counts_the_rest():
    rows, _ = generate_directory(people=120, seed=3)
    rows[57]["hire_date"] = "yesterday"

    report = people_import(rows=rows, dry_run=False, by=None)

    assert errors_of(report) == [
        (59, "hire_date", "'yesterday' is not a date; write dates as YYYY-MM-DD, for example 2024-03-31.")
    ]
    assert report.creates == 119 and not report.applied
    assert not Person.objects.exists() and not Division.objects.exists()


def test_blank_rows_are_skipped_without_shifting_row_numbers():
    rows = small_org()
    rows.insert(1, dict.fromkeys(rows[0], ""))
    rows[2]["email"] = "nope"

    report = people_import(rows=rows, dry_run=True, by=None)

    assert report.rows == 4
    assert [(e.row, e.column) for e in report.errors] == [(4, "email")]


# --- Reading files ----------------------------------------------------------------------------------------


def test_a_csv_with_a_byte_order_mark_semicolons_and_loose_headers_reads_like_any_csv():
    content = rows_to_csv(rows=small_org(), kind="people").decode()
    header, body = content.split("\r\n", 1)
    header = " Employee ID " + header.removeprefix("employee_id").replace("full_name", "FULL_NAME")
    content = ("\ufeff" + header + "\r\n" + body).replace(",", ";").encode()

    rows = read_table(content=content, file_name="hr.CSV")

    assert rows == small_org()


def test_an_xlsx_with_date_and_number_cells_imports_like_the_csv():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(PEOPLE_COLUMNS))
    for row in small_org():
        cells = [row[c] for c in PEOPLE_COLUMNS]
        cells[PEOPLE_COLUMNS.index("job_level")] = int(row["job_level"])
        cells[PEOPLE_COLUMNS.index("hire_date")] = date.fromisoformat(row["hire_date"])
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = read_table(content=buffer.getvalue(), file_name="hr.xlsx")
    first = people_import(rows=rows, dry_run=False, by=None)
    again = people_import(rows=small_org(), dry_run=False, by=None)

    assert rows == small_org()
    assert (first.creates, again.changes) == (4, 0)


@pytest.mark.parametrize(
    ("content", "file_name", "message"),
    [
        (b"employee_id\n", "hr.xls", "hr.xls is not a CSV or Excel (.xlsx) file."),
        (b"", "hr.csv", "The file is empty."),
        (rows_to_csv(rows=[], kind="people"), "hr.csv", "The file has a header row but no rows below it."),
        (b"employee_id,full_name\nE1,Ada\n", "hr.csv", "These required columns are missing: email, title,"),
        (
            rows_to_csv(rows=small_org(), kind="people").replace(b"location", b"salary"),
            "hr.csv",
            "These required columns are missing: location. These columns are not part of the format: salary.",
        ),
        ("employee_id;full_name\nE1;Zoë".encode("latin-1"), "hr.csv", "The file is not UTF-8 text."),
        (b"PK\x03\x04 not really a workbook", "hr.xlsx", "The file could not be opened as an Excel workbook"),
    ],
    ids=[
        "an old Excel file",
        "an empty file",
        "a header without rows",
        "missing columns",
        "a misspelled column",
        "a file in another encoding",
        "a broken workbook",
    ],
)
def test_it_explains_why_a_file_cannot_be_read(content, file_name, message):
    with pytest.raises(ImportFileError) as error:
        read_table(content=content, file_name=file_name)

    assert str(error.value).startswith(message)


def test_it_names_rows_with_more_cells_than_columns():
    rows = small_org()
    rows[0].update(status="left", left_on="2024-01-01", left_reason="voluntary")
    content = rows_to_csv(rows=rows, kind="people").replace(b"Head of Genomics", b"Head, Genomics")

    with pytest.raises(ImportFileError, match=r"more cells than the header has columns \(rows 2\)"):
        read_table(content=content, file_name="hr.csv")


# --- Promotions -------------------------------------------------------------------------------------------


def promotion(employee_id: str, effective_on: str, title: str = "Senior Scientist", level: str = "4"):
    return {"employee_id": employee_id, "effective_on": effective_on, "new_title": title, "new_level": level}


def test_it_records_promotions_without_changing_anyones_current_title(hr_admin):
    people_import(rows=small_org(), dry_run=False, by=None)

    report = promotions_import(rows=[promotion("E3", "2024-04-01")], dry_run=False, by=hr_admin)

    assert (report.creates, report.applied) == (1, True)
    record = PersonnelRecord.objects.get()
    assert (record.kind, record.title, record.job_level, record.created_by) == (
        "promotion",
        "Senior Scientist",
        4,
        hr_admin,
    )
    assert Person.objects.get(employee_id="E3").title == "Scientist"


def test_importing_promotions_again_changes_nothing_and_a_new_title_updates_the_record():
    people_import(rows=small_org(), dry_run=False, by=None)
    promotions_import(rows=[promotion("E3", "2024-04-01")], dry_run=False, by=None)

    again = promotions_import(rows=[promotion("E3", "2024-04-01")], dry_run=False, by=None)
    renamed = promotions_import(
        rows=[promotion("E3", "2024-04-01", "Staff Scientist")], dry_run=False, by=None
    )

    assert (again.creates, again.updates, again.unchanged) == (0, 0, 1)
    assert renamed.updates == 1
    assert renamed.update_samples[0].fields["new_title"] == ["Senior Scientist", "Staff Scientist"]
    assert PersonnelRecord.objects.get().title == "Staff Scientist"


def test_it_rejects_bad_promotion_rows_and_records_none():
    people_import(rows=small_org(), dry_run=False, by=None)
    rows = [
        promotion("E3", "2024-04-01"),
        promotion("E77", "2024-04-01"),
        promotion("E3", "01/04/2024"),
        promotion("E4", "2024-04-01", level="25"),
        promotion("E4", "2010-01-01"),
        promotion("E3", "2024-04-01", title="Again"),
    ]

    report = promotions_import(rows=rows, dry_run=False, by=None)

    assert errors_of(report) == [
        (3, "employee_id", "Nobody in the directory has the employee ID E77."),
        (4, "effective_on", "'01/04/2024' is not a date; write dates as YYYY-MM-DD, for example 2024-03-31."),
        (5, "new_level", "'25' is not a job level; use a whole number from 1 to 20."),
        (6, "effective_on", "2010-01-01 is before E4's hire date (2020-01-15)."),
        (7, "effective_on", "E3 already has a promotion on 2024-04-01 on row 2; keep one of the two rows."),
    ]
    assert not PersonnelRecord.objects.exists()


# --- Uploaded imports -------------------------------------------------------------------------------------


def test_applying_checks_the_file_again_against_the_directory_as_it_is_now(
    hr_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload = directory_import_create(
            kind="people",
            file_name="org.csv",
            content=rows_to_csv(rows=small_org(), kind="people"),
            by=hr_admin,
        )
    upload.refresh_from_db()
    assert upload.status == "ready"
    PersonFactory(employee_id="T9", full_name="Tom Newcomer", email="person2@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        directory_import_apply_request(directory_import=upload, by=hr_admin)

    upload.refresh_from_db()
    assert upload.status == "failed" and upload.error_count == 1
    assert upload.report["errors"][0]["message"].startswith("person2@example.com already belongs to T9")
    assert not Person.objects.filter(employee_id__startswith="E").exists()


def test_an_import_moves_only_along_the_allowed_transitions(hr_admin):
    upload = directory_import_create(kind="people", file_name="org.csv", content=b"", by=hr_admin)

    with pytest.raises(
        ImportStateError, match=r"This import is still being checked, so it cannot be applied\."
    ):
        directory_import_apply_request(directory_import=upload, by=hr_admin)
    directory_import_validate(directory_import=upload)
    assert upload.status == "invalid"
    assert upload.report["errors"] == [{"row": None, "column": None, "message": "The file is empty."}]
    directory_import_discard(directory_import=upload, by=hr_admin)
    with pytest.raises(
        ImportStateError, match=r"This import has been discarded, so it cannot be discarded\."
    ):
        directory_import_discard(directory_import=upload, by=hr_admin)
    assert [(e["from"], e["to"]) for e in upload.history] == [
        ("", "validating"),
        ("validating", "invalid"),
        ("invalid", "discarded"),
    ]
