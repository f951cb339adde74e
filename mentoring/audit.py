"""The audit log of sensitive actions (django-auditlog), read by HR admins on the *Audit log* page.

Three kinds of entry:

- **Changes** to the models registered in ``register_audited_models``: auditlog's signals record every
  create, update and delete made with ``save()``/``delete()`` (services and the Django admin alike), and
  the many-to-many fields named (coordinators, sponsors, the HR admins group). Only the fields listed are
  recorded: free text that may hold private content (rationales, reasons, motivations) never is. Services
  that change an audited field with a conditional ``UPDATE`` (no signal) record it with ``log_changes``.
- **Reads** of session feedback, check-in answers and closure surveys by coordinators and HR admins:
  ``log_reads`` writes one access entry per answer shown, naming the answer, never its content. Private
  notes are never logged at all.
- **Exports** (CSV, XLSX): ``log_export`` writes one access entry naming the file and its filters.

The actor of an entry is the signed-in user (set by auditlog's middleware for changes, from the request
for reads and exports, from ``by`` for ``log_changes``); entries written by a scheduled job have none and
read "System".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed
from django.http import HttpRequest
from django.utils.encoding import smart_str

# What each audited model records: the fields whose values are kept, and the many-to-many fields whose
# additions and removals are. Everything else on the model is ignored.
AUDITED: dict[str, dict[str, Any]] = {
    # Role changes: membership of the HR admins group, and the flags that grant the Django admin.
    "people.User": {"include_fields": ["is_active", "is_staff", "is_superuser"], "m2m_fields": {"groups"}},
    # Who coordinates and sponsors a program, and its status.
    "programs.Program": {"include_fields": ["name", "status"], "m2m_fields": {"coordinators", "sponsors"}},
    # Applications approved, waitlisted, declined, withdrawn (the reason given is free text: not kept).
    "programs.Participant": {"include_fields": ["program", "person", "role", "status"]},
    # The committee's decisions on Master Mentor candidates (the rationale and motivation are not kept).
    "cohorts.Candidacy": {"include_fields": ["status", "decision", "decided_by", "decided_at"]},
    # Seats on a selection committee, and its chair.
    "cohorts.CommitteeMember": {"include_fields": ["cycle", "person", "is_chair"]},
    # A cohort's coordinators.
    "cohorts.Cohort": {"include_fields": ["name"], "m2m_fields": {"coordinators"}},
    # Pairs made, changed and ended (the reason for ending is free text: not kept).
    "matching.Mentorship": {"include_fields": ["mentor", "mentee", "status", "started_on", "ended_on"]},
    # Publishing a match run.
    "matching.MatchRun": {"include_fields": ["status", "published_at", "published_by"]},
    # Pairs a coordinator forces or forbids (the reason is free text: not kept).
    "matching.PairRule": {"include_fields": ["program", "mentor", "mentee", "kind"]},
    # The smallest group a dashboard shows, and the cost of an external hire.
    "outcomes.OutcomeSettings": {"include_fields": ["min_group_size", "external_hire_cost", "currency"]},
    # Company sign-in providers (the client secret is never kept; settings hold domains and "SSO only").
    "socialaccount.SocialApp": {
        "include_fields": ["provider", "provider_id", "name", "client_id", "settings"]
    },
    # Tokens made and revoked: SCIM provisioning, the read API (and the programs it reads), calendar feeds.
    # Never their digest.
    "scim.ScimToken": {"include_fields": ["name", "hint", "revoked_at", "revoked_by"]},
    "api.ApiToken": {
        "include_fields": ["name", "hint", "master_mentors", "revoked_at", "revoked_by"],
        "m2m_fields": {"programs"},
    },
    "calendars.CalendarFeed": {"include_fields": ["user", "hint", "revoked_at", "revoked_by"]},
}
# Answers whose reads are logged (never their content); the models are not registered, so their creation
# and editing leave no entry with their text.
READ_LOGGED = ("feedback.SessionFeedback", "feedback.CheckIn", "feedback.ClosureSurvey")
# What exports are filed under when a file is about many objects (a program's are filed under the program).
EXPORT_SUBJECTS = ("programs.Program", "cohorts.NominationCycle", "cohorts.Certificate")
# Every kind of object an entry may be about, for the audit log page's filter.
LOGGED_MODELS = tuple(dict.fromkeys([*AUDITED, *READ_LOGGED, *EXPORT_SUBJECTS]))


def register_audited_models() -> None:
    """Connect auditlog to the audited models; called once, when the project's app is ready."""
    from django.apps import apps

    for label, options in AUDITED.items():
        model = apps.get_model(label)
        fields = {key: value for key, value in options.items() if key != "m2m_fields"}
        auditlog.register(model, **fields)
        for name in options.get("m2m_fields", ()):
            m2m_changed.connect(
                partial(_m2m_changed, field_name=name, field=model._meta.get_field(name)),
                sender=getattr(model, name).through,
                weak=False,
                dispatch_uid=f"audit:{label}.{name}",
            )


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    *,
    field_name: str,
    field: models.ManyToManyField,
    **kwargs: Any,
) -> None:
    """Additions and removals of a many-to-many field, recorded on the object that holds the field.

    In place of auditlog's own handler, which records every object of the related model when a relation
    is cleared (the whole directory, for a program's coordinators). Changes made from the other side
    (``person.coordinated_programs.add(program)``) are recorded on each program concerned.
    """
    if auditlog_disabled.get():
        return
    if action == "pre_clear":
        # After the clear the removed objects are gone from the relation: note them now.
        mine, theirs = (
            (field.m2m_reverse_field_name(), field.m2m_field_name())
            if reverse
            else (field.m2m_field_name(), field.m2m_reverse_field_name())
        )
        cleared = set(
            sender._default_manager.filter(**{mine: instance.pk}).values_list(f"{theirs}_id", flat=True)
        )
        instance.__dict__.setdefault("_audit_cleared", {})[sender] = cleared
        return
    if action == "post_clear":
        pk_set = instance.__dict__.get("_audit_cleared", {}).pop(sender, set())
    elif action not in ("post_add", "post_remove"):
        return
    if not pk_set:
        return
    operation = "add" if action == "post_add" else "delete"
    if reverse:
        for owner in model._default_manager.filter(pk__in=pk_set):
            LogEntry.objects.log_m2m_changes([instance], owner, operation, field_name)
    else:
        changed = list(model._default_manager.filter(pk__in=pk_set))
        LogEntry.objects.log_m2m_changes(changed, instance, operation, field_name)


def audit_entry(
    *,
    content_type: ContentType,
    object_pk: Any,
    object_repr: str,
    action: int,
    by: Any = None,
    request: HttpRequest | None = None,
    changes: dict | None = None,
    additional_data: dict | None = None,
) -> LogEntry:
    """An entry written directly (bulk inserts skip auditlog's signals, so actor and address are set here)."""
    if request is not None:
        by = request.user
    actor = by if getattr(by, "is_authenticated", False) else None
    return LogEntry(
        content_type=content_type,
        object_pk=smart_str(object_pk if object_pk is not None else ""),
        object_id=object_pk if isinstance(object_pk, int) else None,
        object_repr=object_repr,
        action=action,
        changes=changes,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        remote_addr=AuditlogMiddleware._get_remote_addr(request) if request is not None else None,
        remote_port=AuditlogMiddleware._get_remote_port(request) if request is not None else None,
        cid=get_cid() if request is not None else None,
        additional_data=additional_data,
    )


def log_changes(
    changed: Iterable[tuple[models.Model, Mapping[str, tuple[Any, Any]]]], *, by: Any = None
) -> None:
    """Update entries for changes saved without ``save()`` (a conditional or bulk ``UPDATE``): one INSERT.

    ``changed`` holds (object, {field: (old, new)}); only fields the model's registration records are kept.
    """
    entries = []
    for instance, fields in changed:
        recorded = auditlog.get_model_fields(type(instance))["include_fields"]
        changes = {
            name: [smart_str(old), smart_str(new)]
            for name, (old, new) in fields.items()
            if name in recorded and old != new
        }
        if changes:
            entries.append(
                audit_entry(
                    content_type=ContentType.objects.get_for_model(instance),
                    object_pk=instance.pk,
                    object_repr=smart_str(instance),
                    action=LogEntry.Action.UPDATE,
                    by=by,
                    changes=changes,
                )
            )
    LogEntry.objects.bulk_create(entries)


def log_reads(objects: Iterable[models.Model], *, request: HttpRequest, what: str) -> None:
    """Access entries for answers shown to someone other than their author: one INSERT for them all.

    The entry names the answer by its kind and number only, so the log never repeats what it says.
    """
    entries = []
    for instance in objects:
        label = smart_str(instance._meta.verbose_name).capitalize()
        entries.append(
            audit_entry(
                content_type=ContentType.objects.get_for_model(instance),
                object_pk=instance.pk,
                object_repr=f"{label} {instance.pk}",
                action=LogEntry.Action.ACCESS,
                request=request,
                additional_data={"read": what},
            )
        )
    LogEntry.objects.bulk_create(entries)


def log_export(
    *, request: HttpRequest, subject: models.Model | type[models.Model], file_name: str, filters: str = ""
) -> None:
    """An access entry for a downloaded file: what it is about (an object, or a kind of object for a file
    about many), its name and the filters that shaped it."""
    instance = subject if isinstance(subject, models.Model) else None
    details = {"export": file_name}
    if filters:
        details["filters"] = filters
    audit_entry(
        content_type=ContentType.objects.get_for_model(subject),
        object_pk=instance.pk if instance is not None else "",
        object_repr=smart_str(instance) if instance is not None else file_name,
        action=LogEntry.Action.ACCESS,
        request=request,
        additional_data=details,
    ).save()
