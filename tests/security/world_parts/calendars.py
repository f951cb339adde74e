"""The victims' calendars objects for the authorization matrix: the mentor's working calendar address and an
earlier one, replaced. Their tokens are fixed strings (``MARK_*``), so the matrix can say no page shows them;
the product's own addresses are random (``mentoring.tokens.issue``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from calendars.models import TOKEN_PREFIX, CalendarFeed
from calendars.services import FEED_NAME
from mentoring.tokens import IssuedToken, digest

if TYPE_CHECKING:
    from ..world import World

MARK_CALENDAR_TOKEN = f"{TOKEN_PREFIX}_Vx-calendar-token-7Kq2"
MARK_CALENDAR_TOKEN_REPLACED = f"{TOKEN_PREFIX}_Vx-replaced-calendar-token-3Wd8"


def _feed(w: World, plaintext: str) -> CalendarFeed:
    mentor = w.users["v_mentor"]
    feed = CalendarFeed(user=mentor, name=FEED_NAME, created_by=mentor)
    feed.set_secret(IssuedToken(plaintext=plaintext, digest=digest(plaintext), hint=plaintext[-4:]))
    feed.save()
    return feed


def extend(w: World) -> None:
    _feed(w, MARK_CALENDAR_TOKEN_REPLACED).revoke(by=w.users["v_mentor"])
    w.objects["calendar_feed"] = _feed(w, MARK_CALENDAR_TOKEN)
