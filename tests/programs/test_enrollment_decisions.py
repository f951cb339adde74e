"""HR admins and coordinators decide on applications, in bulk or one by one, all-or-nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Notification
from programs.factories import AnswerFactory, ParticipantFactory, ProgramFactory
from programs.models import Participant, ParticipantStatusChange, Program
from programs.services import ProgramError
from programs.services.enrollment import ALLOWED_TRANSITIONS, DECISIONS, participants_decide
from tests.factories import PersonFactory

from .test_enrollment_support import DURING_ENROLLMENT, page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _during_enrollment():
    with time_machine.travel(DURING_ENROLLMENT, tick=False):
        yield


@pytest.fixture
def applicants(enrolling_program):
    return [
        ParticipantFactory(program=enrolling_program, person__full_name=name, role=role)
        for name, role in [("Ada Stone", "mentee"), ("Ben Okafor", "mentee"), ("Cy Mentor", "mentor")]
    ]


def decide(client, program, participants, decision, reason="", query=""):
    url = reverse("programs:participant_bulk", args=[program.slug])
    return client.post(
        f"{url}?{query}" if query else url,
        {"participants": [p.pk for p in participants], "decision": decision, "reason": reason},
    )


def statuses(participants) -> list[str]:
    return [Participant.objects.get(pk=p.pk).status for p in participants]


def test_a_coordinator_approves_several_applications_at_once(
    client, coordinator, enrolling_program, applicants
):
    client.force_login(coordinator)
    response = decide(
        client, enrolling_program, applicants[:2], "approved", query="role=mentee&status=applied"
    )

    assert response.status_code == 302
    assert response.url == reverse("programs:participant_list", args=[enrolling_program.slug]) + (
        "?role=mentee&status=applied"
    )
    assert statuses(applicants) == ["approved", "approved", "applied"]
    assert ParticipantStatusChange.objects.filter(to_status="approved", by=coordinator).count() == 2
    keys = set(Notification.objects.filter(kind="application_decided").values_list("key", flat=True))
    assert keys == {f"participant:{p.pk}:approved" for p in applicants[:2]}
    followed = page(client, response.url)
    assert "2 people approved; each was notified." in followed


def test_declining_and_waitlisting_need_a_reason_the_applicant_sees(
    client, hr_admin, enrolling_program, applicants
):
    client.force_login(hr_admin)
    response = decide(client, enrolling_program, applicants[:1], "declined")
    assert response.status_code == 200
    assert "Say why the applications are declined" in response.content.decode()
    assert statuses(applicants[:1]) == ["applied"]

    decide(client, enrolling_program, applicants[:1], "waitlisted", reason="Too many mentees this round")
    participant = Participant.objects.get(pk=applicants[0].pk)
    assert (participant.status, participant.reason) == ("waitlisted", "Too many mentees this round")
    notification = Notification.objects.get(kind="application_decided")
    assert "Too many mentees this round" in notification.body


def test_a_crafted_id_from_another_program_refuses_the_whole_batch(
    client, coordinator, enrolling_program, other_program, applicants
):
    foreign = ParticipantFactory(program=other_program)
    client.force_login(coordinator)
    response = decide(client, enrolling_program, [applicants[0], foreign], "approved")
    assert (
        "Some of the chosen people are not in this program. Nothing was changed." in response.content.decode()
    )
    assert statuses([applicants[0], foreign]) == ["applied", "applied"]
    assert not ParticipantStatusChange.objects.exists()


def test_ids_that_are_not_numbers_are_refused(client, coordinator, enrolling_program, applicants):
    client.force_login(coordinator)
    url = reverse("programs:participant_bulk", args=[enrolling_program.slug])
    response = client.post(url, {"participants": ["1; DROP"], "decision": "approved"})
    assert "Choose people from the list." in response.content.decode()
    assert statuses(applicants) == ["applied"] * 3


def test_an_illegal_transition_refuses_the_batch_and_names_the_offender(
    client, coordinator, enrolling_program, applicants
):
    Participant.objects.filter(pk=applicants[1].pk).update(status="withdrawn")
    client.force_login(coordinator)
    response = decide(client, enrolling_program, applicants, "approved")
    content = response.content.decode()
    assert "Nothing was changed:" in content
    assert "Ben Okafor (mentee) is withdrawn and cannot be approved." in content
    assert statuses(applicants) == ["applied", "withdrawn", "applied"]
    # The selection is kept, so the coordinator can untick the offender and try again.
    assert f'value="{applicants[0].pk}" id="pick-{applicants[0].pk}" checked' in content


def test_approved_people_go_back_to_the_waiting_list_only_before_matching(
    coordinator, enrolling_program, applicants
):
    participants_decide(
        program=enrolling_program, participant_ids=[applicants[0].pk], to="approved", reason="", by=None
    )
    participants_decide(
        program=enrolling_program, participant_ids=[applicants[0].pk], to="waitlisted", reason="Cap", by=None
    )
    participants_decide(
        program=enrolling_program, participant_ids=[applicants[0].pk], to="approved", reason="", by=None
    )
    enrolling_program.status = Program.Status.MATCHING
    enrolling_program.save()
    with pytest.raises(ProgramError, match="cannot go back to the waiting list once enrollment has ended"):
        participants_decide(
            program=enrolling_program,
            participant_ids=[applicants[0].pk],
            to="waitlisted",
            reason="Cap",
            by=None,
        )
    assert statuses(applicants[:1]) == ["approved"]


@pytest.mark.parametrize("current", list(Participant.Status.values))
@pytest.mark.parametrize("target", DECISIONS)
def test_only_allowed_decisions_happen(enrolling_program, current, target):
    participant = ParticipantFactory(program=enrolling_program, status=current)
    if target in ALLOWED_TRANSITIONS[current] and target != current:
        participants_decide(
            program=enrolling_program, participant_ids=[participant.pk], to=target, reason="R", by=None
        )
        assert statuses([participant]) == [target]
    else:
        with pytest.raises(ProgramError):
            participants_decide(
                program=enrolling_program, participant_ids=[participant.pk], to=target, reason="R", by=None
            )
        assert statuses([participant]) == [current]


def test_a_closed_program_takes_no_decisions(enrolling_program, applicants):
    enrolling_program.status = Program.Status.CLOSED
    enrolling_program.save()
    with pytest.raises(ProgramError, match="this one is closed"):
        participants_decide(
            program=enrolling_program, participant_ids=[applicants[0].pk], to="approved", reason="", by=None
        )


def test_an_unknown_decision_is_refused(client, coordinator, enrolling_program, applicants):
    client.force_login(coordinator)
    response = decide(client, enrolling_program, applicants[:1], "withdrawn")
    assert "Select a valid choice." in response.content.decode()
    assert statuses(applicants[:1]) == ["applied"]


def test_the_list_filters_by_role_status_and_search(client, coordinator, enrolling_program, applicants):
    Participant.objects.filter(pk=applicants[1].pk).update(status="approved")
    client.force_login(coordinator)
    url = reverse("programs:participant_list", args=[enrolling_program.slug])
    content = page(client, f"{url}?role=mentee&status=applied")
    assert "Ada Stone" in content and "Ben Okafor" not in content and "Cy Mentor" not in content
    content = page(client, f"{url}?q=okafor")
    assert "Ben Okafor" in content and "Ada Stone" not in content
    partial = client.get(f"{url}?q=zzz", headers={"HX-Request": "true", "HX-Target": "participant-results"})
    assert "No application matches these filters" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_a_participant_page_shows_their_answers_and_history(
    client, coordinator, enrolling_program, applicants
):
    question = enrolling_program.questions.get()
    AnswerFactory(participant=applicants[0], question=question, value=["Leadership", "Career planning"])
    participants_decide(
        program=enrolling_program,
        participant_ids=[applicants[0].pk],
        to="waitlisted",
        reason="Later",
        by=coordinator,
    )
    client.force_login(coordinator)
    url = reverse("programs:participant_detail", args=[enrolling_program.slug, applicants[0].pk])
    content = page(client, url)
    assert "Which skills do you want to develop?" in content and "Leadership, Career planning" in content
    assert "applied → waitlisted" in content and "Later" in content

    response = client.post(
        reverse("programs:participant_bulk", args=[enrolling_program.slug]),
        {"participants": [applicants[0].pk], "decision": "approved", "return_to": "detail"},
    )
    assert response.status_code == 302 and response.url == url
    assert statuses(applicants[:1]) == ["approved"]


def test_a_refused_decision_on_the_participant_page_says_why(
    client, coordinator, enrolling_program, applicants
):
    client.force_login(coordinator)
    response = client.post(
        reverse("programs:participant_bulk", args=[enrolling_program.slug]),
        {"participants": [applicants[0].pk], "decision": "declined", "return_to": "detail"},
        follow=True,
    )
    assert "Say why the applications are declined" in response.content.decode()
    assert statuses(applicants[:1]) == ["applied"]


def test_a_participant_of_another_program_has_no_page_here(
    client, coordinator, enrolling_program, other_program
):
    foreign = ParticipantFactory(program=other_program)
    client.force_login(coordinator)
    url = reverse("programs:participant_detail", args=[enrolling_program.slug, foreign.pk])
    assert client.get(url).status_code == 404


MANAGE_PAGES = ["programs:participant_list", "programs:participant_detail"]
MANAGE_POSTS = ["programs:participant_bulk", "programs:participant_invite"]


def _manage_url(name, program, participant):
    args = [program.slug, participant.pk] if name == "programs:participant_detail" else [program.slug]
    return reverse(name, args=args)


@pytest.mark.parametrize("name", MANAGE_PAGES + MANAGE_POSTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, enrolling_program, applicants, name):
    response = client.get(_manage_url(name, enrolling_program, applicants[0]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["outsider", "employee", "mentee", "other_coordinator", "sponsor"])
@pytest.mark.parametrize("name", MANAGE_PAGES + MANAGE_POSTS)
def test_only_hr_admins_and_its_coordinators_manage_applications(
    client, enrolling_program, applicants, persona, name, request
):
    user = request.getfixturevalue(persona)
    if persona == "mentee":
        ParticipantFactory(program=enrolling_program, person=user.person)
    client.force_login(user)
    url = _manage_url(name, enrolling_program, applicants[0])
    if name in MANAGE_POSTS:
        data = {
            "participants": [applicants[0].pk],
            "decision": "approved",
            "source": "paste",
            "paste-role": "mentee",
        }
        assert client.post(url, data).status_code == 404
    else:
        assert client.get(url).status_code == 404
    assert statuses(applicants) == ["applied"] * 3


@pytest.mark.parametrize("persona", ["coordinator", "hr_admin"])
@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_hr_admins_and_coordinators_open_the_pages(
    client, enrolling_program, applicants, persona, name, request
):
    client.force_login(request.getfixturevalue(persona))
    assert "Ada Stone" in page(client, _manage_url(name, enrolling_program, applicants[0]))


def test_the_list_runs_a_bounded_number_of_queries_with_200_participants(
    client, coordinator, enrolling_program, django_assert_max_num_queries
):
    for n in range(200):
        ParticipantFactory(
            program=enrolling_program,
            role="mentor" if n % 4 == 0 else "mentee",
            status=Participant.Status.values[n % 5],
        )
    client.force_login(coordinator)
    url = reverse("programs:participant_list", args=[enrolling_program.slug])
    with django_assert_max_num_queries(16):
        content = page(client, url)
    assert "200 applications, page 1 of 2" in content
    with django_assert_max_num_queries(16):
        page(client, f"{url}?page=2&invite_q=a")


def test_a_bulk_decision_over_many_people_is_one_batch(client, coordinator):
    program = ProgramFactory(status=Program.Status.ENROLLING)
    program.coordinators.set([coordinator.person])
    people = [ParticipantFactory(program=program, person=PersonFactory()) for _ in range(50)]
    client.force_login(coordinator)
    decide(client, program, people, "approved")
    assert set(statuses(people)) == {"approved"}
    assert Notification.objects.filter(kind="application_decided").count() == 50
