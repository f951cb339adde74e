"""The Calendar feed page: create an address (shown once), see only its last characters afterwards,
replace it, turn it off; anonymous visitors are sent to sign in, and crafted POSTs change nothing."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from calendars.models import CalendarFeed
from mentoring.tokens import digest

from .conftest import ics_url, token_of

pytestmark = pytest.mark.django_db

PAGE = reverse("calendars:feed")
CREATE = reverse("calendars:create")
REPLACE = reverse("calendars:replace")
TURN_OFF = reverse("calendars:turn_off")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://mentoring.example.com"


@pytest.fixture
def client_of():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def token_shown(response) -> str:
    """The token in the https address the page shows."""
    text = response.content.decode()
    start = text.index("https://mentoring.example.com/calendar/") + len(
        "https://mentoring.example.com/calendar/"
    )
    return text[start : text.index(".ics", start)]


@pytest.mark.parametrize("url", [PAGE, CREATE, REPLACE, TURN_OFF])
def test_anonymous_visitors_are_sent_to_sign_in(url):
    for response in (Client().get(url), Client().post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not CalendarFeed.objects.exists()


def test_the_page_explains_the_feed_and_offers_to_create_an_address(client_of, mentor):
    response = client_of(mentor).get(PAGE)
    assert response.status_code == 200
    assert b"Create my calendar address" in response.content
    assert b"never holds agendas" in response.content


def test_creating_shows_the_address_once_and_then_only_its_last_characters(client_of, mentor):
    client = client_of(mentor)
    response = client.post(CREATE)

    assert response.status_code == 200
    token = token_shown(response)
    assert token.startswith("cal_")
    assert f"webcal://mentoring.example.com/calendar/{token}.ics".encode() in response.content
    assert b"Outlook" in response.content and b"Google Calendar" in response.content
    assert b"Apple Calendar" in response.content
    assert b"Keep it private" in response.content
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"

    feed = CalendarFeed.objects.get(user=mentor)
    assert feed.digest == digest(token) and token not in feed.digest
    assert feed.hint == token[-4:]
    assert Client().get(ics_url(token)).status_code == 200

    page = client.get(PAGE)
    assert token.encode() not in page.content
    assert f"…{token[-4:]}".encode() in page.content
    assert b"Last read by a calendar" in page.content
    assert b"Create my calendar address" not in page.content


def test_creating_again_while_an_address_works_is_refused(client_of, mentor):
    client = client_of(mentor)
    token = token_shown(client.post(CREATE))
    again = client.post(CREATE)
    assert again.status_code == 302
    assert "You already have a calendar address. To get a new one, replace it." in said(again)
    assert CalendarFeed.objects.filter(user=mentor).count() == 1
    assert token.encode() not in client.get(PAGE).content


def test_a_get_cannot_create_an_address(client_of, mentor):
    assert client_of(mentor).get(CREATE).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_replacing_asks_first_then_gives_a_new_address_and_stops_the_old(client_of, mentor):
    client = client_of(mentor)
    old = token_of(mentor)
    feed = CalendarFeed.objects.get(user=mentor)

    confirm = client.get(REPLACE)
    assert confirm.status_code == 200
    assert b"stops working at once" in confirm.content
    assert old.encode() not in confirm.content

    response = client.post(REPLACE, {"feed": feed.pk})
    assert response.status_code == 200
    new = token_shown(response)
    assert new != old
    assert Client().get(ics_url(old)).status_code == 404
    assert Client().get(ics_url(new)).status_code == 200
    page = client.get(PAGE)
    assert f"…{old[-4:]}".encode() in page.content  # listed among the earlier addresses
    assert old.encode() not in page.content and new.encode() not in page.content


def test_a_resent_replace_changes_nothing(client_of, mentor):
    client = client_of(mentor)
    token_of(mentor)
    feed = CalendarFeed.objects.get(user=mentor)
    new = token_shown(client.post(REPLACE, {"feed": feed.pk}))
    resent = client.post(REPLACE, {"feed": feed.pk})
    assert resent.status_code == 302
    assert any("already replaced or turned off" in m for m in said(resent))
    assert Client().get(ics_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(user=mentor).count() == 2


def test_turning_off_asks_first_then_stops_the_address(client_of, mentor):
    client = client_of(mentor)
    token = token_of(mentor)
    feed = CalendarFeed.objects.get(user=mentor)
    assert b"stops working at once" in client.get(TURN_OFF).content

    response = client.post(TURN_OFF, {"feed": feed.pk})
    assert response.status_code == 302
    assert any("turned off" in m for m in said(response))
    feed.refresh_from_db()
    assert feed.revoked_at is not None and feed.revoked_by == mentor
    assert Client().get(ics_url(token)).status_code == 404
    assert b"Create my calendar address" in client.get(PAGE).content


def test_confirmation_pages_without_an_address_go_back_to_the_page(client_of, mentor):
    for url in (REPLACE, TURN_OFF):
        response = client_of(mentor).get(url)
        assert response.status_code == 302 and response["Location"] == PAGE


def test_nobody_can_replace_or_turn_off_someone_elses_address(client_of, mentor, mentee):
    victim = token_of(mentee)
    feed = CalendarFeed.objects.get(user=mentee)
    token_of(mentor)
    client = client_of(mentor)
    for url in (REPLACE, TURN_OFF):
        response = client.post(url, {"feed": feed.pk})
        assert response.status_code == 302
        assert any("already replaced or turned off" in m for m in said(response))
    assert Client().get(ics_url(victim)).status_code == 200
    assert CalendarFeed.objects.active().filter(user=mentor).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Say which calendar address to change."),
        ({"feed": "abc"}, "That is not one of your calendar addresses."),
        ({"feed": "-4"}, "That is not one of your calendar addresses."),
    ],
)
def test_crafted_posts_get_a_clear_message_and_change_nothing(client_of, mentor, data, message):
    token = token_of(mentor)
    for url in (REPLACE, TURN_OFF):
        response = client_of(mentor).post(url, data)
        assert response.status_code == 302
        assert message in said(response)
    assert Client().get(ics_url(token)).status_code == 200
    assert CalendarFeed.objects.filter(user=mentor).count() == 1


def test_a_login_without_a_person_is_told_why_it_cannot_have_an_address(client_of, outsider):
    client = client_of(outsider)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert b"not linked to anyone in the HR directory" in page.content
    assert b"Create my calendar address" not in page.content
    response = client.post(CREATE)
    assert response.status_code == 302
    assert any("not linked to anyone in the HR directory" in m for m in said(response))
    assert not CalendarFeed.objects.exists()
