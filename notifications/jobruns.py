"""Every run of a scheduled job is recorded (``JobRun``): when it started and ended, what it reported
sending, and why it failed. Celery's task signals do the recording, so a job run by beat, by ``run_job`` or
by the operations page's "Run now" is recorded the same way. Tasks that are not scheduled jobs (an e-mail,
a match run) are not recorded here."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from celery.signals import task_failure, task_postrun, task_prerun
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from .models import JobRun

ERROR_MAX_LENGTH = 4000


def scheduled_job_names() -> list[str]:
    """The task names beat wakes, in schedule order, each once."""
    return list(dict.fromkeys(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()))


def _recorded(task: Any) -> bool:
    return getattr(task, "name", None) in scheduled_job_names()


_recording: ContextVar[bool] = ContextVar("job_runs_recorded", default=True)


@contextlib.contextmanager
def not_recorded() -> Iterator[None]:
    """Run jobs without recording them (a dry run that is rolled back leaves no trace)."""
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)


def _recording_on() -> bool:
    return _recording.get()


@task_prerun.connect
def _started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if not _recorded(task) or not _recording_on():
        return
    with contextlib.suppress(DatabaseError):  # recording must never stop the job itself
        JobRun.objects.create(name=task.name, task_id=task_id or "", started_at=timezone.now())


def error_text(exception: BaseException | None) -> str:
    if exception is None:
        return "The job failed."
    return "".join(traceback.format_exception(exception))[-ERROR_MAX_LENGTH:]


@task_postrun.connect
def _finished(
    task_id: str | None = None, task: Any = None, retval: Any = None, state: Any = None, **kwargs: Any
):
    """The end of a run. A failure seen by a worker was already recorded by ``_failed``; one raised by an
    in-process ``apply`` (``run_job``) arrives only here, with the exception as ``retval``."""
    if not _recorded(task) or not _recording_on():
        return
    fields: dict[str, Any] = {"finished_at": timezone.now()}
    if state == "SUCCESS":
        fields["status"] = JobRun.Status.DONE
        fields["sent"] = retval if isinstance(retval, int) and not isinstance(retval, bool) else None
    else:
        fields["status"] = JobRun.Status.FAILED
        fields["error"] = error_text(retval if isinstance(retval, BaseException) else None)
    with contextlib.suppress(DatabaseError):
        JobRun.objects.filter(task_id=task_id or "", name=task.name, finished_at__isnull=True).update(
            **fields
        )


@task_failure.connect
def _failed(
    task_id: str | None = None, exception: BaseException | None = None, sender: Any = None, **kwargs: Any
) -> None:
    if not _recorded(sender) or not _recording_on():
        return
    with contextlib.suppress(DatabaseError):
        JobRun.objects.filter(task_id=task_id or "", name=sender.name).update(
            status=JobRun.Status.FAILED, error=error_text(exception), finished_at=timezone.now()
        )
