"""Project-wide request handling: signing out logins left idle."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "mentoring_last_seen"
# The last activity is written at most this often, so an active login costs one session write a minute.
LAST_SEEN_PRECISION = 60


class SessionIdleTimeoutMiddleware:
    """Sign out a login idle for longer than SESSION_IDLE_TIMEOUT seconds (off when unset)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.SESSION_IDLE_TIMEOUT
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(seen, int) and now - seen > timeout:
                logout(request)
                messages.info(request, "You were signed out after a while without activity; sign in again.")
            elif not isinstance(seen, int) or now - seen >= LAST_SEEN_PRECISION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
