"""The victims' api objects for the authorization matrix: an active read-API token made by the victims' HR
admin, for the victim program and the Master Mentor results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.services import api_token_create

if TYPE_CHECKING:
    from ..world import World


def extend(w: World) -> None:
    token, plaintext = api_token_create(
        by=w.users["v_hr"], name="Victim BI token", programs=[w.program], master_mentors=True
    )
    w.objects["api_token"] = token
    w.objects["api_token_plaintext"] = plaintext
