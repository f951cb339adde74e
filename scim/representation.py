"""A provisioned user as SCIM sees it, built from the directory (so responses always say what is stored)."""

from __future__ import annotations

from typing import Any

from scim2_models import Context

from .models import ScimUser
from .schemas import CORE_USER, ENTERPRISE_USER, MENTORING_USER, UserResource


def to_document(scim_user: ScimUser, base: str) -> dict[str, Any]:
    person = scim_user.person
    location = f"{base}Users/{scim_user.scim_id}"
    # name and displayName as the identity provider sent them (the person's full name is derived from them).
    name: dict[str, Any] = {}
    if scim_user.formatted_name:
        name["formatted"] = scim_user.formatted_name
    if scim_user.given_name:
        name["givenName"] = scim_user.given_name
    if scim_user.family_name:
        name["familyName"] = scim_user.family_name
    emails = scim_user.emails or [{"value": person.email, "type": "work", "primary": True}]
    enterprise: dict[str, Any] = {
        "employeeNumber": person.employee_id,
        "department": person.department.name,
        "division": person.department.division.name,
    }
    manager_scim = getattr(person.manager, "scim", None) if person.manager_id else None
    if manager_scim is not None and manager_scim.deprovisioned_at is None:
        enterprise["manager"] = {
            "value": str(manager_scim.scim_id),
            "$ref": f"{base}Users/{manager_scim.scim_id}",
            "displayName": person.manager.full_name if person.manager else "",
        }
    mentoring: dict[str, Any] = {"jobLevel": person.job_level, "hireDate": person.hire_date.isoformat()}
    if person.location:
        mentoring["location"] = person.location
    document: dict[str, Any] = {
        "schemas": [CORE_USER, ENTERPRISE_USER, MENTORING_USER],
        "id": str(scim_user.scim_id),
        "userName": scim_user.user_name,
        "active": scim_user.active,
        "emails": emails,
        ENTERPRISE_USER: enterprise,
        MENTORING_USER: mentoring,
        "meta": {
            "resourceType": "User",
            "created": scim_user.provisioned_at.isoformat(),
            "lastModified": max(scim_user.updated_at, person.updated_at).isoformat(),
            "location": location,
            "version": scim_user.etag,
        },
    }
    if name:
        document["name"] = name
    if scim_user.display_name:
        document["displayName"] = scim_user.display_name
    if scim_user.external_id:
        document["externalId"] = scim_user.external_id
    if person.title:
        document["title"] = person.title
    return document


def to_resource(scim_user: ScimUser, base: str) -> UserResource:
    return UserResource.model_validate(to_document(scim_user, base), scim_ctx=Context.DEFAULT)
