"""Every write of the sso app: HR admins add, change and remove company sign-in providers."""

from __future__ import annotations

import logging
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.db import transaction

from .config import oidc_settings, saml_settings
from .forms import OidcProviderForm, ProviderForm, SamlProviderForm
from .registry import from_environment

logger = logging.getLogger(__name__)
FROM_ENVIRONMENT = "This provider is set in the server's environment (SSO_PROVIDERS); {action} it there."


class ProviderError(Exception):
    """A provider cannot be changed this way; the message is meant for the HR admin."""


@transaction.atomic
def save_provider(form: ProviderForm, *, by: Any, app: SocialApp | None = None) -> SocialApp:
    """Create or update the provider ``form`` describes (a valid OIDC or SAML provider form)."""
    if app is not None and from_environment(app):
        raise ProviderError(FROM_ENVIRONMENT.format(action="change"))
    data = form.cleaned_data
    if app is None:
        app = SocialApp(provider=form.protocol, provider_id=data["slug"])
    app.name = data["name"]
    common = {"domains": data["domains"], "sso_only": data["sso_only"], "enabled": data["enabled"]}
    if isinstance(form, OidcProviderForm):
        app.client_id = data["client_id"].strip()
        if data["secret"]:
            app.secret = data["secret"]
        app.settings = oidc_settings(server_url=data["server_url"], **common)
    elif isinstance(form, SamlProviderForm):
        app.client_id = app.provider_id  # allauth's SAML addresses: /accounts/saml/<client_id>/…
        previous = (app.settings or {}).get("attribute_mapping")
        app.settings = saml_settings(idp=form.idp(), attribute_mapping=previous, **common)
    app.save()
    logger.info("Sign-in provider %s saved by user %s", app.provider_id, getattr(by, "pk", None))
    return app


@transaction.atomic
def delete_provider(app: SocialApp, *, by: Any) -> None:
    """Remove a provider; logins it linked keep their person and history and can sign in another way."""
    if from_environment(app):
        raise ProviderError(FROM_ENVIRONMENT.format(action="remove"))
    logger.info("Sign-in provider %s deleted by user %s", app.provider_id, getattr(by, "pk", None))
    app.delete()
