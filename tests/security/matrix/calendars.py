"""Matrix entries: the calendars app's pages and endpoints.

The page and its actions are about the signed-in login's own calendar addresses only (no victim's object is
in their URLs): everyone signed in may use them, for themselves, and the victim's tokens never show. A feed's
address is its own credential, like a bearer token: whoever holds the victim's working address reads the
victim's feed, so the feed's entry checks that it shows none of the victims' secrets (agendas, notes,
feedback, e-mail addresses); tests/calendars checks that replaced and turned off addresses answer 404.
"""

from __future__ import annotations

from ..world_parts.calendars import MARK_CALENDAR_TOKEN, MARK_CALENDAR_TOKEN_REPLACED
from .base import EVERYONE, SIGNED_IN, Entry

OWN_FEEDS = "about the signed-in login's own calendar addresses; no one else's appear or change"
NAMING_THE_VICTIMS = OWN_FEEDS + "; a POST naming the victim's address is refused"
# The matrix's snapshot of changed tables does not cover the calendars app; tests/calendars checks the POSTs.
TOKENS = (MARK_CALENDAR_TOKEN, MARK_CALENDAR_TOKEN_REPLACED)


def _victims_feed(w) -> dict[str, int]:
    return {"feed": w.calendar_feed.pk}


CALENDARS: dict[str, Entry] = {
    "calendars:feed": Entry(own=SIGNED_IN, why=OWN_FEEDS, owner="v_mentor", markers=TOKENS),
    "calendars:create": Entry(
        get=False,
        post=lambda w: {},
        own=SIGNED_IN,
        why=OWN_FEEDS,
        owner="v_mentee",
        markers=TOKENS,
    ),
    "calendars:replace": Entry(
        post=_victims_feed,
        own=SIGNED_IN,
        why=NAMING_THE_VICTIMS,
        post_as_own=True,
        owner="v_mentor",
        markers=TOKENS,
    ),
    "calendars:turn_off": Entry(
        post=_victims_feed,
        own=SIGNED_IN,
        why=NAMING_THE_VICTIMS,
        post_as_own=True,
        owner="v_mentor",
        markers=TOKENS,
    ),
    "calendars:ics": Entry(
        kwargs=lambda w: {"token": MARK_CALENDAR_TOKEN},
        own=EVERYONE,
        why="the secret address is the credential: calendar servers read it with no session, by design",
        names_ok=True,
        owner="v_mentor",
        owner_sees=("Victor Vexmentee", "Room 5"),
    ),
}
