"""Home-page panel of matching: requests waiting for a mentor's answer, and a "Choose your mentor" link for
mentees of mentee-choice programs who have no mentor yet. The pairs themselves, once made, are on the
feedback panel ("what comes next").

Two queries whatever the number of requests.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest

from mentoring.home import HomePanel
from people.permissions import is_employee, person_for_user
from programs.models import Participant

from .models import MentorRequest, Mentorship
from .services.choice import CHOICE_MODES, OPEN, OPEN_STATUSES

CURRENT = (Mentorship.Status.PROPOSED, Mentorship.Status.ACTIVE)


def home_panels(request: HttpRequest) -> list[HomePanel]:
    user = request.user
    if not user.is_authenticated or not is_employee(user):
        return []
    person = person_for_user(user)
    assert person is not None  # is_employee admits people in the directory only
    waiting = list(
        MentorRequest.objects.filter(
            mentor__person=person,
            mentor__status=Participant.Status.APPROVED,
            status=MentorRequest.Status.PENDING,
        )
        .values("program__slug", "program__name")
        .annotate(n=Count("pk"))
        .order_by("program__name")
    )
    participations = (
        Participant.objects.filter(
            person=person,
            role=Participant.Role.MENTEE,
            status=Participant.Status.APPROVED,
            program__matching_mode__in=CHOICE_MODES,
            program__status__in=OPEN_STATUSES,
        )
        .values("program__slug", "program__name", "program__mentors_per_mentee")
        .annotate(
            paired=Count(
                "mentorships_as_mentee", filter=Q(mentorships_as_mentee__status__in=CURRENT), distinct=True
            ),
            asked=Count("requests_made", filter=Q(requests_made__status__in=OPEN), distinct=True),
        )
        .order_by("program__name")
    )
    to_choose = [p for p in participations if p["paired"] < p["program__mentors_per_mentee"]]
    if not (waiting or to_choose):
        return []
    context = {"waiting": waiting, "to_choose": to_choose}
    # Answering a request or choosing a mentor is a to-do; requests already sent only wait.
    order = 10 if waiting or any(not p["asked"] for p in to_choose) else 30
    title = "Mentor requests" if waiting else "Choose your mentor"
    return [HomePanel(title, "matching/home/_pairs.html", context, order=order)]
