"""The home page tells each persona what to do next."""

import re

import pytest
from django.urls import reverse

from people.models import Person
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_invites_visitors_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Sign in with your work e-mail" in response.content
    assert reverse("account_login").encode() in response.content


def test_it_tells_an_hr_admin_with_an_empty_directory_to_import_it(client, hr_admin):
    Person.objects.exclude(user=hr_admin).delete()
    Person.objects.filter(user=hr_admin).delete()
    client.force_login(hr_admin)
    response = client.get(reverse("home"))
    assert b"import your HR directory" in response.content
    assert reverse("people:import_list").encode() in response.content


def test_it_shows_an_hr_admin_the_state_of_the_directory(client, hr_admin, employee):
    client.force_login(hr_admin)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert "People in the directory" in content
    assert "Update the directory" in content
    assert "two-factor authentication" in content


def test_it_shows_a_manager_their_direct_reports(client, manager, employee):
    client.force_login(manager)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert "Your team" in content
    assert employee.person.full_name in content
    assert "Update the directory" not in content


def test_it_shows_an_employee_their_place_and_what_comes_next(client, employee, manager):
    client.force_login(employee)
    content = client.get(reverse("home")).content.decode()
    assert "reports to" in content and manager.person.full_name in content
    assert "No mentoring program is open to you right now" in content
    assert "Your team" not in content
    assert "HR directory" not in content


def test_it_tells_a_login_outside_the_directory_how_to_get_linked(client, outsider):
    client.force_login(outsider)
    content = client.get(reverse("home")).content.decode()
    assert "not in the directory" in content
    assert "ask your HR team" in content


def test_it_asks_an_unverified_login_to_confirm_its_address(client):
    user = UserFactory(email="new.hire@example.com", verified=False)
    PersonFactory(email="new.hire@example.com")
    client.force_login(user)
    content = client.get(reverse("home")).content.decode()
    assert "Confirm your e-mail address" in content


def test_navigation_matches_the_role(client, hr_admin, employee):
    client.force_login(employee)
    content = client.get(reverse("home")).content.decode()
    assert reverse("people:person_list") in content
    assert reverse("people:import_list") not in content
    client.force_login(hr_admin)
    content = client.get(reverse("home")).content.decode()
    assert reverse("people:import_list") in content
    assert reverse("people:hr_admins") in content


def test_the_layout_is_accessible_and_self_hosted(client):
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in content
    assert 'href="#main"' in content and 'id="main"' in content
    assert "<nav" in content and "<main" in content and "<footer" in content
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', content)
    assert external == []
    assert "/static/bootstrap/css/bootstrap.min.css" in content
    assert "htmx" in content


def test_the_home_page_query_count_does_not_grow_with_the_team(
    client, manager, department, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager)
    PersonFactory(manager=manager.person, department=department)
    client.get(reverse("home"))  # the session and caches settle
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for _ in range(30):
        PersonFactory(manager=manager.person, department=department)
    with django_assert_max_num_queries(19), CaptureQueriesContext(connection) as large:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(large) == len(small)


def test_health_reports_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_only_the_section_we_are_in_is_marked_current(client, hr_admin):
    client.force_login(hr_admin)
    content = client.get(reverse("people:import_list")).content.decode()
    assert f'href="{reverse("people:import_list")}" aria-current="page"' in content
    assert f'href="{reverse("people:person_list")}" aria-current="page"' not in content
