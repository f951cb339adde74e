"""Home-page panels of the Master Mentor cycles: nomination invitations waiting for the candidate's answer
(a to-do), the open cycles where the signed-in employee can endorse colleagues (and, for managers,
directors and HR admins, nominate), and for committee members the cycles they review. Two queries when
there is nothing to show, whatever the number of cycles."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from mentoring.home import HomePanel
from people.models import Person, User

from .models import MAX_ENDORSEMENTS, Candidacy, CommitteeMember, Endorsement, NominationCycle
from .permissions.nominations import current_person, is_nominator
from .selectors.endorsements import has_reports
from .services.nominations import ANSWERABLE, accepting_q, window_problem


def home_panels(request: HttpRequest) -> list[HomePanel]:
    user = request.user
    if not user.is_authenticated:
        return []
    person = current_person(user)
    if person is None:
        return []
    return _nomination_panels(user, person) + _review_panels(person)


def _review_panels(person: Person) -> list[HomePanel]:
    """The cycles the person reviews (or reviewed, until the cycle closes), with the chair's ranking."""
    seats = sorted(
        CommitteeMember.objects.filter(
            person=person, cycle__status__in=[S.REVIEWING, S.DECIDED]
        ).select_related("cycle"),
        key=lambda seat: (seat.cycle.status != S.REVIEWING, -seat.cycle.year, -seat.cycle.pk),
    )
    if not seats:
        return []
    reviewing = any(seat.cycle.status == S.REVIEWING for seat in seats)
    return [
        HomePanel(
            "Master Mentor review",
            "cohorts/review/_home_panel.html",
            {"seats": seats},
            order=20 if reviewing else 45,
        )
    ]


def _nomination_panels(user: User, person: Person) -> list[HomePanel]:
    today = timezone.localdate()
    invited = Candidacy.objects.filter(cycle=OuterRef("pk"), person=person, status=Candidacy.Status.INVITED)
    given = (
        Endorsement.objects.filter(cycle=OuterRef("pk"), endorser=person)
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cycles = list(
        NominationCycle.objects.filter(accepting_q(today) | (Q(status__in=ANSWERABLE) & Exists(invited)))
        .annotate(
            invited_pk=Subquery(invited.values("pk")[:1]),
            given=Coalesce(Subquery(given, output_field=IntegerField()), 0),
        )
        .order_by("-year", "name", "pk")
    )
    if not cycles:
        return []
    invitations = [{"cycle": cycle, "pk": cycle.invited_pk} for cycle in cycles if cycle.invited_pk]
    rows = [
        {"cycle": cycle, "left": MAX_ENDORSEMENTS - cycle.given}
        for cycle in cycles
        if window_problem(cycle, today) is None
    ]
    has_team = bool(rows) and has_reports(person)
    context = {
        "invitations": invitations,
        "rows": rows,
        "nominator": has_team or (bool(rows) and is_nominator(user)),
        "has_team": has_team,
    }
    order = 10 if invitations else 40
    return [HomePanel("Master Mentors", "cohorts/nominations/_home_panel.html", context, order=order)]


S = NominationCycle.Status
