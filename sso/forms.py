"""Forms: company sign-in, providers as HR configures them, and allauth's forms that honour "SSO only"."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from allauth.socialaccount.models import SocialApp
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from .config import SLUG, normalize_domains
from .registry import company_apps, domains_of, passwords_off_for

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _use_company_account(email: str) -> str:
    return format_html(
        '{} signs in with its company account: use <a href="{}">Sign in with your company account</a>.',
        email.rpartition("@")[2],
        reverse("sso:start"),
    )


class CompanySignInForm(forms.Form):
    email = forms.EmailField(
        label="Work e-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@company.com"}),
    )


# --- allauth's forms ----------------------------------------------------------------------------------------


class SsoAwareLoginForm(LoginForm):
    """No passwords for domains whose provider is "SSO only" (superusers keep theirs, for recovery)."""

    def clean(self) -> dict[str, Any]:
        login = (self.data.get("login") or "").strip()
        if "@" in login and passwords_off_for(login, self.request):
            superuser = get_user_model().objects.filter(email__iexact=login, is_superuser=True).exists()
            if not superuser:
                raise forms.ValidationError(_use_company_account(login))
        return super().clean()


class SsoAwareResetPasswordForm(ResetPasswordForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        if passwords_off_for(email):
            raise forms.ValidationError(_use_company_account(email))
        return email


class SsoAwareSignupForm(SignupForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        if email and passwords_off_for(email):
            raise forms.ValidationError(_use_company_account(email))
        return email


# --- Providers ----------------------------------------------------------------------------------------------


class ProviderForm(forms.Form):
    """What both protocols share: a name, the address's slug, the e-mail domains and "SSO only"."""

    protocol = ""  # allauth's provider: "openid_connect" or "saml"
    name = forms.CharField(
        max_length=40, help_text="Shown to people signing in, e.g. “Acme (Okta)”.", label="Display name"
    )
    slug = forms.CharField(
        max_length=63,
        label="Identifier",
        help_text="Lowercase letters, digits and hyphens, e.g. “acme-okta”. It is part of the addresses you "
        "give the identity provider, so it cannot change later.",
    )
    domains = forms.CharField(
        label="E-mail domains",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The domains this provider signs in, one per line or separated by commas, e.g. acme.com.",
    )
    sso_only = forms.BooleanField(
        required=False,
        label="SSO only: turn passwords off for these domains",
        help_text="People of these domains can then sign in only with their company account (password "
        "sign-in, sign-up and password reset are refused). Superusers keep their password for recovery.",
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Enabled")

    def __init__(self, *args: Any, app: SocialApp | None = None, **kwargs: Any) -> None:
        self.app = app
        super().__init__(*args, **kwargs)
        if app is not None:
            self.fields["slug"].disabled = True

    @cached_property
    def providers(self) -> list[SocialApp]:
        """Every provider, turned off or not: identifiers and domains are unique across them all."""
        return company_apps(include_disabled=True)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if self.app is not None:
            return self.app.provider_id
        if not SLUG.match(slug):
            raise forms.ValidationError("Use lowercase letters, digits and hyphens, e.g. acme-okta.")
        taken = {app.provider_id for app in self.providers} | {
            app.client_id for app in self.providers if app.provider == "saml"
        }
        if slug in taken or SocialApp.objects.filter(provider_id=slug).exists():
            raise forms.ValidationError("Another provider already uses this identifier.")
        return slug

    def clean_domains(self) -> list[str]:
        try:
            domains = normalize_domains(self.cleaned_data["domains"], where="Domains")
        except ImproperlyConfigured as error:
            raise forms.ValidationError(str(error).removeprefix("Domains: ")) from error
        mine = self.app.pk if self.app is not None else None
        for other in self.providers:
            if other.pk is not None and other.pk == mine:
                continue
            clash = sorted(set(domains) & set(domains_of(other)))
            if clash:
                raise forms.ValidationError(f"{', '.join(clash)} already signs in with {other.name}.")
        return sorted(set(domains))


def _https_url(value: str, *, what: str) -> str:
    parts = urlsplit(value)
    loopback = parts.hostname in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and (loopback or settings.DEBUG)):
        raise forms.ValidationError(f"{what} must start with https://.")
    if not parts.hostname:
        raise forms.ValidationError(f"{what} must be a full address, e.g. https://login.example.com/…")
    return value.rstrip("/") if what == "The issuer URL" else value


class OidcProviderForm(ProviderForm):
    protocol = "openid_connect"
    server_url = forms.URLField(
        assume_scheme="https",
        label="Issuer URL",
        help_text="Okta: https://<your-org>.okta.com (or an authorization server's issuer). Entra ID: "
        "https://login.microsoftonline.com/<tenant-id>/v2.0. Google: https://accounts.google.com.",
    )
    client_id = forms.CharField(max_length=191, label="Client ID")
    secret = forms.CharField(
        max_length=191,
        required=False,
        label="Client secret",
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored for sign-in and never shown again. Leave empty to keep the current secret.",
    )

    def clean_server_url(self) -> str:
        return _https_url(self.cleaned_data["server_url"].strip(), what="The issuer URL")

    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"].strip()
        if not secret and self.app is None:
            raise forms.ValidationError("Give the client secret the identity provider issued.")
        return secret


class SamlProviderForm(ProviderForm):
    protocol = "saml"
    metadata_url = forms.URLField(
        assume_scheme="https",
        required=False,
        label="IdP metadata URL",
        help_text="Okta: the app's “Metadata URL”. Entra ID: “App Federation Metadata Url”. Either this, or "
        "the three fields below.",
    )
    entity_id = forms.CharField(required=False, max_length=500, label="IdP entity ID (issuer)")
    sso_url = forms.URLField(required=False, label="IdP single sign-on URL", assume_scheme="https")
    x509cert = forms.CharField(
        required=False,
        label="IdP signing certificate",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The X.509 certificate in PEM (Base64) form.",
    )

    def clean_metadata_url(self) -> str:
        value = self.cleaned_data["metadata_url"].strip()
        return _https_url(value, what="The metadata URL") if value else ""

    def clean_sso_url(self) -> str:
        value = self.cleaned_data["sso_url"].strip()
        return _https_url(value, what="The single sign-on URL") if value else ""

    def clean_x509cert(self) -> str:
        pem = self.cleaned_data["x509cert"].strip()
        if not pem:
            return ""
        body = re.sub(r"-----(BEGIN|END) CERTIFICATE-----|\s", "", pem)
        if not re.fullmatch(r"[A-Za-z0-9+/=]{100,}", body):
            raise forms.ValidationError("Paste the whole certificate (Base64, with or without BEGIN/END).")
        return body

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        manual = [data.get("entity_id"), data.get("sso_url"), data.get("x509cert")]
        if not data.get("metadata_url") and not all(manual) and not self.errors:
            raise forms.ValidationError(
                "Give the IdP metadata URL, or its entity ID, single sign-on URL and signing certificate."
            )
        return data

    def idp(self) -> dict[str, str]:
        data = self.cleaned_data
        if data.get("metadata_url"):
            return {"metadata_url": data["metadata_url"]}
        entity_id = data["entity_id"].strip()
        return {"entity_id": entity_id, "sso_url": data["sso_url"], "x509cert": data["x509cert"]}


def initial_for(app: SocialApp) -> dict[str, Any]:
    settings_ = app.settings or {}
    initial: dict[str, Any] = {
        "name": app.name,
        "slug": app.provider_id,
        "domains": "\n".join(domains_of(app)),
        "sso_only": bool(settings_.get("sso_only")),
        "enabled": settings_.get("enabled", True) is not False,
    }
    if app.provider == "openid_connect":
        initial |= {"server_url": settings_.get("server_url", ""), "client_id": app.client_id}
    else:
        idp = settings_.get("idp", {})
        initial |= {key: idp.get(key, "") for key in ("metadata_url", "entity_id", "sso_url", "x509cert")}
    return initial
