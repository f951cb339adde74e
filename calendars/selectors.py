"""What a person's calendar feed holds: their sessions and their cohorts' events within the feed's window.

Each is one query, whatever the number of pairs, sessions, cohorts or events.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from cohorts.models import Cohort, CohortEvent, CohortMember
from feedback.models import Session
from matching.models import Mentorship
from people.models import Person

PAST_DAYS = 90
FUTURE_DAYS = 365


@dataclass(frozen=True)
class Window:
    starts: datetime.datetime
    ends: datetime.datetime

    @staticmethod
    def days() -> tuple[int, int]:
        """Days back and ahead: ``CALENDAR_FEED_PAST_DAYS`` (90) and ``CALENDAR_FEED_FUTURE_DAYS`` (365)."""
        past = int(getattr(settings, "CALENDAR_FEED_PAST_DAYS", PAST_DAYS))
        future = int(getattr(settings, "CALENDAR_FEED_FUTURE_DAYS", FUTURE_DAYS))
        return past, future

    @classmethod
    def around(cls, now: datetime.datetime) -> Window:
        past, future = cls.days()
        return cls(now - datetime.timedelta(days=past), now + datetime.timedelta(days=future))


def sessions_for_feed(person: Person, window: Window) -> QuerySet[Session]:
    """The sessions of every pair, current or past, in which ``person`` is the mentor or the mentee.

    Events are told apart by their start; a session may last up to 8 hours, so one that started just before
    the window still ends inside it and is kept.
    """
    pairs = Mentorship.objects.filter(Q(mentor__person=person) | Q(mentee__person=person)).values("pk")
    return (
        Session.objects.filter(
            mentorship__in=pairs,
            starts_at__gte=window.starts - datetime.timedelta(days=1),
            starts_at__lt=window.ends,
        )
        .select_related("mentorship__program", "mentorship__mentor__person", "mentorship__mentee__person")
        .only(
            "pk",
            "status",
            "starts_at",
            "duration_minutes",
            "format",
            "location",
            "sequence",
            "created_at",
            "updated_at",
            "mentorship__status",
            "mentorship__ended_on",
            "mentorship__program__name",
            "mentorship__mentor__person__full_name",
            "mentorship__mentee__person__full_name",
        )
        .order_by("starts_at", "pk")
    )


def cohort_events_for_feed(person: Person, window: Window) -> QuerySet[CohortEvent]:
    """The events of the cohorts ``person`` trains in (or graduated from), and of those they coordinate.
    A member who withdrew no longer gets their cohort's events."""
    cohorts = Cohort.objects.filter(
        Q(
            members__person=person,
            members__status__in=[CohortMember.Status.ACTIVE, CohortMember.Status.GRADUATED],
        )
        | Q(coordinators=person)
    ).values("pk")
    return (
        CohortEvent.objects.filter(
            cohort__in=cohorts,
            starts_at__gte=window.starts - datetime.timedelta(days=1),
            starts_at__lt=window.ends,
        )
        .select_related("cohort")
        .defer("agenda")
        .order_by("starts_at", "pk")
    )
