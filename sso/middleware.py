"""Let the sign-in pages' forms lead to the identity providers under the Content Security Policy.

Company sign-in posts to our own server, which redirects to the identity provider; browsers check a form's
redirects against the page's ``form-action`` too, so the pages that start a sign-in allow the providers'
origins (and only those pages).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from .registry import company_apps

# The pages whose forms start a company sign-in (allauth's own provider pages ask to continue with a POST).
SIGN_IN_PAGES = {"account_login", "sso:start", "openid_connect_login", "saml_login"}


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("https", "http") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def provider_origins(request: HttpRequest) -> list[str]:
    origins: list[str] = []
    for app in company_apps(request):
        settings_ = app.settings or {}
        idp = settings_.get("idp") or {}
        url = settings_.get("server_url") or idp.get("sso_url") or idp.get("metadata_url") or ""
        origin = _origin(url)
        if origin and origin not in origins:
            origins.append(origin)
    return origins


class CompanySignInFormActionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is None or match.view_name not in SIGN_IN_PAGES:
            return response
        origins = provider_origins(request)
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update  # type: ignore[attr-defined]
        return response
