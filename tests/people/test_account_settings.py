"""Everyone chooses the time zone they read times in; a zone that does not exist is refused with nothing
saved, and only one's own settings can be changed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("people:account_settings")


def test_a_user_chooses_their_time_zone_and_pages_follow_it(client, employee):
    client.force_login(employee)
    page = client.get(SETTINGS).content.decode()
    assert "The organization&#x27;s (UTC)" in page or "The organization's (UTC)" in page
    assert '<option value="Europe/Lisbon">Europe/Lisbon</option>' in page
    assert 'value="US/Eastern"' not in page  # legacy aliases stay out of the list

    response = client.post(SETTINGS, {"time_zone": "America/Sao_Paulo"}, follow=True)
    employee.refresh_from_db()
    assert employee.time_zone == "America/Sao_Paulo"
    assert "Times are now shown in America/Sao Paulo." in response.content.decode()
    assert response.context["zone"].key == "America/Sao_Paulo"
    # The next request runs in that zone, and signing out returns to the organization's.
    client.get(reverse("home"))
    assert timezone.get_current_timezone_name() == "America/Sao_Paulo"
    client.logout()
    client.get(reverse("account_login"))
    assert timezone.get_current_timezone_name() == "UTC"

    client.force_login(employee)
    client.post(SETTINGS, {"time_zone": ""})
    employee.refresh_from_db()
    assert employee.time_zone == ""


def test_a_zone_that_does_not_exist_is_refused_with_nothing_saved(client, employee):
    employee.time_zone = "Europe/Paris"
    employee.save(update_fields=["time_zone"])
    client.force_login(employee)
    response = client.post(SETTINGS, {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "is not a time zone we know" in content and "Nothing was saved" in content
    employee.refresh_from_db()
    assert employee.time_zone == "Europe/Paris"


def test_the_model_refuses_an_unknown_zone_too():
    from django.core.exceptions import ValidationError

    user = UserFactory.build(time_zone="Nowhere/Town")
    with pytest.raises(ValidationError, match="not a time zone we know"):
        user.full_clean(exclude=["password"])


def test_settings_need_a_login(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert client.post(SETTINGS, {"time_zone": "Asia/Tokyo"}).status_code == 302
