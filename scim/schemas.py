"""The SCIM resource models (scim2-models) and the discovery documents this service publishes.

Requests are validated with scim2-models' full core User schema, so attributes this service does not keep
(phone numbers, addresses...) are accepted and dropped; the ``/Schemas`` endpoint announces only the
attributes that are kept and returned, so identity providers and checkers map only those.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Union

from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    ETag,
    Extension,
    Filter,
    Meta,
    Patch,
    Required,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MENTORING_USER = "urn:mentoring:params:scim:schemas:extension:2.0:User"
SCIM_CONTENT_TYPE = "application/scim+json"
MAX_RESULTS = 200  # the most users one list page returns (count is lowered to this)


class MentoringUser(Extension):
    """What the directory needs that the standard schemas do not carry."""

    __schema__ = URN(MENTORING_USER)

    job_level: int | None = None
    """The job level, 1 (most junior) to 20."""

    hire_date: date | None = None
    """The day the person was hired (YYYY-MM-DD)."""

    location: str | None = None
    """Where the person works (a site or city)."""


UserResource = User[Union[EnterpriseUser, MentoringUser]]  # noqa: UP007 - scim2-models reads the Union

# Attributes kept and returned, by schema (sub-attributes after a dot); the rest are accepted and dropped.
SUPPORTED = {
    CORE_USER: {
        "userName",
        "name",
        "name.formatted",
        "name.familyName",
        "name.givenName",
        "displayName",
        "title",
        "active",
        "emails",
        "emails.value",
        "emails.type",
        "emails.primary",
    },
    ENTERPRISE_USER: {
        "employeeNumber",
        "division",
        "department",
        "manager",
        "manager.value",
        "manager.$ref",
        "manager.displayName",
    },
    MENTORING_USER: {"jobLevel", "hireDate", "location"},
}


def _trimmed(schema: Schema, kept: set[str]) -> Schema:
    attributes = []
    for attribute in schema.attributes or []:
        if attribute.name not in kept:
            continue
        if attribute.sub_attributes:
            attribute.sub_attributes = [
                sub for sub in attribute.sub_attributes if f"{attribute.name}.{sub.name}" in kept
            ]
        attributes.append(attribute)
    schema.attributes = attributes
    return schema


def _with_sign_in_address(schema: Schema) -> Schema:
    """People sign in with an e-mail address: ``emails`` (with a value) is announced as required, so
    clients that follow the schema send one. A ``userName`` that is an e-mail address is enough too."""
    for attribute in schema.attributes or []:
        if attribute.name == "userName":
            attribute.description = (
                "Unique (case-insensitive) identifier of the user at the identity provider, kept and "
                "returned as sent; when it is an e-mail address, it is the address the person signs in with."
            )
        if attribute.name == "emails":
            attribute.required = Required.true
            attribute.description = (
                "E-mail addresses of the user. The person signs in with userName when it is an e-mail "
                "address, else with the primary address, else the one of type work, else the first."
            )
            for sub in attribute.sub_attributes or []:
                if sub.name == "value":
                    sub.required = Required.true
    return schema


def schemas(base_url: str) -> list[dict[str, Any]]:
    """The three schemas, as ``/Schemas`` lists them."""
    documents = []
    for model, urn, name in (
        (User, CORE_USER, "User"),
        (EnterpriseUser, ENTERPRISE_USER, "EnterpriseUser"),
        (MentoringUser, MENTORING_USER, "MentoringUser"),
    ):
        schema = _trimmed(model.to_schema(), SUPPORTED[urn])
        if urn == CORE_USER:
            schema = _with_sign_in_address(schema)
        schema.name = name
        schema.meta = Meta(resource_type="Schema", location=f"{base_url}Schemas/{urn}")
        documents.append(schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return documents


def resource_types(base_url: str) -> list[dict[str, Any]]:
    resource_type = ResourceType.from_resource(UserResource)
    resource_type.id = "User"
    resource_type.name = "User"
    resource_type.description = "A person of the HR directory and their login"
    resource_type.endpoint = "/Users"  # type: ignore[assignment]  # validated as a reference
    resource_type.meta = Meta(resource_type="ResourceType", location=f"{base_url}ResourceTypes/User")
    for extension in resource_type.schema_extensions or []:
        extension.required = False
    return [resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)]


def service_provider_config(base_url: str) -> dict[str, Any]:
    config = ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=True),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token made by an HR admin on the SCIM tokens page, sent as "
                "'Authorization: Bearer <token>'.",
                spec_uri="https://www.rfc-editor.org/rfc/rfc6750",  # type: ignore[arg-type]
                primary=True,
            )
        ],
        meta=Meta(resource_type="ServiceProviderConfig", location=f"{base_url}ServiceProviderConfig"),
    )
    return config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
