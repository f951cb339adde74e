"""Feedback tests run on the programs' fixed day, around one active pair of the mentor and mentee personas
in a running program (see tests/fixtures/programs.py for the personas)."""

import pytest
import time_machine

from matching.services.mentorships import mentorship_create
from programs.factories import ParticipantFactory
from programs.models import Participant, Program
from tests.fixtures.programs import FIXED_TODAY


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=True):
        yield


@pytest.fixture
def running_program(program):
    program.status = Program.Status.RUNNING
    program.save(update_fields=["status"])
    return program


@pytest.fixture
def approved(program):
    """Make an approved participant of ``program``."""

    def make(role: str, **kwargs) -> Participant:
        return ParticipantFactory(program=program, role=role, status=Participant.Status.APPROVED, **kwargs)

    return make


@pytest.fixture
def pair(running_program, approved, mentor, mentee):
    """The mentor persona mentoring the mentee persona: an active pair of the running program."""
    return mentorship_create(
        mentor=approved("mentor", person=mentor.person, capacity=3),
        mentee=approved("mentee", person=mentee.person),
        by=None,
        source="manual",
    )
