"""Wording helpers for the plain-English messages of programs."""

from __future__ import annotations

from collections.abc import Sequence


def human_join(words: Sequence[str]) -> str:
    """["A", "B", "C"] → "A, B and C"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many
