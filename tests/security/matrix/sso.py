"""Matrix entries: the sso app's pages and endpoints."""

from __future__ import annotations

from .base import Entry

SSO: dict[str, Entry] = {}
