"""Each dashboard page as a protected ``Dashboard``: built from the metrics, suppressed once, cached.

Figures are cached for ``OUTCOMES_CACHE_SECONDS`` (15 minutes by default) per page, program, filters and
smallest group size; the page says when they were computed. Changing the outcome settings changes the key,
so a new smallest group applies at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from programs.models import Program

from .filters import Filters
from .metrics.equity import equity_sections
from .metrics.overview import overview_sections
from .metrics.population import withheld_reason
from .metrics.program import Scope, program_people, program_sections
from .models import OutcomeSettings
from .tables import Dashboard, Section, protect_dashboard

PAGES = {
    "program": "Activity",
    "impact": "Impact",
    "equity": "Equity",
}


def _cache_seconds() -> int:
    return int(getattr(settings, "OUTCOMES_CACHE_SECONDS", 900))


def _build(
    key: str,
    title: str,
    filters: Filters,
    outcome_settings: OutcomeSettings,
    sections: Callable[[], list[Section]],
    withheld: Callable[[], str],
) -> Dashboard:
    k = outcome_settings.min_group_size
    stamp = outcome_settings.updated_at.isoformat() if outcome_settings.updated_at else "default"
    cache_key = f"outcomes:{key}:{filters.cache_key}:{k}:{stamp}"
    seconds = _cache_seconds()
    if seconds:
        found = cache.get(cache_key)
        if isinstance(found, Dashboard):
            return found
    reason = withheld()
    dashboard = Dashboard(
        title=title,
        sections=sections(),
        as_of=timezone.now(),
        min_group_size=k,
        filters=filters.described(),
        withheld=reason,
    )
    protect_dashboard(dashboard)
    if seconds:
        cache.set(cache_key, dashboard, seconds)
    return dashboard


def program_dashboard(
    program: Program, page: str, filters: Filters, outcome_settings: OutcomeSettings
) -> Dashboard:
    scope = Scope(program=program, filters=filters, today=timezone.localdate())
    k = outcome_settings.min_group_size

    def sections() -> list[Section]:
        if page == "program":
            return program_sections(scope)
        if page == "equity":
            return equity_sections(scope)
        from .metrics.impact import impact_sections

        return impact_sections(scope, settings=outcome_settings)

    return _build(
        f"{page}:{program.pk}",
        f"{program.name}: {PAGES[page].lower()}",
        filters,
        outcome_settings,
        sections,
        lambda: withheld_reason(program_people(program), filters, k),
    )


def overview_dashboard(
    programs: QuerySet[Program], filters: Filters, outcome_settings: OutcomeSettings, *, everything: bool
) -> Dashboard:
    from programs.models import Participant

    ids = sorted(programs.values_list("pk", flat=True))
    scope_key = "all" if everything else ",".join(map(str, ids))
    k = outcome_settings.min_group_size
    today: datetime.date = timezone.localdate()
    return _build(
        f"overview:{scope_key}",
        "Outcomes across programs" if everything else "Your programs",
        filters,
        outcome_settings,
        lambda: overview_sections(Program.objects.filter(pk__in=ids), filters, today),
        lambda: withheld_reason(Participant.objects.filter(program__in=ids), filters, k),
    )


def master_mentor_dashboard(filters: Filters, outcome_settings: OutcomeSettings) -> Dashboard:
    from .metrics.master_mentors import master_mentor_sections

    today = timezone.localdate()
    return _build(
        "master-mentors",
        "Master Mentors",
        filters,
        outcome_settings,
        lambda: master_mentor_sections(filters, today=today),
        lambda: "",
    )
