"""One victim world per test module, built once and rolled back at the end.

The world lives in a transaction opened for the whole module; each test runs inside it in its own savepoint
(pytest-django's ``db``), so whatever a request manages to change is undone before the next test.
"""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction

from tests.fixtures.programs import FIXED_TODAY

from .world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    with time_machine.travel(FIXED_TODAY, tick=True), django_db_blocker.unblock(), transaction.atomic():
        built = build_world(FIXED_TODAY.date())
        yield built
        transaction.set_rollback(True)
