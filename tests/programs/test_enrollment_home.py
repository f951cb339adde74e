"""The home page and the programs list tell each persona what to do about programs."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from programs.factories import ParticipantFactory, ProgramFactory
from programs.models import Invitation, Participant, Program
from tests.factories import DepartmentFactory

from .test_enrollment_support import DURING_ENROLLMENT, page, show_program_panels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _during_enrollment(monkeypatch):
    show_program_panels(monkeypatch)
    with time_machine.travel(DURING_ENROLLMENT, tick=False):
        yield


def home(client) -> str:
    return page(client, reverse("home"))


def test_an_employee_sees_the_programs_open_to_them_with_an_apply_link(client, enrolling_program, employee):
    closed_to_me = ProgramFactory(name="Research only", status=Program.Status.ENROLLING)
    closed_to_me.eligible_divisions.set([DepartmentFactory(division__name="Research").division])
    client.force_login(employee)
    content = home(client)
    assert "Career mentoring" in content
    assert reverse("programs:program_apply", args=[enrolling_program.slug, "mentee"]) in content
    assert "Research only" not in content


def test_a_program_whose_enrollment_has_not_opened_is_not_offered_yet(client, enrolling_program, employee):
    with time_machine.travel("2026-10-01 09:00Z", tick=False):
        client.force_login(employee)
        assert "Career mentoring" not in home(client)
        listing = page(client, reverse("programs:program_list"))
    assert "Enrollment opens on 1 November 2026." in listing


def test_an_employee_sees_their_applications_and_statuses(client, enrolling_program, employee):
    ParticipantFactory(program=enrolling_program, person=employee.person, role="mentee", status="waitlisted")
    client.force_login(employee)
    content = home(client)
    assert "Your applications" in content and "Waitlisted" in content
    listing = page(client, reverse("programs:program_list"))
    assert "Your programs" in listing and "Waitlisted" in listing


def test_an_employee_with_nothing_to_do_is_told_where_programs_will_appear(client, employee):
    client.force_login(employee)
    content = home(client)
    assert "Mentoring programs" in content and "No mentoring program is open to you right now" in content
    listing = page(client, reverse("programs:program_list"))
    assert "No program is open for enrollment right now." in listing


def test_a_manager_sees_how_many_approvals_wait(client, enrolling_program, manager, employee):
    ParticipantFactory(
        program=enrolling_program,
        person=employee.person,
        manager_approval=Participant.ManagerApproval.PENDING,
    )
    client.force_login(manager)
    content = home(client)
    assert "1 application from people who report to you waits for your approval." in content
    assert reverse("programs:manager_approvals") in content


def test_coordinators_see_the_applications_waiting_in_their_programs(
    client, enrolling_program, other_program, coordinator
):
    ParticipantFactory.create_batch(2, program=enrolling_program)
    ParticipantFactory(program=enrolling_program, status="approved")
    ParticipantFactory(program=other_program)
    client.force_login(coordinator)
    content = home(client)
    assert "Programs you run" in content and "Career mentoring" in content and "Other program" not in content
    assert "2 applications to decide" in content
    assert reverse("programs:participant_list", args=[enrolling_program.slug]) in content


def test_hr_admins_see_every_program_they_run(client, enrolling_program, other_program, hr_admin):
    client.force_login(hr_admin)
    content = home(client)
    assert "Career mentoring" in content and "Other program" in content


def test_sponsors_and_outsiders_get_no_management_panel(client, enrolling_program, sponsor, outsider):
    for user in (sponsor, outsider):
        client.force_login(user)
        assert "Programs you run" not in home(client)


def test_anonymous_visitors_get_no_programs_panel(client, enrolling_program):
    assert "Career mentoring" not in home(client)


def test_the_home_page_runs_a_bounded_number_of_queries(
    client, employee, coordinator, django_assert_max_num_queries
):
    for n in range(12):
        program = ProgramFactory(status=Program.Status.ENROLLING, mentor_requirement="trained")
        program.coordinators.set([coordinator.person])
        program.eligible_divisions.set([employee.person.department.division])
        ParticipantFactory.create_batch(2, program=program)
        if n % 2:
            ParticipantFactory(program=program, person=employee.person)
        if n % 3 == 0:
            Invitation.objects.create(program=program, person=employee.person, role="mentor")
    client.force_login(employee)
    with django_assert_max_num_queries(23):
        home(client)
    client.force_login(coordinator)
    with django_assert_max_num_queries(23):
        home(client)
