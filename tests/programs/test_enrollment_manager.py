"""With manager approval on, the applicant's direct manager agrees first; silence in time counts as yes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Notification
from programs.factories import ParticipantFactory
from programs.models import Participant, ParticipantStatusChange
from programs.services import ProgramError
from programs.services.enrollment import participants_decide
from programs.tasks import approve_silent_managers
from tests.conftest import make_persona

from .test_enrollment_support import DURING_ENROLLMENT, add_questionnaire, apply, page

pytestmark = pytest.mark.django_db
M = Participant.ManagerApproval


@pytest.fixture(autouse=True)
def _during_enrollment():
    with time_machine.travel(DURING_ENROLLMENT, tick=False):
        yield


@pytest.fixture
def open_program(enrolling_program):
    enrolling_program.manager_approval = True
    enrolling_program.manager_approval_days = 7
    enrolling_program.save()
    add_questionnaire(enrolling_program)
    return enrolling_program


@pytest.fixture
def pending(client, open_program, employee):
    """The employee applied; their manager (the ``manager`` persona) is asked."""
    client.force_login(employee)
    apply(client, open_program)
    return Participant.objects.get()


def decide_url(participant: Participant) -> str:
    return reverse("programs:manager_approval_decide", args=[participant.pk])


def test_the_manager_is_asked_and_the_applicant_sees_the_wait(client, open_program, pending, manager):
    assert pending.manager_approval == M.PENDING and pending.status == "applied"
    notification = Notification.objects.get(kind="manager_approval")
    assert (notification.recipient, notification.key, notification.url) == (
        manager.person,
        f"participant:{pending.pk}",
        reverse("programs:manager_approvals"),
    )
    detail = page(client, open_program.get_absolute_url())
    assert "Waiting for the manager" in detail
    assert f"Your manager, {manager.person.full_name}, is asked to agree first" in detail


def test_the_manager_approves_and_the_coordinators_decide_next(
    client, open_program, pending, manager, coordinator
):
    client.force_login(manager)
    listing = page(client, reverse("programs:manager_approvals"))
    assert pending.person.full_name in listing and "Career mentoring" in listing

    response = client.post(decide_url(pending), {"decision": "approve"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.manager_approval, pending.status, pending.manager_decided_by) == (
        M.APPROVED,
        "applied",
        manager.person,
    )
    assert Notification.objects.filter(recipient=pending.person, kind="manager_approved").exists()
    assert "Nobody who reports to you is waiting" in page(client, reverse("programs:manager_approvals"))
    participants_decide(
        program=open_program, participant_ids=[pending.pk], to="approved", reason="", by=coordinator
    )


def test_without_review_the_managers_yes_approves_the_application(client, open_program, pending, manager):
    open_program.enrollment_approval = False
    open_program.save()
    client.force_login(manager)
    client.post(decide_url(pending), {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == "approved"
    assert Notification.objects.filter(recipient=pending.person, kind="application_decided").exists()


def test_the_manager_declines_with_a_reason_the_applicant_sees(
    client, open_program, pending, manager, employee
):
    client.force_login(manager)
    client.post(decide_url(pending), {"decision": "decline", "reason": "Busy quarter"})
    pending.refresh_from_db()
    assert (pending.manager_approval, pending.status) == (M.DECLINED, "declined")
    assert "Busy quarter" in pending.reason
    assert pending.status_changes.last().why.endswith("Busy quarter")
    client.force_login(employee)
    assert "Your manager declined: Busy quarter" in page(client, open_program.get_absolute_url())


def test_declining_without_a_reason_is_refused(client, pending, manager):
    client.force_login(manager)
    response = client.post(decide_url(pending), {"decision": "decline", "reason": " "}, follow=True)
    assert "Say why you decline" in response.content.decode()
    pending.refresh_from_db()
    assert pending.manager_approval == M.PENDING


def test_a_bad_decision_is_refused(client, pending, manager):
    client.force_login(manager)
    response = client.post(decide_url(pending), {"decision": "maybe"}, follow=True)
    assert "Select a valid choice." in response.content.decode()
    pending.refresh_from_db()
    assert pending.manager_approval == M.PENDING


@pytest.mark.parametrize("persona", ["hr_admin", "coordinator", "sponsor", "mentor"])
def test_only_the_direct_manager_decides(client, pending, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(decide_url(pending), {"decision": "approve"}).status_code == 404
    assert pending.person.full_name not in page(client, reverse("programs:manager_approvals"))
    pending.refresh_from_db()
    assert pending.manager_approval == M.PENDING


def test_the_managers_own_manager_does_not_decide(client, pending, manager):
    boss = make_persona("boss@example.com", department=manager.person.department, level=9)
    manager.person.manager = boss.person
    manager.person.save()
    client.force_login(boss)
    assert client.post(decide_url(pending), {"decision": "approve"}).status_code == 404


def test_a_decided_application_cannot_be_decided_again(client, pending, manager):
    client.force_login(manager)
    client.post(decide_url(pending), {"decision": "approve"})
    assert client.post(decide_url(pending), {"decision": "decline", "reason": "Oops"}).status_code == 404


def test_coordinators_wait_for_the_manager(pending, open_program, coordinator):
    with pytest.raises(ProgramError, match="still waiting for their manager's approval"):
        participants_decide(
            program=open_program, participant_ids=[pending.pk], to="approved", reason="", by=coordinator
        )


def test_someone_without_a_manager_needs_no_manager_approval(client, open_program, mentor):
    client.force_login(mentor)
    apply(client, open_program)
    participant = Participant.objects.get()
    assert participant.manager_approval == M.NOT_REQUIRED
    assert "No current manager on record" in participant.status_changes.get().why
    assert not Notification.objects.filter(kind="manager_approval").exists()


def test_silence_for_the_configured_days_counts_as_approval_once(pending):
    with time_machine.travel(DURING_ENROLLMENT + datetime.timedelta(days=6, hours=23), tick=False):
        assert approve_silent_managers() == 0
    with time_machine.travel(DURING_ENROLLMENT + datetime.timedelta(days=7, minutes=1), tick=False):
        assert approve_silent_managers() == 1
        assert approve_silent_managers() == 0
    pending.refresh_from_db()
    assert (pending.manager_approval, pending.status) == (M.APPROVED_BY_SILENCE, "applied")
    change = ParticipantStatusChange.objects.filter(participant=pending).last()
    assert change.why == "No answer from the manager within 7 days."
    assert change.by is None
    assert Notification.objects.filter(recipient=pending.person, kind="manager_approved").count() == 1


def test_silence_approves_directly_when_the_program_does_not_review(pending, open_program):
    open_program.enrollment_approval = False
    open_program.manager_approval_days = 2
    open_program.save()
    other = ParticipantFactory(program=open_program, manager_approval=M.PENDING)
    with time_machine.travel(DURING_ENROLLMENT + datetime.timedelta(days=3), tick=False):
        assert approve_silent_managers() == 2
    assert set(Participant.objects.values_list("status", flat=True)) == {"approved"}
    assert Notification.objects.filter(kind="application_decided", recipient=other.person).exists()


def test_the_manager_page_needs_a_person(client, outsider):
    assert client.get(reverse("programs:manager_approvals")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("programs:manager_approvals")).status_code == 403


def test_the_manager_page_runs_a_bounded_number_of_queries(
    client, open_program, manager, django_assert_max_num_queries
):
    for _ in range(30):
        ParticipantFactory(program=open_program, person__manager=manager.person, manager_approval=M.PENDING)
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        content = page(client, reverse("programs:manager_approvals"))
    assert content.count("Approve</button>") == 30
