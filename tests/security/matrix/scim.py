"""Matrix entries: the scim app's pages and endpoints."""

from __future__ import annotations

from .base import HR, Entry

HR_PROVISIONS = "HR admins manage the identity providers' SCIM tokens and read what they changed"
TOKEN_ONLY = "a SCIM endpoint: a bearer token only, never a session, so every persona gets 401"
_UNKNOWN_USER = "5f0e6d52-0000-4000-8000-000000000000"

SCIM: dict[str, Entry] = {
    # The SCIM endpoints: sessions are not tokens; everyone, HR admins included, is refused with 401.
    "scim:users": Entry(post=lambda w: {"userName": "vx.intruder@example.com"}, note=TOKEN_ONLY),
    "scim:user": Entry(kwargs=lambda w: {"scim_id": _UNKNOWN_USER}, note=TOKEN_ONLY),
    "scim:service_provider_config": Entry(note=TOKEN_ONLY),
    "scim:resource_types": Entry(note=TOKEN_ONLY),
    "scim:resource_type": Entry(kwargs=lambda w: {"name": "User"}, note=TOKEN_ONLY),
    "scim:schemas": Entry(note=TOKEN_ONLY),
    "scim:schema": Entry(
        kwargs=lambda w: {"urn": "urn:ietf:params:scim:schemas:core:2.0:User"}, note=TOKEN_ONLY
    ),
    "scim:search": Entry(kwargs=lambda w: {"path": ".search"}, post=lambda w: {}, note=TOKEN_ONLY),
    "scim:not_served": Entry(kwargs=lambda w: {"path": "Groups"}, post=lambda w: {}, note=TOKEN_ONLY),
    # HR admins' pages.
    "scim:token_list": Entry(own=HR, why=HR_PROVISIONS, names_ok=True),
    "scim:token_create": Entry(
        post=lambda w: {"name": "Vx new token"},
        owner="hr_admin",
        own=HR,
        why=HR_PROVISIONS,
        names_ok=True,
    ),
    "scim:token_revoke": Entry(
        kwargs=lambda w: {"pk": w.scim_token.pk},
        post=lambda w: {},
        owner="hr_admin",
        own=HR,
        why=HR_PROVISIONS,
        names_ok=True,
    ),
}
