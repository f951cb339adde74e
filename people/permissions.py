"""Who may do what with the HR directory.

Predicates are ``rules`` functions, one rule per line; views go through the ``get_*_for_user`` helpers,
which answer 404 both for what does not exist and for what the user may not see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import DirectoryImport, Person, PersonQuerySet

if TYPE_CHECKING:
    from .models import User


@rules.predicate
def is_hr_admin(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_hr_admin)


@rules.predicate
def is_employee(user: User) -> bool:
    """A login linked to a current person in the directory."""
    person = person_for_user(user)
    return person is not None and person.status != Person.Status.LEFT


@rules.predicate
def is_self(user: User, person: Person | None) -> bool:
    own = person_for_user(user)
    return person is not None and own is not None and own.pk == person.pk


@rules.predicate
def is_manager_of(user: User, person: Person | None) -> bool:
    """Anywhere above the person in their reporting line."""
    own = person_for_user(user)
    if person is None or own is None:
        return False
    return own.pk in manager_chain_ids(person)


# HR admins manage the directory: imports, personnel files, the HR admin group.
rules.add_perm("people.manage_directory", is_hr_admin)
# Any employee may look a colleague up: name, title, department, manager.
rules.add_perm("people.view_person", is_hr_admin | is_employee)
# The personnel file (promotions, certificates, ...) is for HR, the person and their management line.
rules.add_perm("people.view_personnel_file", is_hr_admin | is_self | is_manager_of)
# Self-identified demographics are seen by the person and, as data, by HR admins only.
rules.add_perm("people.view_demographics", is_hr_admin | is_self)
# The audit log of sensitive actions (who changed, read or exported what) is for HR admins only.
rules.add_perm("people.view_audit_log", is_hr_admin)


def person_for_user(user: User | None) -> Person | None:
    """The directory entry linked to a login, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__
    if "_person_cache" not in cache:
        cache["_person_cache"] = Person.objects.with_org().filter(user=user).first()
    return cache["_person_cache"]


def manager_chain_ids(person: Person, limit: int = 50) -> list[int]:
    """The ids of everyone above ``person``, nearest first (bounded against bad data)."""
    chain: list[int] = []
    manager_id = person.manager_id
    while manager_id and manager_id not in chain and len(chain) < limit:
        chain.append(manager_id)
        manager_id = Person.objects.filter(pk=manager_id).values_list("manager_id", flat=True).first()
    return chain


def people_visible_to(user: User) -> PersonQuerySet:
    if is_hr_admin(user):
        return Person.objects.all()
    if is_employee(user):
        return Person.objects.current()
    return Person.objects.none()


def get_person_for_user(user: User, pk: int) -> Person:
    """The person if ``user`` may see their directory entry, else 404."""
    person = people_visible_to(user).with_org().filter(pk=pk).first()
    if person is None or not user.has_perm("people.view_person", person):
        raise Http404("No such person.")
    return person


def require_hr_admin(user: User) -> None:
    """HR-admin-only pages: a plain 403 page for everyone else."""
    if not is_hr_admin(user):
        raise PermissionDenied("This page is for HR admins.")


def require_audit_log_reader(user: User) -> None:
    """The audit log: a plain 403 page for anyone but HR admins."""
    if not user.has_perm("people.view_audit_log"):
        raise PermissionDenied("The audit log is for HR admins.")


def get_directory_import_for_user(user: User, pk: int) -> DirectoryImport:
    """An HR import: 403 for anyone but HR admins, 404 for what does not exist."""
    require_hr_admin(user)
    # The preview polls every 2 s while the worker runs: leave the uploaded bytes in the database.
    found = DirectoryImport.objects.defer("content").select_related("uploaded_by", "applied_by")
    directory_import = found.filter(pk=pk).first()
    if directory_import is None:
        raise Http404("No such import.")
    return directory_import
