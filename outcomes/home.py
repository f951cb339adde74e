"""The sponsor's home-page panel: the programs they sponsor, each with its dashboard (one query)."""

from __future__ import annotations

from django.http import HttpRequest

from mentoring.home import HomePanel
from people.permissions import person_for_user
from programs.models import Program


def home_panels(request: HttpRequest) -> list[HomePanel]:
    person = person_for_user(request.user)
    if person is None:
        return []
    programs = list(Program.objects.filter(sponsors=person).order_by("name").only("name", "slug", "status"))
    if not programs:
        return []
    return [HomePanel("Programs you sponsor", "outcomes/_home_panel.html", {"programs": programs}, order=40)]
