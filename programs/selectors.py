"""Reads about programs used by several pages: funnels, the managers' list, the directory's locations,
and what a person sees of a program. Who is eligible is in ``programs.services.eligibility``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from people.models import Person, User
from programs.permissions import programs_managed_by

from .models import Participant, Program, ProgramStatusChange
from .services.eligibility import (
    MentorCredentials,
    eligibility_notes,
    eligibility_problems,
    eligible_people,
    enrollment_closed_reason,
    role_conflict,
)

P = Participant.Status
R = Participant.Role
M = Participant.ManagerApproval


def directory_locations() -> list[str]:
    """The locations of current people, as a program's eligibility may name them."""
    return list(
        Person.objects.current()
        .exclude(location="")
        .order_by("location")
        .values_list("location", flat=True)
        .distinct()
    )


def programs_for_manage_list(user: User) -> QuerySet[Program]:
    """The programs ``user`` manages, with participant counts by role, in two queries per page."""
    active = ~Q(participants__status__in=[P.DECLINED, P.WITHDRAWN])
    return programs_managed_by(user).annotate(
        mentor_count=Count(
            "participants", filter=active & Q(participants__role=Participant.Role.MENTOR), distinct=True
        ),
        mentee_count=Count(
            "participants", filter=active & Q(participants__role=Participant.Role.MENTEE), distinct=True
        ),
        waiting_count=Count("participants", filter=Q(participants__status=P.APPLIED), distinct=True),
    )


FUNNEL_STAGES = [
    ("applied_total", "Applied", "Every application, whatever happened to it since."),
    (P.APPLIED, "Waiting for a decision", "Applied and not yet approved, waitlisted or declined."),
    (P.APPROVED, "Approved", ""),
    (P.WAITLISTED, "Waitlisted", ""),
    (P.DECLINED, "Declined", ""),
    (P.WITHDRAWN, "Withdrawn", ""),
]


@dataclass(frozen=True)
class FunnelRow:
    key: str
    label: str
    help: str
    mentors: int
    mentees: int


@dataclass(frozen=True)
class Funnel:
    eligible: int
    rows: list[FunnelRow]
    waiting_for_approval: int
    waiting_for_manager: int


def program_funnel(program: Program) -> Funnel:
    """People at each stage of enrollment, by role: one query for participants, one for eligibility."""
    aggregates: dict[str, Count] = {}
    for role in Participant.Role.values:
        by_role = Q(role=role)
        aggregates[f"{role}__applied_total"] = Count("pk", filter=by_role)
        for status in P.values:
            aggregates[f"{role}__{status}"] = Count("pk", filter=by_role & Q(status=status))
    aggregates["waiting_for_manager"] = Count(
        "pk",
        filter=Q(status=P.APPLIED, manager_approval=Participant.ManagerApproval.PENDING),
    )
    counts = Participant.objects.filter(program=program).aggregate(**aggregates)
    rows = [
        FunnelRow(
            key=key,
            label=label,
            help=help_text,
            mentors=counts[f"{Participant.Role.MENTOR}__{key}"],
            mentees=counts[f"{Participant.Role.MENTEE}__{key}"],
        )
        for key, label, help_text in FUNNEL_STAGES
    ]
    waiting = (
        counts[f"{Participant.Role.MENTOR}__{P.APPLIED}"] + counts[f"{Participant.Role.MENTEE}__{P.APPLIED}"]
    )
    return Funnel(
        eligible=eligible_people(program).count(),
        rows=rows,
        waiting_for_approval=waiting - counts["waiting_for_manager"],
        waiting_for_manager=counts["waiting_for_manager"],
    )


def program_history(program: Program) -> QuerySet[ProgramStatusChange]:
    return program.status_changes.select_related("by__person").order_by("at", "pk")


# --- What a person sees of a program (the program pages and the home page) -----------------------------


@dataclass
class RoleState:
    """One person's standing in one role of a program: their application, or whether and why not to apply."""

    role: str
    participant: Participant | None = None
    invited: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return R(self.role).label.lower()

    @property
    def can_apply(self) -> bool:
        return self.participant is None and not self.problems

    @property
    def waiting_for_manager(self) -> bool:
        p = self.participant
        return p is not None and p.status == P.APPLIED and p.manager_approval == M.PENDING


def role_states(
    *,
    program: Program,
    person: Person,
    participations: Iterable[Participant],
    invited_roles: Iterable[str] = (),
    credentials: MentorCredentials | None = None,
    today: datetime.date | None = None,
) -> list[RoleState]:
    """The person's state as mentee and as mentor in ``program``, from rows the caller loaded in bulk."""
    today = today or timezone.localdate()
    mine = {p.role: p for p in participations if p.program_id == program.pk}
    invited = set(invited_roles)
    closed = enrollment_closed_reason(program, today)
    states: list[RoleState] = []
    for role in (R.MENTEE, R.MENTOR):
        state = RoleState(role=role, participant=mine.get(role), invited=role in invited)
        if state.participant is None:
            if closed:
                state.problems.append(closed)
            else:
                conflict = role_conflict(program=program, role=role, other_roles=mine)
                if conflict:
                    state.problems.append(conflict)
                state.problems.extend(
                    eligibility_problems(
                        program=program, person=person, role=role, today=today, credentials=credentials
                    )
                )
            state.notes = eligibility_notes(program=program, role=role)
        states.append(state)
    return states
