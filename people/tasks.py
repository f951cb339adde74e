"""Background work of HR imports: check, apply, and fail those whose task was lost. Thin: call a service."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from .importing import (
    directory_import_apply,
    directory_import_fail,
    directory_import_validate,
    directory_imports_fail_stale,
)
from .models import DirectoryImport

logger = logging.getLogger(__name__)

# 50,000 rows take seconds; the limits leave room for a slow database, not for a runaway task.
SOFT_TIME_LIMIT = 20 * 60
TIME_LIMIT = SOFT_TIME_LIMIT + 60
IMPORT_TASK = {
    "soft_time_limit": SOFT_TIME_LIMIT,
    "time_limit": TIME_LIMIT,
    # A database that is briefly unreachable is worth another try; the services are idempotent.
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 3,
}
TOO_LONG = (
    f"Checking or applying this file took longer than {SOFT_TIME_LIMIT // 60} minutes, so it was stopped "
    "and nothing was changed. Try again later, or split the file."
)
# No task works on an import for longer than TIME_LIMIT, so an import left validating or applying for
# longer lost its task. The margin covers a retry after a database error and a wait in the queue; a task
# that still turns up later finds the import failed and changes nothing.
STALE_AFTER = timedelta(seconds=TIME_LIMIT) + timedelta(minutes=30)


def _run(import_id: int, service: Callable[..., DirectoryImport]) -> None:
    directory_import = DirectoryImport.objects.select_related("applied_by").filter(pk=import_id).first()
    if directory_import is None:
        logger.warning("Import %s no longer exists", import_id)
        return
    try:
        service(directory_import=directory_import)
    except SoftTimeLimitExceeded:
        directory_import_fail(directory_import=directory_import, message=TOO_LONG)


@shared_task(name="people.validate_import", **IMPORT_TASK)
def validate_import(import_id: int) -> None:
    _run(import_id, directory_import_validate)


@shared_task(name="people.apply_import", **IMPORT_TASK)
def apply_import(import_id: int) -> None:
    _run(import_id, directory_import_apply)


# Beat runs this every 10 minutes (mentoring/settings/base.py); it reads a few rows.
@shared_task(name="people.fail_stale_imports", soft_time_limit=60, time_limit=2 * 60)
def fail_stale_imports() -> int:
    return directory_imports_fail_stale(older_than=STALE_AFTER)
