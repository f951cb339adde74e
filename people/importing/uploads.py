"""Uploaded imports: a ``DirectoryImport`` validated, previewed, then applied or discarded.

The statuses move only along ``IMPORT_TRANSITIONS``, each move by a conditional UPDATE (so racing requests
and redelivered tasks do the work once) and each recorded in the import's history. The checking and the
applying run in Celery tasks (``people.tasks``), queued once the upload or the request is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from ..models import DirectoryImport, User
from .files import ImportFileError, columns_for, read_table
from .people import people_import
from .promotions import promotions_import
from .report import ImportReport

logger = logging.getLogger(__name__)


class ImportStateError(Exception):
    """An import cannot make this move (e.g. applying what was discarded); the message is for HR."""


def run_import(
    *, kind: str, rows: Sequence[Mapping[str, str]], dry_run: bool, by: User | None
) -> ImportReport:
    """Import ``rows`` of either kind: the one entry point of the command and of uploaded imports."""
    if kind == DirectoryImport.Kind.PROMOTIONS:
        return promotions_import(rows=rows, dry_run=dry_run, by=by)
    return people_import(rows=rows, dry_run=dry_run, by=by)


_Status = DirectoryImport.Status
# Every move an import may make; anything else raises ImportStateError.
IMPORT_TRANSITIONS: dict[str, set[str]] = {
    _Status.VALIDATING: {_Status.READY, _Status.INVALID, _Status.FAILED},
    _Status.READY: {_Status.APPLYING, _Status.DISCARDED},
    _Status.INVALID: {_Status.DISCARDED},
    _Status.APPLYING: {_Status.APPLIED, _Status.FAILED},
    _Status.FAILED: {_Status.DISCARDED},
    _Status.APPLIED: set(),
    _Status.DISCARDED: set(),
}
_WHERE_IT_STANDS: dict[str, str] = {
    _Status.VALIDATING: "is still being checked",
    _Status.INVALID: "has errors",
    _Status.READY: "is ready to apply",
    _Status.APPLYING: "is being applied",
    _Status.APPLIED: "has already been applied",
    _Status.DISCARDED: "has been discarded",
    _Status.FAILED: "failed",
}
_VERB: dict[str, str] = {_Status.APPLYING: "applied", _Status.DISCARDED: "discarded"}
_CHANGED_MEANWHILE = "This import was changed by someone else; reload the page."
# Statuses in which an import waits for a Celery task; nothing else moves it on.
_WAITING_FOR_TASK = (_Status.VALIDATING, _Status.APPLYING)
_LOST_TASK_MESSAGE = "The import did not finish: the background worker stopped. Upload the file again."


def _transition(
    *,
    directory_import: DirectoryImport,
    to: str,
    by: User | None,
    why: str = "",
    from_status: str | None = None,
    **values: Any,
) -> DirectoryImport:
    """Move to ``to`` if the current status allows it; a conditional UPDATE makes racing requests safe.

    With ``from_status``, move only from that status: the caller decided from it, and it must not have
    moved on meanwhile.
    """
    with transaction.atomic():
        current = DirectoryImport.objects.filter(pk=directory_import.pk).values("status", "history").get()
        if from_status is not None and current["status"] != from_status:
            raise ImportStateError(_CHANGED_MEANWHILE)
        if to not in IMPORT_TRANSITIONS[current["status"]]:
            raise ImportStateError(
                f"This import {_WHERE_IT_STANDS[current['status']]}, so it cannot be {_VERB.get(to, to)}."
            )
        event = {
            "from": current["status"],
            "to": to,
            "by": by.email if by else "",
            "at": timezone.now().isoformat(),
            "why": why,
        }
        values.update(status=to, history=[*current["history"], event])
        moved = DirectoryImport.objects.filter(pk=directory_import.pk, status=current["status"]).update(
            **values
        )
        if not moved:
            raise ImportStateError(_CHANGED_MEANWHILE)
    for name, value in values.items():
        setattr(directory_import, name, value)
    logger.info("Import %s: %s → %s by %s", directory_import.pk, event["from"], to, by or "the system")
    return directory_import


def _report_values(report: ImportReport) -> dict[str, Any]:
    return {
        "report": report.to_json(),
        "row_count": report.rows,
        "create_count": report.creates,
        "update_count": report.updates,
        "unchanged_count": report.unchanged,
        "error_count": len(report.errors),
    }


def _file_error_report(*, kind: str, dry_run: bool, message: str) -> ImportReport:
    report = ImportReport(kind=kind, dry_run=dry_run)
    report.error(None, None, message)
    return report


def _run(*, directory_import: DirectoryImport, dry_run: bool, by: User | None) -> ImportReport:
    try:
        rows = read_table(
            content=bytes(directory_import.content),
            file_name=directory_import.file_name,
            kind=directory_import.kind,
        )
    except ImportFileError as exc:
        return _file_error_report(kind=directory_import.kind, dry_run=dry_run, message=str(exc))
    return run_import(kind=directory_import.kind, rows=rows, dry_run=dry_run, by=by)


def directory_import_create(*, kind: str, file_name: str, content: bytes, by: User) -> DirectoryImport:
    """Store an upload and queue its validation; the preview appears when the worker is done."""
    from .. import tasks

    columns_for(kind)  # an unknown kind is a programming error, not an HR one
    with transaction.atomic():
        directory_import = DirectoryImport.objects.create(
            kind=kind,
            file_name=PurePath(file_name).name[:255],
            content=content,
            uploaded_by=by,
            history=[
                {
                    "from": "",
                    "to": _Status.VALIDATING,
                    "by": by.email,
                    "at": timezone.now().isoformat(),
                    "why": "uploaded",
                }
            ],
        )
        transaction.on_commit(lambda: tasks.validate_import.delay(directory_import.pk))
    return directory_import


def directory_import_validate(*, directory_import: DirectoryImport) -> DirectoryImport:
    """Check every row against the current directory and store the preview (a dry run)."""
    if directory_import.status != _Status.VALIDATING:
        return directory_import  # a redelivered task: the work is done
    report = _run(directory_import=directory_import, dry_run=True, by=None)
    return _transition(
        directory_import=directory_import,
        to=_Status.READY if report.ok else _Status.INVALID,
        by=None,
        why="validated",
        validated_at=timezone.now(),
        **_report_values(report),
    )


def directory_import_apply_request(*, directory_import: DirectoryImport, by: User) -> DirectoryImport:
    """Claim a ready import for applying (once, however often the button is pressed) and queue the work."""
    from .. import tasks

    with transaction.atomic():
        _transition(directory_import=directory_import, to=_Status.APPLYING, by=by, applied_by=by)
        transaction.on_commit(lambda: tasks.apply_import.delay(directory_import.pk))
    return directory_import


def directory_import_apply(*, directory_import: DirectoryImport) -> DirectoryImport:
    """Check the file again against the directory as it is now, and apply it all or not at all."""
    if directory_import.status != _Status.APPLYING:
        return directory_import
    by = directory_import.applied_by
    try:
        with transaction.atomic():
            report = _run(directory_import=directory_import, dry_run=False, by=by)
            return _transition(
                directory_import=directory_import,
                to=_Status.APPLIED if report.applied else _Status.FAILED,
                by=by,
                why="applied" if report.applied else "the directory changed since the preview",
                applied_at=timezone.now() if report.applied else None,
                **_report_values(report),
            )
    except (IntegrityError, DataError) as exc:
        logger.warning("Import %s could not be applied: %s", directory_import.pk, exc)
        return directory_import_fail(
            directory_import=directory_import,
            message="The directory changed while this import was being applied, so nothing was "
            "changed. Upload the file again to see a fresh preview.",
        )


def directory_import_fail(
    *, directory_import: DirectoryImport, message: str, from_status: str | None = None
) -> DirectoryImport:
    """Give up on a validation or an apply (e.g. it took too long); nothing was changed.

    ``from_status``: fail only an import still in this status (see ``_transition``).
    """
    directory_import.refresh_from_db(fields=["status"])
    report = _file_error_report(kind=directory_import.kind, dry_run=True, message=message)
    return _transition(
        directory_import=directory_import,
        to=_Status.FAILED,
        by=None,
        why=message,
        from_status=from_status,
        **_report_values(report),
    )


def directory_imports_fail_stale(*, older_than: timedelta) -> int:
    """Fail the imports whose background task was lost; return how many were failed.

    An import is validating or applying only while its task is queued or running. If the message is lost
    (a broker restart, a killed worker), nothing would ever move it on, and those statuses cannot be
    discarded, so HR would be stuck with it. ``older_than`` must be longer than any task can run: an import
    that has been in its status that long has no task left. Each import is claimed by the conditional
    UPDATE of its move, from the status it was judged in (an import enters each status once, so if that
    status still holds, nobody moved it meanwhile): a task finishing at the same moment, or a second sweep,
    wins or loses cleanly, and a later sweep finds nothing left to do.
    """
    cutoff = timezone.now() - older_than
    # The status changed after the upload, so only imports uploaded before the cutoff can be stale.
    waiting = (
        DirectoryImport.objects.filter(status__in=_WAITING_FOR_TASK, created_at__lt=cutoff)
        .only("pk", "kind", "status", "created_at", "history")
        .order_by("pk")
    )
    failed = 0
    for directory_import in waiting:
        since = _status_since(directory_import)
        if since >= cutoff:
            continue
        status = directory_import.status
        try:
            directory_import_fail(
                directory_import=directory_import, message=_LOST_TASK_MESSAGE, from_status=status
            )
        except ImportStateError:
            continue  # its task or another sweep moved it on meanwhile
        logger.warning(
            "Import %s had been %s since %s with no task left; failed it", directory_import.pk, status, since
        )
        failed += 1
    return failed


def _status_since(directory_import: DirectoryImport) -> datetime:
    """When the import entered its current status: the last move in its history."""
    if not directory_import.history:
        return directory_import.created_at
    return datetime.fromisoformat(directory_import.history[-1]["at"])


def directory_import_discard(*, directory_import: DirectoryImport, by: User) -> DirectoryImport:
    return _transition(directory_import=directory_import, to=_Status.DISCARDED, by=by, why="discarded")


def directory_import_record(
    *, kind: str, file_name: str, content: bytes, report: ImportReport, by: User | None
) -> DirectoryImport:
    """Keep an import applied outside the pages (``import_people``) in the list of imports."""
    now = timezone.now()
    return DirectoryImport.objects.create(
        kind=kind,
        status=_Status.APPLIED,
        file_name=PurePath(file_name).name[:255],
        content=content,
        uploaded_by=by,
        applied_by=by,
        validated_at=now,
        applied_at=now,
        history=[
            {
                "from": "",
                "to": _Status.APPLIED,
                "by": by.email if by else "",
                "at": now.isoformat(),
                "why": "imported from the command line",
            }
        ],
        **_report_values(report),
    )
