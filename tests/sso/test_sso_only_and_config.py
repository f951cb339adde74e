"""'SSO only' domains, providers from the environment, and HR's provider pages."""

from __future__ import annotations

import json

import pytest
from allauth.socialaccount.models import SocialApp
from auditlog.models import LogEntry
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from people.factories import DEMO_PASSWORD
from sso.config import oidc_settings, providers_from_env
from sso.registry import app_for_email, company_apps
from tests.factories import PersonFactory, UserFactory

from .conftest import ADA, DOMAIN
from .saml_idp import key_and_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_only(company_app) -> SocialApp:
    company_app.settings = {**company_app.settings, "sso_only": True}
    company_app.save()
    return company_app


def _password_sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})


# --- SSO only -----------------------------------------------------------------------------------------------


def test_passwords_work_until_the_domain_is_sso_only(client, company_app):
    UserFactory(email=ADA)
    assert _password_sign_in(client, ADA).status_code == 302
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_sso_only_refuses_password_sign_in_and_says_what_to_do(client, sso_only):
    UserFactory(email=ADA)
    answer = _password_sign_in(client, ADA)
    assert answer.status_code == 200
    assert b"acme.test signs in with its company account" in answer.content
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_sso_only_leaves_other_domains_their_passwords(client, sso_only):
    UserFactory(email="someone@example.com")
    assert _password_sign_in(client, "someone@example.com").status_code == 302


def test_superusers_keep_their_password_for_recovery(client, sso_only):
    UserFactory(email=ADA, is_superuser=True, is_staff=True)
    assert _password_sign_in(client, ADA).status_code == 302


def test_sso_only_refuses_password_reset_and_password_sign_up(client, sso_only, mailoutbox):
    UserFactory(email=ADA)
    reset = client.post(reverse("account_reset_password"), {"email": ADA})
    assert reset.status_code == 200 and b"signs in with its company account" in reset.content
    assert mailoutbox == []
    PersonFactory(email=f"new.person@{DOMAIN}")
    passphrase = "a-long-Passphrase-42"
    signup = client.post(
        reverse("account_signup"),
        {"email": f"new.person@{DOMAIN}", "password1": passphrase, "password2": passphrase},
    )
    assert signup.status_code == 200 and b"signs in with its company account" in signup.content


# --- Providers from the environment -------------------------------------------------------------------------

ENV = [
    {
        "protocol": "oidc",
        "id": "okta",
        "name": "Acme (Okta)",
        "domains": ["Acme.com", "@acme.co.uk"],
        "sso_only": True,
        "server_url": "https://acme.okta.com",
        "client_id": "0oa1",
        "secret": "Env-client-secret-9Z7",
    },
    {
        "protocol": "saml",
        "id": "globex",
        "domains": "globex.com",
        "idp": {"metadata_url": "https://login.microsoftonline.com/t/federationmetadata/2007-06/x.xml"},
    },
]


def test_providers_from_the_environment_become_allauth_apps(settings):
    providers = providers_from_env(json.dumps(ENV))
    okta = providers["openid_connect"]["APPS"][0]
    assert okta["provider_id"] == "okta" and okta["secret"] == "Env-client-secret-9Z7"
    assert okta["settings"]["domains"] == ["acme.com", "acme.co.uk"] and okta["settings"]["sso_only"]
    assert okta["settings"]["server_url"] == "https://acme.okta.com" and okta["settings"]["from_environment"]
    globex = providers["saml"]["APPS"][0]
    assert globex["client_id"] == "globex" and globex["settings"]["domains"] == ["globex.com"]

    settings.SOCIALACCOUNT_PROVIDERS = providers
    assert {app.provider_id for app in company_apps()} == {"okta", "globex"}
    assert app_for_email("x@ACME.co.uk").provider_id == "okta"
    assert app_for_email("x@globex.com").provider_id == "globex"
    assert app_for_email("x@example.com") is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{", "not valid JSON"),
        ('{"protocol": "oidc"}', "must be a JSON list"),
        ('[{"protocol": "ldap", "id": "x", "domains": ["a.com"]}]', "'protocol' must be 'oidc' or 'saml'"),
        ('[{"protocol": "oidc", "id": "Bad Id", "domains": ["a.com"]}]', "lowercase letters"),
        ('[{"protocol": "oidc", "id": "x", "domains": ["not a domain"]}]', "not an e-mail domain"),
        ('[{"protocol": "oidc", "id": "x", "domains": ["a.com"]}]', "missing server_url, client_id, secret"),
        ('[{"protocol": "saml", "id": "x", "domains": ["a.com"], "idp": {}}]', "needs a metadata_url"),
    ],
)
def test_a_wrong_environment_setting_says_what_is_wrong(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        providers_from_env(raw)


def test_one_domain_cannot_belong_to_two_environment_providers():
    twice = [ENV[0], {**ENV[1], "domains": ["acme.com"]}]
    with pytest.raises(ImproperlyConfigured, match=r"acme\.com is already given to okta"):
        providers_from_env(json.dumps(twice))


def test_environment_providers_are_listed_read_only(client, hr_admin, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_env(json.dumps(ENV))
    client.force_login(hr_admin)
    page = client.get(reverse("sso:provider_list"))
    assert page.status_code == 200
    assert b"Acme (Okta)" in page.content and b"Set in the environment" in page.content
    assert b"/accounts/oidc/okta/login/callback/" in page.content
    assert b"/accounts/saml/globex/acs/" in page.content
    assert b"Env-client-secret-9Z7" not in page.content  # the client secret is never shown


# --- HR's provider pages ------------------------------------------------------------------------------------

OIDC_POST = {
    "name": "Acme (Entra ID)",
    "slug": "acme-entra",
    "domains": "acme.com, acme.co.uk",
    "sso_only": "on",
    "enabled": "on",
    "server_url": "https://login.microsoftonline.com/0000-1111/v2.0",
    "client_id": "app-1",
    "secret": "very-secret-value",
}


def test_hr_adds_changes_and_removes_an_oidc_provider(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get(reverse("sso:provider_create", args=["oidc"])).status_code == 200
    created = client.post(reverse("sso:provider_create", args=["oidc"]), OIDC_POST)
    assert created.status_code == 302
    app = SocialApp.objects.get(provider_id="acme-entra")
    assert app.provider == "openid_connect" and app.secret == "very-secret-value"
    assert app.settings["server_url"] == "https://login.microsoftonline.com/0000-1111/v2.0"
    assert app.settings["domains"] == ["acme.co.uk", "acme.com"] and app.settings["sso_only"] is True
    logged = LogEntry.objects.get_for_object(app).get()
    assert logged.actor == hr_admin and "very-secret-value" not in str(logged.changes)

    edit_url = reverse("sso:provider_edit", args=[app.pk])
    page = client.get(edit_url)
    assert b"very-secret-value" not in page.content
    assert b"/accounts/oidc/acme-entra/login/callback/" in page.content
    changed = client.post(edit_url, {**OIDC_POST, "slug": "ignored", "secret": "", "sso_only": ""})
    assert changed.status_code == 302
    app.refresh_from_db()
    assert app.secret == "very-secret-value" and app.provider_id == "acme-entra"
    assert app.settings["sso_only"] is False

    assert client.get(reverse("sso:provider_delete", args=[app.pk])).status_code == 200
    assert client.post(reverse("sso:provider_delete", args=[app.pk])).status_code == 302
    assert not SocialApp.objects.filter(pk=app.pk).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"domains": "acme"}, b"not an e-mail domain"),
        ({"server_url": "http://login.example.com/"}, b"must start with https://"),
        ({"slug": "Acme Entra"}, b"lowercase letters"),
        ({"secret": ""}, b"Give the client secret"),
    ],
)
def test_wrong_provider_fields_are_named_and_nothing_is_saved(client, hr_admin, change, message):
    client.force_login(hr_admin)
    answer = client.post(reverse("sso:provider_create", args=["oidc"]), {**OIDC_POST, **change})
    assert answer.status_code == 200 and message in answer.content
    assert not SocialApp.objects.exists()


def test_a_domain_belongs_to_one_provider(client, hr_admin, company_app):
    client.force_login(hr_admin)
    answer = client.post(reverse("sso:provider_create", args=["oidc"]), {**OIDC_POST, "domains": DOMAIN})
    assert b"acme.test already signs in with Acme" in answer.content
    assert SocialApp.objects.count() == 1


def test_only_hr_admins_reach_the_provider_pages(client, employee, company_app):
    client.force_login(employee)
    for url in (
        reverse("sso:provider_list"),
        reverse("sso:provider_create", args=["oidc"]),
        reverse("sso:provider_edit", args=[company_app.pk]),
        reverse("sso:provider_delete", args=[company_app.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("sso:provider_delete", args=[company_app.pk])).status_code == 403
    assert SocialApp.objects.filter(pk=company_app.pk).exists()


# --- SAML ---------------------------------------------------------------------------------------------------


def test_hr_adds_a_saml_provider_whose_metadata_and_sign_in_work(client, hr_admin, settings):
    # python3-saml wants real host names in the service provider's addresses (not "testserver").
    settings.ALLOWED_HOSTS = ["mentoring.example.com"]
    client.defaults["HTTP_HOST"] = "mentoring.example.com"
    client.force_login(hr_admin)
    post = {
        "name": "Globex",
        "slug": "globex",
        "domains": "globex.test",
        "enabled": "on",
        "entity_id": "https://idp.globex.test/metadata",
        "sso_url": "https://idp.globex.test/sso",
        "x509cert": key_and_certificate("idp.globex.test")[1],
    }
    assert client.post(reverse("sso:provider_create", args=["saml"]), post).status_code == 302
    app = SocialApp.objects.get(provider="saml")
    assert app.client_id == "globex" and "BEGIN" not in app.settings["idp"]["x509cert"]

    metadata = client.get(reverse("saml_metadata", kwargs={"organization_slug": "globex"}))
    assert metadata.status_code == 200
    assert b"/accounts/saml/globex/acs/" in metadata.content and b"EntityDescriptor" in metadata.content

    client.logout()
    started = client.post(reverse("sso:start"), {"email": "someone@globex.test"})
    assert started.status_code == 302
    assert started["Location"].startswith("https://idp.globex.test/sso?SAMLRequest=")


def test_a_saml_provider_needs_its_metadata_or_its_three_fields(client, hr_admin):
    client.force_login(hr_admin)
    post = {"name": "Globex", "slug": "globex", "domains": "globex.test", "entity_id": "https://idp/x"}
    answer = client.post(reverse("sso:provider_create", args=["saml"]), post)
    assert b"Give the IdP metadata URL" in answer.content
    assert not SocialApp.objects.exists()


def test_the_oidc_settings_ask_for_pkce():
    assert oidc_settings(server_url="https://x", domains=["a.com"], sso_only=False)["oauth_pkce_enabled"]
