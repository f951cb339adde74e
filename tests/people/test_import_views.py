"""The imports pages: upload, preview, apply and discard, for HR admins only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from people.importing import directory_import_create, rows_to_csv
from people.models import DirectoryImport, Person

pytestmark = pytest.mark.django_db


def staff(*, bad_email: bool = False) -> list[dict[str, str]]:
    rows = [
        {
            "employee_id": f"E{n}",
            "full_name": name,
            "email": f"{name.split()[0].lower()}@example.com",
            "title": "Nurse",
            "job_level": "3" if n > 1 else "6",
            "division": "Clinical Services",
            "department": "Nursing",
            "manager_employee_id": "" if n == 1 else "E1",
            "location": "Boston",
            "hire_date": "2021-06-01",
            "status": "active",
            "left_on": "",
            "left_reason": "",
        }
        for n, name in enumerate(["Nia Lead", "Omar Nurse", "Pia Nurse"], start=1)
    ]
    if bad_email:
        rows[2]["email"] = "pia.nurse@"
    return rows


def upload(name: str = "staff.csv", content: bytes | None = None, kind: str = "people"):
    content = rows_to_csv(rows=staff(), kind="people") if content is None else content
    return {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="text/csv")}


def checked_upload(by, rows: list[dict[str, str]], capture_on_commit) -> DirectoryImport:
    """An upload the worker has checked."""
    with capture_on_commit(execute=True):
        directory_import = directory_import_create(
            kind="people", file_name="staff.csv", content=rows_to_csv(rows=rows, kind="people"), by=by
        )
    directory_import.refresh_from_db()
    return directory_import


@pytest.fixture
def checked_import(hr_admin, django_capture_on_commit_callbacks) -> DirectoryImport:
    return checked_upload(hr_admin, staff(), django_capture_on_commit_callbacks)


@pytest.fixture
def failed_check(hr_admin, django_capture_on_commit_callbacks) -> DirectoryImport:
    return checked_upload(hr_admin, staff(bad_email=True), django_capture_on_commit_callbacks)


# --- It works ---------------------------------------------------------------------------------------------


def test_an_hr_admin_uploads_previews_and_applies_a_file(
    client, hr_admin, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import_list"), upload())
    directory_import = DirectoryImport.objects.get()
    assert response.status_code == 302 and response.url == directory_import.get_absolute_url()
    assert directory_import.status == DirectoryImport.Status.READY

    preview = client.get(directory_import.get_absolute_url()).content.decode()
    assert "Every row is right" in preview and "Apply 3 changes" in preview
    assert "Clinical Services / Nursing" in preview and "Omar Nurse" in preview
    assert not Person.objects.filter(employee_id="E1").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import_apply", args=[directory_import.pk]))
    assert response.status_code == 302
    directory_import.refresh_from_db()
    assert directory_import.status == DirectoryImport.Status.APPLIED
    assert directory_import.applied_by == hr_admin
    assert Person.objects.get(employee_id="E2").manager.employee_id == "E1"
    page = client.get(directory_import.get_absolute_url()).content.decode()
    assert "The directory now matches this file." in page


def test_an_excel_workbook_is_checked_like_a_csv(client, hr_admin, django_capture_on_commit_callbacks):
    workbook = Workbook()
    workbook.active.append(list(staff()[0]))
    for row in staff():
        workbook.active.append(list(row.values()))
    content = io.BytesIO()
    workbook.save(content)
    client.force_login(hr_admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import_list"), upload(name="staff.xlsx", content=content.getvalue()))

    directory_import = DirectoryImport.objects.get()
    assert (directory_import.status, directory_import.create_count) == ("ready", 3)


def test_the_preview_lists_each_error_with_its_row_and_column(
    client, hr_admin, failed_check, django_assert_max_num_queries
):
    client.force_login(hr_admin)

    with django_assert_max_num_queries(7):
        page = client.get(failed_check.get_absolute_url()).content.decode()

    assert failed_check.status == DirectoryImport.Status.INVALID and failed_check.error_count == 1
    assert "<td>4</td>" in page and "<code>email</code>" in page
    assert "&#x27;pia.nurse@&#x27; is not a valid e-mail address." in page
    assert "Apply" not in page and "Discard" in page


def test_the_preview_polls_while_the_file_is_being_checked(client, hr_admin):
    client.force_login(hr_admin)
    directory_import = directory_import_create(
        kind="people", file_name="staff.csv", content=b"x", by=hr_admin
    )

    page = client.get(directory_import.get_absolute_url()).content.decode()
    partial = client.get(directory_import.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' in page and "Checking every row" in page
    assert partial.lstrip().startswith('<div id="import-preview"') and "<html" not in partial


def test_the_preview_stops_polling_once_checked(client, hr_admin, checked_import):
    client.force_login(hr_admin)

    partial = client.get(checked_import.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert "hx-trigger" not in partial and "Every row is right" in partial


def test_pressing_apply_twice_applies_once(
    client, hr_admin, checked_import, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    url = reverse("people:import_apply", args=[checked_import.pk])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(url)
        second = client.post(url, follow=True)

    assert len(queued) == 1
    assert "This import is being applied, so it cannot be applied." in second.content.decode()
    for callback in queued:
        callback()
    checked_import.refresh_from_db()
    assert checked_import.status == DirectoryImport.Status.APPLIED
    assert [event["to"] for event in checked_import.history] == ["validating", "ready", "applying", "applied"]


def test_an_hr_admin_discards_a_checked_file(client, hr_admin, checked_import):
    client.force_login(hr_admin)

    response = client.post(reverse("people:import_discard", args=[checked_import.pk]), follow=True)

    checked_import.refresh_from_db()
    assert checked_import.status == DirectoryImport.Status.DISCARDED
    assert "staff.csv was discarded; nothing was changed." in response.content.decode()
    assert not Person.objects.filter(employee_id="E1").exists()


def test_the_list_shows_past_imports_in_a_bounded_number_of_queries(
    client, hr_admin, checked_import, failed_check, django_assert_max_num_queries
):
    client.force_login(hr_admin)
    for n in range(8):
        DirectoryImport.objects.create(file_name=f"old-{n}.csv", content=b"", uploaded_by=hr_admin)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("people:import_list")).content.decode()

    assert page.count("hr.admin@example.com") >= 10
    assert "old-7.csv" in page and "Has errors" in page


def test_the_empty_list_explains_what_to_upload(client, hr_admin):
    client.force_login(hr_admin)

    page = client.get(reverse("people:import_list")).content.decode()

    assert "No imports yet." in page
    assert reverse("people:import_template", args=["people"]) in page


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("people", "employee_id,full_name,email,title,job_level,division,department,manager_employee_id"),
        ("promotions", "employee_id,effective_on,new_title,new_level"),
    ],
)
def test_an_hr_admin_downloads_a_template_for_each_kind(client, hr_admin, kind, header):
    client.force_login(hr_admin)

    response = client.get(reverse("people:import_template", args=[kind]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith(header) and len(lines) == 2


# --- It checks access -------------------------------------------------------------------------------------


def import_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("people:import_list")),
        ("get", reverse("people:import_template", args=["people"])),
        ("get", reverse("people:import_detail", args=[pk])),
        ("post", reverse("people:import_apply", args=[pk])),
        ("post", reverse("people:import_discard", args=[pk])),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, checked_import):
    for method, url in import_urls(checked_import.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["employee", "manager", "outsider"])
def test_only_hr_admins_may_use_the_import_pages(client, checked_import, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for method, url in import_urls(checked_import.pk):
        assert getattr(client, method)(url).status_code == 403, url
    assert client.post(reverse("people:import_list"), upload()).status_code == 403
    checked_import.refresh_from_db()
    assert checked_import.status == DirectoryImport.Status.READY


def test_apply_and_discard_refuse_get_requests(client, hr_admin, checked_import):
    client.force_login(hr_admin)

    assert client.get(reverse("people:import_apply", args=[checked_import.pk])).status_code == 405
    assert client.get(reverse("people:import_discard", args=[checked_import.pk])).status_code == 405


def test_a_missing_import_or_kind_of_template_is_not_found(client, hr_admin):
    client.force_login(hr_admin)

    assert client.get(reverse("people:import_detail", args=[999])).status_code == 404
    assert client.post(reverse("people:import_apply", args=[999])).status_code == 404
    assert client.get(reverse("people:import_template", args=["salaries"])).status_code == 404


# --- It rejects bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (upload(name="staff.pdf"), "staff.pdf is not a CSV or Excel (.xlsx) file."),
        (upload(content=b""), "The file is empty."),
        (upload(content=b"employee_id,full_name\nE1,Ada\n"), "These required columns are missing: email,"),
        (upload(kind="salaries"), "Select a valid choice. salaries is not one of the available choices."),
        ({"kind": "people"}, "Choose a file to upload."),
    ],
    ids=["a PDF", "an empty file", "missing columns", "an unknown kind", "no file"],
)
def test_a_bad_upload_is_explained_and_nothing_is_stored(client, hr_admin, form, message):
    client.force_login(hr_admin)

    response = client.post(reverse("people:import_list"), form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DirectoryImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, hr_admin, settings):
    settings.PEOPLE_IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(hr_admin)
    big = rows_to_csv(rows=staff(), kind="people") + b"\n" * (1024 * 1024)

    response = client.post(reverse("people:import_list"), upload(content=big))

    assert "The file is 1.0 MB; the most is 1 MB." in response.content.decode()
    assert not DirectoryImport.objects.exists()


@pytest.mark.parametrize("status", ["invalid", "discarded", "applied", "validating"])
def test_a_crafted_post_cannot_apply_an_import_that_is_not_ready(client, hr_admin, failed_check, status):
    DirectoryImport.objects.filter(pk=failed_check.pk).update(status=status)
    client.force_login(hr_admin)

    response = client.post(reverse("people:import_apply", args=[failed_check.pk]), follow=True)

    failed_check.refresh_from_db()
    assert failed_check.status == status
    assert "so it cannot be applied." in response.content.decode()
    assert not Person.objects.filter(employee_id="E1").exists()


def test_an_applied_import_cannot_be_discarded(client, hr_admin, checked_import):
    DirectoryImport.objects.filter(pk=checked_import.pk).update(status="applied")
    client.force_login(hr_admin)

    response = client.post(reverse("people:import_discard", args=[checked_import.pk]), follow=True)

    assert "This import has already been applied, so it cannot be discarded." in response.content.decode()
    checked_import.refresh_from_db()
    assert checked_import.status == DirectoryImport.Status.APPLIED
