"""Matrix entries: the calendars app's pages and endpoints."""

from __future__ import annotations

from .base import Entry

CALENDARS: dict[str, Entry] = {}
