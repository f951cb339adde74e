"""Every write of the api app: tokens made and revoked by HR admins."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from mentoring.tokens import issue
from people.models import User
from programs.models import Program

from .models import TOKEN_PREFIX, ApiToken


class ApiTokenError(Exception):
    """A token that cannot be made as asked; the message says why, in words for the page."""


@transaction.atomic
def api_token_create(
    *, by: User, name: str, programs: Iterable[Program], master_mentors: bool
) -> tuple[ApiToken, str]:
    """A new token and its plaintext, which is shown once and never stored."""
    name = name.strip()
    chosen = list(programs)
    if not name:
        raise ApiTokenError("Give the token a name that says what it is for.")
    if not chosen and not master_mentors:
        raise ApiTokenError(
            "Choose at least one program, or the Master Mentor results: the token reads nothing."
        )
    issued = issue(TOKEN_PREFIX)
    token = ApiToken(name=name, created_by=by, master_mentors=master_mentors)
    token.set_secret(issued)
    token.save()
    token.programs.set(chosen)
    return token, issued.plaintext


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke ``token`` at once (the next call with it answers 401); the row stays for the record."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    locked.revoke(by=by)
    return locked
