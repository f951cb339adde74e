"""Certificates: a PDF for the graduate (and HR admins and the cohort's coordinators, nobody else), a public
verification page that shows only the name, the title and the date, and the HRIS export for HR admins."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Certificate, CohortMember
from cohorts.services.graduation import new_verification_code
from matching.models import Mentorship
from people.models import PersonnelRecord
from programs.factories import ParticipantFactory
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE
from tests.conftest import make_persona
from tests.factories import PersonFactory

from .test_cohort_services import running_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort_coordinator(db, department):
    return make_persona("cohort.coordinator@example.com", department=department, level=6)


@pytest.fixture
def graduate(db, department):
    return make_persona("graduate@example.com", department=department, level=6, full_name="Ada Okafor")


@pytest.fixture
def classmate(db, department):
    return make_persona("classmate@example.com", department=department, level=6)


@pytest.fixture
def cohort(cohort_coordinator, graduate, classmate):
    return running_cohort(coordinator=cohort_coordinator.person, members=[graduate.person, classmate.person])


def _certify(member: CohortMember, issued_on: datetime.date = datetime.date(2026, 11, 2)) -> Certificate:
    member.status, member.graduated_on = CohortMember.Status.GRADUATED, issued_on
    member.save(update_fields=["status", "graduated_on"])
    return Certificate.objects.create(
        member=member,
        verification_code=new_verification_code(),
        title=MASTER_MENTOR_CERTIFICATE_TITLE,
        issued_on=issued_on,
    )


@pytest.fixture
def certificate(cohort, graduate):
    return _certify(cohort.members.get(person=graduate.person))


def test_anyone_with_the_code_sees_only_the_name_the_title_and_the_date(client, certificate, graduate):
    response = client.get(reverse("cohorts:certificate_verify", args=[certificate.verification_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Okafor" in page
    assert MASTER_MENTOR_CERTIFICATE_TITLE in page
    assert "2 November 2026" in page
    for private in (graduate.email, graduate.person.employee_id, certificate.member.cohort.name):
        assert private not in page
    assert response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("wrong", ["nope", "x" * 32, "CODE"])
def test_a_wrong_code_is_a_plain_404(client, certificate, wrong):
    if wrong == "CODE":
        wrong = certificate.verification_code.swapcase()
    response = client.get(reverse("cohorts:certificate_verify", args=[wrong]))
    assert response.status_code == 404
    assert "Ada Okafor" not in response.content.decode()


def test_verification_codes_are_long_and_never_repeat():
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert min(len(c) for c in codes) >= 32


def test_the_graduate_hr_admins_and_coordinators_download_the_pdf(
    client, certificate, graduate, hr_admin, cohort_coordinator
):
    url = reverse("cohorts:certificate_download", args=[certificate.pk])
    for user in (graduate, hr_admin, cohort_coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]


def test_nobody_else_downloads_the_pdf(client, certificate, classmate, employee, outsider, coordinator):
    url = reverse("cohorts:certificate_download", args=[certificate.pk])
    for user in (classmate, employee, outsider, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client.get(reverse("cohorts:certificate_download", args=[certificate.pk + 99])).status_code == 302


def test_hr_admins_export_the_certificates_issued_since_a_day(
    client, hr_admin, cohort, certificate, classmate
):
    older = _certify(cohort.members.get(person=classmate.person), datetime.date(2026, 1, 5))
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:certificate_export"), {"since": "2026-06-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["employee_id"] for r in rows] == [certificate.member.person.employee_id]
    (row,) = rows
    assert row["name"] == "Ada Okafor"
    assert row["email"] == "graduate@example.com"
    assert row["title"] == MASTER_MENTOR_CERTIFICATE_TITLE
    assert row["issued_on"] == "2026-11-02"
    assert row["verification_url"].endswith(
        reverse("cohorts:certificate_verify", args=[certificate.verification_code])
    )
    assert older.verification_code not in response.content.decode()


def test_the_export_refuses_a_bad_day_and_everyone_but_hr_admins(
    client, hr_admin, cohort_coordinator, certificate
):
    client.force_login(hr_admin)
    assert client.get(reverse("cohorts:certificate_export")).status_code == 200
    response = client.get(reverse("cohorts:certificate_export"), {"since": "yesterday"})
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    client.force_login(cohort_coordinator)
    assert client.get(reverse("cohorts:certificate_export"), {"since": "2026-01-01"}).status_code == 404


def test_the_roster_lists_certified_master_mentors_with_their_load(
    client, hr_admin, coordinator, program, certificate, graduate, employee
):
    earlier = PersonFactory(full_name="Ben Achebe")
    PersonnelRecord.objects.create(
        person=earlier,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        effective_on=datetime.date(2025, 9, 1),
        title=MASTER_MENTOR_CERTIFICATE_TITLE,
    )
    PersonnelRecord.objects.create(
        person=PersonFactory(full_name="Not Certified"),
        kind=PersonnelRecord.Kind.CERTIFICATE,
        effective_on=datetime.date(2025, 9, 1),
        title="First aid",
    )
    place = ParticipantFactory(
        program=program, person=graduate.person, role="mentor", status="approved", capacity=3
    )
    for status, ended_on in (
        (Mentorship.Status.ACTIVE, None),
        (Mentorship.Status.COMPLETED, datetime.date(2026, 10, 1)),
    ):
        Mentorship.objects.create(
            program=program,
            mentor=place,
            mentee=ParticipantFactory(program=program, status="approved"),
            status=status,
            started_on=datetime.date(2026, 1, 5),
            ended_on=ended_on,
        )

    for user in (hr_admin, coordinator):  # coordinator: of a program
        client.force_login(user)
        response = client.get(reverse("cohorts:roster"))
        assert response.status_code == 200
        rows = response.context["page"].object_list
        assert [p.full_name for p in rows] == ["Ada Okafor", "Ben Achebe"]
        ada = rows[0]
        assert (ada.active_pairs, ada.capacity, ada.cohort_name) == (1, 3, certificate.member.cohort.name)
        assert (rows[1].active_pairs, rows[1].capacity) == (0, 0)
    client.force_login(employee)
    assert client.get(reverse("cohorts:roster")).status_code == 403


def test_the_roster_runs_a_bounded_number_of_queries(client, hr_admin, cohort, certificate, program):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cohorts:roster")).status_code == 200
        return len(queries)

    client.force_login(hr_admin)
    few = count()
    for _ in range(6):
        person = PersonFactory()
        member = CohortMember.objects.create(cohort=cohort, person=person)
        _certify(member)
        ParticipantFactory(program=program, person=person, role="mentor", status="approved", capacity=2)
    assert count() == few
