"""Every import refuses a file too large or not what its name says, explains why, and saves nothing."""

from __future__ import annotations

import io
import zipfile
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from mentoring.uploads import XLSX_MAX_EXPANSION, csv_problem, xlsx_problem
from people.importing import rows_to_csv
from people.models import DirectoryImport
from programs.models import Invitation, MentorTraining

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 64
PEOPLE_HEADER = rows_to_csv(rows=[], kind="people")


def _workbook(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _page(response) -> str:
    return unescape(response.content.decode())


# --- The checks themselves ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "staff.csv is a PNG image, not CSV text."),
        (EXE, "staff.csv is a Windows program, not CSV text."),
        (
            _workbook([["employee_id"]]),
            "staff.csv is a zip archive (an Excel workbook, perhaps), not CSV text.",
        ),
        ("employé\n".encode("latin-1"), "The file is not UTF-8 text."),
        (b"employee_id\x00,full_name\n", "staff.csv holds binary data, not CSV text."),
    ],
    ids=["a PNG", "a program", "a workbook", "Latin-1 text", "binary data"],
)
def test_a_csv_must_be_utf8_text(content, message):
    assert message in csv_problem(content, name="staff.csv")


@pytest.mark.parametrize("content", [b"employee_id,full_name\n", "\ufeffemployee_id;Zoë\n".encode()])
def test_utf8_text_with_or_without_a_byte_order_mark_is_a_csv(content):
    assert csv_problem(content, name="staff.csv") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (EXE, "staff.xlsx is a Windows program, not an Excel workbook (.xlsx)."),
        (b"employee_id,full_name\n", "staff.xlsx is not a workbook, not an Excel workbook (.xlsx)."),
        (b"PK\x03\x04 not really a zip", "staff.xlsx is a damaged zip archive"),
        (_zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}), "another Office document"),
    ],
    ids=["a program", "text", "a broken zip", "a Word document"],
)
def test_an_xlsx_must_be_a_zip_holding_a_workbook(content, message):
    assert message in xlsx_problem(content, name="staff.xlsx", max_bytes=1024 * 1024)


def test_a_workbook_is_accepted():
    assert xlsx_problem(_workbook([["employee_id"]]), name="staff.xlsx", max_bytes=1024 * 1024) is None


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused():
    limit = 64 * 1024
    bomb = _zip(
        {
            "[Content_Types].xml": b"<T/>",
            "xl/workbook.xml": b"<w/>",
            "xl/worksheets/sheet1.xml": b"0" * (XLSX_MAX_EXPANSION * limit + 1),
        }
    )
    assert len(bomb) < limit
    assert "unpacks to far more data" in xlsx_problem(bomb, name="staff.xlsx", max_bytes=limit)


# --- Through each import page -------------------------------------------------------------------------------


def test_the_directory_import_refuses_a_picture_named_csv(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("people:import_list"), {"kind": "people", "file": _file("staff.csv", PNG)})
    assert response.status_code == 200
    assert "staff.csv is a PNG image, not CSV text." in _page(response)
    assert not DirectoryImport.objects.exists()


def test_the_directory_import_refuses_a_program_named_xlsx(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(
        reverse("people:import_list"), {"kind": "people", "file": _file("staff.xlsx", EXE)}
    )
    assert response.status_code == 200
    assert "staff.xlsx is a Windows program, not an Excel workbook (.xlsx)." in _page(response)
    assert not DirectoryImport.objects.exists()


def test_the_directory_import_refuses_a_file_over_its_limit(client, hr_admin, settings):
    settings.PEOPLE_IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(hr_admin)
    big = PEOPLE_HEADER + b"\n" * (2 * 1024 * 1024)
    response = client.post(reverse("people:import_list"), {"kind": "people", "file": _file("staff.csv", big)})
    assert "The file is 2.0 MB; the most is 1 MB." in _page(response)
    assert not DirectoryImport.objects.exists()


def test_the_training_import_refuses_a_disguised_or_oversized_file(client, hr_admin):
    client.force_login(hr_admin)
    url = reverse("programs:training_import")
    response = client.post(url, {"file": _file("trained.csv", PNG)})
    assert "trained.csv is a PNG image, not CSV text." in _page(response)
    big = b"employee_id,completed_on\n" + b"\n" * (2 * 1024 * 1024 + 1)
    response = client.post(url, {"file": _file("trained.csv", big)})
    assert "The file is 2.0 MB; the most is 2 MB." in _page(response)
    response = client.post(url, {"file": _file("trained.xlsx", _workbook([["employee_id"]]))})
    assert "trained.xlsx is not a CSV file." in _page(response)
    assert not MentorTraining.objects.exists()


def test_the_invitation_upload_refuses_a_disguised_or_oversized_file(client, coordinator, enrolling_program):
    client.force_login(coordinator)
    url = reverse("programs:participant_invite", args=[enrolling_program.slug])

    def post(name: str, content: bytes):
        return client.post(url, {"source": "csv", "csv-role": "mentee", "csv-file": _file(name, content)})

    assert "people.csv is a Windows program, not CSV text." in _page(post("people.csv", EXE))
    assert "people.exe is not a CSV file." in _page(post("people.exe", b"email\nem@example.com\n"))
    big = b"email\n" + b"em@example.com\n" * (1024 * 1024 // 15 + 1)
    assert "the most is 1 MB." in _page(post("people.csv", big))
    assert not Invitation.objects.exists()


def test_request_bodies_and_files_held_in_memory_are_bounded(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 5
