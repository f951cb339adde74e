"""Program tests run on a fixed day (see tests/fixtures/programs.py for the personas)."""

import pytest
import time_machine

from tests.fixtures.programs import FIXED_TODAY


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=True):
        yield
