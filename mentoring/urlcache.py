"""``reverse`` for jobs that build thousands of links: the pattern is resolved once per URL name, then filled
in with plain string formatting (the same URL ``reverse`` gives, at a fraction of the cost)."""

from __future__ import annotations

import functools

from django.urls import reverse

_MARK = 9_000_000_000  # an integer no argument takes, so it can be found again in the reversed URL


@functools.cache
def _pattern(name: str, arity: int) -> str:
    marks = [str(_MARK + n) for n in range(arity)]
    url = reverse(name, args=marks).replace("{", "{{").replace("}", "}}")
    for n, mark in enumerate(marks):
        url = url.replace(mark, f"{{{n}}}")
    return url


def fast_reverse(name: str, *args: int | str) -> str:
    """``reverse(name, args=args)`` for URLs whose arguments are integers or slugs."""
    return _pattern(name, len(args)).format(*args)
