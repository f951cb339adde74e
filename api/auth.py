"""Bearer tokens and rate limits of the read API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from .models import ApiToken

DEFAULT_RATE = "120/min"


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: an active token, marked as used; anything else answers 401."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.objects.find(token)
        if found is None:
            return None
        found.mark_used()
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``API_RATE_LIMIT`` calls per token (default 120 a minute; e.g. "1000/hour"), counted in the
    shared cache so every web process counts the same calls. Past it, 429 with ``Retry-After``."""

    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(rate=DEFAULT_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read on each call, so a changed setting applies without a restart (and tests can set it).
        self.rate = str(getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE))
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
