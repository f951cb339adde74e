"""Matrix entries: the api app's pages and endpoints.

The token pages are HR admins'. The endpoints take a bearer token and never a session, so every persona,
HR admins included, is refused with 401; the docs page and the OpenAPI document describe the API and hold
no data, so they are public.
"""

from __future__ import annotations

from .base import EVERYONE, HR, HR_RUNS, Entry, slug

NO_DATA = "the API's description (Swagger UI and the OpenAPI document): public, it holds no data"
TOKENS = "HR admins make and revoke the read API's tokens"

API: dict[str, Entry] = {
    "api:token_list": Entry(owner="v_hr", own=HR, why=TOKENS),
    "api:token_create": Entry(
        post=lambda w: {"name": "Persona token", "programs": [w.program.pk], "master_mentors": "on"},
        owner="v_hr",
        own=HR,
        why=TOKENS,
    ),
    "api:token_revoke": Entry(
        kwargs=lambda w: {"pk": w.objects["api_token"].pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "api:openapi-json": Entry(own=EVERYONE, why=NO_DATA),
    "api:openapi-view": Entry(own=EVERYONE, why=NO_DATA),
    # The API's root answers 404 to everyone (ninja's marker of where the API is mounted).
    "api:api-root": Entry(),
    "api:programs": Entry(),
    "api:program": Entry(kwargs=slug),
    "api:program_activity": Entry(kwargs=slug),
    "api:program_impact": Entry(kwargs=slug),
    "api:program_equity": Entry(kwargs=slug),
    "api:master_mentors": Entry(),
    "api:master_mentor_cycles": Entry(),
    "api:master_mentor_cohorts": Entry(),
}
