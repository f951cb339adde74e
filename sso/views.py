"""Company sign-in: start a sign-in by e-mail domain, and HR's pages for the providers."""

from __future__ import annotations

from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import permissions
from .forms import CompanySignInForm, OidcProviderForm, ProviderForm, SamlProviderForm, initial_for
from .registry import app_for_email, company_apps, domains_of, from_environment, is_enabled, is_sso_only
from .services import ProviderError, delete_provider, save_provider

FORMS: dict[str, type[ProviderForm]] = {"oidc": OidcProviderForm, "saml": SamlProviderForm}
PROTOCOL_OF = {"openid_connect": "oidc", "saml": "saml"}


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Public: "Sign in with your company account". The e-mail's domain chooses the identity provider."""
    form = CompanySignInForm(request.POST or None)
    next_url = get_next_redirect_url(request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        app = app_for_email(email, request)
        if app is None:
            form.add_error(
                "email",
                f"No company sign-in is set up for {email.rpartition('@')[2]}. Sign in with your password, "
                "or ask your HR team.",
            )
        else:
            provider = app.get_provider(request)
            kwargs = {}
            if app.provider == "openid_connect":
                # Okta, Entra ID and Google fill the address in on their own sign-in page.
                kwargs["auth_params"] = {**provider.get_auth_params(), "login_hint": email}
            return provider.redirect(request, "login", next_url=next_url, **kwargs)
    return render(request, "sso/start.html", {"form": form, "next": next_url or ""})


def _callback_urls(request: HttpRequest, app: SocialApp) -> list[tuple[str, str]]:
    """The addresses to give the identity provider when registering this application."""
    if app.provider == "openid_connect":
        callback = reverse("openid_connect_callback", kwargs={"provider_id": app.provider_id})
        return [("Sign-in redirect URI", request.build_absolute_uri(callback))]

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name, kwargs={"organization_slug": app.client_id}))

    return [
        ("Entity ID and metadata URL", url("saml_metadata")),
        ("Assertion consumer service (ACS) URL", url("saml_acs")),
        ("Single logout URL", url("saml_sls")),
    ]


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    permissions.require_manage_providers(request.user)
    rows = [
        {
            "app": app,
            "protocol": "OpenID Connect" if app.provider == "openid_connect" else "SAML 2.0",
            "domains": domains_of(app),
            "sso_only": is_sso_only(app),
            "enabled": is_enabled(app),
            "from_environment": from_environment(app),
            "urls": _callback_urls(request, app),
        }
        for app in company_apps(request, include_disabled=True)
    ]
    return render(request, "sso/provider_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest, protocol: str) -> HttpResponse:
    permissions.require_manage_providers(request.user)
    form_class = FORMS.get(protocol)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            app = save_provider(form, by=request.user)
            messages.success(
                request,
                f"{app.name} added. Register its addresses with the identity provider, then try a sign-in.",
            )
            return redirect("sso:provider_list")
        messages.error(request, "Nothing was saved. Correct the fields marked below.")
    return render(request, "sso/provider_form.html", {"form": form, "protocol": protocol, "app": None})


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = permissions.get_provider_for_user(request.user, pk)
    protocol = PROTOCOL_OF[app.provider]
    form = FORMS[protocol](request.POST or None, app=app, initial=initial_for(app))
    if request.method == "POST":
        if form.is_valid():
            try:
                save_provider(form, by=request.user, app=app)
            except ProviderError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{app.name} saved.")
                return redirect("sso:provider_list")
        messages.error(request, "Nothing was saved. Correct the fields marked below.")
    context = {"form": form, "protocol": protocol, "app": app, "urls": _callback_urls(request, app)}
    return render(request, "sso/provider_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def provider_delete(request: HttpRequest, pk: int) -> HttpResponse:
    app = permissions.get_provider_for_user(request.user, pk)
    if request.method == "POST":
        try:
            delete_provider(app, by=request.user)
        except ProviderError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{app.name} removed. Its people now sign in with a password.")
        return redirect("sso:provider_list")
    linked = SocialAccount.objects.filter(provider=app.provider_id).count()
    return render(request, "sso/provider_delete.html", {"app": app, "linked": linked})
