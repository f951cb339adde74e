"""Matrix entries: the api app's pages and endpoints."""

from __future__ import annotations

from .base import Entry

API: dict[str, Entry] = {}
