"""The outcome dashboards' benchmark data set: by default an organization of 50,000 people with 10 programs,
20,000 pairs, 500,000 held sessions with a million feedback answers, and two Master Mentor cycles.

It exists because the dashboards must stay fast, with the same number of queries, at that size on PostgreSQL
(``manage.py bench_dashboards``), so its shapes follow a real organization closely enough for the query plans
to be the real ones: skewed division and program sizes, a pyramid of job levels, leavers, promotions, rare
self-identified categories, pairs that end early, sessions spread over each pair's life.

- ``dataset``: what marks the data set (so it can share a database with other data), finding and deleting it;
- ``rows``: writing rows that carry their own ids, with ``COPY`` on PostgreSQL and ``bulk_create`` elsewhere;
- ``shapes``: the organization's proportions and texts;
- ``seeder``: the build, step by step: ``directory`` (people, logins, promotions), ``cycles`` (Master Mentor
  cycles and cohorts), ``enrollment`` (programs, participants, pairs), ``activity`` (sessions, feedback,
  goals, check-ins, closure surveys).
"""

from .dataset import (
    CYCLE_NAME,
    DIVISION_PREFIX,
    DOMAIN,
    HR_EMAIL,
    PREFIX,
    SLUG_PREFIX,
    SPONSOR_EMAIL,
    Sizes,
    analyze,
    bench_programs,
    present,
    remove,
)
from .seeder import build

__all__ = [
    "CYCLE_NAME",
    "DIVISION_PREFIX",
    "DOMAIN",
    "HR_EMAIL",
    "PREFIX",
    "SLUG_PREFIX",
    "SPONSOR_EMAIL",
    "Sizes",
    "analyze",
    "bench_programs",
    "build",
    "present",
    "remove",
]
