"""Key results of a program: what it aims for, measured by one metric each, with a baseline and a target.

Every rule is checked here; errors are raised as ``SectionInvalid`` with a message per field, as on the
settings page the key results sit on. A closed program's key results stay as they were.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from people.models import User
from programs.models import KeyResult, Program

from . import ProgramError
from .config import SectionInvalid

S = Program.Status

PERCENT_METRICS = {
    KeyResult.Metric.PARTICIPATION_RATE,
    KeyResult.Metric.MATCH_RATE,
    KeyResult.Metric.GOAL_COMPLETION,
    KeyResult.Metric.PROMOTION_RATE,
    KeyResult.Metric.RETENTION_RATE,
}
KEY_RESULT_FIELDS = ("objective", "metric", "baseline", "target", "due_on")
KEY_RESULT_NUMBER_LIMIT = Decimal("999999.99")  # max_digits=8, decimal_places=2


def _key_result_problems(
    program: Program, data: Mapping[str, Any], instance: KeyResult | None
) -> dict[str | None, list[str]]:
    errors: dict[str | None, list[str]] = defaultdict(list)
    if program.status == S.CLOSED:
        errors[None].append(
            "The key results of a closed program stay as they were, so results are measured against "
            "the targets that were set."
        )
        return errors
    unknown = sorted(set(data) - set(KEY_RESULT_FIELDS))
    if unknown:
        errors[None].append(f"{', '.join(unknown)} are not part of a key result.")
    metric = data.get("metric")
    if metric not in KeyResult.Metric.values:
        errors["metric"].append("Choose one of the metrics offered.")
    else:
        others = program.key_results.filter(metric=metric)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if others.exists():
            errors["metric"].append(
                f"This program already has a key result for {KeyResult.Metric(metric).label.lower()}; "
                "edit that one instead."
            )
    objective = data.get("objective") or ""
    if len(objective) > 200:
        errors["objective"].append("The objective is too long: at most 200 characters.")
    due_on = data.get("due_on")
    if due_on is not None and type(due_on) is not datetime.date:
        errors["due_on"].append("The due date must be a date.")
    for field in ("baseline", "target"):
        value = data.get(field)
        if value is None:
            if field == "target":
                errors["target"].append("Set a target.")
            continue
        try:
            number = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            errors[field].append(f"The {field} must be a number.")
            continue
        if not number.is_finite() or abs(number) > KEY_RESULT_NUMBER_LIMIT:
            errors[field].append(f"The {field} is too large.")
        elif metric in PERCENT_METRICS and not 0 <= number <= 100:
            errors[field].append(f"The {field} is a percentage: between 0 and 100.")
        elif metric == KeyResult.Metric.AVERAGE_SESSION_RATING and not 1 <= number <= 5:
            errors[field].append(f"The {field} is a rating: between 1 and 5.")
        elif metric == KeyResult.Metric.SESSIONS_PER_PAIR_MONTH and number < 0:
            errors[field].append(f"The {field} is a number of sessions: 0 or more.")
    return errors


def _key_result_save(program: Program, data: Mapping[str, Any], instance: KeyResult | None) -> KeyResult:
    errors = _key_result_problems(program, data, instance)
    if any(errors.values()):
        raise SectionInvalid(errors)
    key_result = instance or KeyResult(program=program)
    key_result.objective = (data.get("objective") or "").strip()
    key_result.metric = data["metric"]
    key_result.baseline = None if data.get("baseline") is None else Decimal(data["baseline"])
    key_result.target = Decimal(data["target"])
    key_result.due_on = data.get("due_on")
    key_result.save()
    return key_result


@transaction.atomic
def key_result_create(*, program: Program, data: Mapping[str, Any], by: User) -> KeyResult:
    locked = Program.objects.select_for_update().get(pk=program.pk)
    return _key_result_save(locked, data, None)


@transaction.atomic
def key_result_update(*, key_result: KeyResult, data: Mapping[str, Any], by: User) -> KeyResult:
    locked = Program.objects.select_for_update().get(pk=key_result.program_id)
    return _key_result_save(locked, data, key_result)


@transaction.atomic
def key_result_delete(*, key_result: KeyResult, by: User) -> None:
    program = Program.objects.select_for_update().get(pk=key_result.program_id)
    if program.status == S.CLOSED:
        raise ProgramError("The key results of a closed program stay as they were.")
    if program.status != S.DRAFT and program.key_results.count() == 1:
        raise ProgramError(
            "A program under way needs at least one key result; add another before removing this one."
        )
    key_result.delete()
