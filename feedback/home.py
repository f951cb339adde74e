"""Home-page panels of feedback: for mentors and mentees, what comes next in each current pair (the next
session, sessions waiting for their feedback, check-ins due, goal progress, the playbook); for
coordinators and HR admins, how many pairs are at risk in each program they run.

Two queries whatever the number of pairs or programs: each panel annotates its rows in one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from matching.models import Mentorship
from mentoring.home import HomePanel
from people.models import Person, User
from people.permissions import is_employee, person_for_user
from programs.models import Program
from programs.permissions import programs_managed_by

from .health import at_risk_by_program
from .models import CheckIn, Goal, Session, SessionFeedback

# Held sessions older than this no longer ask for feedback on the home page.
FEEDBACK_WINDOW = datetime.timedelta(days=60)
PROGRAMS_SHOWN = 8


def home_panels(request: HttpRequest) -> list[HomePanel]:
    user = request.user
    if not user.is_authenticated:
        return []
    panels: list[HomePanel] = []
    person = person_for_user(user)
    if person is not None and is_employee(user):
        panels.extend(_pairs_panel(person))
    panels.extend(_at_risk_panel(user))
    return panels


def _count(queryset: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.values("mentorship").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
        ),
        0,
    )


def _first(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def current_pairs_of(person: Person, *, now: datetime.datetime | None = None) -> QuerySet[Mentorship]:
    """``person``'s current pairs, each annotated with what comes next for them in it: ``next_session_*``,
    ``pending_feedback`` (held sessions of the last 60 days without their feedback) and the oldest one
    (``pending_session_pk``), ``due_checkins`` and the first (``due_checkin_*``), ``goals_total`` (not
    dropped) and ``goals_achieved``."""
    now = now or timezone.now()
    pairs = (
        Mentorship.objects.current()
        .filter(Q(mentor__person=person) | Q(mentee__person=person))
        .annotate(
            viewer=Case(
                When(mentor__person=person, then=F("mentor_id")),
                default=F("mentee_id"),
                output_field=IntegerField(),
            )
        )
    )
    upcoming = Session.objects.upcoming(now).filter(mentorship=OuterRef("pk")).order_by("starts_at", "pk")
    pending = (
        Session.objects.held()
        .filter(mentorship=OuterRef("pk"), starts_at__gte=now - FEEDBACK_WINDOW, starts_at__lte=now)
        .exclude(
            Exists(
                SessionFeedback.objects.filter(
                    session=OuterRef("pk"), participant=OuterRef(OuterRef("viewer"))
                )
            )
        )
        .order_by("starts_at", "pk")
    )
    due = CheckIn.objects.filter(
        mentorship=OuterRef("pk"), participant=OuterRef("viewer"), submitted_at__isnull=True
    ).order_by("due_on", "pk")
    goals = Goal.objects.filter(mentorship=OuterRef("pk")).exclude(status=Goal.Status.DROPPED).order_by()
    return (
        pairs.annotate(
            next_session_at=_first(upcoming, "starts_at"),
            next_session_pk=_first(upcoming, "pk"),
            pending_feedback=_count(pending.order_by()),
            pending_session_pk=_first(pending, "pk"),
            due_checkins=_count(due.order_by()),
            due_checkin_pk=_first(due, "pk"),
            due_checkin_on=_first(due, "due_on"),
            goals_total=_count(goals),
            goals_achieved=_count(goals.filter(status=Goal.Status.ACHIEVED)),
        )
        .select_related("program", "mentor__person", "mentee__person")
        .order_by("program__name", "pk")
    )


def _pairs_panel(person: Person) -> list[HomePanel]:
    rows = []
    todo = False
    pair: Any  # annotated by current_pairs_of
    for pair in current_pairs_of(person):
        is_mentor = pair.mentor.person_id == person.pk
        total, achieved = pair.goals_total, pair.goals_achieved
        rows.append(
            {
                "pair": pair,
                "partner": pair.mentee.person if is_mentor else pair.mentor.person,
                "partner_role": "mentee" if is_mentor else "mentor",
                "goal_percent": round(100 * achieved / total) if total else 0,
            }
        )
        todo = todo or bool(pair.pending_feedback or pair.due_checkins)
    if not rows:
        return []
    # Feedback and check-ins waiting are to-dos; the rest is information.
    context = {"rows": rows}
    return [
        HomePanel(
            "Your pairs: what comes next", "feedback/home/_pairs.html", context, order=12 if todo else 32
        )
    ]


def _at_risk_panel(user: User) -> list[HomePanel]:
    managed = programs_managed_by(user).exclude(status=Program.Status.CLOSED)
    programs = at_risk_by_program(managed, limit=PROGRAMS_SHOWN + 1)
    if not programs:
        return []
    context = {"programs": programs[:PROGRAMS_SHOWN], "more": len(programs) > PROGRAMS_SHOWN}
    order = 14 if any(p.at_risk for p in programs) else 36
    return [HomePanel("Pairs at risk", "feedback/home/_at_risk.html", context, order=order)]
