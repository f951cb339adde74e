"""Which company sign-in provider serves an e-mail domain, and whether that domain still has passwords.

Providers are allauth ``SocialApp``s (OpenID Connect or SAML), kept in the database by HR admins or given
in the environment (``sso.config``). Their ``settings`` carry what allauth does not know: the e-mail
``domains`` they sign in, ``sso_only`` (passwords off for those domains) and ``enabled``.
"""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from django.http import HttpRequest

from .config import OIDC, SAML

COMPANY_PROTOCOLS = (OIDC, SAML)


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def domains_of(app: SocialApp) -> list[str]:
    return [str(d).lower() for d in (app.settings or {}).get("domains", [])]


def is_enabled(app: SocialApp) -> bool:
    return (app.settings or {}).get("enabled", True) is not False


def is_sso_only(app: SocialApp) -> bool:
    return bool((app.settings or {}).get("sso_only"))


def from_environment(app: SocialApp) -> bool:
    return bool((app.settings or {}).get("from_environment"))


def company_apps(request: HttpRequest | None = None, *, include_disabled: bool = False) -> list[SocialApp]:
    """Every company sign-in provider: those HR added in the browser, then those of the environment."""
    cache_name = "_sso_all_apps" if include_disabled else "_sso_enabled_apps"
    if request is not None and hasattr(request, cache_name):  # the login page asks more than once
        return list(getattr(request, cache_name))
    adapter = get_adapter(request)
    apps: list[SocialApp] = []
    for protocol in COMPANY_PROTOCOLS:
        apps.extend(adapter.list_apps(request, provider=protocol, include_disabled=include_disabled))
    if request is not None:
        setattr(request, cache_name, tuple(apps))
    return apps


def app_for_email(email: str, request: HttpRequest | None = None) -> SocialApp | None:
    """The enabled provider that signs in ``email``'s domain, if any."""
    domain = domain_of(email)
    if not domain:
        return None
    for app in company_apps(request):
        if domain in domains_of(app):
            return app
    return None


def passwords_off_for(email: str, request: HttpRequest | None = None) -> SocialApp | None:
    """The provider that turned passwords off for ``email``'s domain ("SSO only"), or None."""
    app = app_for_email(email, request)
    return app if app is not None and is_sso_only(app) else None
