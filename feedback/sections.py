"""The pair page is a stack of sections (agreement, goals, sessions, check-ins, closure), each built by its
area of the app.

Each area contributes a function ``section(request, access) -> PageSection | None`` listed in
``SECTION_PROVIDERS``; the pair page asks them in order and shows what they return. ``access`` is the
``feedback.permissions.PairAccess`` the page resolved, so a section never looks the pair up again and
never shows more than the viewer may see. Each provider runs a fixed number of queries, whatever the
pair's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.module_loading import import_string

SECTION_PROVIDERS: list[str] = [
    "feedback.views.pairs.agreement_section",
    "feedback.views.pairs.goals_section",
    "feedback.views.sessions.sessions_section",
    "feedback.views.checkins.checkins_section",
    "feedback.views.checkins.closure_section",
]


@dataclass
class PageSection:
    key: str  # the HTML id of the section, also its anchor
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def sections_for(request: HttpRequest, access) -> list[PageSection]:
    sections = []
    for path in SECTION_PROVIDERS:
        section = import_string(path)(request, access)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: s.order)
