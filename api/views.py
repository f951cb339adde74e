"""HR admins' pages for the read API's tokens: list, create (the token is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.models import Program

from . import permissions
from .forms import ApiTokenForm
from .models import ApiToken
from .services import ApiTokenError, api_token_create, api_token_revoke

PAGE_SIZE = 25


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    permissions.require_token_manager(request.user)
    tokens = ApiToken.objects.select_related("created_by", "revoked_by").prefetch_related(
        Prefetch("programs", queryset=Program.objects.order_by("name").only("name", "slug"))
    )
    page = Paginator(tokens.order_by("revoked_at", "-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "api/token_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    user = permissions.require_token_manager(request.user)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                token, plaintext = api_token_create(
                    by=user,
                    name=form.cleaned_data["name"],
                    programs=form.cleaned_data["programs"],
                    master_mentors=form.cleaned_data["master_mentors"],
                )
            except ApiTokenError as error:
                form.add_error(None, str(error))
            else:
                # Shown in this answer only (never stored, never redirected through the session).
                response = render(request, "api/token_created.html", {"token": token, "plaintext": plaintext})
                add_never_cache_headers(response)
                return response
        messages.error(request, "No token was made. Correct the fields marked below.")
    return render(request, "api/token_create.html", {"form": form})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = permissions.get_token_for_manager(request.user, pk)
    api_token_revoke(token=token, by=permissions.require_token_manager(request.user))
    messages.success(
        request, f"Revoked “{token.name}” (…{token.hint}). Calls with it are refused from now on."
    )
    return redirect("api:token_list")
