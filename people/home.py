"""Home-page panels for HR admins, managers, employees, and logins not yet linked to a person."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from mentoring.home import HomePanel

from .permissions import is_hr_admin, person_for_user
from .selectors import direct_reports, directory_stats, latest_import


def home_panels(request: HttpRequest) -> list[HomePanel]:
    user = request.user
    if not user.is_authenticated:
        return [HomePanel("Welcome", "people/home/_anonymous.html", order=0)]
    panels: list[HomePanel] = []
    person = person_for_user(user)
    hr_admin = is_hr_admin(user)
    if hr_admin:
        stats = directory_stats()
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        panels.append(
            HomePanel(
                "HR directory",
                "people/home/_hr_admin.html",
                {
                    "stats": stats,
                    "last_import": latest_import(),
                    "has_totp": has_totp,
                    "mfa_required": settings.MFA_REQUIRED_FOR_HR_ADMINS,
                },
                order=10,
            )
        )
    if person is None:
        if not hr_admin:
            verified = EmailAddress.objects.filter(
                user=user, email__iexact=user.email, verified=True
            ).exists()
            panels.append(
                HomePanel(
                    "Your employee record",
                    "people/home/_unlinked.html",
                    {"verified": verified},
                    order=0,
                )
            )
        return panels
    reports = list(direct_reports(person)[:11])
    if reports:
        panels.append(
            HomePanel(
                "Your team",
                "people/home/_manager.html",
                {"reports": reports[:10], "more": len(reports) > 10, "person": person},
                order=30,
            )
        )
    panels.append(HomePanel("You", "people/home/_employee.html", {"person": person}, order=40))
    return panels
