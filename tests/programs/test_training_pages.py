"""The mentor training record page: list and search, record one, delete one; HR admins only."""

import datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from people.factories import PersonnelRecordFactory
from people.models import PersonnelRecord
from programs.factories import MentorTrainingFactory
from programs.models import MentorTraining
from programs.services.training import (
    MASTER_MENTOR_CERTIFICATE_TITLE,
    TrainingError,
    has_completed_mentor_training,
    is_certified_master_mentor,
    mentor_training_record,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 16, 12, tzinfo=datetime.UTC), tick=False):
        yield


def page(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def nurse(department):
    return PersonFactory(
        full_name="Nia Nurse",
        employee_id="E100",
        email="nia.nurse@example.com",
        department=department,
        hire_date=datetime.date(2021, 6, 1),
    )


# --- Access -----------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (reverse("programs:training_list"), reverse("programs:training_import")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "persona", ["outsider", "employee", "mentee", "coordinator", "other_coordinator", "sponsor"]
)
def test_only_hr_admins_keep_the_training_record(client, request, persona, nurse):
    training = MentorTrainingFactory(person=nurse)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("programs:training_list")).status_code == 403
    form = {"person": "E100", "course": "Mentor training", "completed_on": "2025-01-10"}
    assert client.post(reverse("programs:training_list"), form).status_code == 403
    assert client.post(reverse("programs:training_delete", args=[training.pk])).status_code == 403
    assert client.post(reverse("programs:training_import")).status_code == 403
    assert list(MentorTraining.objects.all()) == [training]


# --- It works ---------------------------------------------------------------------------------------------


def test_an_hr_admin_records_a_training_by_employee_id(client, hr_admin, nurse):
    client.force_login(hr_admin)
    response = client.post(
        reverse("programs:training_list"),
        {"person": "E100", "course": "Mentor training", "completed_on": "2025-11-03"},
    )
    assert response.status_code == 302
    training = MentorTraining.objects.get()
    assert (training.person, training.course, training.completed_on, training.recorded_by) == (
        nurse,
        "Mentor training",
        datetime.date(2025, 11, 3),
        hr_admin,
    )
    content = page(client.get(response.url))
    assert "Nia Nurse's Mentor training on 2025-11-03 is recorded." in content
    assert "Nia Nurse" in content and "Cardiology" in content and "hr.admin@example.com" in content


def test_a_person_may_be_picked_by_e_mail_in_any_case(client, hr_admin, nurse):
    client.force_login(hr_admin)
    client.post(
        reverse("programs:training_list"),
        {"person": "NIA.Nurse@example.com", "course": "Coaching basics", "completed_on": "2026-03-16"},
    )
    assert MentorTraining.objects.get().course == "Coaching basics"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"person": "E999"}, "Nobody in the directory has the employee ID 'E999'."),
        (
            {"person": "nobody@example.com"},
            "Nobody in the directory has the e-mail address nobody@example.com.",
        ),
        ({"person": ""}, "This field is required."),
        ({"completed_on": "2026-03-17"}, "The completion date 2026-03-17 is in the future."),
        ({"completed_on": "2021-05-31"}, "is before Nia Nurse was hired (2021-06-01)."),
        ({"completed_on": "last spring"}, "Enter a valid date."),
        ({"course": "   "}, "This field is required."),
    ],
)
def test_a_bad_record_is_refused_with_its_message_and_nothing_is_saved(
    client, hr_admin, nurse, form, message
):
    client.force_login(hr_admin)
    data = {"person": "E100", "course": "Mentor training", "completed_on": "2025-11-03", **form}
    response = client.post(reverse("programs:training_list"), data)
    assert response.status_code == 200 and message in page(response)
    assert not MentorTraining.objects.exists()


def test_the_same_training_is_not_recorded_twice(client, hr_admin, nurse):
    MentorTrainingFactory(person=nurse, completed_on=datetime.date(2025, 11, 3))
    client.force_login(hr_admin)
    response = client.post(
        reverse("programs:training_list"),
        {"person": "E100", "course": "Mentor training", "completed_on": "2025-11-03"},
    )
    assert "Nia Nurse's Mentor training on 2025-11-03 is already recorded." in page(response)
    assert MentorTraining.objects.count() == 1


def test_the_service_checks_dates_as_strictly_as_the_form(hr_admin, nurse):
    with pytest.raises(TrainingError, match="in the future"):
        mentor_training_record(person=nurse, completed_on=TODAY + datetime.timedelta(days=1), by=hr_admin)
    with pytest.raises(TrainingError, match="before Nia Nurse was hired"):
        mentor_training_record(person=nurse, completed_on=datetime.date(2020, 1, 1), by=hr_admin)
    with pytest.raises(TrainingError, match="Name the course"):
        mentor_training_record(person=nurse, completed_on=TODAY, course=" ", by=hr_admin)
    assert not MentorTraining.objects.exists()
    assert mentor_training_record(person=nurse, completed_on=TODAY, by=hr_admin).course == "Mentor training"


def test_an_hr_admin_deletes_a_record(client, hr_admin, nurse):
    training = MentorTrainingFactory(person=nurse)
    client.force_login(hr_admin)
    assert client.get(reverse("programs:training_delete", args=[training.pk])).status_code == 405
    response = client.post(reverse("programs:training_delete", args=[training.pk]))
    assert not MentorTraining.objects.exists()
    assert "Nia Nurse's Mentor training on 2025-09-01 was deleted." in page(client.get(response.url))
    assert client.post(reverse("programs:training_delete", args=[training.pk])).status_code == 404


def test_search_finds_by_name_employee_id_or_course_and_explains_an_empty_result(
    client, hr_admin, nurse, department
):
    MentorTrainingFactory(person=nurse)
    other = PersonFactory(full_name="Omar Orderly", employee_id="E200", department=department)
    MentorTrainingFactory(person=other, course="Coaching basics")
    client.force_login(hr_admin)
    url = reverse("programs:training_list")

    by_name = page(client.get(url, {"q": "nia"}))
    by_id = page(client.get(url, {"q": "E200"}))
    by_course = page(client.get(url, {"q": "coaching"}))
    nothing = page(client.get(url, {"q": "zzz"}))

    assert "Nia Nurse" in by_name and "Omar Orderly" not in by_name
    assert "Omar Orderly" in by_id and "Nia Nurse" not in by_id
    assert "Omar Orderly" in by_course and "1 training matches the search" in by_course
    assert "No training matches this search." in nothing


def test_the_list_is_paginated_with_a_bounded_number_of_queries(
    client, hr_admin, department, django_assert_max_num_queries
):
    for n in range(60):
        MentorTrainingFactory(
            person=PersonFactory(full_name=f"Trained {n:02d}", department=department),
            completed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            recorded_by=hr_admin,
        )
    client.force_login(hr_admin)
    url = reverse("programs:training_list")
    client.get(url)

    with django_assert_max_num_queries(10):
        first = page(client.get(url))
    with django_assert_max_num_queries(10):
        second = page(client.get(url, {"page": 2}))

    assert "60 trainings recorded" in first and "Page 1 of 2" in first
    assert "Trained 59" in first and "Trained 00" not in first
    assert "Trained 00" in second


# --- The selectors of the mentor requirement ------------------------------------------------------------


def test_has_completed_mentor_training_reads_the_record(nurse, hr_admin):
    assert not has_completed_mentor_training(nurse)
    mentor_training_record(person=nurse, completed_on=TODAY, by=hr_admin)
    assert has_completed_mentor_training(nurse)


def test_a_certified_master_mentor_holds_the_certificate_in_the_personnel_file(nurse):
    assert MASTER_MENTOR_CERTIFICATE_TITLE == "Certified Master Mentor"
    PersonnelRecordFactory(
        person=nurse, kind=PersonnelRecord.Kind.AWARD, title=MASTER_MENTOR_CERTIFICATE_TITLE
    )
    PersonnelRecordFactory(person=nurse, kind=PersonnelRecord.Kind.CERTIFICATE, title="First aid")
    assert not is_certified_master_mentor(nurse)
    PersonnelRecordFactory(
        person=nurse, kind=PersonnelRecord.Kind.CERTIFICATE, title=MASTER_MENTOR_CERTIFICATE_TITLE
    )
    assert is_certified_master_mentor(nurse)
