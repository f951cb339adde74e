"""Who may manage SCIM provisioning: HR admins only (default deny).

The SCIM endpoints themselves take a bearer token, never a session (see ``scim.api``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.http import Http404

from people.permissions import is_hr_admin, require_hr_admin

from .models import ScimToken

if TYPE_CHECKING:
    from people.models import User

# HR admins make and revoke the tokens identity providers provision with, and read what they changed.
rules.add_perm("scim.manage_provisioning", is_hr_admin)


def require_provisioning_manager(user: User) -> None:
    """The SCIM pages: a plain 403 page for anyone but HR admins."""
    require_hr_admin(user)


def get_token_for_user(user: User, pk: int) -> ScimToken:
    """A SCIM token an HR admin manages; 403 for everyone else, 404 for one that does not exist."""
    require_provisioning_manager(user)
    token = ScimToken.objects.filter(pk=pk).select_related("created_by", "revoked_by").first()
    if token is None:
        raise Http404("No such token.")
    return token
