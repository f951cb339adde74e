"""allauth's hooks for company sign-in: providers HR turned off, the domain check and just-in-time linking.

A company account signs in only addresses of its provider's domains. The first sign-in links the login of
the same e-mail address if there is one (the identity provider vouches for its own domain), or creates a
login for a person in the HR directory; either way the login is linked to its person at once.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import render

from people.models import Person
from people.services import person_link_user

from .registry import COMPANY_PROTOCOLS, domain_of, domains_of, is_enabled


def login_email(sociallogin: SocialLogin) -> str:
    email = (sociallogin.user.email or "").strip()
    if not email:
        for address in sociallogin.email_addresses:
            if address.email:
                return address.email.strip()
    return email


def refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    response = render(request, "sso/refused.html", {"message": message}, status=403)
    return ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: Any = None, client_id: Any = None, include_disabled=False
    ) -> list[SocialApp]:
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        if include_disabled:
            return apps
        return [app for app in apps if is_enabled(app)]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        app = sociallogin.provider.app
        if app.provider not in COMPANY_PROTOCOLS:
            return
        email = login_email(sociallogin)
        if not email:
            raise refuse(
                request,
                f"{app.name} did not send an e-mail address, so we cannot tell who you are. "
                "Ask your IT team to release the e-mail claim to this application.",
            )
        if domain_of(email) not in domains_of(app):
            raise refuse(
                request,
                f"{app.name} signs in addresses of {', '.join(domains_of(app))} only, not {email}. "
                "Sign in with the company account of your own organization.",
            )
        if sociallogin.is_existing:
            return
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None:
            # The identity provider vouches for addresses of its own domains: link the existing login.
            _verify(user, email)
            sociallogin.connect(request, user)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        if not getattr(settings, "ACCOUNT_SIGNUP_DIRECTORY_ONLY", True):
            return True
        email = login_email(sociallogin)
        return bool(email) and Person.objects.current().filter(email__iexact=email).exists()

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        if sociallogin.provider.app.provider in COMPANY_PROTOCOLS and user.email:
            _verify(user, user.email)
        return user


def _verify(user: Any, email: str) -> None:
    address, _ = EmailAddress.objects.get_or_create(user=user, email__iexact=email, defaults={"email": email})
    if not address.verified or not address.primary:
        address.verified = True
        address.save(update_fields=["verified"])
        address.set_as_primary()
    person_link_user(user=user)
