"""Every write to the directory that is not an import (imports live in ``people.importing``)."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import HR_ADMINS_GROUP, Person, PersonnelRecord, User
from .timezones import validate_time_zone

logger = logging.getLogger(__name__)


class DirectoryError(Exception):
    """A rule of the directory was broken; the message is meant for the person who tried."""


def person_link_user(*, user: User) -> Person | None:
    """Link ``user`` to the person with the same e-mail, if neither is linked yet.

    Called once the address is verified (or at login when verification is not required), so nobody can
    claim an employee's record by typing their address.
    """
    user.__dict__.pop("_person_cache", None)
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        person = (
            Person.objects.select_for_update().filter(email__iexact=user.email, user__isnull=True).first()
        )
        if person is None:
            return None
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    logger.info("Linked login %s to person %s", user.pk, person.employee_id)
    return person


def hr_admin_group() -> Group:
    """The HR admins group, holding the Django admin permissions on the directory."""
    group, created = Group.objects.get_or_create(name=HR_ADMINS_GROUP)
    if created:
        group.permissions.set(Permission.objects.filter(content_type__app_label="people"))
    return group


@transaction.atomic
def hr_admin_add(*, user: User, by: User | None) -> User:
    if not user.is_active:
        raise DirectoryError(f"{user.email} is deactivated and cannot be an HR admin.")
    user.groups.add(hr_admin_group())
    if not user.is_staff:
        # HR admins may also use the Django admin pages of the directory.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_is_hr_admin", None)
    logger.info("HR admin added: %s by %s", user.email, by.email if by else "system")
    return user


@transaction.atomic
def hr_admin_remove(*, user: User, by: User) -> User:
    group = hr_admin_group()
    if user == by:
        raise DirectoryError("You cannot remove yourself; ask another HR admin.")
    if not group.user_set.exclude(pk=user.pk).filter(is_active=True).exists():
        raise DirectoryError("There must always be at least one HR admin.")
    user.groups.remove(group)
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_is_hr_admin", None)
    logger.info("HR admin removed: %s by %s", user.email, by.email)
    return user


def personnel_record_create(
    *,
    person: Person,
    kind: str,
    effective_on,
    title: str,
    details: str = "",
    job_level: int | None = None,
    by: User | None,
) -> PersonnelRecord:
    if kind not in PersonnelRecord.Kind.values:
        raise DirectoryError(f"Unknown kind of record: {kind}.")
    record = PersonnelRecord(
        person=person,
        kind=kind,
        effective_on=effective_on,
        title=title.strip(),
        details=details.strip(),
        job_level=job_level,
        created_by=by,
    )
    record.full_clean()
    record.save()
    return record


def user_time_zone_set(*, user: User, time_zone: str) -> User:
    """Set the zone the user reads times in; an empty value returns to the organization's."""
    time_zone = (time_zone or "").strip()
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        raise DirectoryError(" ".join(error.messages)) from error
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    return user
