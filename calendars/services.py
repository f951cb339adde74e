"""Every change to a calendar address: create, replace, turn off.

Each returns what the caller shows; a new address's token is returned once, as plaintext, and never stored.
Each locks the login's addresses first, so two tabs (or a double click) cannot leave two working addresses
or replace an address the user did not see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mentoring.tokens import issue
from people.models import Person, User

from .models import TOKEN_PREFIX, CalendarFeed

FEED_NAME = "Personal calendar feed"


class CalendarFeedError(Exception):
    """A change refused, in words for the user."""


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    token: str  # shown once, to the feed's own user


def _lock_active(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()


def _ensure_may_have_feed(user: User) -> None:
    if not user.is_active:
        raise CalendarFeedError("This login is switched off.")
    person = Person.objects.filter(user=user).only("status").first()
    if person is None:
        raise CalendarFeedError(
            "Your login is not linked to anyone in the HR directory yet, so there is nothing to put in a "
            "calendar. Ask HR to link it."
        )
    if person.status == Person.Status.LEFT:
        raise CalendarFeedError("People who have left the organization cannot have a calendar address.")


def _create(user: User) -> NewFeed:
    issued = issue(TOKEN_PREFIX)
    feed = CalendarFeed(user=user, name=FEED_NAME, created_by=user)
    feed.set_secret(issued)
    try:
        with transaction.atomic():
            feed.save()
    except IntegrityError as error:  # another request made one between our lock and our insert
        raise CalendarFeedError(
            "You already have a calendar address. To get a new one, replace it."
        ) from error
    return NewFeed(feed=feed, token=issued.plaintext)


@transaction.atomic
def feed_create(*, user: User) -> NewFeed:
    """A new calendar address for ``user``; refused while they have a working one."""
    _ensure_may_have_feed(user)
    if _lock_active(user) is not None:
        raise CalendarFeedError("You already have a calendar address. To get a new one, replace it.")
    return _create(user)


@transaction.atomic
def feed_replace(*, user: User, feed_id: int) -> NewFeed:
    """Turn off ``user``'s working address ``feed_id`` and make a new one. Refused when ``feed_id`` is not
    their working address any more (replaced or turned off meanwhile, or never theirs)."""
    _ensure_may_have_feed(user)
    current = _lock_active(user)
    if current is None or current.pk != feed_id:
        raise CalendarFeedError(
            "That calendar address was already replaced or turned off. Nothing was changed; this page "
            "shows where things stand now."
        )
    current.revoke(by=user)
    return _create(user)


@transaction.atomic
def feed_turn_off(*, user: User, feed_id: int) -> CalendarFeed:
    """Turn off ``user``'s working address ``feed_id``: calendars reading it get nothing from now on."""
    current = _lock_active(user)
    if current is None or current.pk != feed_id:
        raise CalendarFeedError(
            "That calendar address was already replaced or turned off. Nothing was changed; this page "
            "shows where things stand now."
        )
    current.revoke(by=user)
    return current


def feeds_turn_off(*, feeds: QuerySet[CalendarFeed], by: User | None) -> int:
    """Turn off every working address among ``feeds`` (an administrator's action, e.g. for a compromised
    login); returns how many were working."""
    return feeds.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
