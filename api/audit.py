"""Reads of figures through the API, in the audit log beside the dashboards' exports.

Each call that returns figures writes one access entry, filed like an export (under the program, or under
nomination cycles for the Master Mentor results), naming the endpoint, the filters and the token. The token
is the actor: the entry's "who" reads ``API token “name” (…hint)``, so HR can filter the log by it.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils.encoding import smart_str

from mentoring.audit import audit_entry

from .models import ApiToken


def token_label(token: ApiToken) -> str:
    return f"API token “{token.name}” (…{token.hint})"


def log_api_read(
    *, request: HttpRequest, token: ApiToken, subject: models.Model | type[models.Model], filters: str
) -> None:
    instance = subject if isinstance(subject, models.Model) else None
    details = {"export": f"API {request.path}", "token": f"#{token.pk} {token.name} (…{token.hint})"}
    if filters:
        details["filters"] = filters
    entry = audit_entry(
        content_type=ContentType.objects.get_for_model(subject),
        object_pk=instance.pk if instance is not None else "",
        object_repr=smart_str(instance) if instance is not None else f"API {request.path}",
        action=LogEntry.Action.ACCESS,
        request=request,
        additional_data=details,
    )
    # The token made the call, whatever session the browser that sent it may hold.
    entry.actor = None
    entry.actor_email = token_label(token)
    entry.save()
