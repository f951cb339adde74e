"""Coordinators invite people to apply: picked from the directory, pasted e-mails, or a CSV file."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from programs.factories import ParticipantFactory
from programs.models import Invitation, Program
from programs.services import ProgramError
from programs.services.invitations import program_invite
from tests.factories import PersonFactory

from .test_enrollment_support import DURING_ENROLLMENT, page, show_program_panels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _during_enrollment():
    with time_machine.travel(DURING_ENROLLMENT, tick=False):
        yield


def invite_url(program: Program) -> str:
    return reverse("programs:participant_invite", args=[program.slug])


def invited(program: Program, role: str = "mentee") -> list[str]:
    return sorted(program.invitations.filter(role=role).values_list("person__email", flat=True))


def test_a_coordinator_finds_people_in_the_directory_and_invites_them(
    client, coordinator, enrolling_program, employee, django_capture_on_commit_callbacks
):
    PersonFactory(full_name="Someone Else")
    client.force_login(coordinator)
    url = reverse("programs:participant_list", args=[enrolling_program.slug])
    results = client.get(
        f"{url}?invite_q=employee@example", headers={"HX-Request": "true", "HX-Target": "invite-candidates"}
    ).content.decode()
    assert employee.person.full_name in results and "Someone Else" not in results

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(enrolling_program),
            {"source": "pick", "pick-role": "mentor", "pick-people": [employee.person.pk]},
        )

    assert response.status_code == 302
    assert invited(enrolling_program, "mentor") == ["employee@example.com"]
    notification = Notification.objects.get(kind="program_invitation")
    assert (notification.recipient, notification.key, notification.url) == (
        employee.person,
        f"program:{enrolling_program.pk}:mentor",
        enrolling_program.get_absolute_url(),
    )
    assert [m.to for m in mail.outbox] == [["employee@example.com"]]
    assert "Invited 1 person as mentors" in page(client, response.url)

    client.force_login(employee)
    assert "You were invited to join as a mentor." in page(client, enrolling_program.get_absolute_url())


def test_picking_nobody_is_refused(client, coordinator, enrolling_program):
    client.force_login(coordinator)
    response = client.post(invite_url(enrolling_program), {"source": "pick", "pick-role": "mentee"})
    assert response.status_code == 200
    assert "Tick at least one person to invite." in response.content.decode()
    assert not Invitation.objects.exists()


def test_pasted_addresses_invite_the_known_and_list_the_rest(
    client, coordinator, enrolling_program, employee, mentor
):
    PersonFactory(
        email="gone@example.com", status="left", left_on=datetime.date(2026, 1, 1), full_name="Gone Person"
    )
    client.force_login(coordinator)
    emails = (
        "Employee@Example.com\nmentor@example.com; nobody@example.com\ngone@example.com\nnot-an-address\n\n"
    )

    response = client.post(
        invite_url(enrolling_program), {"source": "paste", "paste-role": "mentee", "paste-emails": emails}
    )

    assert invited(enrolling_program) == ["employee@example.com", "mentor@example.com"]
    content = page(client, response.url)
    assert "Invited 2 people as mentees" in content
    assert "nobody@example.com (nobody in the directory has this address)" in content
    assert "gone@example.com (Gone Person has left the organization)" in content
    assert "not-an-address (not an e-mail address)" in content


def test_inviting_again_changes_nothing_and_notifies_once(client, coordinator, enrolling_program, employee):
    client.force_login(coordinator)
    data = {"source": "paste", "paste-role": "mentee", "paste-emails": "employee@example.com"}
    client.post(invite_url(enrolling_program), data)
    response = client.post(invite_url(enrolling_program), data, follow=True)
    assert "Already invited before, so not notified again" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(kind="program_invitation").count() == 1


def test_people_who_applied_or_are_not_eligible_are_not_invited(
    client, coordinator, enrolling_program, employee, mentor
):
    ParticipantFactory(program=enrolling_program, person=employee.person, role="mentee")
    enrolling_program.max_job_level = 5
    enrolling_program.save()
    client.force_login(coordinator)
    response = client.post(
        invite_url(enrolling_program),
        {
            "source": "paste",
            "paste-role": "mentee",
            "paste-emails": "employee@example.com\nmentor@example.com",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "already applied as a mentee" in content
    assert "not eligible: This program is for job level 5 and below; you are at level 6." in content
    assert not Invitation.objects.exists()


def test_an_empty_paste_is_refused(client, coordinator, enrolling_program):
    client.force_login(coordinator)
    response = client.post(
        invite_url(enrolling_program), {"source": "paste", "paste-role": "mentee", "paste-emails": " \n;"}
    )
    assert "Paste at least one e-mail address." in response.content.decode()


def csv_upload(content: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_csv_file_with_an_email_column_invites_everyone_in_it(
    client, coordinator, enrolling_program, employee, mentor
):
    client.force_login(coordinator)
    content = "\ufeffName,Email\nEm,employee@example.com\nMo,mentor@example.com\nNo,\n".encode()
    response = client.post(
        invite_url(enrolling_program),
        {"source": "csv", "csv-role": "mentor", "csv-file": csv_upload(content)},
    )
    assert response.status_code == 302
    assert invited(enrolling_program, "mentor") == ["employee@example.com", "mentor@example.com"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,address\nEm,employee@example.com\n", "The file needs a column headed “email”"),
        ("email\nemployé@example.com\n".encode("latin-1"), "The file is not UTF-8 text."),
        (b"email\n\n", "The “email” column is empty."),
    ],
)
def test_a_csv_file_without_usable_addresses_is_refused(
    client, coordinator, enrolling_program, content, message
):
    client.force_login(coordinator)
    response = client.post(
        invite_url(enrolling_program),
        {"source": "csv", "csv-role": "mentee", "csv-file": csv_upload(content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_unknown_way_to_invite_is_not_found(client, coordinator, enrolling_program):
    client.force_login(coordinator)
    assert client.post(invite_url(enrolling_program), {"source": "fax"}).status_code == 404


def test_invitations_go_out_only_while_enrolling(client, coordinator, program, employee):
    client.force_login(coordinator)
    response = client.post(
        invite_url(program),
        {"source": "paste", "paste-role": "mentee", "paste-emails": "employee@example.com"},
    )
    assert "Invitations go out while the program is enrolling" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_service_refuses_an_unknown_role_and_skips_people_who_left(enrolling_program, coordinator):
    gone = PersonFactory(status="left", left_on=datetime.date(2026, 1, 1))
    with pytest.raises(ProgramError, match="Apply as a mentor or as a mentee"):
        program_invite(program=enrolling_program, people=[gone], role="boss", by=None)
    outcome = program_invite(program=enrolling_program, people=[gone], role="mentee", by=None)
    assert outcome.refused == [(gone.full_name, "has left the organization")]
    assert not Invitation.objects.exists()


def test_invited_people_see_the_invitation_on_their_home_page(
    client, enrolling_program, employee, monkeypatch
):
    show_program_panels(monkeypatch)
    Invitation.objects.create(program=enrolling_program, person=employee.person, role="mentor")
    client.force_login(employee)
    home = page(client, reverse("home"))
    assert "You were invited to join" in home and "Career mentoring" in home
