"""The audit log page: HR admins read who changed, read or exported what, newest first.

What is recorded, and what never is, is decided in ``mentoring.audit``. The page shows each entry's field
names, and the values of the fields the model's registration records (never those of any other field), with
the objects they refer to named; the queries do not grow with the page: the count, the page with its actors
and kinds of object, and one for each kind of object referred to.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from mentoring.audit import AUDITED
from people.forms import AuditLogFilterForm
from people.permissions import require_audit_log_reader
from people.selectors import audit_log_entries

PAGE_SIZE = 50
ACTION_LABELS = {value: str(label).capitalize() for value, label in LogEntry.Action.choices}
DETAIL_LABELS = {"read": "Read", "export": "Exported", "filters": "Filters"}
# What naming a related object needs, so that naming a page of them costs one query per kind of object.
RELATED_NAMES = {"programs.Participant": ("person", "program")}
Related = dict[type[models.Model], dict[int, models.Model]]


@dataclass
class Change:
    name: str
    old: str | None = None
    new: str | None = None
    # For many-to-many fields: "added" or "removed", and what.
    operation: str = ""
    objects: list[str] = field(default_factory=list)


@dataclass
class Row:
    entry: LogEntry
    action: str
    kind: str
    changes: list[Change]
    details: list[tuple[str, str]]


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    require_audit_log_reader(request.user)
    form = AuditLogFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    page = Paginator(audit_log_entries(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(list(page)),
        "query": query.urlencode(),
        "filtered": bool(filters),
    }
    return render(request, "people/audit_log.html", context)


def _rows(entries: list[LogEntry]) -> list[Row]:
    related = _related_objects(entries)
    return [_row(entry, related) for entry in entries]


def _row(entry: LogEntry, related: Related) -> Row:
    model = entry.content_type.model_class()
    kind = smart_str(model._meta.verbose_name).capitalize() if model else entry.content_type.model
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    return Row(
        entry=entry,
        action=ACTION_LABELS.get(entry.action, str(entry.action)),
        kind=kind,
        changes=_changes(entry, model, related),
        details=[(DETAIL_LABELS.get(key, key.capitalize()), smart_str(value)) for key, value in data.items()],
    )


def _recorded(entry: LogEntry) -> Iterator[tuple[str, Any, Any]]:
    """(field name, field, value) of each recorded field of an entry whose values may be shown."""
    model = entry.content_type.model_class()
    options = AUDITED.get(model._meta.label, {}) if model is not None else {}
    shown = {*options.get("include_fields", ()), *options.get("m2m_fields", ())}
    for name, value in (entry.changes if isinstance(entry.changes, dict) else {}).items():
        yield name, (_field(model, name) if name in shown else None), value


def _related_objects(entries: list[LogEntry]) -> Related:
    """The objects recorded values refer to (a pair's mentor, who decided), one query per kind of object."""
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for entry in entries:
        for _name, model_field, value in _recorded(entry):
            if model_field is not None and model_field.many_to_one and isinstance(value, list | tuple):
                wanted[model_field.related_model] |= {int(v) for v in value if str(v).isdigit()}
    return {
        model: model._default_manager.select_related(*RELATED_NAMES.get(model._meta.label, ())).in_bulk(ids)
        for model, ids in wanted.items()
    }


def _changes(entry: LogEntry, model: type[models.Model] | None, related: Related) -> list[Change]:
    changes = []
    for name, model_field, value in _recorded(entry):
        known = _field(model, name)
        label = smart_str(known.verbose_name).capitalize() if known is not None else name
        if model_field is None:
            # Not (or no longer) a field whose values are recorded: its name only.
            changes.append(Change(label))
        elif isinstance(value, dict) and value.get("type") == "m2m":
            operation = "added" if value.get("operation") == "add" else "removed"
            changes.append(
                Change(label, operation=operation, objects=[smart_str(o) for o in value["objects"]])
            )
        elif isinstance(value, list | tuple) and len(value) == 2:
            old, new = (_display(model_field, v, related) for v in value)
            changes.append(Change(label, old=old, new=new))
    return changes


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _display(model_field: Any, value: Any, related: Related) -> str | None:
    """A recorded value as a reader says it: choices by their label, related objects by name, times in the
    reader's time zone."""
    if value in (None, "None", ""):
        return None
    text = smart_str(value)
    if getattr(model_field, "choices", None):
        return smart_str(dict(model_field.flatchoices).get(text, text))
    if model_field.many_to_one:
        found = related.get(model_field.related_model, {}).get(int(text)) if text.isdigit() else None
        return smart_str(found) if found is not None else f"#{text} (deleted)"
    if isinstance(model_field, models.BooleanField):
        return {"True": "yes", "False": "no"}.get(text, text)
    if isinstance(model_field, models.DateTimeField):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return text
        # auditlog keeps times as UTC without a zone.
        moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
        return date_format(timezone.localtime(moment), "j M Y H:i")
    return text
