"""The Django admin lists calendar addresses by their last characters and turns them off for a superuser;
it never shows a token, adds, edits or deletes one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from calendars.models import CalendarFeed
from tests.factories import UserFactory

from .conftest import ics_url, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_the_list_shows_last_characters_never_the_token(superuser_client, mentor):
    token = token_of(mentor)
    response = superuser_client.get(reverse("admin:calendars_calendarfeed_changelist"))
    assert response.status_code == 200
    assert token[-4:].encode() in response.content
    assert token.encode() not in response.content
    assert superuser_client.get(reverse("admin:calendars_calendarfeed_add")).status_code == 403


def test_a_superuser_turns_addresses_off(superuser_client, mentor, mentee):
    tokens = [token_of(mentor), token_of(mentee)]
    response = superuser_client.post(
        reverse("admin:calendars_calendarfeed_changelist"),
        {"action": "turn_off", "_selected_action": [f.pk for f in CalendarFeed.objects.all()]},
    )
    assert response.status_code == 302
    assert not CalendarFeed.objects.active().exists()
    assert all(Client().get(ics_url(token)).status_code == 404 for token in tokens)
    assert CalendarFeed.objects.count() == 2  # the record stays
