"""Matrix entries: the scim app's pages and endpoints."""

from __future__ import annotations

from .base import Entry

SCIM: dict[str, Entry] = {}
