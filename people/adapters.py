from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings

from .models import Person


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        signing_up = (
            request is not None
            and request.resolver_match is not None
            and (request.resolver_match.url_name == "account_signup")
        )
        if signing_up and settings.ACCOUNT_SIGNUP_DIRECTORY_ONLY:
            in_directory = Person.objects.current().filter(email__iexact=email).exists()
            if not in_directory:
                raise forms.ValidationError(
                    "This address is not in the HR directory. Sign up with your work e-mail, "
                    "or ask your HR team to add you."
                )
        return email
