"""An upload checked and applied by a real Celery worker over Redis, as in production."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from mentoring.celery import app as celery_app
from people.importing import directory_import_apply_request, directory_import_create, rows_to_csv
from people.models import DirectoryImport, Person

STAFF = [
    {
        "employee_id": employee_id,
        "full_name": name,
        "email": f"{employee_id.lower()}@example.com",
        "title": title,
        "job_level": level,
        "division": "Research",
        "department": "Genomics",
        "manager_employee_id": manager,
        "location": "Remote",
        "hire_date": "2022-02-01",
        "status": "active",
        "left_on": "",
        "left_reason": "",
    }
    for employee_id, name, title, level, manager in [
        ("W2", "Wen Scientist", "Scientist", "3", "W1"),
        ("W1", "Wil Head", "Head of Genomics", "7", ""),
    ]
]


@pytest.fixture
def worker(db):
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo"):
            yield
    finally:
        celery_app.conf.task_always_eager = eager


def wait_for(directory_import: DirectoryImport, *statuses: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        directory_import.refresh_from_db()
        if directory_import.status in statuses:
            return
        time.sleep(0.1)
    pytest.fail(f"The import stayed {directory_import.status}; expected {' or '.join(statuses)}.")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_checks_and_applies_an_upload(worker, hr_admin):
    directory_import = directory_import_create(
        kind="people", file_name="genomics.csv", content=rows_to_csv(rows=STAFF, kind="people"), by=hr_admin
    )

    wait_for(directory_import, "ready", "invalid", "failed")
    assert directory_import.status == "ready", directory_import.report.get("errors")
    assert directory_import.create_count == 2
    assert not Person.objects.filter(employee_id__startswith="W").exists()

    directory_import_apply_request(directory_import=directory_import, by=hr_admin)
    wait_for(directory_import, "applied", "failed")

    assert directory_import.status == "applied"
    assert Person.objects.get(employee_id="W2").manager.employee_id == "W1"
