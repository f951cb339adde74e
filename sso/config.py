"""Company sign-in providers from the environment (``SSO_PROVIDERS``), as allauth's settings-based apps.

``SSO_PROVIDERS`` is a JSON list; each item is one OpenID Connect provider or SAML 2.0 identity provider::

    [{"protocol": "oidc", "id": "okta", "name": "Acme (Okta)", "domains": ["acme.com"], "sso_only": true,
      "server_url": "https://acme.okta.com", "client_id": "0oa…", "secret": "…"},
     {"protocol": "saml", "id": "acme-entra", "name": "Acme (Entra ID)", "domains": ["acme.co.uk"],
      "idp": {"metadata_url": "https://login.microsoftonline.com/<tenant>/federationmetadata/…"}}]

Providers set here appear read-only on HR's single sign-on page; HR admins add the others in the browser.
This module is read by the settings, so it imports nothing of Django's apps.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured

OIDC = "openid_connect"
SAML = "saml"
PROTOCOLS = {"oidc": OIDC, "saml": SAML}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Claims and attributes asked of every provider; the e-mail address is what links a login to its person.
OIDC_SCOPES = ["openid", "profile", "email"]
SAML_ATTRIBUTE_MAPPING = {
    "uid": ["http://schemas.microsoft.com/identity/claims/objectidentifier", "uid"],
    "email": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
        "urn:oid:0.9.2342.19200300.100.1.3",
    ],
    "first_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "firstName",
        "givenName",
        "urn:oid:2.5.4.42",
    ],
    "last_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "lastName",
        "sn",
        "urn:oid:2.5.4.4",
    ],
}


def normalize_domains(domains: Any, *, where: str) -> list[str]:
    if isinstance(domains, str):
        domains = re.split(r"[\s,;]+", domains)
    if not isinstance(domains, list):
        raise ImproperlyConfigured(f"{where}: 'domains' must be a list of e-mail domains.")
    cleaned = [str(d).strip().lower().lstrip("@") for d in domains if str(d).strip()]
    bad = [d for d in cleaned if not DOMAIN.match(d)]
    if bad:
        raise ImproperlyConfigured(f"{where}: not an e-mail domain: {', '.join(bad)}.")
    if not cleaned:
        raise ImproperlyConfigured(f"{where}: give at least one e-mail domain.")
    return cleaned


def oidc_settings(*, server_url: str, domains: list[str], sso_only: bool, enabled: bool = True) -> dict:
    return {
        "server_url": server_url,
        "scope": OIDC_SCOPES,
        "oauth_pkce_enabled": True,
        "domains": domains,
        "sso_only": sso_only,
        "enabled": enabled,
    }


def saml_settings(
    *,
    idp: dict,
    domains: list[str],
    sso_only: bool,
    enabled: bool = True,
    attribute_mapping: dict | None = None,
) -> dict:
    return {
        "idp": idp,
        "attribute_mapping": attribute_mapping or SAML_ATTRIBUTE_MAPPING,
        "domains": domains,
        "sso_only": sso_only,
        "enabled": enabled,
        # Identity providers sign their responses or assertions; python3-saml checks what is signed.
        "advanced": {"strict": True, "reject_deprecated_algorithm": True},
    }


def providers_from_env(raw: str) -> dict[str, dict]:
    """allauth's ``SOCIALACCOUNT_PROVIDERS`` for the providers in ``raw`` (the JSON of ``SSO_PROVIDERS``)."""
    if not raw.strip():
        return {}
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"SSO_PROVIDERS is not valid JSON: {error}") from error
    if not isinstance(items, list):
        raise ImproperlyConfigured("SSO_PROVIDERS must be a JSON list of providers.")
    providers: dict[str, dict] = {}
    seen_domains: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        where = f"SSO_PROVIDERS item {number}"
        if not isinstance(item, dict):
            raise ImproperlyConfigured(f"{where} must be an object.")
        protocol = PROTOCOLS.get(str(item.get("protocol", "")).lower())
        if protocol is None:
            raise ImproperlyConfigured(f"{where}: 'protocol' must be 'oidc' or 'saml'.")
        slug = str(item.get("id", ""))
        if not SLUG.match(slug):
            raise ImproperlyConfigured(f"{where}: 'id' must be lowercase letters, digits and hyphens.")
        domains = normalize_domains(item.get("domains"), where=where)
        for domain in domains:
            if domain in seen_domains:
                raise ImproperlyConfigured(f"{where}: {domain} is already given to {seen_domains[domain]}.")
            seen_domains[domain] = slug
        sso_only = bool(item.get("sso_only", False))
        name = str(item.get("name") or slug)
        app: dict[str, Any]
        if protocol == OIDC:
            missing = [key for key in ("server_url", "client_id", "secret") if not item.get(key)]
            if missing:
                raise ImproperlyConfigured(f"{where}: missing {', '.join(missing)}.")
            app = {
                "provider_id": slug,
                "name": name,
                "client_id": str(item["client_id"]),
                "secret": str(item["secret"]),
                "settings": oidc_settings(
                    server_url=str(item["server_url"]), domains=domains, sso_only=sso_only
                ),
            }
        else:
            idp = item.get("idp")
            manual = isinstance(idp, dict) and all(idp.get(k) for k in ("entity_id", "sso_url", "x509cert"))
            if not isinstance(idp, dict) or not (idp.get("metadata_url") or manual):
                raise ImproperlyConfigured(
                    f"{where}: 'idp' needs a metadata_url, or entity_id, sso_url and x509cert."
                )
            app = {
                "provider_id": slug,
                "name": name,
                "client_id": slug,  # allauth's SAML addresses use it: /accounts/saml/<id>/…
                "settings": saml_settings(
                    idp=idp,
                    domains=domains,
                    sso_only=sso_only,
                    attribute_mapping=item.get("attribute_mapping"),
                ),
            }
        app["settings"]["from_environment"] = True
        providers.setdefault(protocol, {"APPS": []})["APPS"].append(app)
    return providers
