"""A user's whole life through a real SCIM client (scim2-client over the project's WSGI stack)."""

from __future__ import annotations

import pytest
from django.test import Client
from scim2_models import Email, EnterpriseUser, Manager, Name, PatchOp, PatchOperation, SearchRequest

from people.models import Person, User
from scim.models import ScimEvent, ScimUser
from scim.schemas import MentoringUser, UserResource

pytestmark = pytest.mark.django_db

PASSWORD = "Sc1m-lifecycle-2026!"
ScimUserModel = UserResource


def _new(email: str, **extra) -> UserResource:
    given, _, family = email.split("@")[0].partition(".")
    user = UserResource(
        user_name=email,
        name=Name(given_name=given.title(), family_name=family.title()),
        emails=[Email(value=email, type="work", primary=True)],
        active=True,
        **extra,
    )
    return user


def _can_sign_in(email: str) -> bool:
    client = Client()
    client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    return "_auth_user_id" in client.session


def _patch(*operations: PatchOperation) -> PatchOp:
    return PatchOp[UserResource](operations=list(operations))


def test_a_user_is_provisioned_found_changed_deactivated_and_deprovisioned(scim_client, department):
    # Create: a person, a login with no password, a verified address, the SCIM record.
    ada = _new("ada.lovelace@example.com", title="Analyst")
    ada[EnterpriseUser] = EnterpriseUser(employee_number="E100", division="Research", department="Optics")
    ada[MentoringUser] = MentoringUser(job_level=5, hire_date="2021-03-01", location="London")
    created = scim_client.create(ada)
    assert created.id and created.meta.version == 'W/"1"'
    person = Person.objects.select_related("user", "department__division").get(employee_id="E100")
    assert person.full_name == "Ada Lovelace" and person.title == "Analyst" and person.job_level == 5
    assert (person.department.name, person.department.division.name) == ("Optics", "Research")
    assert person.user.email == "ada.lovelace@example.com" and not person.user.has_usable_password()
    assert person.user.emailaddress_set.get().verified

    # Get.
    fetched = scim_client.query(UserResource, created.id)
    assert fetched.user_name == "ada.lovelace@example.com"
    assert fetched[EnterpriseUser].department == "Optics"

    # Filter: eq, co, sw (and nothing else matches).
    boss = scim_client.create(_new("grace.hopper@example.com"))
    for expression in (
        'userName eq "ADA.LOVELACE@example.com"',
        'userName co "lovelace"',
        'userName sw "ada."',
        'name.familyName eq "Lovelace" and active eq true',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E100"',
    ):
        found = scim_client.query(UserResource, query_parameters=SearchRequest(filter=expression))
        assert [u.id for u in found.resources or []] == [created.id], expression
    none = scim_client.query(
        UserResource, query_parameters=SearchRequest(filter='userName eq "nobody@x.org"')
    )
    assert none.total_results == 0

    # Patch: title, manager, department.
    patched = scim_client.modify(
        UserResource,
        created.id,
        _patch(
            PatchOperation(op="replace", path="title", value="Senior analyst"),
            PatchOperation(
                op="add",
                path="urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                value=Manager(value=boss.id, ref=f"http://localhost/scim/v2/Users/{boss.id}"),
            ),
            PatchOperation(
                op="replace",
                path="urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                value=department.name,
            ),
            PatchOperation(
                op="replace",
                path="urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
                value=department.division.name,
            ),
        ),
    )
    assert patched.title == "Senior analyst"
    assert patched[EnterpriseUser].manager.value == boss.id
    person.refresh_from_db()
    assert person.title == "Senior analyst" and person.department == department
    assert person.manager == Person.objects.get(email="grace.hopper@example.com")

    # Pagination: three users, two per page.
    scim_client.create(_new("alan.turing@example.com"))
    first = scim_client.query(UserResource, query_parameters=SearchRequest(start_index=1, count=2))
    second = scim_client.query(UserResource, query_parameters=SearchRequest(start_index=3, count=2))
    assert (first.total_results, first.items_per_page, first.start_index) == (3, 2, 1)
    assert (second.items_per_page, second.start_index) == (1, 3)
    ids = [u.id for u in [*first.resources, *second.resources]]
    assert len(set(ids)) == 3

    # Deactivate: no sign-in with a password, and a signed-in browser is signed out.
    login = User.objects.get(email="ada.lovelace@example.com")
    login.set_password(PASSWORD)
    login.save()
    assert _can_sign_in("ada.lovelace@example.com")
    browser = Client()
    browser.post("/accounts/login/", {"login": "ada.lovelace@example.com", "password": PASSWORD})
    assert browser.get("/people/").status_code == 200
    scim_client.modify(
        UserResource, created.id, _patch(PatchOperation(op="replace", path="active", value=False))
    )
    login.refresh_from_db()
    assert not login.is_active
    assert not _can_sign_in("ada.lovelace@example.com")
    assert browser.get("/people/").status_code == 302
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE  # employment status belongs to the HR import

    # Reactivate: the login works again (with a new password or single sign-on).
    scim_client.modify(
        UserResource, created.id, _patch(PatchOperation(op="replace", path="active", value=True))
    )
    login.refresh_from_db()
    assert login.is_active
    login.set_password(PASSWORD)
    login.save()
    assert _can_sign_in("ada.lovelace@example.com")

    # Delete: gone from SCIM, the person and history kept, the login off.
    scim_client.delete(UserResource, created.id)
    response = scim_client.query(UserResource, created.id, raise_scim_errors=False)
    assert response.status == 404
    assert Person.objects.filter(pk=person.pk).exists()
    login.refresh_from_db()
    assert not login.is_active and not _can_sign_in("ada.lovelace@example.com")

    # Provisioning the same userName again brings the same person back, under a new id.
    again = scim_client.create(_new("ada.lovelace@example.com"))
    assert again.id != created.id
    assert ScimUser.objects.get(scim_id=again.id).person_id == person.pk
    login.refresh_from_db()
    assert login.is_active

    operations = list(
        ScimEvent.objects.filter(person=person).order_by("at", "pk").values_list("operation", flat=True)
    )
    assert operations == ["create", "patch", "deactivate", "reactivate", "delete", "restore"]
    assert all(
        isinstance(name, str) and "@" not in name for e in ScimEvent.objects.all() for name in e.fields
    )


def test_a_person_from_the_hr_import_is_adopted_not_duplicated(scim_client, department):
    from tests.factories import PersonFactory

    existing = PersonFactory(email="mary.somerville@example.com", employee_id="HR-7", department=department)
    user = _new("mary.somerville@example.com")
    user[EnterpriseUser] = EnterpriseUser(employee_number="HR-7")
    created = scim_client.create(user)
    assert ScimUser.objects.get(scim_id=created.id).person_id == existing.pk
    assert Person.objects.filter(email__iexact="mary.somerville@example.com").count() == 1
    existing.refresh_from_db()
    assert existing.department == department  # no department sent: stays where HR put them
    assert ScimEvent.objects.get().operation == "adopt"

    duplicate = scim_client.create(_new("mary.somerville@example.com"), raise_scim_errors=False)
    assert duplicate.status == 409 and duplicate.scim_type == "uniqueness"


def test_put_replaces_the_attributes(scim_client):
    created = scim_client.create(_new("emmy.noether@example.com", title="Professor"))
    replacement = _new("emmy.noether@example.com")
    replacement.id = created.id
    replacement.display_name = "Amalie Emmy Noether"
    replaced = scim_client.replace(replacement)
    assert replaced.display_name == "Amalie Emmy Noether" and replaced.title is None
    assert replaced.meta.version == 'W/"2"'
    assert Person.objects.get(email="emmy.noether@example.com").full_name == "Amalie Emmy Noether"
