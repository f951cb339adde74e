"""Signing in: e-mail logins, verification, the link to the directory, two-factor and rate limits."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.core import mail
from django.urls import reverse

from people.models import Person, User
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mentoring-demo-2026"


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_login_page_uses_our_layout(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="main"' in content and "Skip to main content" in content
    assert "form-control" in content
    assert 'name="login"' in content and 'type="email"' in content


def test_a_person_signs_in_with_their_email_and_is_linked_to_their_record(client):
    user = UserFactory(email="jane.doe@example.com")
    person = PersonFactory(email="Jane.Doe@example.com")
    response = _login(client, "JANE.DOE@example.com")
    assert response.status_code == 302
    assert response.url == reverse("home")
    person.refresh_from_db()
    assert person.user == user


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="jane.doe@example.com")
    response = _login(client, "jane.doe@example.com", "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_an_unverified_address_is_not_linked_to_the_employee_record(client):
    user = UserFactory(email="someone@example.com", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    person = PersonFactory(email="someone@example.com")
    _login(client, "someone@example.com")
    person.refresh_from_db()
    assert person.user is None


def test_confirming_the_address_links_the_login(client):
    person = PersonFactory(email="new.hire@example.com")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.hire@example.com",
            "password1": "a-Long-passphrase-42",
            "password2": "a-Long-passphrase-42",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is None
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/confirm-email/" in line)
    key_path = link[link.index("/accounts/confirm-email/") :].strip()
    client.post(key_path)
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.email == "new.hire@example.com"


def test_signing_up_is_only_for_people_in_the_directory(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.org",
            "password1": "a-Long-passphrase-42",
            "password2": "a-Long-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "not in the HR directory" in response.content.decode()
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_people_who_left_cannot_sign_up(client):
    PersonFactory(email="gone@example.com", status=Person.Status.LEFT, left_on="2025-01-01")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "gone@example.com",
            "password1": "a-Long-passphrase-42",
            "password2": "a-Long-passphrase-42",
        },
    )
    assert "not in the HR directory" in response.content.decode()


def test_password_reset_sends_a_link(client):
    UserFactory(email="jane.doe@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "jane.doe@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.com")
    for i in range(5):
        _login(client, "target@example.com", f"wrong-{i}")
    response = _login(client, "target@example.com", "wrong-again")
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the limit holds.
    response = _login(client, "target@example.com")
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _current_code(secret: str) -> str:
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def test_a_user_with_totp_must_enter_a_code_after_the_password(client):
    user = UserFactory(email="careful@example.com")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = _login(client, "careful@example.com")
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # Not signed in yet.
    assert client.get(reverse("people:person_list")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_every_user_can_set_up_an_authenticator_app(client, employee):
    _login(client, employee.email)
    # Security settings ask for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "svg" in response.content.decode().lower()
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=employee, type=Authenticator.Type.TOTP).exists()


def test_hr_admins_must_set_up_totp_when_the_organization_requires_it(client, hr_admin, settings):
    settings.MFA_REQUIRED_FOR_HR_ADMINS = True
    client.force_login(hr_admin)
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    TOTP.activate(hr_admin, generate_totp_secret())
    assert client.get(reverse("people:person_list")).status_code == 200


def test_the_totp_requirement_does_not_apply_to_other_employees(client, employee, settings):
    settings.MFA_REQUIRED_FOR_HR_ADMINS = True
    client.force_login(employee)
    assert client.get(reverse("people:person_list")).status_code == 200
    assert not Authenticator.objects.exists()


def test_rate_limits_are_switched_on():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
