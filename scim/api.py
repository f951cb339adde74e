"""The SCIM 2.0 endpoints (RFC 7644) under /scim/v2/: Users, and the discovery documents.

Every endpoint takes a bearer token made on the SCIM tokens page (never a session), answers
``application/scim+json``, and refuses with an RFC 7644 §3.12 Error body. Writes go through
``scim.services``; representations are built and validated with scim2-models.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import Context, Error, ListResponse, PatchOp, ResponseParameters

from mentoring.tokens import bearer_token

from . import filters, schemas, services
from .errors import ScimError
from .models import ScimToken, ScimUser
from .representation import to_resource
from .schemas import ENTERPRISE_USER, MAX_RESULTS, SCIM_CONTENT_TYPE, UserResource

ACCEPTED_CONTENT_TYPES = ("application/scim+json", "application/json")
DEFAULT_COUNT = 100
MAX_BODY_BYTES = 256 * 1024
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"

View = Callable[..., HttpResponse]


# --- Responses ----------------------------------------------------------------------------------------------


def scim_response(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(document, default=str), status=status, content_type=SCIM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: ScimError) -> HttpResponse:
    body = Error(status=error.status, scim_type=error.scim_type, detail=error.detail).model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE
    )
    body.setdefault("schemas", [ERROR_SCHEMA])
    headers = {"WWW-Authenticate": 'Bearer realm="SCIM"'} if error.status == 401 else None
    return scim_response(body, error.status, headers)


def validation_error(error: ValidationError) -> ScimError:
    """The first problem pydantic found, as a SCIM error with its scimType."""
    first = Error.from_validation_errors(error)[0]
    scim_type = first.scim_type or "invalidValue"
    status = first.status or 400
    return ScimError(int(status), first.detail or "The request is not valid.", scim_type)


def base_url(request: HttpRequest) -> str:
    users = reverse("scim:users")
    return request.build_absolute_uri(users[: -len("Users")])


# --- The gate: token, methods, errors -----------------------------------------------------------------------


def scim_endpoint(*methods: str) -> Callable[[View], View]:
    """A SCIM endpoint: bearer token only, CSRF-exempt (no cookies are read), SCIM errors as bodies."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                token = ScimToken.objects.find(bearer_token(request))
                if token is None:
                    raise ScimError(401, "Send a valid SCIM token as 'Authorization: Bearer <token>'.")
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not supported here; use {', '.join(methods)}.")
                token.mark_used()
                request.scim_token = token  # type: ignore[attr-defined]
                return view(request, *args, **kwargs)
            except ScimError as error:
                response = error_response(error)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        return wrapper

    return decorate


def read_json(request: HttpRequest) -> dict[str, Any]:
    content_type = request.content_type or ""
    if content_type not in ACCEPTED_CONTENT_TYPES:
        raise ScimError(
            415 if content_type else 400,
            "Send the body as application/scim+json or application/json.",
            None if content_type else "invalidSyntax",
        )
    try:
        raw = request.body
    except RequestDataTooBig as error:
        raise ScimError(413, "The request body is too large.") from error
    if len(raw) > MAX_BODY_BYTES:
        raise ScimError(413, f"The request body is larger than {MAX_BODY_BYTES // 1024} KB.")
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ScimError(400, f"The body is not valid JSON: {error}.", "invalidSyntax") from error
    if not isinstance(document, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return document


def response_parameters(request: HttpRequest) -> ResponseParameters | None:
    attributes = request.GET.get("attributes", "").strip()
    excluded = request.GET.get("excludedAttributes", "").strip()
    if not attributes and not excluded:
        return None
    try:
        return ResponseParameters.model_validate(
            {"attributes": attributes or None, "excludedAttributes": excluded or None}
        )
    except ValidationError as error:
        raise ScimError(
            400, f"attributes/excludedAttributes: {validation_error(error).detail}", "invalidValue"
        ) from error


def user_response(
    request: HttpRequest, scim_user: ScimUser, status: int = 200, *, with_location: bool = False
) -> HttpResponse:
    resource = to_resource(scim_user, base_url(request))
    document = resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=response_parameters(request)
    )
    headers = {"ETag": scim_user.etag}
    if with_location:
        headers["Location"] = str(resource.meta.location) if resource.meta else ""
    return scim_response(document, status, headers)


def check_precondition(request: HttpRequest, scim_user: ScimUser) -> None:
    """If-Match (RFC 7644 §3.14): a write based on an older version is refused."""
    wanted = request.headers.get("If-Match")
    if wanted and wanted.strip() != "*" and scim_user.etag not in {t.strip() for t in wanted.split(",")}:
        raise ScimError(412, f"The user has changed since version {wanted}; it is now {scim_user.etag}.")


# --- Users --------------------------------------------------------------------------------------------------


def _normalize_manager(value: Any, base: str) -> Any:
    """Entra ID sends the manager as a bare id; the schema wants {"value", "$ref"}."""
    if isinstance(value, str):
        value = {"value": value}
    if isinstance(value, dict) and value.get("value") and not value.get("$ref"):
        value = {**value, "$ref": f"{base}Users/{value['value']}"}
    return value


def normalize_user(document: dict[str, Any], base: str) -> dict[str, Any]:
    """Accept what identity providers really send (see docs/scim.md) before strict validation."""
    document = dict(document)
    for key in list(document):
        if key.lower() == ENTERPRISE_USER.lower() and isinstance(document[key], dict):
            extension = dict(document[key])
            if "manager" in extension:
                extension["manager"] = _normalize_manager(extension["manager"], base)
                if not extension["manager"] or extension["manager"] == {"value": ""}:
                    extension.pop("manager")
            document[key] = extension
    return document


def validate_user(document: dict[str, Any], context: Context, base: str) -> UserResource:
    schemas_sent = document.get("schemas")
    if not isinstance(schemas_sent, list) or schemas.CORE_USER not in schemas_sent:
        raise ScimError(400, f"The body's 'schemas' must list {schemas.CORE_USER}.", "invalidSyntax")
    try:
        return UserResource.model_validate(normalize_user(document, base), scim_ctx=context)
    except ValidationError as error:
        raise validation_error(error) from error


def _get_user(scim_id: str) -> ScimUser:
    try:
        wanted = uuid.UUID(scim_id)
    except ValueError:
        wanted = None
    scim_user = (
        ScimUser.objects.provisioned().with_person().filter(scim_id=wanted).first() if wanted else None
    )
    if scim_user is None:
        raise ScimError(404, f"No user with id {scim_id}.")
    return scim_user


def _int_parameter(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ScimError(400, f"{name} must be a whole number, not '{raw}'.", "invalidValue") from error


def _filtered(request: HttpRequest) -> QuerySet[ScimUser]:
    users = ScimUser.objects.provisioned().with_person()
    try:
        text = request.GET.get("filter", "").strip()
        if text:
            users = users.filter(filters.parse_filter(text))
        sort_by = request.GET.get("sortBy", "").strip()
        order = (
            filters.order_for(sort_by, request.GET.get("sortOrder", "ascending"))
            if sort_by
            else ["provisioned_at", "pk"]
        )
    except filters.FilterError as error:
        raise ScimError(400, str(error), "invalidFilter") from error
    return users.order_by(*order)


@scim_endpoint("GET", "POST")
def users(request: HttpRequest) -> HttpResponse:
    token: ScimToken = request.scim_token  # type: ignore[attr-defined]
    if request.method == "POST":
        resource = validate_user(read_json(request), Context.RESOURCE_CREATION_REQUEST, base_url(request))
        scim_user = services.scim_user_create(resource=resource, token=token)
        return user_response(request, _get_user(str(scim_user.scim_id)), 201, with_location=True)

    # RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0.
    start = max(_int_parameter(request, "startIndex", 1), 1)
    count = min(max(_int_parameter(request, "count", DEFAULT_COUNT), 0), MAX_RESULTS)
    matching = _filtered(request)
    total = matching.count()
    page = list(matching[start - 1 : start - 1 + count]) if count else []
    base = base_url(request)
    listing = ListResponse[UserResource](
        total_results=total,
        start_index=start,
        items_per_page=len(page),
        resources=[to_resource(u, base) for u in page] or None,
    )
    document = listing.model_dump(
        scim_ctx=Context.SEARCH_RESPONSE, response_parameters=response_parameters(request)
    )
    document.setdefault("Resources", [])
    return scim_response(document)


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request: HttpRequest, scim_id: str) -> HttpResponse:
    token: ScimToken = request.scim_token  # type: ignore[attr-defined]
    scim_user = _get_user(scim_id)
    if request.method == "GET":
        return user_response(request, scim_user)
    check_precondition(request, scim_user)
    base = base_url(request)
    if request.method == "DELETE":
        services.scim_user_delete(scim_user=scim_user, token=token)
        return HttpResponse(status=204)
    if request.method == "PUT":
        resource = validate_user(read_json(request), Context.RESOURCE_REPLACEMENT_REQUEST, base)
        if resource.id and str(resource.id) != str(scim_user.scim_id):
            raise ScimError(400, "The id in the body is not this user's id.", "mutability")
        services.scim_user_replace(scim_user=scim_user, resource=resource, token=token)
    else:
        resource = apply_patch(read_json(request), to_resource(scim_user, base), base)
        services.scim_user_replace(scim_user=scim_user, resource=resource, token=token, operation="patch")
    return user_response(request, _get_user(scim_id))


def _normalize_operation(operation: Any, base: str) -> Any:
    if not isinstance(operation, dict):
        return operation
    operation = dict(operation)
    path = str(operation.get("path") or "")
    value = operation.get("value")
    if path.lower().endswith(":manager") or path.lower() == "manager":
        if isinstance(value, list) and len(value) == 1:  # Entra ID wraps the manager in a list
            value = value[0]
        operation["value"] = _normalize_manager(value, base)
        if str(operation.get("op", "")).lower() in ("add", "replace") and not (
            isinstance(operation["value"], dict) and operation["value"].get("value")
        ):
            # An empty manager is how Entra ID says "no manager": remove it.
            operation = {"op": "remove", "path": path}
        elif str(operation.get("op", "")).lower() == "remove":
            operation.pop("value", None)
    elif not path and isinstance(value, dict):
        value = dict(value)
        for key in list(value):
            if key.lower().endswith(":manager"):
                value[key] = _normalize_manager(value[key], base)
            elif key.lower() == ENTERPRISE_USER.lower() and isinstance(value[key], dict):
                value[key] = normalize_user({ENTERPRISE_USER: value[key]}, base)[ENTERPRISE_USER]
        operation["value"] = value
    return operation


def apply_patch(document: dict[str, Any], current: UserResource, base: str) -> UserResource:
    """RFC 7644 §3.5.2: apply the operations to the current representation, all or nothing."""
    operations = document.get("Operations", document.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH body needs a non-empty 'Operations' list.", "invalidSyntax")
    document = {**document, "Operations": [_normalize_operation(o, base) for o in operations]}
    document.pop("operations", None)
    try:
        patch = PatchOp[UserResource].model_validate(document, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        patch.patch(current)
    except ValidationError as error:
        raise validation_error(error) from error
    except Exception as error:  # scim2-models raises its SCIM exceptions while applying
        status = getattr(error, "status", None)
        scim_type = getattr(error, "scim_type", None)
        if status is None:
            raise
        raise ScimError(int(status), str(error) or "The operation cannot be applied.", scim_type) from error
    return current


# --- Discovery ----------------------------------------------------------------------------------------------


def _listing(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(resources),
        "itemsPerPage": len(resources),
        "startIndex": 1,
        "Resources": resources,
    }


@scim_endpoint("GET")
def service_provider_config(request: HttpRequest) -> HttpResponse:
    return scim_response(schemas.service_provider_config(base_url(request)))


@scim_endpoint("GET")
def resource_types(request: HttpRequest) -> HttpResponse:
    return scim_response(_listing(schemas.resource_types(base_url(request))))


@scim_endpoint("GET")
def resource_type(request: HttpRequest, name: str) -> HttpResponse:
    found = [r for r in schemas.resource_types(base_url(request)) if r["id"] == name]
    if not found:
        raise ScimError(404, f"No resource type {name}; this service provisions User.")
    return scim_response(found[0])


@scim_endpoint("GET")
def schema_list(request: HttpRequest) -> HttpResponse:
    return scim_response(_listing(schemas.schemas(base_url(request))))


@scim_endpoint("GET")
def schema_detail(request: HttpRequest, urn: str) -> HttpResponse:
    found = [s for s in schemas.schemas(base_url(request)) if s["id"].lower() == urn.lower()]
    if not found:
        raise ScimError(404, f"No schema {urn}.")
    return scim_response(found[0])


# --- Everything else under /scim/v2/ ------------------------------------------------------------------------

# RFC 7644 §3.12: 501 when "the service provider does not support the requested operation"; §3.11 names
# 501 for an unsupported /Me. ServiceProviderConfig says bulk is not supported.
NOT_IMPLEMENTED = {
    "me": "/Me is not supported: identity providers provision users by their id under /Users.",
    "bulk": "Bulk is not supported (see ServiceProviderConfig); send one request per user.",
    ".search": "POST /.search is not supported; list with GET /Users?filter=... instead.",
}
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@scim_endpoint(*ALL_METHODS)
def not_served(request: HttpRequest, path: str) -> HttpResponse:
    """Any other path: a SCIM error body (after the token check), never the site's HTML page."""
    first = path.strip("/").split("/")[0].lower()
    last = path.strip("/").split("/")[-1].lower()
    for key in (first, last):
        if key in NOT_IMPLEMENTED:
            raise ScimError(501, NOT_IMPLEMENTED[key])
    if first == "groups":
        raise ScimError(
            404, "Groups are not supported: this service provisions users only (see ResourceTypes)."
        )
    raise ScimError(404, f"There is no SCIM endpoint /{path}; this service serves /Users and discovery.")
