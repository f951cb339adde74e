"""Link a login to its person when the e-mail is confirmed, or at login where it is already verified."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_logged_in
from django.conf import settings
from django.dispatch import receiver

from .services import person_link_user


@receiver(email_confirmed)
def link_on_email_confirmed(sender, request, email_address: EmailAddress, **kwargs) -> None:
    person_link_user(user=email_address.user)


@receiver(user_logged_in)
def link_on_login(sender, request, user, **kwargs) -> None:
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    if verified.exists() or settings.ACCOUNT_EMAIL_VERIFICATION == "none":
        person_link_user(user=user)
