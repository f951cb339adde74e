"""Every demo persona can sign in with the printed password and lands on a home page made for them."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from people.demo import PERSONAS
from people.factories import DEMO_PASSWORD
from people.models import User

pytestmark = pytest.mark.django_db


def test_each_persona_signs_in_and_sees_their_home():
    call_command("seed_demo", stdout=io.StringIO())
    for persona in PERSONAS:
        client = Client()
        response = client.post(reverse("account_login"), {"login": persona.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, persona.email
        content = client.get(reverse("home")).content.decode()
        person = User.objects.get(email=persona.email).person
        assert f"Welcome, {person.full_name}" in content, persona.key
        assert ("HR directory" in content) == (persona.key == "hr_admin"), persona.key
        if persona.key == "manager":
            assert "Your team" in content
        assert "Your profile" in content
