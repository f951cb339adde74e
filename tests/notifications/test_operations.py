"""Every run of a scheduled job is recorded with what it sent or why it failed, and HR admins read them on
the operations page; a dry run leaves no record."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from notifications.models import JobRun

pytestmark = pytest.mark.django_db

PAGE = reverse("notifications:operations")


def test_a_job_run_is_recorded_with_what_it_sent(capsys):
    call_command("run_job", "feedback.nudge_cadence")
    run = JobRun.objects.get()
    assert (run.name, run.status, run.sent) == ("feedback.nudge_cadence", "done", 0)
    assert run.finished_at >= run.started_at and run.seconds is not None


def test_a_dry_run_leaves_no_record(capsys):
    call_command("run_job", "feedback.nudge_cadence", "--dry-run")
    assert not JobRun.objects.exists()


def test_a_failing_job_is_recorded_with_its_error(monkeypatch, capsys):
    from feedback import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("The mail server is down.")

    monkeypatch.setattr(jobs, "nudge_cadence", broken)
    with pytest.raises(CommandError, match=r"feedback\.nudge_cadence failed: The mail server is down\."):
        call_command("run_job", "feedback.nudge_cadence")
    run = JobRun.objects.get()
    assert run.status == "failed" and "The mail server is down." in run.error


def test_tasks_that_are_not_scheduled_jobs_are_not_recorded(employee, django_capture_on_commit_callbacks):
    from notifications.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=employee.person, kind="checkin_open", key="1", subject="S", body="B")
    assert not JobRun.objects.exists()


def test_hr_admins_read_each_jobs_last_run_and_failures(
    client, hr_admin, capsys, django_assert_max_num_queries
):
    call_command("run_job", "feedback.open_checkins")
    JobRun.objects.create(
        name="feedback.warn_inactive", status="failed", started_at="2026-11-01T07:25Z", error="Boom"
    )
    client.force_login(hr_admin)
    with django_assert_max_num_queries(12):
        page = client.get(PAGE)
    content = page.content.decode()
    assert page.status_code == 200
    assert "feedback.open_checkins" in content and "not run yet" in content and "Boom" in content


def test_the_operations_page_is_for_hr_admins(client, employee):
    client.force_login(employee)
    assert client.get(PAGE).status_code == 403
