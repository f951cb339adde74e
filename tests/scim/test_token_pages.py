"""HR admins' SCIM token pages: made and shown once, listed by hint only, revoked after confirming."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from scim.models import ScimEvent, ScimToken

from .conftest import BASE, ScimHttp

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_never_listed(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("scim:token_create"), {"name": "Entra ID"})
    assert response.status_code == 200
    page = response.content.decode()
    plaintext = re.search(r"scim_[A-Za-z0-9_-]{40,}", page).group(0)
    assert "http://testserver/scim/v2/" in page and "shown this once" in page
    token = ScimToken.objects.get(name="Entra ID")
    assert token.created_by == hr_admin and plaintext.endswith(token.hint)
    listing = client.get(reverse("scim:token_list")).content.decode()
    assert plaintext not in listing and f"…{token.hint}" in listing and "Entra ID" in listing
    assert ScimHttp(plaintext).get("Users").status_code == 200


def test_a_token_needs_a_name(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("scim:token_create"), {"name": "   "})
    assert response.status_code == 200 and b"No token was made" in response.content
    assert not ScimToken.objects.exists()


def test_revoking_asks_first_and_stops_the_token(client, hr_admin, scim_token):
    client.force_login(hr_admin)
    url = reverse("scim:token_revoke", args=[scim_token.token.pk])
    assert b"Revoke token" in client.get(url).content
    assert ScimHttp(scim_token.plaintext).get("Users").status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert ScimToken.objects.get().revoked_by == hr_admin
    assert ScimHttp(scim_token.plaintext).get("Users").status_code == 401
    assert b"Revoked" in client.get(reverse("scim:token_list")).content
    assert client.get(reverse("scim:token_revoke", args=[999])).status_code == 404


def test_the_list_shows_what_the_identity_provider_changed(client, hr_admin, scim):
    scim.post(
        "Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ada.lovelace@example.com",
            "title": "Secret project lead",
        },
    )
    client.force_login(hr_admin)
    page = client.get(reverse("scim:token_list")).content.decode()
    event = ScimEvent.objects.get()
    assert str(event.scim_id) in page and "Provisioned" in page and "Okta production" in page
    assert "Secret project lead" not in page  # attribute names, never values


@pytest.mark.parametrize("persona", ["mentor", "mentee", "manager"])
def test_everyone_but_hr_admins_is_refused(client, request, persona, scim_token):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("scim:token_list"),
        reverse("scim:token_create"),
        reverse("scim:token_revoke", args=[scim_token.token.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "mine"}).status_code == 403
    assert ScimToken.objects.get().is_active and ScimToken.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("scim:token_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert BASE == "/scim/v2/"
