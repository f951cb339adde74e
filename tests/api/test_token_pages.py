"""HR admins make, list and revoke the API's tokens; the token is shown once; nobody else gets in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken
from programs.factories import ProgramFactory

from .conftest import token_row

pytestmark = pytest.mark.django_db


def test_hr_admin_makes_a_token_shown_once_and_never_again(client, hr_admin, program, api_client):
    client.force_login(hr_admin)
    assert client.get(reverse("api:token_create")).status_code == 200
    response = client.post(
        reverse("api:token_create"), {"name": "Power BI", "programs": [program.pk], "master_mentors": "on"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = response.context["plaintext"]
    assert plaintext.startswith("mapi_")
    assert plaintext in response.content.decode()
    token = token_row(plaintext)
    assert (token.name, token.master_mentors, token.created_by) == ("Power BI", True, hr_admin)
    assert list(token.programs.all()) == [program]
    assert plaintext not in str(ApiToken.objects.values_list().get(pk=token.pk))
    listing = client.get(reverse("api:token_list")).content.decode()
    assert "Power BI" in listing
    assert f"…{token.hint}" in listing
    assert plaintext not in listing
    assert api_client(plaintext).get("/api/v1/programs").json()["items"][0]["slug"] == program.slug


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "   ", "programs": []}, "This field is required"),
        ({"name": "Nothing to read"}, "Choose at least one program"),
        ({"name": "Bad program", "programs": ["999999"]}, "Select a valid choice"),
        ({"name": "x" * 121, "master_mentors": "on"}, "at most 120 characters"),
    ],
)
def test_bad_input_makes_no_token_and_says_why(client, hr_admin, program, data, message):
    client.force_login(hr_admin)
    response = client.post(reverse("api:token_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "No token was made" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_hr_admin_revokes_a_token_and_its_next_call_is_refused(client, hr_admin, make_token, api_client):
    plaintext = make_token([ProgramFactory()])
    token = token_row(plaintext)
    client.force_login(hr_admin)
    response = client.post(reverse("api:token_revoke", args=[token.pk]), follow=True)
    assert "Revoked “BI”" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == hr_admin
    assert api_client(plaintext).get("/api/v1/programs").status_code == 401
    assert "Revoked" in client.get(reverse("api:token_list")).content.decode()
    # Revoked is final: a second revoke finds no active token.
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert client.get(reverse("api:token_revoke", args=[token.pk])).status_code == 405


def test_the_pages_are_for_hr_admins_only(client, employee, make_token):
    token = token_row(make_token([ProgramFactory()]))
    pages = [reverse("api:token_list"), reverse("api:token_create")]
    for url in pages:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(employee)
    for url in pages:
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("api:token_create"), {"name": "Mine", "master_mentors": "on"}).status_code == 403
    )
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.get().revoked_at is None
    assert ApiToken.objects.count() == 1


def test_the_token_list_runs_the_same_queries_for_one_token_or_many(
    client, hr_admin, make_token, django_assert_max_num_queries
):
    client.force_login(hr_admin)
    make_token([ProgramFactory()])
    client.get(reverse("api:token_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("api:token_list"))
    for _ in range(6):
        make_token([ProgramFactory(), ProgramFactory()], master_mentors=True)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("api:token_list"))
    assert response.content.decode().count("Revoke</button>") == 7
