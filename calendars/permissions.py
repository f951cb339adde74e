"""Who reaches which calendar feed.

- The *Calendar feed* page is the signed-in user's own: it only ever shows and changes their own addresses,
  so there is no one else's object to reach through it.
- A feed's address is its own credential (calendar servers fetch it with no session). It answers only while
  the address is the login's working one, the login is active and linked to a person who has not left;
  anything else is 404, the same answer as for an address that never existed.
"""

from __future__ import annotations

from django.http import Http404

from people.models import Person, User

from .models import CalendarFeed


def feeds_of(user: User):
    """The user's addresses, working one first, then the earlier ones, newest first."""
    return CalendarFeed.objects.filter(user=user).order_by("revoked_at", "-created_at")


def active_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.active().filter(user=user).first()


def get_feed_for_token(token: str) -> tuple[CalendarFeed, Person]:
    """The working feed ``token`` opens, with its person; 404 for anything else."""
    feed = CalendarFeed.objects.select_related("user__person").find(token)
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    person = getattr(feed.user, "person", None)
    if person is None or person.status == Person.Status.LEFT:
        raise Http404("No such calendar.")
    return feed, person
