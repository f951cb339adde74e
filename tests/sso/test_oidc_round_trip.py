"""Company sign-in end to end against a real OpenID Connect provider on loopback."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from people.models import Person
from tests.factories import PersonFactory, UserFactory

from .conftest import ADA, DOMAIN, sign_in_with_company_account

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_login_page_offers_company_sign_in_once_a_provider_exists(client, company_app):
    page = client.get(reverse("account_login"))
    assert b"Sign in with your company account" in page.content
    assert reverse("sso:start").encode() in page.content


def test_no_company_sign_in_on_the_login_page_without_a_provider(client, db):
    assert b"company account" not in client.get(reverse("account_login")).content


def test_first_sign_in_creates_the_login_links_the_person_and_lands_home(client, company_app):
    person = PersonFactory(email=ADA, full_name="Ada Lovelace")

    done = sign_in_with_company_account(client, ADA, "ada")

    assert done.status_code == 302 and done["Location"] == reverse("home")
    user = User.objects.get(email__iexact=ADA)
    person.refresh_from_db()
    assert person.user == user
    assert SocialAccount.objects.filter(user=user, provider="acme").exists()
    assert EmailAddress.objects.filter(user=user, email__iexact=ADA, verified=True, primary=True).exists()
    assert not user.has_usable_password()
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home.wsgi_request.user == user
    assert b"Ada Lovelace" in home.content


def test_an_existing_login_is_linked_not_duplicated(client, company_app):
    existing = UserFactory(email=ADA, verified=False)
    person = PersonFactory(email=ADA)

    done = sign_in_with_company_account(client, ADA, "ada")

    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert User.objects.filter(email__iexact=ADA).count() == 1
    assert SocialAccount.objects.get(provider="acme").user == existing
    person.refresh_from_db()
    assert person.user == existing
    # The second time the account is known: no new link, same login.
    client.logout()
    sign_in_with_company_account(client, ADA, "ada")
    assert client.get(reverse("home")).wsgi_request.user == existing
    assert SocialAccount.objects.count() == 1


def test_next_is_kept_through_the_round_trip(client, company_app):
    PersonFactory(email=ADA)
    done = sign_in_with_company_account(client, ADA, "ada", next_url=reverse("feedback:pair_list"))
    assert done["Location"] == reverse("feedback:pair_list")


def test_someone_outside_the_directory_gets_no_login(client, company_app):
    done = sign_in_with_company_account(client, f"grace.hopper@{DOMAIN}", "grace")
    assert not User.objects.filter(email__iexact=f"grace.hopper@{DOMAIN}").exists()
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    assert done.status_code == 200 and b"not in it" in done.content and b"Ask your HR team" in done.content


def test_a_provider_signs_in_only_its_own_domains(client, company_app):
    PersonFactory(email="mallory@elsewhere.test")
    # Mallory starts from an acme.test address but the provider vouches for another domain.
    done = sign_in_with_company_account(client, f"someone@{DOMAIN}", "mallory")
    assert done.status_code == 403
    assert b"signs in addresses of acme.test only" in done.content
    assert not User.objects.filter(email__iexact="mallory@elsewhere.test").exists()


def test_a_provider_that_sends_no_email_is_refused_with_a_reason(client, company_app):
    done = sign_in_with_company_account(client, f"nomail@{DOMAIN}", "nomail")
    assert done.status_code == 403 and b"did not send an e-mail address" in done.content


def test_a_deactivated_login_cannot_sign_in_with_its_company_account(client, company_app):
    user = UserFactory(email=ADA)
    PersonFactory(email=ADA)
    User.objects.filter(pk=user.pk).update(is_active=False)
    done = sign_in_with_company_account(client, ADA, "ada")
    assert done.status_code == 302 and done["Location"] == reverse("account_inactive")
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_an_unknown_domain_is_told_plainly(client, company_app):
    answer = client.post(reverse("sso:start"), {"email": "someone@unknown.test"})
    assert answer.status_code == 200
    assert b"No company sign-in is set up for unknown.test" in answer.content


def test_a_turned_off_provider_is_not_offered_nor_used(client, company_app):
    company_app.settings = {**company_app.settings, "enabled": False}
    company_app.save()
    assert b"company account" not in client.get(reverse("account_login")).content
    answer = client.post(reverse("sso:start"), {"email": ADA})
    assert b"No company sign-in is set up" in answer.content
    assert client.get(reverse("openid_connect_login", kwargs={"provider_id": "acme"})).status_code == 404


def test_the_start_page_asks_for_a_work_address(client, company_app):
    answer = client.post(reverse("sso:start"), {"email": "not an address"})
    assert answer.status_code == 200 and b"Enter a valid email address" in answer.content
    assert client.get(reverse("sso:start")).status_code == 200


def test_the_provider_is_asked_for_pkce_and_the_standard_scopes(client, company_app):
    started = client.post(reverse("sso:start"), {"email": ADA})
    query = parse_qs(urlsplit(started["Location"]).query)
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}
    assert query["code_challenge_method"] == ["S256"]
    assert Person.objects.count() == 0


def test_the_sign_in_pages_let_their_forms_lead_to_the_provider(client, company_app, idp_url):
    """Browsers check a form's redirects against form-action: the provider's origin must be allowed there."""
    for url in (reverse("account_login"), reverse("sso:start")):
        policy = client.get(url)["Content-Security-Policy"]
        form_action = next(part for part in policy.split(";") if "form-action" in part)
        assert idp_url in form_action and "'self'" in form_action
    elsewhere = client.get(reverse("account_signup"))["Content-Security-Policy"]
    assert idp_url not in elsewhere


def test_the_login_page_reads_the_providers_in_a_bounded_number_of_queries(
    client, company_app, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert client.get(reverse("account_login")).status_code == 200
