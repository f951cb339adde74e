"""The home page is a stack of panels, each telling one persona what to do next.

Each app contributes a ``home_panels(request)`` function listed in ``PANEL_PROVIDERS``; the home page asks
them in order and shows what they return. An app whose persona does not apply returns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.module_loading import import_string

PANEL_PROVIDERS = [
    "people.home.home_panels",
    "programs.home.home_panels",
    "matching.home.home_panels",
    "feedback.home.home_panels",
    "cohorts.home.home_panels",
    "outcomes.home.home_panels",
]


@dataclass
class HomePanel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    # Lower comes first: to-dos before information.
    order: int = 50


def panels_for(request: HttpRequest) -> list[HomePanel]:
    panels: list[HomePanel] = []
    for dotted in PANEL_PROVIDERS:
        panels.extend(import_string(dotted)(request))
    return sorted(panels, key=lambda p: p.order)
