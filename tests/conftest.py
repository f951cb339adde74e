"""Personas and service markers shared by the whole suite.

Tests marked ``postgres`` run only when DATABASE_URL points at PostgreSQL, and ``redis`` ones only when
REDIS_URL is set; with REQUIRE_SERVICES=1 (as in CI) a missing service is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid

import pytest
from django.db import connection

from people.models import Person, User
from people.services import hr_admin_add, person_link_user
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

# Program personas (coordinator, sponsor, mentor, mentee, ...) and programs, for every app's tests.
pytest_plugins = ["tests.fixtures.programs"]


def _require_services() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items) -> None:
    db_url = os.environ.get("DATABASE_URL", "")
    have_postgres = db_url.startswith(("postgres://", "postgresql://", "pgsql://"))
    have_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        for marker, available, variable in (
            ("postgres", have_postgres, "DATABASE_URL (PostgreSQL)"),
            ("redis", have_redis, "REDIS_URL"),
        ):
            if marker in item.keywords and not available:
                if _require_services():
                    item.add_marker(pytest.mark.usefixtures("_fail_missing_service"))
                else:
                    item.add_marker(pytest.mark.skip(reason=f"needs {variable}"))


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings) -> None:
    """Each test gets its own cache key prefix, so rate limits and cached values never leak between
    tests, nor between parallel workers sharing one Redis."""
    caches = {name: dict(conf) for name, conf in settings.CACHES.items()}
    for conf in caches.values():
        conf["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def _fail_missing_service() -> None:
    pytest.fail("A required service is not configured (REQUIRE_SERVICES=1).")


def make_persona(email: str, *, manager: Person | None = None, level: int = 4, **person) -> User:
    user = UserFactory(email=email)
    PersonFactory(email=email, manager=manager, job_level=level, **person)
    person_link_user(user=user)
    return user


@pytest.fixture
def department():
    return DepartmentFactory(name="Cardiology", division__name="Clinical Services")


@pytest.fixture
def hr_admin(db, department) -> User:
    user = make_persona("hr.admin@example.com", department=department, level=6)
    hr_admin_add(user=user, by=None)
    return user


@pytest.fixture
def manager(db, department) -> User:
    return make_persona("manager@example.com", department=department, level=6)


@pytest.fixture
def employee(db, department, manager) -> User:
    """An ordinary employee who reports to ``manager``."""
    return make_persona("employee@example.com", department=department, manager=manager.person, level=3)


@pytest.fixture
def outsider(db) -> User:
    """A login with no person in the directory."""
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"
