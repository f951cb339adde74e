"""Every write SCIM makes: tokens, and provisioning people into the directory (see docs/scim.md).

A provisioned user is a ``people.Person`` with a login (``people.User``) and SCIM's own record
(``ScimUser``). The identity provider owns the attributes it sends; employment status (``Person.status``)
stays with the HR import. Each change is logged as a ``ScimEvent`` naming the attributes, never values.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from scim2_models import EnterpriseUser

from mentoring.tokens import issue
from people.models import MAX_JOB_LEVEL, MIN_JOB_LEVEL, Department, Division, Person, User
from people.permissions import manager_chain_ids

from .errors import ScimError, invalid_value, uniqueness
from .models import ScimEmail, ScimEvent, ScimToken, ScimUser
from .schemas import MentoringUser, UserResource

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "scim"  # noqa: S105 - the kind of token, not a secret
DEFAULT_DIVISION = "Unassigned"
DEFAULT_DEPARTMENT = "Unassigned"


# --- Tokens -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewToken:
    token: ScimToken
    plaintext: str  # shown once, never stored


@transaction.atomic
def token_create(*, name: str, by: User) -> NewToken:
    name = name.strip()
    if not name:
        raise ValueError("Give the token a name that says which identity provider uses it.")
    issued = issue(TOKEN_PREFIX)
    token = ScimToken(name=name[:120], created_by=by)
    token.set_secret(issued)
    token.save()
    logger.info("SCIM token %s made by %s", token.pk, by.email)
    return NewToken(token=token, plaintext=issued.plaintext)


@transaction.atomic
def token_revoke(*, token: ScimToken, by: User) -> ScimToken:
    token.revoke(by=by)
    logger.info("SCIM token %s revoked by %s", token.pk, by.email)
    return token


# --- Provisioning -------------------------------------------------------------------------------------------


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _default_job_level() -> int:
    level = int(_setting("SCIM_DEFAULT_JOB_LEVEL", MIN_JOB_LEVEL))
    return min(max(level, MIN_JOB_LEVEL), MAX_JOB_LEVEL)


@dataclass
class _Wanted:
    """The directory values a SCIM representation asks for (None: not sent, keep what is there)."""

    user_name: str  # as sent: any string (RFC 7643 §4.1.1)
    email: str  # the sign-in address: see ``sign_in_address``
    external_id: str
    given_name: str
    family_name: str
    formatted_name: str
    display_name: str
    full_name: str
    title: str
    active: bool
    emails: list[dict[str, Any]]
    employee_id: str | None
    division: str | None
    department: str | None
    manager_id: str | None  # a SCIM id, or "" to clear
    job_level: int | None
    hire_date: date | None
    location: str


def _clean(value: Any, max_length: int, what: str) -> str:
    text = str(value or "").strip()
    if len(text) > max_length:
        raise invalid_value(f"{what} is longer than {max_length} characters.")
    return text


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


NO_EMAIL = "Give an e-mail address in userName or emails; people sign in with their work e-mail."


def sign_in_address(user_name: str, emails: list[dict[str, Any]]) -> str:
    """The person's sign-in e-mail: ``userName`` when it is an e-mail address (Okta's login usually is,
    Entra ID's userPrincipalName often is), else the primary address in ``emails``, else the one of type
    "work", else the first."""
    if _is_email(user_name):
        return user_name.lower()
    for wanted in (
        lambda e: e["primary"],
        lambda e: str(e["type"]).lower() == "work",
        lambda e: True,
    ):
        found = next((e["value"] for e in emails if wanted(e)), None)
        if found:
            return str(found)
    raise invalid_value(NO_EMAIL)


def _wanted(resource: UserResource) -> _Wanted:
    user_name = _clean(resource.user_name, 254, "userName")
    if not user_name:
        raise ScimError(400, "userName is required.", "invalidValue")
    name = resource.name
    given = _clean(name.given_name if name else "", 200, "name.givenName")
    family = _clean(name.family_name if name else "", 200, "name.familyName")
    formatted = _clean(name.formatted if name else "", 200, "name.formatted")
    display_name = _clean(resource.display_name, 200, "displayName")
    full_name = display_name or formatted or " ".join(part for part in (given, family) if part)
    emails = []
    for email in resource.emails or []:
        value = _clean(email.value, 254, "emails.value").lower()
        if not value:
            continue
        if not _is_email(value):
            raise invalid_value(f"'{value}' in emails is not an e-mail address.")
        kind = _clean(getattr(email.type, "value", email.type), 32, "emails.type")
        emails.append({"value": value, "type": kind, "primary": bool(email.primary)})
    address = sign_in_address(user_name, emails)  # by the types as sent
    emails = [{**e, "type": e["type"] or "work"} for e in emails]
    full_name = full_name or address
    enterprise = resource[EnterpriseUser] if resource.schemas else None
    mentoring = resource[MentoringUser] if resource.schemas else None
    employee_id = division = department = manager_id = None
    if enterprise is not None:
        employee_id = _clean(enterprise.employee_number, 64, "employeeNumber") or None
        division = _clean(enterprise.division, 120, "division") or None
        department = _clean(enterprise.department, 120, "department") or None
        manager_id = _clean(enterprise.manager.value, 64, "manager.value") if enterprise.manager else ""
    job_level = hire_date = None
    location = ""
    if mentoring is not None:
        job_level = mentoring.job_level
        if job_level is not None and not MIN_JOB_LEVEL <= job_level <= MAX_JOB_LEVEL:
            raise invalid_value(f"jobLevel must be between {MIN_JOB_LEVEL} and {MAX_JOB_LEVEL}.")
        hire_date = mentoring.hire_date
        location = _clean(mentoring.location, 120, "location")
    return _Wanted(
        user_name=user_name,
        email=address,
        external_id=_clean(resource.external_id, 255, "externalId"),
        given_name=given,
        family_name=family,
        formatted_name=formatted,
        display_name=display_name,
        full_name=full_name,
        title=_clean(resource.title, 200, "title"),
        active=resource.active is not False,
        emails=emails,
        employee_id=employee_id,
        division=division,
        department=department,
        manager_id=manager_id,
        job_level=job_level,
        hire_date=hire_date,
        location=location,
    )


def _division(name: str) -> Division:
    division = Division.objects.filter(name__iexact=name).first()
    return division or Division.objects.create(name=name)


def _department_for(wanted: _Wanted, current: Department | None) -> Department:
    """Where the person belongs (see docs/scim.md, "Department and division")."""
    if wanted.department is None and wanted.division is None:
        if current is not None:
            return current
        division = _division(_setting("SCIM_DEFAULT_DIVISION", DEFAULT_DIVISION))
        name = _setting("SCIM_DEFAULT_DEPARTMENT", DEFAULT_DEPARTMENT)
    elif wanted.division is None:
        assert wanted.department is not None
        if current is not None and current.name.lower() == wanted.department.lower():
            return current
        matches = list(Department.objects.filter(name__iexact=wanted.department).select_related("division"))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            divisions = ", ".join(sorted(d.division.name for d in matches))
            raise invalid_value(
                f"There is a department '{wanted.department}' in several divisions ({divisions}); "
                "send the division too."
            )
        division = (
            current.division
            if current is not None
            else _division(_setting("SCIM_DEFAULT_DIVISION", DEFAULT_DIVISION))
        )
        name = wanted.department
    else:
        division = _division(wanted.division)
        name = wanted.department or (
            current.name if current is not None else _setting("SCIM_DEFAULT_DEPARTMENT", DEFAULT_DEPARTMENT)
        )
    department = Department.objects.filter(division=division, name__iexact=name).first()
    return department or Department.objects.create(division=division, name=name)


def _manager_for(wanted: _Wanted, person: Person | None) -> Person | None:
    if not wanted.manager_id:
        return None
    try:
        manager_scim_id = uuid.UUID(wanted.manager_id)
    except ValueError:
        manager_scim_id = None
    manager = (
        ScimUser.objects.provisioned().filter(scim_id=manager_scim_id).select_related("person").first()
        if manager_scim_id
        else None
    )
    if manager is None:
        raise invalid_value(f"manager: there is no provisioned user with id '{wanted.manager_id}'.")
    if person is not None and person.pk is not None:
        if manager.person_id == person.pk:
            raise invalid_value("manager: a person cannot be their own manager.")
        if person.pk in manager_chain_ids(manager.person):
            raise invalid_value(
                "manager: this would make the reporting line go round in a loop "
                f"({manager.user_name} already reports, directly or not, to this person)."
            )
    return manager.person


def _check_unique(wanted: _Wanted, person: Person | None) -> None:
    others = Person.objects.exclude(pk=person.pk) if person and person.pk else Person.objects.all()
    if others.filter(email__iexact=wanted.email).exists():
        raise uniqueness(f"Another person in the directory has the e-mail address {wanted.email}.")
    if wanted.employee_id and others.filter(employee_id=wanted.employee_id).exists():
        raise uniqueness(f"Another person in the directory has the employee number {wanted.employee_id}.")
    taken = ScimUser.objects.provisioned().filter(user_name__iexact=wanted.user_name)
    if person is not None and person.pk:
        taken = taken.exclude(person=person)
    if taken.exists():
        raise uniqueness(f"A user with userName {wanted.user_name} is already provisioned.")


def _end_sessions(user: User) -> None:
    """Sign the login out everywhere, now: every session is ended, and the password hash (which each
    session cookie is bound to) is replaced, so no cookie issued earlier works again."""
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.set_unusable_password()


def _sync_login(person: Person, wanted: _Wanted) -> tuple[User, list[str]]:
    """The person's login, created or updated to the sign-in address and active flag."""
    changed: list[str] = []
    user = person.user
    if user is None:
        user = User.objects.filter(email__iexact=wanted.email).first()
        if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
            raise uniqueness(f"The login {wanted.email} belongs to another person.")
        if user is None:
            user = User.objects.create_user(email=wanted.email, password=None)
        person.user = user
        changed.append("login")
    fields = []
    if user.email != wanted.email:
        if User.objects.filter(email__iexact=wanted.email).exclude(pk=user.pk).exists():
            raise uniqueness(f"Another login has the e-mail address {wanted.email}.")
        user.email = wanted.email
        fields.append("email")
    if user.is_active != wanted.active:
        user.is_active = wanted.active
        fields.append("is_active")
        if not wanted.active:
            _end_sessions(user)
            fields.append("password")
    if fields:
        user.save(update_fields=fields)
    # The identity provider vouches for the address: verified and primary, so the login links and signs in.
    EmailAddress.objects.filter(user=user).exclude(email__iexact=wanted.email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=wanted.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=wanted.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user, changed


_PERSON_ATTRIBUTES = {
    "full_name": "displayName",
    "email": "emails",
    "title": "title",
    "employee_id": "employeeNumber",
    "department_id": "department",
    "manager_id": "manager",
    "job_level": "jobLevel",
    "hire_date": "hireDate",
    "location": "location",
    "user_id": "login",
}
_SCIM_ATTRIBUTES = {
    "user_name": "userName",
    "external_id": "externalId",
    "given_name": "name.givenName",
    "family_name": "name.familyName",
    "formatted_name": "name.formatted",
    "display_name": "displayName",
    "emails": "emails",
    "active": "active",
}


def _apply(scim_user: ScimUser, person: Person, wanted: _Wanted) -> list[str]:
    """Write ``wanted`` to the person, their login and the SCIM record; the SCIM attribute names changed."""
    creating = person.pk is None
    _check_unique(wanted, person)
    before = {f: getattr(person, f) for f in _PERSON_ATTRIBUTES} if not creating else {}
    person.full_name = wanted.full_name
    person.email = wanted.email
    person.title = wanted.title
    person.location = wanted.location
    if wanted.employee_id is not None:
        person.employee_id = wanted.employee_id
    elif creating and not person.employee_id:
        # Employee IDs are required and unique; one the identity provider did not send is made up.
        person.employee_id = f"SCIM-{scim_user.scim_id.hex[:12].upper()}"
    current_department = person.department if person.department_id else None
    person.department = _department_for(wanted, current_department)
    person.manager = _manager_for(wanted, person)
    if wanted.job_level is not None:
        person.job_level = wanted.job_level
    elif not person.job_level:
        person.job_level = _default_job_level()
    if wanted.hire_date is not None:
        person.hire_date = wanted.hire_date
    elif person.hire_date is None:
        person.hire_date = timezone.localdate()
    if creating:
        person.save()
    user, login_changes = _sync_login(person, wanted)
    person.user = user
    person.save()
    changed = [name for f, name in _PERSON_ATTRIBUTES.items() if before.get(f) != getattr(person, f)]
    changed += login_changes if not creating else []

    scim_before = {f: getattr(scim_user, f) for f in _SCIM_ATTRIBUTES}
    scim_user.person = person
    scim_user.user_name = wanted.user_name
    scim_user.external_id = wanted.external_id
    scim_user.given_name = wanted.given_name
    scim_user.family_name = wanted.family_name
    scim_user.formatted_name = wanted.formatted_name
    scim_user.display_name = wanted.display_name
    # What was sent, or else the sign-in address: the addresses returned, and those filters select on.
    scim_user.emails = wanted.emails or [{"value": wanted.email, "type": "work", "primary": True}]
    scim_user.active = wanted.active
    changed += [name for f, name in _SCIM_ATTRIBUTES.items() if scim_before[f] != getattr(scim_user, f)]
    return sorted(set(changed))


def _index_emails(scim_user: ScimUser) -> None:
    """The user's ``ScimEmail`` rows, the same addresses as ``scim_user.emails``."""
    ScimEmail.objects.filter(scim_user=scim_user).delete()
    ScimEmail.objects.bulk_create(
        ScimEmail(
            scim_user=scim_user,
            value=email["value"],
            type=email.get("type") or "",
            primary=bool(email.get("primary")),
        )
        for email in scim_user.emails
    )


def _log(operation: str, scim_user: ScimUser, token: ScimToken | None, fields: list[str]) -> None:
    ScimEvent.objects.create(
        token=token, operation=operation, scim_id=scim_user.scim_id, person=scim_user.person, fields=fields
    )


def _adoptable(wanted: _Wanted) -> Person | None:
    """A person from the HR import with this e-mail or employee number, if there is exactly one."""
    by_email = Person.objects.filter(email__iexact=wanted.email).first()
    by_number = Person.objects.filter(employee_id=wanted.employee_id).first() if wanted.employee_id else None
    if by_email and by_number and by_email.pk != by_number.pk:
        raise uniqueness(
            f"The e-mail address {wanted.email} and the employee number {wanted.employee_id} belong to "
            "two different people in the directory."
        )
    return by_email or by_number


@transaction.atomic
def scim_user_create(*, resource: UserResource, token: ScimToken | None) -> ScimUser:
    """Provision a user: a new person, or the existing one with this e-mail or employee number (linked)."""
    wanted = _wanted(resource)
    if ScimUser.objects.provisioned().filter(user_name__iexact=wanted.user_name).exists():
        raise uniqueness(f"A user with userName {wanted.user_name} is already provisioned.")
    person = _adoptable(wanted)
    now = timezone.now()
    if person is None:
        operation = ScimEvent.Operation.CREATE
        person = Person()
        scim_user = ScimUser(provisioned_at=now)
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        existing = ScimUser.objects.select_for_update().filter(person=person).first()
        if existing is not None and existing.deprovisioned_at is None:
            raise uniqueness(f"{wanted.email} matches a person already provisioned as {existing.user_name}.")
        if existing is not None:
            # Back after a DELETE: a new SCIM id, the same person and history.
            operation = ScimEvent.Operation.RESTORE
            scim_user = existing
            scim_user.scim_id = uuid.uuid4()
            scim_user.deprovisioned_at = None
            scim_user.provisioned_at = now
            scim_user.version += 1
            if person.user is not None and not person.user.is_active and wanted.active:
                person.user.is_active = True
                person.user.save(update_fields=["is_active"])
        else:
            operation = ScimEvent.Operation.ADOPT
            scim_user = ScimUser(provisioned_at=now)
    fields = _apply(scim_user, person, wanted)
    try:
        with transaction.atomic():
            scim_user.save()
    except IntegrityError as error:  # a concurrent request provisioned the same userName first
        raise uniqueness(f"A user with userName {wanted.user_name} is already provisioned.") from error
    _index_emails(scim_user)
    _log(operation, scim_user, token, fields)
    logger.info("SCIM %s %s (person %s)", operation, scim_user.scim_id, person.pk)
    return scim_user


@transaction.atomic
def scim_user_replace(
    *, scim_user: ScimUser, resource: UserResource, token: ScimToken | None, operation: str = "replace"
) -> ScimUser:
    """Replace the user's attributes (PUT, or PATCH once applied); ``active`` deactivates or reactivates."""
    scim_user = ScimUser.objects.select_for_update().get(pk=scim_user.pk)
    person = Person.objects.select_related("user", "department__division").get(pk=scim_user.person_id)
    wanted = _wanted(resource)
    fields = _apply(scim_user, person, wanted)
    if fields:
        scim_user.version += 1
    scim_user.save()
    if "emails" in fields:
        _index_emails(scim_user)
    if "active" in fields:
        operation = ScimEvent.Operation.REACTIVATE if wanted.active else ScimEvent.Operation.DEACTIVATE
    if fields:
        _log(operation, scim_user, token, fields)
    return scim_user


@transaction.atomic
def scim_user_delete(*, scim_user: ScimUser, token: ScimToken | None) -> ScimUser:
    """Deprovision: the login is deactivated and signed out, SCIM no longer serves the user; the person
    and everything they did stay."""
    scim_user = ScimUser.objects.select_for_update().get(pk=scim_user.pk)
    person = Person.objects.select_related("user").get(pk=scim_user.person_id)
    user = person.user
    if user is not None and user.is_active:
        user.is_active = False
        _end_sessions(user)
        user.save(update_fields=["is_active", "password"])
    scim_user.active = False
    scim_user.deprovisioned_at = timezone.now()
    scim_user.version += 1
    scim_user.save()
    _log(ScimEvent.Operation.DELETE, scim_user, token, ["active"])
    return scim_user
