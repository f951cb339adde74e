"""Writing the data set's rows, and the day arithmetic the steps share.

Rows are dicts that carry their own ids, so that rows of other tables can refer to them before they are
written. On PostgreSQL they go in with ``COPY`` (a million rows in seconds) and the table's sequence is then
moved past them; elsewhere (the SQLite test suite, at small sizes) with ``bulk_create``.
"""

from __future__ import annotations

import calendar
import datetime
import io
import itertools
import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

BATCH = 50_000  # rows per COPY
DAY = 86_400
EPOCH = datetime.date(1970, 1, 1).toordinal()
NEVER = 10**7  # the day "left" or "ended" of those who have not

_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """A value in the text format of COPY."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPE)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetimes too: ISO 8601 with their offset
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value).translate(_ESCAPE)
    return str(value)


class Writer:
    """Writes rows of one shape (the same keys in the same order); the fields they leave out take their
    defaults, timestamps ``now``."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, model: type[models.Model]) -> int:
        return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        rows = itertools.chain([first], rows)
        fixed: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.attname not in first:
                stamp = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                fixed[field.attname] = self.now if stamp else field.get_default()
        if not self.postgres:
            objects = [model(**fixed, **row) for row in rows]
            model._base_manager.bulk_create(objects, batch_size=500)
            return len(objects)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in [*first, *fixed])
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        tail = "".join("\t" + copy_text(value) for value in fixed.values()) + "\n"
        written = 0
        with connection.cursor() as cursor:
            while chunk := list(itertools.islice(rows, BATCH)):
                text = "".join("\t".join(map(copy_text, row.values())) + tail for row in chunk)
                cursor.cursor.copy_expert(sql, io.StringIO(text), size=1 << 20)
                written += len(chunk)
            # Later inserts through the ORM take their ids from the sequence, which COPY did not move.
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
        return written


def pick(rng: np.random.Generator, options: Sequence[tuple[str, float]], size: int) -> list[str]:
    """``size`` draws from (value, share) options."""
    names = [name for name, _ in options]
    shares = np.array([share for _, share in options])
    return [names[i] for i in rng.choice(len(names), size=size, p=shares / shares.sum()).tolist()]


def day(ordinal: int) -> datetime.date:
    return datetime.date.fromordinal(ordinal)


def at(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def moment(ordinal: int, hour: int = 10) -> datetime.datetime:
    return at((ordinal - EPOCH) * DAY + hour * 3600)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """As ``feedback.services.checkins`` counts check-in periods: the same day of the month, or its last."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))
