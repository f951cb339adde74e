"""Who may do what with the read API.

- HR admins make, list and revoke tokens (everyone else: 403, as for any page of a role).
- A token reads the programs it was given: a program outside them answers 404, exactly like a program
  that does not exist, so a token cannot learn which slugs exist.
- A token without the Master Mentor scope is refused the Master Mentor endpoints with 403: the endpoints
  exist for everyone, the token's scope does not cover them.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from ninja.errors import HttpError

from people.models import User
from people.permissions import require_hr_admin
from programs.models import Program

from .models import ApiToken


def require_token_manager(user: User | AnonymousUser) -> User:
    """The token pages are for HR admins; returns the HR admin."""
    require_hr_admin(cast(User, user))
    return cast(User, user)


def get_token_for_manager(user: User | AnonymousUser, pk: int) -> ApiToken:
    """A token an HR admin may revoke (403 for anyone else; 404 for none or one already revoked)."""
    require_token_manager(user)
    token = ApiToken.objects.active().filter(pk=pk).first()
    if token is None:
        raise Http404("No such active token.")
    return token


def programs_for_token(token: ApiToken) -> QuerySet[Program]:
    """The programs ``token`` reads."""
    return Program.objects.filter(api_tokens=token)


def get_program_for_token(token: ApiToken, slug: str) -> Program:
    """A program in the token's scope; 404 for any other (missing or not granted: the same answer)."""
    program = programs_for_token(token).filter(slug=slug).first()
    if program is None:
        raise HttpError(404, "No such program for this token.")
    return program


def require_master_mentor_scope(token: ApiToken) -> None:
    if not token.master_mentors:
        raise HttpError(403, "This token does not have the Master Mentor scope.")
