"""Calendar feed tests run on the programs' fixed day, around an active pair of the mentor and mentee
personas in a running program and a Master Mentor cohort (see tests/fixtures/programs.py)."""

from __future__ import annotations

import datetime

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from calendars.services import feed_create
from cohorts.factories import CohortFactory, CohortMemberFactory
from feedback.models import Session
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create
from people.models import User
from programs.factories import ParticipantFactory
from programs.models import Participant, Program
from tests.fixtures.programs import FIXED_TODAY

NOW = FIXED_TODAY


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=False):
        yield


@pytest.fixture
def running_program(program):
    program.status = Program.Status.RUNNING
    program.save(update_fields=["status"])
    return program


@pytest.fixture
def approved(running_program):
    def make(role: str, **kwargs) -> Participant:
        return ParticipantFactory(
            program=running_program, role=role, status=Participant.Status.APPROVED, **kwargs
        )

    return make


@pytest.fixture
def pair(approved, mentor, mentee) -> Mentorship:
    """The mentor persona mentoring the mentee persona."""
    return mentorship_create(
        mentor=approved("mentor", person=mentor.person, capacity=3),
        mentee=approved("mentee", person=mentee.person),
        by=None,
        source="manual",
    )


@pytest.fixture
def make_session(pair):
    def make(days: float = 7, mentorship: Mentorship | None = None, **fields) -> Session:
        fields.setdefault("duration_minutes", 60)
        fields.setdefault("format", Session.Format.VIDEO)
        return Session.objects.create(
            mentorship=mentorship or pair, starts_at=NOW + datetime.timedelta(days=days), **fields
        )

    return make


@pytest.fixture
def cohort(mentor):
    """A Master Mentor cohort the mentor persona trains in."""
    cohort = CohortFactory(name="Cohort 2026", starts_on=datetime.date(2026, 9, 1))
    CohortMemberFactory(cohort=cohort, person=mentor.person)
    return cohort


def token_of(user: User) -> str:
    return feed_create(user=user).token


def ics_url(token: str) -> str:
    return reverse("calendars:ics", args=[token])


def fetch(token: str) -> icalendar.Calendar:
    """The feed as a calendar server reads it: no session, no cookie."""
    response = Client().get(ics_url(token))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}
