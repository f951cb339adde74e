"""The victims' scim objects for the authorization matrix: an HR admin's token and a provisioned user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scim import services

if TYPE_CHECKING:
    from ..world import World


def extend(w: World) -> None:
    new = services.token_create(name="Vx identity provider", by=w.users["hr_admin"])
    w.objects["scim_token"] = new.token
