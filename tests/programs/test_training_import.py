"""Mentor trainings from a CSV file: all or nothing, row-level errors, and a second upload changes nothing."""

import datetime
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.factories import MentorTrainingFactory
from programs.models import MentorTraining
from programs.services.training import mentor_trainings_import
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 16, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff(department):
    return [
        PersonFactory(
            employee_id=f"E{n}", full_name=name, department=department, hire_date=datetime.date(2019, 1, 7)
        )
        for n, name in enumerate(["Ada Lead", "Ben Nurse", "Cy Nurse"], start=1)
    ]


GOOD = (
    b"employee_id,completed_on,course\r\n"
    b"E1,2025-10-01,\r\n"
    b"E2,2025-10-01,Mentor training\r\n"
    b"E3,2026-01-15,Coaching\r\n"
)


def upload(content: bytes, name: str = "trained.csv") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def page(response) -> str:
    return unescape(response.content.decode())


def test_an_hr_admin_uploads_a_file_and_every_training_is_recorded(client, hr_admin, staff):
    client.force_login(hr_admin)

    response = client.post(reverse("programs:training_import"), upload(GOOD))

    assert response.status_code == 302
    recorded = {
        (t.person.employee_id, t.course, t.completed_on, t.recorded_by) for t in MentorTraining.objects.all()
    }
    assert recorded == {
        ("E1", "Mentor training", datetime.date(2025, 10, 1), hr_admin),
        ("E2", "Mentor training", datetime.date(2025, 10, 1), hr_admin),
        ("E3", "Coaching", datetime.date(2026, 1, 15), hr_admin),
    }
    assert "trained.csv: 3 trainings recorded, 0 already recorded." in page(client.get(response.url))


def test_uploading_the_same_file_again_changes_nothing(client, hr_admin, staff):
    client.force_login(hr_admin)
    client.post(reverse("programs:training_import"), upload(GOOD))
    before = list(
        MentorTraining.objects.order_by("pk").values_list("pk", "person_id", "course", "completed_on")
    )

    response = client.post(reverse("programs:training_import"), upload(GOOD))

    assert (
        list(MentorTraining.objects.order_by("pk").values_list("pk", "person_id", "course", "completed_on"))
        == before
    )
    assert "trained.csv: 0 trainings recorded, 3 already recorded." in page(client.get(response.url))


def test_a_file_with_two_bad_rows_records_nothing_and_lists_both_errors(client, hr_admin, staff):
    content = b"employee_id,completed_on\nE1,2025-10-01\nE404,2025-10-01\nE3,01/10/2025\n"
    client.force_login(hr_admin)

    response = client.post(reverse("programs:training_import"), upload(content))

    assert response.status_code == 200
    assert not MentorTraining.objects.exists()
    content = page(response)
    assert "trained.csv was not recorded" in content and "2 problems found; nothing was recorded." in content
    assert "<td>3</td>" in content and "<code>employee_id</code>" in content
    assert "Nobody in the directory has the employee ID 'E404'." in content
    assert "<td>4</td>" in content and "<code>completed_on</code>" in content
    assert "'01/10/2025' is not a date; write it as YYYY-MM-DD." in content


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ("E1,2026-03-17,", (2, "completed_on", "The completion date 2026-03-17 is in the future.")),
        ("E1,2018-12-31,", (2, "completed_on", "is before Ada Lead was hired (2019-01-07).")),
        (",2025-01-01,", (2, "employee_id", "The employee ID is missing.")),
        ("E1,,", (2, "completed_on", "The completion date is missing.")),
        ("E1,2025-02-30,", (2, "completed_on", "'2025-02-30' is not a date; write it as YYYY-MM-DD.")),
        ("E1,2025-01-01,x\nE1,2025-01-01,x", (3, None, "This row repeats row 2.")),
        ("E1,2025-01-01,\nE1,2025-01-01,Mentor training", (3, None, "This row repeats row 2.")),
        ("E1,2025-01-01," + "c" * 201, (2, "course", "Keep the course name to at most 200 characters.")),
    ],
)
def test_each_bad_row_is_named_with_its_row_column_and_message(hr_admin, staff, rows, error):
    report = mentor_trainings_import(
        content=f"employee_id,completed_on,course\n{rows}\n".encode(), file_name="t.csv", by=hr_admin
    )
    assert not report.applied and not MentorTraining.objects.exists()
    row, column, message = error
    assert any(e.row == row and e.column == column and message in e.message for e in report.errors), (
        report.errors
    )


def test_blank_rows_are_skipped_without_shifting_the_row_numbers(hr_admin, staff):
    report = mentor_trainings_import(
        content=b"employee_id,completed_on\n\nE1,2025-01-01\n,\nE404,2025-01-01\n",
        file_name="t.csv",
        by=hr_admin,
    )
    assert [(e.row, e.column) for e in report.errors] == [(5, "employee_id")]


def test_trainings_already_recorded_are_counted_not_repeated(hr_admin, staff):
    MentorTrainingFactory(person=staff[0], completed_on=datetime.date(2025, 10, 1))
    report = mentor_trainings_import(content=GOOD, file_name="t.csv", by=hr_admin)
    assert (report.applied, report.rows, report.created, report.already_recorded) == (True, 3, 2, 1)
    assert MentorTraining.objects.count() == 3


def test_a_semicolon_separated_file_with_a_byte_order_mark_is_read(hr_admin, staff):
    content = "\ufeffEmployee ID;Completed on\nE2;2025-05-05\n".encode()
    report = mentor_trainings_import(content=content, file_name="t.csv", by=hr_admin)
    assert report.ok and report.created == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"employee_id,completed_on\n", "has a header row but no rows below it"),
        (b"employee_id,course\nE1,x\n", "missing: completed_on"),
        (b"employee_id,completed_on,grade\nE1,2025-01-01,A\n", "not part of the format: grade"),
        ("employee_id,completed_on\nE1,2025-01-01\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(client, hr_admin, staff, content, message):
    client.force_login(hr_admin)
    response = client.post(reverse("programs:training_import"), upload(content))
    assert response.status_code == 200 and message in page(response)
    assert not MentorTraining.objects.exists()


def test_only_csv_files_are_accepted(client, hr_admin, staff):
    client.force_login(hr_admin)
    response = client.post(reverse("programs:training_import"), upload(GOOD, name="trained.xlsx"))
    assert "trained.xlsx is not a CSV file." in page(response)
    response = client.post(reverse("programs:training_import"), {})
    assert "Choose a CSV file to upload." in page(response)
    assert not MentorTraining.objects.exists()


def test_the_import_reads_the_directory_in_a_bounded_number_of_queries(
    hr_admin, department, django_assert_max_num_queries
):
    people = [PersonFactory(department=department, hire_date=datetime.date(2019, 1, 7)) for _ in range(40)]
    content = "employee_id,completed_on\n" + "".join(f"{p.employee_id},2025-06-01\n" for p in people)

    with django_assert_max_num_queries(6):
        report = mentor_trainings_import(content=content.encode(), file_name="t.csv", by=hr_admin)

    assert report.created == 40
