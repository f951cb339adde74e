"""Matching tests run on the programs' fixed day (see tests/fixtures/programs.py for the personas)."""

import pytest
import time_machine

from programs.factories import ParticipantFactory
from programs.models import Participant
from tests.fixtures.programs import FIXED_TODAY


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=True):
        yield


@pytest.fixture
def approved(program):
    """Make an approved participant of ``program``."""

    def make(role: str, **kwargs) -> Participant:
        return ParticipantFactory(program=program, role=role, status=Participant.Status.APPROVED, **kwargs)

    return make
