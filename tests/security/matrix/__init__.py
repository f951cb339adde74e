"""The authorization matrix: one entry per URL pattern name (see ``base`` for what an entry says)."""

from __future__ import annotations

from .accounts import ACCOUNTS
from .api import API
from .base import Entry
from .calendars import CALENDARS
from .cohorts import COHORTS
from .pairs import PAIRS
from .programs import PROGRAMS
from .scim import SCIM
from .sso import SSO

__all__ = ["MATRIX", "Entry"]


def _merge(*parts: dict[str, Entry]) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        assert not twice, f"URL names in two parts of the matrix: {sorted(twice)}"
        merged |= part
    return merged


MATRIX = _merge(ACCOUNTS, PROGRAMS, PAIRS, COHORTS, SSO, SCIM, CALENDARS, API)
