"""A real OpenID Connect provider on loopback (oidc-provider-mock) and a company sign-in configured for it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialApp
from django.test import Client
from django.urls import reverse
from oidc_provider_mock import User as IdpUser
from oidc_provider_mock import run_server_in_thread

from sso.config import oidc_settings

DOMAIN = "acme.test"
ADA = f"ada.lovelace@{DOMAIN}"


@pytest.fixture(scope="module")
def idp_url() -> Iterator[str]:
    """The provider's issuer URL. It signs in whoever the test names (``authorize``)."""
    users = [
        IdpUser(sub="ada", claims={"email": ADA, "email_verified": True, "name": "Ada Lovelace"}),
        IdpUser(sub="grace", claims={"email": f"grace.hopper@{DOMAIN}", "name": "Grace Hopper"}),
        IdpUser(sub="mallory", claims={"email": "mallory@elsewhere.test", "name": "Mallory"}),
        IdpUser(sub="nomail", claims={"name": "No Mail"}),
    ]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def company_app(db, idp_url: str) -> SocialApp:
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="acme",
        name="Acme",
        client_id="mentoring-app",
        secret="loopback-secret",
        settings=oidc_settings(server_url=idp_url, domains=[DOMAIN], sso_only=False),
    )


def authorize(redirect_to_idp: str, sub: str) -> str:
    """Sign ``sub`` in at the provider's own page; returns our callback address with code and state."""
    assert redirect_to_idp.startswith("http://localhost:"), redirect_to_idp
    answer = requests.post(redirect_to_idp, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def sign_in_with_company_account(client: Client, email: str, sub: str, *, next_url: str = ""):
    """The whole round trip: our form → provider → our callback. Returns the callback's response."""
    data = {"email": email} | ({"next": next_url} if next_url else {})
    started = client.post(reverse("sso:start"), data)
    assert started.status_code == 302, started.content[:500]
    query = parse_qs(urlsplit(started["Location"]).query)
    assert query["login_hint"] == [email]
    callback = urlsplit(authorize(started["Location"], sub))
    return client.get(callback.path, data=parse_qs(callback.query))
