"""A SCIM token, a Django test client that sends it, and scim2-client speaking to the whole WSGI stack."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_models import EnterpriseUser, ResourceType, ScimProvider, User

from scim import services
from scim.schemas import MentoringUser, UserResource

BASE = "/scim/v2/"
SCIM_JSON = "application/scim+json"


class ScimHttp:
    """The Django test client with the bearer token and SCIM content type (for raw payloads)."""

    def __init__(self, plaintext: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    def get(self, path: str, **params: Any):
        return self.client.get(BASE + path, params)

    def send(self, method: str, path: str, body: Any, content_type: str = SCIM_JSON, **headers: str):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path, data=data, content_type=content_type, headers=headers
        )

    def post(self, path: str, body: Any, **kwargs: Any):
        return self.send("post", path, body, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any):
        return self.send("put", path, body, **kwargs)

    def patch(self, path: str, body: Any, **kwargs: Any):
        return self.send("patch", path, body, **kwargs)

    def delete(self, path: str, **headers: str):
        return self.client.delete(BASE + path, headers=headers)


def wsgi_application():
    """The project's WSGI application for scim2-client, as Django's test client runs it: the request signals
    that close database connections are detached during each call, so the test's transaction survives
    (on PostgreSQL the connection would otherwise be closed under the test)."""
    application = get_wsgi_application()

    def call(environ, start_response):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            result = application(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                result.close()  # sends request_finished while the signal is detached
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return call


@pytest.fixture
def scim_token(hr_admin):
    return services.token_create(name="Okta production", by=hr_admin)


@pytest.fixture
def scim(scim_token) -> ScimHttp:
    return ScimHttp(scim_token.plaintext)


@pytest.fixture
def scim_client(scim_token) -> WSGISCIMClient:
    """scim2-client over the project's WSGI application: every request goes through the middleware, the
    URLs and the views, as over the network."""
    client = WSGISCIMClient(
        wsgi_application(),
        base_url="http://localhost/scim/v2",
        headers={"Authorization": f"Bearer {scim_token.plaintext}"},
        provider=ScimProvider(
            models=[User, EnterpriseUser, MentoringUser],
            resource_types=[ResourceType.from_resource(UserResource)],
        ),
    )
    return client


def user_payload(email: str, **extra: Any) -> dict[str, Any]:
    given, _, family = email.split("@")[0].partition(".")
    payload: dict[str, Any] = {
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        ],
        "userName": email,
        "name": {"givenName": given.title(), "familyName": family.title()},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }
    payload.update(extra)
    return payload


__all__ = ["BASE", "ScimHttp", "UserResource", "user_payload"]
