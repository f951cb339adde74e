"""The *Calendar feed* page (the signed-in user's own addresses) and the feed itself (public by its secret
address, for calendar servers that fetch with no session)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from people.models import User
from people.permissions import person_for_user

from . import permissions, selectors
from .feed import feed_calendar
from .forms import FeedChoiceForm
from .services import CalendarFeedError, NewFeed, feed_create, feed_replace, feed_turn_off

# Earlier (replaced or turned off) addresses listed on the page, newest first.
EARLIER_SHOWN = 5


def _me(request: HttpRequest) -> User:
    """The signed-in user (every page view below requires one)."""
    assert isinstance(request.user, User)
    return request.user


def feed_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('calendars:ics', args=[token])}"


def webcal_url(url: str) -> str:
    """The same address for calendar apps that subscribe when a webcal:// link is opened."""
    return "webcal://" + url.split("://", 1)[1]


def _page_context(request: HttpRequest) -> dict:
    feeds = list(permissions.feeds_of(_me(request))[: EARLIER_SHOWN + 1])
    active = next((feed for feed in feeds if feed.is_active), None)
    past_days, future_days = selectors.Window.days()
    return {
        "person": person_for_user(_me(request)),
        "active": active,
        "earlier": [feed for feed in feeds if not feed.is_active][:EARLIER_SHOWN],
        "past_days": past_days,
        "future_days": future_days,
    }


def _show_new_address(request: HttpRequest, new: NewFeed, *, replaced: bool) -> HttpResponse:
    """The one page that ever shows the address: never cached, never sent on as a referrer."""
    url = feed_url(new.token)
    webcal = webcal_url(url)
    response = render(
        request,
        "calendars/created.html",
        {
            "feed": new.feed,
            "url": url,
            "webcal": webcal,
            "google": f"https://calendar.google.com/calendar/r?cid={quote(webcal, safe='')}",
            "replaced": replaced,
            "secure": urlsplit(url).scheme == "https",
        },
    )
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_safe
def feed_page(request: HttpRequest) -> HttpResponse:
    return render(request, "calendars/feed.html", _page_context(request))


@login_required
@require_POST
def feed_create_view(request: HttpRequest) -> HttpResponse:
    try:
        new = feed_create(user=_me(request))
    except CalendarFeedError as error:
        messages.error(request, str(error))
        return redirect("calendars:feed")
    return _show_new_address(request, new, replaced=False)


def _confirm_or_act(request: HttpRequest, template: str):
    """The GET of a confirmation page (None when there is nothing to confirm), or the POST's checked form."""
    active = permissions.active_feed_of(_me(request))
    if request.method == "GET":
        if active is None:
            messages.info(request, "You have no calendar address at the moment.")
            return None, redirect("calendars:feed")
        form = FeedChoiceForm(initial={"feed": active.pk})
        return None, render(request, template, {"active": active, "form": form})
    form = FeedChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return None, redirect("calendars:feed")
    return form.cleaned_data["feed"], None


@login_required
@require_http_methods(["GET", "POST"])
def feed_replace_view(request: HttpRequest) -> HttpResponse:
    feed_id, response = _confirm_or_act(request, "calendars/confirm_replace.html")
    if response is not None:
        return response
    try:
        new = feed_replace(user=_me(request), feed_id=feed_id)
    except CalendarFeedError as error:
        messages.error(request, str(error))
        return redirect("calendars:feed")
    return _show_new_address(request, new, replaced=True)


@login_required
@require_http_methods(["GET", "POST"])
def feed_turn_off_view(request: HttpRequest) -> HttpResponse:
    feed_id, response = _confirm_or_act(request, "calendars/confirm_turn_off.html")
    if response is not None:
        return response
    try:
        feed_turn_off(user=_me(request), feed_id=feed_id)
    except CalendarFeedError as error:
        messages.error(request, str(error))
        return redirect("calendars:feed")
    messages.success(
        request,
        "Your calendar address is turned off. Calendars subscribed to it get nothing more from us; remove "
        "the subscription in your calendar app to clear what it already shows.",
    )
    return redirect("calendars:feed")


@require_safe
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed: no session or cookie needed, the address is the credential. 404 for an unknown or turned
    off address, a switched-off login or a person who has left."""
    feed, person = permissions.get_feed_for_token(token)
    feed.mark_used()
    window = selectors.Window.around(timezone.now())
    calendar = feed_calendar(
        person,
        selectors.sessions_for_feed(person, window),
        selectors.cohort_events_for_feed(person, window),
    )
    body = calendar.to_ical()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="mentoring.ics"'
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
