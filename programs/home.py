"""Home-page panels of programs: what to apply to, invitations and applications; managers' approvals; the
programs a coordinator or HR admin runs, with the applications waiting for them."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from mentoring.home import HomePanel
from people.models import Person, User
from people.permissions import is_employee, person_for_user

from .models import Invitation, Participant, Program
from .permissions import programs_managed_by, programs_visible_to_employee
from .selectors import role_states
from .services.eligibility import MentorCredentials, enrollment_closed_reason

P = Participant.Status
SHOWN = 5
MANAGED_SHOWN = 8


def home_panels(request: HttpRequest) -> list[HomePanel]:
    user = request.user
    if not user.is_authenticated:
        return []
    panels: list[HomePanel] = []
    person = person_for_user(user)
    if person is not None and is_employee(user):
        panels.extend(_employee_panel(user, person))
        waiting = Participant.objects.filter(
            person__manager=person, manager_approval=Participant.ManagerApproval.PENDING, status=P.APPLIED
        ).count()
        if waiting:
            panels.append(
                HomePanel(
                    "Approvals for your team", "programs/home/_manager.html", {"waiting": waiting}, order=5
                )
            )
    panels.extend(_managed_panel(user))
    return panels


def _employee_panel(user: User, person: Person) -> list[HomePanel]:
    today = timezone.localdate()
    participations = list(
        Participant.objects.filter(person=person)
        .exclude(program__status=Program.Status.CLOSED)
        .select_related("program")
        .order_by("-applied_at")
    )
    invitations = list(
        Invitation.objects.filter(person=person, program__status=Program.Status.ENROLLING)
        .select_related("program")
        .order_by("-invited_at")
    )
    applied = {(p.program_id, p.role) for p in participations}
    invitations = [i for i in invitations if (i.program_id, i.role) not in applied]
    programs = [
        program
        for program in programs_visible_to_employee(user)
        .filter(status=Program.Status.ENROLLING)
        .prefetch_related("eligible_divisions", "eligible_departments")
        .order_by("enrollment_closes_on", "name")
        if enrollment_closed_reason(program, today) is None
    ]
    credentials = MentorCredentials.for_person(person, programs)
    open_to_me = []
    for program in programs:
        states = role_states(
            program=program,
            person=person,
            participations=participations,
            credentials=credentials,
            today=today,
        )
        roles = [s for s in states if s.can_apply]
        if roles:
            open_to_me.append((program, roles))
    context = {
        "invitations": invitations[:SHOWN],
        "open_programs": open_to_me[:SHOWN],
        "more_open": len(open_to_me) > SHOWN,
        "participations": participations[:SHOWN],
        "more_participations": len(participations) > SHOWN,
    }
    # Invitations and open applications are to-dos; a list of statuses is information.
    order = 20 if invitations or open_to_me else 45 if participations else 60
    return [HomePanel("Mentoring programs", "programs/home/_employee.html", context, order=order)]


def _managed_panel(user: User) -> list[HomePanel]:
    waiting = Q(participants__status=P.APPLIED) & ~Q(
        participants__manager_approval=Participant.ManagerApproval.PENDING
    )
    managed = list(
        programs_managed_by(user)
        .exclude(status=Program.Status.CLOSED)
        .annotate(waiting=Count("participants", filter=waiting))
        .order_by("-waiting", "name")[: MANAGED_SHOWN + 1]
    )
    if not managed:
        return []
    context = {"programs": managed[:MANAGED_SHOWN], "more": len(managed) > MANAGED_SHOWN}
    order = 15 if any(p.waiting for p in managed) else 35
    return [HomePanel("Programs you run", "programs/home/_programs_run.html", context, order=order)]
