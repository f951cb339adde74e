"""HR admins' pages for SCIM provisioning: the tokens identity providers use, and what they changed."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from people.models import User

from . import services
from .forms import TokenForm
from .models import ScimEvent, ScimToken
from .permissions import get_token_for_user, require_provisioning_manager

EVENTS_SHOWN = 50


def _user(request: HttpRequest) -> User:
    """The signed-in login (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _base_url(request: HttpRequest) -> str:
    users = reverse("scim:users")
    return request.build_absolute_uri(users[: -len("Users")])


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    require_provisioning_manager(_user(request))
    tokens = ScimToken.objects.select_related("created_by", "revoked_by").order_by(
        "revoked_at", "-created_at"
    )
    events = ScimEvent.objects.select_related("token", "person")[:EVENTS_SHOWN]
    context = {"tokens": tokens, "events": events, "base_url": _base_url(request)}
    return render(request, "scim/token_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    require_provisioning_manager(_user(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            new = services.token_create(name=form.cleaned_data["name"], by=_user(request))
            # Shown on this response only: the database keeps its digest.
            context = {"token": new.token, "plaintext": new.plaintext, "base_url": _base_url(request)}
            return render(request, "scim/token_created.html", context)
        messages.error(request, "No token was made. Correct the field marked below.")
    return render(request, "scim/token_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(_user(request), pk)
    if request.method == "POST":
        if not token.is_active:
            messages.info(request, f"“{token.name}” was already revoked.")
        else:
            services.token_revoke(token=token, by=_user(request))
            messages.success(
                request, f"“{token.name}” is revoked: the identity provider using it can no longer provision."
            )
        return redirect("scim:token_list")
    return render(request, "scim/token_revoke.html", {"token": token})
