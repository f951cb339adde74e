"""The directory pages: who sees whom, and what of them."""

import pytest
from django.urls import reverse

from people.models import HR_ADMINS_GROUP, Person, PersonnelRecord
from tests.factories import PersonFactory, PersonnelRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(department):
    return PersonFactory(
        full_name="Ada Colleague",
        title="Senior Nurse",
        department=department,
        employee_id="E7777",
        gender="Woman",
    )


@pytest.fixture
def leaver(department):
    return PersonFactory(
        full_name="Lee Leaver",
        department=department,
        status=Person.Status.LEFT,
        left_on="2025-05-01",
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, colleague):
    for url in (
        reverse("people:person_list"),
        colleague.get_absolute_url(),
        reverse("people:hr_admins"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_login_outside_the_directory_cannot_browse_it(client, outsider, colleague):
    client.force_login(outsider)
    assert client.get(reverse("people:person_list")).status_code == 403
    assert client.get(colleague.get_absolute_url()).status_code == 404


def test_an_employee_finds_current_colleagues_only(client, employee, colleague, leaver):
    client.force_login(employee)
    content = client.get(reverse("people:person_list")).content.decode()
    assert "Ada Colleague" in content
    assert "Lee Leaver" not in content
    assert "E7777" not in content  # employee ids are HR data
    assert client.get(leaver.get_absolute_url()).status_code == 404


def test_an_hr_admin_sees_everyone_and_filters_by_status(client, hr_admin, colleague, leaver):
    client.force_login(hr_admin)
    content = client.get(reverse("people:person_list")).content.decode()
    assert "Lee Leaver" in content and "E7777" in content
    content = client.get(reverse("people:person_list"), {"status": "left"}).content.decode()
    assert "Lee Leaver" in content and "Ada Colleague" not in content


def test_search_finds_by_name_and_explains_an_empty_result(client, employee, colleague):
    client.force_login(employee)
    content = client.get(reverse("people:person_list"), {"q": "ada col"}).content.decode()
    assert "Ada Colleague" in content
    content = client.get(reverse("people:person_list"), {"q": "zzzz"}).content.decode()
    assert "Nobody matches these filters" in content


def test_a_bad_filter_value_is_ignored_with_the_form_error(client, employee, colleague):
    client.force_login(employee)
    response = client.get(reverse("people:person_list"), {"division": "not-a-number"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_htmx_requests_get_only_the_results(client, employee, colleague):
    client.force_login(employee)
    response = client.get(reverse("people:person_list"), {"q": "Ada"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Ada Colleague" in content
    assert "<html" not in content


def test_the_directory_query_count_does_not_grow_with_its_size(
    client, hr_admin, department, django_assert_max_num_queries
):
    manager = PersonFactory(department=department)
    PersonFactory.create_batch(60, department=department, manager=manager)
    client.force_login(hr_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:person_list"))
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


def test_an_employee_sees_a_colleagues_name_title_department_and_manager_only(
    client, employee, colleague, manager
):
    colleague.manager = manager.person
    colleague.save()
    PersonnelRecordFactory(person=colleague, title="Promoted to Senior Nurse")
    client.force_login(employee)
    content = client.get(colleague.get_absolute_url()).content.decode()
    assert "Ada Colleague" in content and "Senior Nurse" in content and "Cardiology" in content
    assert manager.person.full_name in content
    assert colleague.email not in content
    assert "E7777" not in content
    assert "Personnel file" not in content
    assert "Promoted to Senior Nurse" not in content
    assert "Woman" not in content


def test_people_see_their_own_personnel_file_and_self_identification(client, employee):
    PersonnelRecordFactory(person=employee.person, title="Promoted to Analyst")
    employee.person.gender = "Non-binary"
    employee.person.save()
    client.force_login(employee)
    content = client.get(employee.person.get_absolute_url()).content.decode()
    assert "Promoted to Analyst" in content
    assert "Non-binary" in content
    assert "Add a record" not in content


def test_managers_see_the_personnel_file_of_their_reports_but_not_demographics(client, manager, employee):
    PersonnelRecordFactory(person=employee.person, title="Promoted to Analyst")
    employee.person.gender = "Non-binary"
    employee.person.save()
    client.force_login(manager)
    content = client.get(employee.person.get_absolute_url()).content.decode()
    assert "Promoted to Analyst" in content
    assert "Non-binary" not in content


def test_a_report_does_not_see_their_managers_file(client, manager, employee):
    PersonnelRecordFactory(person=manager.person, title="Award for leadership", kind="award")
    client.force_login(employee)
    content = client.get(manager.person.get_absolute_url()).content.decode()
    assert "Award for leadership" not in content


def test_an_hr_admin_adds_a_record_to_the_personnel_file(client, hr_admin, colleague):
    client.force_login(hr_admin)
    response = client.post(
        colleague.get_absolute_url(),
        {
            "kind": "award",
            "effective_on": "2026-03-01",
            "title": "Clinical excellence award",
            "details": "",
        },
    )
    assert response.status_code == 302
    record = PersonnelRecord.objects.get(person=colleague)
    assert record.title == "Clinical excellence award"
    assert record.created_by == hr_admin


def test_a_bad_record_is_refused_with_clear_messages_and_keeps_the_input(client, hr_admin, colleague):
    client.force_login(hr_admin)
    response = client.post(
        colleague.get_absolute_url(),
        {
            "kind": "promotion",
            "effective_on": "31/02/2026",
            "title": "Kept title",
            "job_level": "99",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a valid date" in content
    assert "less than or equal to 20" in content
    assert 'value="Kept title"' in content
    assert not PersonnelRecord.objects.exists()


def test_only_hr_admins_may_post_records(client, manager, employee):
    client.force_login(manager)
    response = client.post(
        employee.person.get_absolute_url(),
        {"kind": "award", "effective_on": "2026-03-01", "title": "Self-made award"},
    )
    assert response.status_code == 403
    assert not PersonnelRecord.objects.exists()


def test_an_hr_admin_adds_another_hr_admin(client, hr_admin, employee):
    client.force_login(hr_admin)
    response = client.post(reverse("people:hr_admins"), {"email": "EMPLOYEE@example.com"})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.groups.filter(name=HR_ADMINS_GROUP).exists()
    assert employee.is_staff


def test_adding_an_unknown_login_explains_what_to_do(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("people:hr_admins"), {"email": "nobody@example.com"})
    assert "Nobody has signed in with this address yet" in response.content.decode()


def test_an_hr_admin_removes_another_but_never_the_last(client, hr_admin, employee):
    other = UserFactory(email="second.hr@example.com")
    client.force_login(hr_admin)
    client.post(reverse("people:hr_admins"), {"email": other.email})
    response = client.post(reverse("people:hr_admin_remove", args=[other.pk]), follow=True)
    assert "is no longer an HR admin" in response.content.decode()
    assert not other.groups.exists()
    response = client.post(reverse("people:hr_admin_remove", args=[hr_admin.pk]), follow=True)
    assert "cannot remove yourself" in response.content.decode()
    assert hr_admin.groups.filter(name=HR_ADMINS_GROUP).exists()


def test_only_hr_admins_manage_hr_admins(client, employee, hr_admin):
    client.force_login(employee)
    assert client.get(reverse("people:hr_admins")).status_code == 403
    assert client.post(reverse("people:hr_admins"), {"email": employee.email}).status_code == 403
    response = client.post(reverse("people:hr_admin_remove", args=[hr_admin.pk]))
    assert response.status_code == 403
    assert hr_admin.groups.filter(name=HR_ADMINS_GROUP).exists()


def test_removing_is_post_only(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get(reverse("people:hr_admin_remove", args=[hr_admin.pk])).status_code == 405
