"""Each login may choose the time zone its pages, e-mails and calendar invites are shown in; without a
choice, the organization's (``TIME_ZONE``) applies.

``UserTimeZoneMiddleware`` activates the signed-in user's zone for the request; code that writes to
someone else (an e-mail, an invite) renders it inside ``in_time_zone_of(person)``.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Person, User

# Aliases kept for old systems ("US/Eastern", "Etc/GMT+5", "posix/...") are valid but only confuse a list.
_HIDDEN_PREFIXES = ("Etc/", "SystemV/", "US/", "posix/", "right/", "Canada/", "Mexico/", "Brazil/", "Chile/")


@cache
def time_zone_names() -> tuple[str, ...]:
    """The zones offered in the settings page: every IANA region/city zone, sorted, plus UTC."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(_HIDDEN_PREFIXES)
    }
    return ("UTC", *sorted(names))


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know; choose one from the list, such as Europe/London.",
            params={"value": value},
        )


def zone_of_user(user: User | None) -> zoneinfo.ZoneInfo:
    """The user's chosen zone, else the organization's."""
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def zone_of(person: Person) -> zoneinfo.ZoneInfo:
    """The zone to show a person times in: their login's choice, else the organization's."""
    return zone_of_user(getattr(person, "user", None))


@contextmanager
def in_time_zone_of(person: Person) -> Iterator[zoneinfo.ZoneInfo]:
    """Render times for ``person`` (an e-mail, an invite) whatever zone the current request uses."""
    zone = zone_of(person)
    with timezone.override(zone):
        yield zone


class UserTimeZoneMiddleware:
    """Show each signed-in user the times of every page in their own zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            timezone.activate(zone_of_user(user))
        else:
            timezone.deactivate()
        return self.get_response(request)
