"""Who may do what with company sign-in: HR admins configure providers; anyone may start a sign-in."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import PermissionDenied
from django.http import Http404

from people.permissions import is_hr_admin

from .registry import COMPANY_PROTOCOLS


def can_manage_providers(user: Any) -> bool:
    return is_hr_admin(user)


def require_manage_providers(user: Any) -> None:
    if not can_manage_providers(user):
        raise PermissionDenied


def get_provider_for_user(user: Any, pk: int) -> SocialApp:
    """A provider HR keeps in the database (those of the environment have no page of their own)."""
    require_manage_providers(user)
    app = SocialApp.objects.filter(pk=pk, provider__in=COMPANY_PROTOCOLS).first()
    if app is None:
        raise Http404
    return app
