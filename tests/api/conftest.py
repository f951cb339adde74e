"""Read API fixtures: tokens made through the service (as HR admins make them), a client sending one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from api.models import ApiToken
from api.services import api_token_create
from programs.models import Program
from tests.fixtures.programs import FIXED_TODAY
from tests.outcomes.conftest import Built, build


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Dashboards and rate limits live in the cache: each test starts from nothing."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def built(program, department) -> Built:
    return build(program, department)


@pytest.fixture
def make_token(hr_admin) -> Callable[..., str]:
    def make(programs: Iterable[Program] = (), *, master_mentors: bool = False, name: str = "BI") -> str:
        _token, plaintext = api_token_create(
            by=hr_admin, name=name, programs=list(programs), master_mentors=master_mentors
        )
        return plaintext

    return make


class ApiClient:
    """Django's test client with a bearer token on every call (and never a session)."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def get(self, url: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.client.get(url, params or {}, headers=headers)


@pytest.fixture
def api_client() -> Callable[[str | None], ApiClient]:
    return ApiClient


def token_row(plaintext: str) -> ApiToken:
    found = ApiToken.objects.find(plaintext)
    assert found is not None
    return found
