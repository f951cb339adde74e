"""Cohort tests run on a fixed day inside the factories' nomination window (1 November to 15 December 2026),
around one open cycle of the Clinical Services division with a three-member committee."""

import pytest
import time_machine

from cohorts.factories import (
    CommitteeMemberFactory,
    CriterionFactory,
    DivisionQuotaFactory,
    NominationCycleFactory,
)
from cohorts.models import NominationCycle
from tests.conftest import make_persona
from tests.fixtures.programs import FIXED_TODAY


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=True):
        yield


@pytest.fixture
def chair(db, department):
    return make_persona("committee@example.com", department=department, level=8)


@pytest.fixture
def reviewer(db, department):
    return make_persona("reviewer@example.com", department=department, level=7)


@pytest.fixture
def second_reviewer(db, department):
    return make_persona("second.reviewer@example.com", department=department, level=7)


@pytest.fixture
def cycle(db, department, chair, reviewer, second_reviewer):
    """An open cycle: two seats for the division of ``department``, a two-criterion rubric (weights 2 and 1),
    a committee of three chaired by ``chair``."""
    cycle = NominationCycleFactory(name="Master Mentors", year=2027, status=NominationCycle.Status.OPEN)
    DivisionQuotaFactory(cycle=cycle, division=department.division, seats=2)
    CriterionFactory(cycle=cycle, name="Integrity and trustworthiness", weight=2, order=1)
    CriterionFactory(cycle=cycle, name="Generous listening and communication", weight=1, order=2)
    CommitteeMemberFactory(cycle=cycle, person=chair.person, is_chair=True)
    CommitteeMemberFactory(cycle=cycle, person=reviewer.person)
    CommitteeMemberFactory(cycle=cycle, person=second_reviewer.person)
    return cycle
