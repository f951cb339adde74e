"""Tokens: 401 without a valid one, and no endpoint reads outside the token's scope. The walk over the
OpenAPI document tries every operation, so a new endpoint that forgets the scope fails here."""

from __future__ import annotations

import pytest
from django.utils import timezone

from api.models import ApiToken
from cohorts.factories import NominationCycleFactory
from programs.factories import ProgramFactory

from .conftest import token_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def operations(client) -> list[str]:
    document = client.get("/api/openapi.json").json()
    return [path for path, ops in document["paths"].items() if "get" in ops]


def _url(path: str, slug: str) -> str:
    return path.replace("{slug}", slug)


def test_every_operation_refuses_a_token_for_another_program(operations, built, make_token, api_client):
    NominationCycleFactory()
    victim = built.program
    other = ProgramFactory(name="Elsewhere", slug="elsewhere")
    client = api_client(make_token([other]))
    for path in operations:
        response = client.get(_url(path, victim.slug))
        content = response.content.decode()
        assert victim.slug not in content or response.status_code in (403, 404), path
        assert victim.name not in content, path
        if "{slug}" in path:
            assert response.status_code == 404, path
        elif path.startswith("/api/v1/master-mentors"):
            assert response.status_code == 403, path
        else:
            assert response.status_code == 200, path
            assert [item["slug"] for item in response.json()["items"]] == ["elsewhere"]
    # The same calls with a token for the program work (the walk above really reached the endpoints).
    mine = api_client(make_token([victim], master_mentors=True))
    for path in operations:
        assert mine.get(_url(path, victim.slug)).status_code == 200, path


def test_a_missing_program_and_one_outside_the_scope_answer_the_same(built, make_token, api_client):
    client = api_client(make_token([ProgramFactory()]))
    outside = client.get(f"/api/v1/programs/{built.program.slug}/activity")
    missing = client.get("/api/v1/programs/no-such-program/activity")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_every_operation_answers_401_without_a_valid_token(operations, built, make_token, api_client):
    revoked = make_token([built.program], master_mentors=True)
    token_row(revoked).revoke()
    valid = make_token([built.program], master_mentors=True)
    for path in operations:
        url = _url(path, built.program.slug)
        for client, headers in (
            (api_client(None), {}),
            (api_client("mapi_not-a-real-token"), {}),
            (api_client(revoked), {}),
            (api_client(None), {"Authorization": f"Basic {valid}"}),
            (api_client(None), {"Authorization": "Bearer "}),
            (api_client("x" * 500), {}),
        ):
            response = client.get(url, **headers)
            assert response.status_code == 401, (url, headers)
            assert response["WWW-Authenticate"].startswith("Bearer")
            assert built.program.name not in response.content.decode()


def test_a_signed_in_session_is_no_token(client, hr_admin, built):
    client.force_login(hr_admin)
    assert client.get("/api/v1/programs").status_code == 401
    assert client.get(f"/api/v1/programs/{built.program.slug}/activity").status_code == 401


def test_master_mentor_endpoints_need_the_scope(built, make_token, api_client):
    NominationCycleFactory()
    without = api_client(make_token([built.program]))
    with_scope = api_client(make_token([], master_mentors=True))
    for path in ("/api/v1/master-mentors", "/api/v1/master-mentors/cycles", "/api/v1/master-mentors/cohorts"):
        refused = without.get(path)
        assert refused.status_code == 403
        assert refused.json() == {"detail": "This token does not have the Master Mentor scope."}
        assert with_scope.get(path).status_code == 200
    # A Master Mentor token with no program reads no program.
    assert with_scope.get("/api/v1/programs").json() == {"items": [], "count": 0}
    assert with_scope.get(f"/api/v1/programs/{built.program.slug}").status_code == 404


def test_revoking_a_token_refuses_its_next_call(built, make_token, api_client):
    plaintext = make_token([built.program])
    client = api_client(plaintext)
    assert client.get("/api/v1/programs").status_code == 200
    token_row(plaintext).revoke()
    assert client.get("/api/v1/programs").status_code == 401


def test_each_call_marks_the_token_used(built, make_token, api_client):
    plaintext = make_token([built.program])
    assert token_row(plaintext).last_used_at is None
    api_client(plaintext).get("/api/v1/programs")
    used = ApiToken.objects.get(digest=token_row(plaintext).digest).last_used_at
    assert used is not None
    assert used <= timezone.now()


def test_calls_past_the_rate_limit_answer_429_per_token(built, make_token, api_client, settings):
    settings.API_RATE_LIMIT = "2/min"
    first, second = api_client(make_token([built.program])), api_client(make_token([built.program]))
    assert [first.get("/api/v1/programs").status_code for _ in range(3)] == [200, 200, 429]
    assert int(first.get("/api/v1/programs")["Retry-After"]) > 0
    assert second.get("/api/v1/programs").status_code == 200
