"""SCIM over raw HTTP: error bodies, tokens, identity providers' real payload shapes, discovery."""

from __future__ import annotations

import pytest

from people.models import Department, Person, User
from scim import services
from scim.models import ScimToken, ScimUser

from .conftest import BASE, ScimHttp, user_payload

pytestmark = pytest.mark.django_db

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status) and body["detail"]
    assert body.get("scimType") == scim_type
    return body


def _create(scim: ScimHttp, email: str, **extra) -> dict:
    response = scim.post("Users", user_payload(email, **extra))
    assert response.status_code == 201, response.content
    return response.json()


# --- Tokens -------------------------------------------------------------------------------------------------


def test_it_refuses_a_missing_unknown_or_revoked_token(scim_token, hr_admin):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer scim_not-a-token"}, {"HTTP_AUTHORIZATION": "Basic x"}):
        response = ScimHttp("unused").client.get(BASE + "Users", **headers)
        _error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
    services.token_revoke(token=scim_token.token, by=hr_admin)
    response = ScimHttp(scim_token.plaintext).get("Users")
    _error(response, 401)


def test_a_session_is_not_a_token(client, hr_admin):
    client.force_login(hr_admin)
    _error(client.get(BASE + "ServiceProviderConfig"), 401)


def test_each_call_marks_the_token_used(scim, scim_token):
    assert scim.get("Users").status_code == 200
    assert ScimToken.objects.get(pk=scim_token.token.pk).last_used_at is not None


# --- Errors -------------------------------------------------------------------------------------------------


def test_error_bodies_say_what_is_wrong(scim):
    _create(scim, "ada.lovelace@example.com")
    _error(scim.get("Users", filter="userName eq"), 400, "invalidFilter")
    _error(scim.get("Users", filter='phoneNumbers eq "1"'), 400, "invalidFilter")
    _error(scim.get("Users", filter='active co "x"'), 400, "invalidFilter")
    _error(scim.get("Users", sortBy="password"), 400, "invalidFilter")
    _error(scim.get("Users", startIndex="first"), 400, "invalidValue")
    _error(scim.get("Users/5f0e6d52-0000-4000-8000-000000000000"), 404)
    _error(scim.get("Users/not-a-uuid"), 404)
    _error(scim.post("Users", user_payload("ada.lovelace@example.com")), 409, "uniqueness")
    _error(scim.post("Users", "{not json"), 400, "invalidSyntax")
    _error(scim.post("Users", "[]"), 400, "invalidSyntax")
    _error(
        scim.post("Users", {"schemas": ["urn:example:Thing"], "userName": "x@example.com"}),
        400,
        "invalidSyntax",
    )
    _error(scim.post("Users", user_payload("not-an-address")), 400, "invalidValue")
    _error(scim.post("Users", {"schemas": user_payload("a@b.org")["schemas"]}), 400, "invalidValue")
    _error(scim.post("Users", user_payload("x@example.com"), content_type="text/plain"), 415)
    _error(scim.send("put", "Users", user_payload("x@example.com")), 405)
    levels = user_payload("y@example.com")
    levels["urn:mentoring:params:scim:schemas:extension:2.0:User"] = {"jobLevel": 99}
    levels["schemas"].append("urn:mentoring:params:scim:schemas:extension:2.0:User")
    _error(scim.post("Users", levels), 400, "invalidValue")
    assert not Person.objects.filter(email__in=["x@example.com", "y@example.com"]).exists()


def test_patch_errors(scim):
    ada = _create(scim, "ada.lovelace@example.com")
    url = f"Users/{ada['id']}"
    _error(scim.patch(url, {"schemas": [PATCH], "Operations": []}), 400, "invalidSyntax")
    _error(
        scim.patch(url, {"schemas": [PATCH], "Operations": [{"op": "jump", "path": "title"}]}),
        400,
        "invalidValue",
    )
    _error(
        scim.patch(url, {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "id", "value": "x"}]}),
        400,
        "mutability",
    )
    unknown_manager = {"op": "add", "path": f"{ENTERPRISE}:manager", "value": {"value": "nobody"}}
    _error(scim.patch(url, {"schemas": [PATCH], "Operations": [unknown_manager]}), 400, "invalidValue")
    own = {"op": "add", "path": f"{ENTERPRISE}:manager", "value": ada["id"]}
    _error(scim.patch(url, {"schemas": [PATCH], "Operations": [own]}), 400, "invalidValue")
    stale = scim.patch(
        url,
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "title", "value": "x"}]},
        **{"If-Match": 'W/"7"'},
    )
    _error(stale, 412)
    assert Person.objects.get(email="ada.lovelace@example.com").title == ""


def test_a_manager_loop_is_refused(scim):
    ada = _create(scim, "ada.lovelace@example.com")
    grace = _create(scim, "grace.hopper@example.com", **{ENTERPRISE: {"manager": {"value": ada["id"]}}})
    loop = {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": grace["id"]}}
    _error(scim.patch(f"Users/{ada['id']}", {"schemas": [PATCH], "Operations": [loop]}), 400, "invalidValue")


# --- Listing ------------------------------------------------------------------------------------------------


def test_listing_pages_filters_sorts_and_selects_attributes(scim):
    for name in ("carol", "alice", "bob"):
        _create(scim, f"{name}.smith@example.com", title="Nurse" if name != "bob" else "Surgeon")
    page = scim.get("Users", startIndex=2, count=1, sortBy="userName").json()
    assert (page["totalResults"], page["itemsPerPage"], page["startIndex"]) == (3, 1, 2)
    assert page["Resources"][0]["userName"] == "bob.smith@example.com"
    assert scim.get("Users", count=0).json() == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 3,
        "itemsPerPage": 0,
        "startIndex": 1,
        "Resources": [],
    }
    descending = scim.get("Users", sortBy="userName", sortOrder="descending").json()["Resources"]
    assert [u["userName"][0] for u in descending] == ["c", "b", "a"]
    for expression, expected in (
        ('title ne "Nurse"', {"bob"}),
        ('userName ew "smith@example.com" and not (title eq "Surgeon")', {"alice", "carol"}),
        ('(userName sw "a" or userName sw "b") and title pr', {"alice", "bob"}),
        ('meta.created gt "2000-01-01T00:00:00Z"', {"alice", "bob", "carol"}),
        ('emails.value co "carol"', {"carol"}),
    ):
        found = scim.get("Users", filter=expression).json()["Resources"]
        assert {u["userName"].split(".")[0] for u in found} == expected, expression
    only = scim.get("Users", attributes="userName", count=1).json()["Resources"][0]
    assert set(only) == {"schemas", "id", "userName"}
    without = scim.get("Users", excludedAttributes="emails,title", count=1).json()["Resources"][0]
    assert "emails" not in without and "title" not in without and "userName" in without


# --- Okta and Microsoft Entra ID ----------------------------------------------------------------------------


def test_entra_id_payloads(scim, department):
    boss = _create(scim, "grace.hopper@example.com")
    entra = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": "7f2c1c1e-entra",
        "userName": "ada.lovelace@example.com",
        "active": True,
        "displayName": "Ada Lovelace",
        "title": "Analyst",
        "emails": [{"primary": True, "type": "work", "value": "ada.lovelace@example.com"}],
        "name": {"formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada"},
        ENTERPRISE: {"employeeNumber": "E42", "department": "Cardiology"},
    }
    ada = scim.post("Users", entra).json()
    assert Person.objects.get(employee_id="E42").department == department  # by name, in its one division
    url = f"Users/{ada['id']}"
    operations = [
        {"op": "Replace", "path": "title", "value": "Lead analyst"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss["id"]},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "ada@example.com"},
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Radiology"},
    ]
    response = scim.patch(url, {"schemas": [PATCH], "Operations": operations})
    assert response.status_code == 200, response.content
    person = Person.objects.select_related("department__division", "manager").get(employee_id="E42")
    assert person.title == "Lead analyst" and person.manager.email == "grace.hopper@example.com"
    assert (person.department.name, person.department.division) == ("Radiology", department.division)
    assert response.json()["emails"][0]["value"] == "ada@example.com"

    response = scim.patch(
        url, {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
    )
    assert response.status_code == 200 and response.json()["active"] is False
    assert not User.objects.get(email="ada.lovelace@example.com").is_active
    # Entra ID removes a manager by sending an empty one.
    empty = {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": None}
    assert scim.patch(url, {"schemas": [PATCH], "Operations": [empty]}).status_code == 200
    assert Person.objects.get(employee_id="E42").manager is None
    # Entra ID checks a user exists by filtering on userName, with a count.
    found = scim.get("Users", filter='userName eq "ada.lovelace@example.com"', count=1).json()
    assert found["totalResults"] == 1


def test_okta_payloads(scim):
    okta = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "grace.hopper@example.com",
        "name": {"givenName": "Grace", "familyName": "Hopper"},
        "emails": [{"primary": True, "value": "grace.hopper@example.com", "type": "work"}],
        "displayName": "Grace Hopper",
        "locale": "en-US",
        "externalId": "00u1okta",
        "groups": [],
        "password": "ignored-by-this-service",
        "active": True,
    }
    response = scim.post("Users", okta)
    assert response.status_code == 201, response.content
    grace = response.json()
    assert "password" not in grace
    assert not User.objects.get(email="grace.hopper@example.com").has_usable_password()
    url = f"Users/{grace['id']}"
    deactivate = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}
    assert scim.patch(url, deactivate).json()["active"] is False
    # Okta's PUT sends the whole profile back.
    okta.update(id=grace["id"], active=True, title="Rear admiral")
    response = scim.put(url, okta)
    assert response.status_code == 200 and response.json()["title"] == "Rear admiral"
    assert User.objects.get(email="grace.hopper@example.com").is_active


def test_department_and_division_rules(scim):
    ada = _create(
        scim, "ada.lovelace@example.com", **{ENTERPRISE: {"division": "Research", "department": "Optics"}}
    )
    assert Department.objects.filter(name="Optics", division__name="Research").exists()
    # The same department name in a second division: the division must be sent.
    _create(scim, "alan.turing@example.com", **{ENTERPRISE: {"division": "Clinical", "department": "Optics"}})
    _error(
        scim.post("Users", user_payload("x@example.com", **{ENTERPRISE: {"department": "Optics"}})),
        400,
        "invalidValue",
    )
    # Nothing sent: the default department, and a PUT without one leaves the person where they are.
    plain = _create(scim, "grace.hopper@example.com")
    assert plain[ENTERPRISE]["department"] == "Unassigned"
    body = user_payload("ada.lovelace@example.com")
    assert scim.put(f"Users/{ada['id']}", body).json()[ENTERPRISE]["department"] == "Optics"


def test_deleted_users_are_gone_from_scim_but_kept_in_the_directory(scim):
    ada = _create(scim, "ada.lovelace@example.com")
    assert scim.delete(f"Users/{ada['id']}").status_code == 204
    _error(scim.get(f"Users/{ada['id']}"), 404)
    _error(scim.delete(f"Users/{ada['id']}"), 404)
    assert scim.get("Users").json()["totalResults"] == 0
    assert ScimUser.objects.get().deprovisioned_at is not None
    assert Person.objects.filter(email="ada.lovelace@example.com").exists()


# --- Discovery ----------------------------------------------------------------------------------------------


def test_discovery_documents(scim):
    config = scim.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] and not config["bulk"]["supported"]
    assert config["filter"] == {"supported": True, "maxResults": 200}
    types = scim.get("ResourceTypes").json()
    assert [t["id"] for t in types["Resources"]] == ["User"]
    assert scim.get("ResourceTypes/User").json()["endpoint"] == "/Users"
    _error(scim.get("ResourceTypes/Group"), 404)
    schemas = {s["id"]: s for s in scim.get("Schemas").json()["Resources"]}
    assert set(schemas) == {
        "urn:ietf:params:scim:schemas:core:2.0:User",
        ENTERPRISE,
        "urn:mentoring:params:scim:schemas:extension:2.0:User",
    }
    mentoring = scim.get("Schemas/urn:mentoring:params:scim:schemas:extension:2.0:User").json()
    assert {a["name"] for a in mentoring["attributes"]} == {"jobLevel", "hireDate", "location"}
    _error(scim.get("Schemas/urn:example:nothing"), 404)
    _error(scim.post("ServiceProviderConfig", {}), 405)


# --- userName that is not an e-mail address ----------------------------------------------------------------


def test_user_name_may_be_any_string_and_the_sign_in_address_comes_from_emails(scim):
    body = user_payload("ada.lovelace@example.com", userName="ALovelace")
    body["emails"] = [
        {"value": "ada@home.example.org", "type": "home"},
        {"value": "Ada.Lovelace@Example.com", "type": "work", "primary": True},
    ]
    ada = scim.post("Users", body)
    assert ada.status_code == 201, ada.content
    assert ada.json()["userName"] == "ALovelace"  # kept and returned as sent
    person = Person.objects.select_related("user").get(scim__scim_id=ada.json()["id"])
    assert person.email == person.user.email == "ada.lovelace@example.com"  # the primary address
    # No primary: the work address; no type either: the first.
    okta = user_payload("x@example.com", userName="00u1okta-login")
    okta["emails"] = [
        {"value": "home@example.org", "type": "home"},
        {"value": "grace@example.com", "type": "work"},
    ]
    assert scim.post("Users", okta).status_code == 201
    assert Person.objects.filter(email="grace@example.com").exists()
    random = user_payload("x@example.com", userName="5e9d0c1a-checker")
    random["emails"] = [{"value": "first@example.com"}, {"value": "second@example.com"}]
    assert scim.post("Users", random).status_code == 201
    assert Person.objects.filter(email="first@example.com").exists()
    # Unique, case-insensitively, on userName.
    clash = user_payload("someone.else@example.com", userName="alovelace")
    _error(scim.post("Users", clash), 409, "uniqueness")
    # No address at all: said plainly.
    body = _error(
        scim.post("Users", {**user_payload("x@example.com", userName="nobody"), "emails": []}),
        400,
        "invalidValue",
    )
    assert "e-mail address in userName or emails" in body["detail"]
    # Filters on userName and on any address.
    for expression in (
        'userName eq "alovelace"',
        'emails.value eq "ada@home.example.org"',
        'emails eq "ADA.LOVELACE@example.com"',
    ):
        found = scim.get("Users", filter=expression).json()["Resources"]
        assert [u["id"] for u in found] == [ada.json()["id"]], expression


def test_an_hr_person_is_adopted_by_the_address_in_emails(scim, department):
    from tests.factories import PersonFactory

    existing = PersonFactory(email="mary.somerville@example.com", department=department)
    body = user_payload("mary.somerville@example.com", userName="msomerville")
    created = scim.post("Users", body)
    assert created.status_code == 201, created.content
    assert ScimUser.objects.get(scim_id=created.json()["id"]).person_id == existing.pk


# --- Value filters ------------------------------------------------------------------------------------------


def test_value_path_filters_on_emails(scim):
    ada = user_payload("ada.lovelace@example.com")
    ada["emails"] = [
        {"value": "ada.lovelace@example.com", "type": "work", "primary": True},
        {"value": "ada@home.example.org", "type": "home"},
    ]
    ada_id = scim.post("Users", ada).json()["id"]
    grace_id = _create(scim, "grace.hopper@example.com")["id"]
    for expression, expected in (
        ('emails[type eq "work"]', {ada_id, grace_id}),
        ('emails[type eq "home"]', {ada_id}),
        ('emails[type eq "home" and value co "home.example"]', {ada_id}),
        # The conditions hold for the same address: Ada's work address is not on the home domain.
        ('emails[type eq "work" and value co "home.example"]', set()),
        ('emails[type eq "work"].value eq "grace.hopper@example.com"', {grace_id}),
        ('emails[type eq "home"].value eq "ada.lovelace@example.com"', set()),
        ('emails[primary eq true and value sw "ada"]', {ada_id}),
        ('emails.type eq "home"', {ada_id}),
        ('not (emails[type eq "home"])', {grace_id}),
        ('userName sw "grace" or emails[type eq "home"]', {ada_id, grace_id}),
    ):
        found = scim.get("Users", filter=expression).json()["Resources"]
        assert {u["id"] for u in found} == expected, expression
    _error(scim.get("Users", filter='addresses[type eq "work"]'), 400, "invalidFilter")
    _error(scim.get("Users", filter='emails[display eq "x"]'), 400, "invalidFilter")
    _error(scim.get("Users", filter='emails[primary eq "yes"]'), 400, "invalidFilter")


# --- Paths the service does not serve -----------------------------------------------------------------------


def test_unknown_paths_answer_scim_errors_after_the_token(scim, client):
    for path in ("Groups", "Groups/5f0e6d52", "nope", "Users/1/extra"):
        _error(scim.get(path), 404)
    for path in ("Me", "Bulk", ".search", "Users/.search"):
        _error(scim.get(path), 501)
        _error(scim.post(path, {}), 501)
    for path in ("Groups", "Me", "Bulk", "nope", ".search"):
        response = client.get(BASE + path)
        _error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
