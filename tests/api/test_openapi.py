"""The API's description: served, consistent, every operation behind a token; the docs page under the CSP."""

from __future__ import annotations

import typing

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from api.schemas import LevelBand
from outcomes.filters import LEVEL_BANDS
from tests.mentoring.test_security_headers import _inline_code

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _resolve(document: dict, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _refs(node: typing.Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_openapi_document_is_served_at_its_documented_address(document):
    assert reverse("api:openapi-json") == "/api/openapi.json"
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Mentoring read API"
    assert document["info"]["version"] == "1"
    assert all(path.startswith("/api/v1/") for path in document["paths"])


def test_the_document_is_consistent_every_reference_resolves_and_ids_are_unique(document):
    for ref in _refs(document):
        assert _resolve(document, ref), ref
    ids = [op["operationId"] for ops in document["paths"].values() for m, op in ops.items() if m in METHODS]
    assert len(ids) == len(set(ids))
    for path, ops in document["paths"].items():
        for method, operation in ops.items():
            assert method == "get", f"{method} {path}: the API only reads"
            assert "200" in operation["responses"], path
            assert operation.get("summary"), path
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            in_path = {part[1:-1] for part in path.split("/") if part.startswith("{")}
            assert declared == in_path, path


def test_every_operation_requires_the_bearer_token(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"ApiTokenAuth": {"type": "http", "scheme": "bearer"}}
    for path, ops in document["paths"].items():
        for operation in ops.values():
            assert operation.get("security") == [{"ApiTokenAuth": []}], path
            assert "401" in operation["responses"], path


def test_program_endpoints_document_404_and_master_mentor_endpoints_403(document):
    for path, ops in document["paths"].items():
        responses = ops["get"]["responses"]
        if "{slug}" in path:
            assert "404" in responses, path
        if path.startswith("/api/v1/master-mentors"):
            assert "403" in responses, path


def test_the_level_filter_offers_exactly_the_dashboards_bands():
    assert set(typing.get_args(LevelBand)) == {key for key, _label, _low, _high in LEVEL_BANDS}


def test_the_docs_page_works_under_the_content_security_policy(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert _inline_code(html) == []
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/api/swagger-init.js" in html
    assert "/api/openapi.json" in html  # in the settings the init script reads
    assert "cdn" not in html.lower()
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "api/swagger-init.js"):
        assert finders.find(asset), asset


def test_the_docs_and_the_document_hold_no_data(client, built):
    for url in ("/api/docs", "/api/openapi.json"):
        content = client.get(url).content.decode()
        assert built.program.slug not in content
        assert built.program.name not in content
