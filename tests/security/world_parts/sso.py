"""The victims' company sign-in provider for the authorization matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.socialaccount.models import SocialApp

from sso.config import oidc_settings

if TYPE_CHECKING:
    from ..world import World


def extend(w: World) -> None:
    w.objects["sso_app"] = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="vx-company",
        name="Vx Company",
        client_id="vx-client",
        secret="Vx-client-secret-8Q1",
        settings=oidc_settings(server_url="https://idp.vx.test", domains=["vx.test"], sso_only=False),
    )
