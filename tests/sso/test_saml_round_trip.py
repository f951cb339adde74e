"""Company sign-in with SAML 2.0, end to end: our AuthnRequest, a signed Response, the ACS, the home page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.urls import reverse

from people.models import Person
from sso.config import saml_settings
from tests.factories import PersonFactory

from .saml_idp import LoopbackSamlIdp, key_and_certificate

pytestmark = pytest.mark.django_db
HOST = "mentoring.example.com"  # python3-saml wants real host names in the service provider's addresses
EMAIL = "hedy.lamarr@globex.test"


@pytest.fixture
def idp() -> LoopbackSamlIdp:
    return LoopbackSamlIdp()


@pytest.fixture
def saml_client(client, settings, idp):
    settings.ALLOWED_HOSTS = [HOST]
    client.defaults["HTTP_HOST"] = HOST
    certificate = "".join(idp.certificate.splitlines()[1:-1])
    SocialApp.objects.create(
        provider="saml",
        provider_id="globex",
        client_id="globex",
        name="Globex",
        settings=saml_settings(
            idp={"entity_id": idp.entity_id, "sso_url": idp.sso_url, "x509cert": certificate},
            domains=["globex.test"],
            sso_only=False,
        ),
    )
    return client


def _round_trip(client, idp: LoopbackSamlIdp, *, email: str = EMAIL, **answer):
    started = client.post(reverse("sso:start"), {"email": email})
    assert started.status_code == 302
    request = idp.read_request(started["Location"])
    assert request.acs_url == f"http://{HOST}/accounts/saml/globex/acs/"
    posted = client.post(urlsplit(request.acs_url).path, idp.respond(request, email=email, **answer))
    assert posted.status_code == 302 and posted["Location"] == reverse("saml_finish_acs", args=["globex"])
    return client.get(posted["Location"])


def test_a_saml_sign_in_creates_the_login_links_the_person_and_lands_home(saml_client, idp):
    person = PersonFactory(email=EMAIL, full_name="Hedy Lamarr")

    done = _round_trip(saml_client, idp, first_name="Hedy", last_name="Lamarr")

    assert done.status_code == 302 and done["Location"] == reverse("home")
    user = get_user_model().objects.get(email__iexact=EMAIL)
    person.refresh_from_db()
    assert person.user == user
    assert SocialAccount.objects.filter(user=user, provider="globex").exists()
    home = saml_client.get(reverse("home"))
    assert home.wsgi_request.user == user and b"Hedy Lamarr" in home.content


def test_a_response_signed_by_another_key_signs_nobody_in(saml_client, idp, caplog):
    PersonFactory(email=EMAIL)
    forged_key, _ = key_and_certificate("attacker.test")

    done = _round_trip(saml_client, idp, key=forged_key)

    assert done.status_code == 401 and b"Third-Party Login Failure" in done.content
    assert "Signature validation failed" in caplog.text
    assert not saml_client.get(reverse("home")).wsgi_request.user.is_authenticated
    assert not Person.objects.get(email=EMAIL).user


def test_a_saml_provider_signs_in_only_its_own_domains(saml_client, idp):
    PersonFactory(email="eve@elsewhere.test")
    started = saml_client.post(reverse("sso:start"), {"email": EMAIL})
    request = idp.read_request(started["Location"])
    answer = idp.respond(request, email="eve@elsewhere.test")
    posted = saml_client.post(urlsplit(request.acs_url).path, answer)
    done = saml_client.get(posted["Location"])
    assert done.status_code == 403 and b"signs in addresses of globex.test only" in done.content
    assert not get_user_model().objects.filter(email__iexact="eve@elsewhere.test").exists()
