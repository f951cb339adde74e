"""Uploads whose background task was lost: the sweep fails them once, after the task limits, and no others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from people.importing import (
    directory_import_apply,
    directory_import_apply_request,
    directory_import_create,
    directory_import_discard,
    directory_import_fail,
    directory_import_validate,
    directory_imports_fail_stale,
    rows_to_csv,
    uploads,
)
from people.models import DirectoryImport, Person
from people.tasks import STALE_AFTER, apply_import, fail_stale_imports, validate_import

pytestmark = pytest.mark.django_db

LOST = "The import did not finish: the background worker stopped. Upload the file again."
UPLOADED_AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
STAFF = [
    {
        "employee_id": "S1",
        "full_name": "Sam Lead",
        "email": "sam.lead@example.com",
        "title": "Head of Nursing",
        "job_level": "6",
        "division": "Clinical Services",
        "department": "Nursing",
        "manager_employee_id": "",
        "location": "Boston",
        "hire_date": "2021-06-01",
        "status": "active",
        "left_on": "",
        "left_reason": "",
    }
]


@pytest.fixture
def clock(time_machine):
    """Time stands still at the upload until a test moves it."""
    time_machine.move_to(UPLOADED_AT, tick=False)
    return time_machine


def lost_upload(by, content: bytes | None = None) -> DirectoryImport:
    """An upload whose check is never run, as when the queued task is lost (on-commit work is not run)."""
    content = rows_to_csv(rows=STAFF, kind="people") if content is None else content
    return directory_import_create(kind="people", file_name="staff.csv", content=content, by=by)


def later(delta: timedelta) -> datetime:
    return UPLOADED_AT + delta


def test_the_sweep_waits_longer_than_any_import_task_may_run():
    for task in (validate_import, apply_import):
        assert timedelta(seconds=task.time_limit) < STALE_AFTER


def test_an_upload_left_checking_past_the_limit_fails_and_hr_can_discard_it(client, hr_admin, clock):
    directory_import = lost_upload(hr_admin)
    clock.move_to(later(STALE_AFTER + timedelta(minutes=1)))

    assert fail_stale_imports.delay().get() == 1

    directory_import.refresh_from_db()
    assert directory_import.status == "failed"
    assert directory_import.report["errors"] == [{"row": None, "column": None, "message": LOST}]
    assert directory_import.history[-1] == {
        "from": "validating",
        "to": "failed",
        "by": "",
        "at": later(STALE_AFTER + timedelta(minutes=1)).isoformat(),
        "why": LOST,
    }
    client.force_login(hr_admin)
    page = client.get(directory_import.get_absolute_url()).content.decode()
    assert LOST in page
    assert "hx-trigger" not in page
    client.post(reverse("people:import_discard", args=[directory_import.pk]))
    directory_import.refresh_from_db()
    assert directory_import.status == "discarded"


def test_an_upload_still_within_the_limit_is_left_alone(hr_admin, clock):
    directory_import = lost_upload(hr_admin)
    clock.move_to(later(STALE_AFTER - timedelta(minutes=1)))

    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 0

    directory_import.refresh_from_db()
    assert directory_import.status == "validating"
    assert len(directory_import.history) == 1


def test_an_apply_left_running_past_the_limit_fails_and_changes_nothing(hr_admin, clock):
    directory_import = directory_import_validate(directory_import=lost_upload(hr_admin))
    directory_import_apply_request(directory_import=directory_import, by=hr_admin)
    clock.move_to(later(STALE_AFTER + timedelta(minutes=1)))

    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 1

    directory_import.refresh_from_db()
    assert directory_import.status == "failed"
    assert [(e["from"], e["to"]) for e in directory_import.history][-1] == ("applying", "failed")
    assert not Person.objects.filter(employee_id="S1").exists()


def test_an_import_is_judged_by_its_last_move_not_by_its_upload(hr_admin, clock):
    directory_import = directory_import_validate(directory_import=lost_upload(hr_admin))
    clock.move_to(later(timedelta(days=2)))
    directory_import_apply_request(directory_import=directory_import, by=hr_admin)

    clock.move_to(later(timedelta(days=2) + STALE_AFTER - timedelta(minutes=1)))
    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 0
    clock.move_to(later(timedelta(days=2) + STALE_AFTER + timedelta(minutes=1)))
    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 1


def test_imports_that_are_not_waiting_for_a_task_are_never_touched(hr_admin, clock):
    ready = directory_import_validate(directory_import=lost_upload(hr_admin))
    invalid = directory_import_validate(directory_import=lost_upload(hr_admin, content=b""))
    applied = directory_import_validate(directory_import=lost_upload(hr_admin))
    directory_import_apply_request(directory_import=applied, by=hr_admin)
    directory_import_apply(directory_import=applied)
    discarded = directory_import_discard(
        directory_import=directory_import_validate(directory_import=lost_upload(hr_admin)), by=hr_admin
    )
    failed = directory_import_fail(directory_import=lost_upload(hr_admin), message="Stopped.")
    before = {d.pk: (d.status, d.history) for d in (ready, invalid, applied, discarded, failed)}
    assert [status for status, _ in before.values()] == ["ready", "invalid", "applied", "discarded", "failed"]
    clock.move_to(later(timedelta(days=30)))

    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 0

    assert {d.pk: (d.status, d.history) for d in DirectoryImport.objects.all()} == before


def test_a_second_sweep_changes_nothing(hr_admin, clock):
    directory_import = lost_upload(hr_admin)
    clock.move_to(later(STALE_AFTER + timedelta(minutes=1)))
    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 1
    directory_import.refresh_from_db()
    history = directory_import.history

    clock.move_to(later(STALE_AFTER + timedelta(minutes=11)))
    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 0

    directory_import.refresh_from_db()
    assert directory_import.history == history
    assert [e["to"] for e in history].count("failed") == 1


def test_two_sweeps_at_once_fail_an_import_once(hr_admin, clock, monkeypatch):
    directory_import = lost_upload(hr_admin)
    clock.move_to(later(STALE_AFTER + timedelta(minutes=1)))
    fail = uploads.directory_import_fail
    others: list[int] = []

    def another_sweep_claims_it_first(**kwargs):
        monkeypatch.setattr(uploads, "directory_import_fail", fail)
        others.append(directory_imports_fail_stale(older_than=STALE_AFTER))
        return fail(**kwargs)

    monkeypatch.setattr(uploads, "directory_import_fail", another_sweep_claims_it_first)

    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 0
    assert others == [1]
    directory_import.refresh_from_db()
    assert [e["to"] for e in directory_import.history] == ["validating", "failed"]


def test_an_import_that_moves_on_while_the_sweep_runs_keeps_its_new_status(hr_admin, clock, monkeypatch):
    directory_import = lost_upload(hr_admin)
    clock.move_to(later(STALE_AFTER + timedelta(minutes=1)))
    fail = uploads.directory_import_fail

    def its_task_finishes_and_hr_applies_it_first(**kwargs):
        late = DirectoryImport.objects.get(pk=directory_import.pk)
        directory_import_validate(directory_import=late)
        directory_import_apply_request(directory_import=late, by=hr_admin)
        return fail(**kwargs)

    monkeypatch.setattr(uploads, "directory_import_fail", its_task_finishes_and_hr_applies_it_first)

    assert directory_imports_fail_stale(older_than=STALE_AFTER) == 0
    directory_import.refresh_from_db()
    assert directory_import.status == "applying"
