"""The coordinators' health board of a program: pairs at risk with their reasons, nudge both, mark a risk
handled, end and re-match; for the program's coordinators and HR admins only."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.health import LOW_RATING, NO_SESSION, NOT_A_FIT, OVERDUE_CHECKIN
from feedback.models import HealthAction
from matching.models import Mentorship
from notifications.models import Notification
from programs.factories import ParticipantFactory
from programs.models import Participant
from tests.feedback.test_health_rules import checkin, held, rated, started
from tests.fixtures.programs import FIXED_TODAY

pytestmark = pytest.mark.django_db


def board_url(program) -> str:
    return reverse("feedback:health_board", args=[program.slug])


def action_url(name: str, pair: Mentorship) -> str:
    return reverse(f"feedback:health_{name}", args=[pair.program.slug, pair.pk])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def overdue(pair: Mentorship) -> Mentorship:
    """A pair that stopped meeting: started 60 days ago, last session 45 days ago."""
    started(pair, 60)
    held(pair, 45)
    return pair


def test_the_coordinator_sees_an_overdue_pair_with_its_reasons_and_actions(client, coordinator, pair):
    overdue(pair)
    rated(held(pair, 44), pair.mentee, 2)
    checkin(pair, pair.mentor, due_in=-4)
    client.force_login(coordinator)
    response = client.get(board_url(pair.program))
    assert response.status_code == 200
    text = response.content.decode()
    assert "1</strong> active pair, <strong>1</strong> at risk" in text
    assert "No session for 44 days; the cadence is 14 days." in text
    assert "Sessions are rated 2.0 out of 5 on average (1 rating)." in text
    assert "is 4 days late." in text
    assert reverse("feedback:pair_detail", args=[pair.pk]) in text
    for name in ("nudge", "handled", "end"):
        assert action_url(name, pair) in text
    assert 'aria-current="page" href="' + board_url(pair.program) in text  # the "Pair health" tab


def test_a_healthy_program_says_so(client, coordinator, pair):
    held(pair, 3)
    client.force_login(coordinator)
    text = client.get(board_url(pair.program)).content.decode()
    assert "No pair is at risk" in text
    assert action_url("nudge", pair) not in text


def test_an_hr_admin_sees_the_board_too(client, hr_admin, pair):
    overdue(pair)
    client.force_login(hr_admin)
    response = client.get(board_url(pair.program))
    assert response.status_code == 200 and b"No session for 45 days" in response.content


@pytest.mark.parametrize(
    "persona", ["mentor", "mentee", "employee", "outsider", "other_coordinator", "sponsor"]
)
def test_nobody_else_finds_the_board_or_its_actions(client, request, persona, pair, other_program):
    overdue(pair)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(board_url(pair.program)).status_code == 404
    assert client.get(reverse("feedback:health_mentors", args=[pair.program.slug])).status_code == 404
    for name in ("nudge", "handled", "end"):
        assert client.post(action_url(name, pair), {"risk": NO_SESSION, "category": "fit"}).status_code == 404
    assert not HealthAction.objects.exists()
    assert Mentorship.objects.get(pk=pair.pk).status == Mentorship.Status.ACTIVE


def test_signed_out_visitors_are_sent_to_sign_in(client, pair):
    response = client.get(board_url(pair.program))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_a_pair_of_another_program_is_not_found_through_this_programs_board(
    client, other_coordinator, pair, other_program
):
    other_program.coordinators.add(*pair.program.coordinators.all())
    client.force_login(other_coordinator)
    url = reverse("feedback:health_nudge", args=[other_program.slug, pair.pk])
    assert client.post(url).status_code == 404
    assert not HealthAction.objects.exists()


# --- Nudge both ---------------------------------------------------------------------------------------------


def test_nudging_tells_both_members_at_most_once_a_day(client, coordinator, pair):
    overdue(pair)
    client.force_login(coordinator)
    response = client.post(action_url("nudge", pair), {"page": "1"}, follow=True)
    assert "were nudged to meet" in messages_of(response)
    nudges = list(Notification.objects.filter(kind="pair_nudge"))
    assert {n.recipient_id for n in nudges} == {pair.mentor.person_id, pair.mentee.person_id}
    assert all(n.url == reverse("feedback:pair_detail", args=[pair.pk]) for n in nudges)
    assert all(n.key == f"pair:{pair.pk}:{timezone.localdate().isoformat()}" for n in nudges)
    # Nothing confidential travels in a nudge: no rating, no fit, no check-in answer.
    assert all(
        "rated" not in n.body and "good fit" not in n.body and "check-in" not in n.body for n in nudges
    )
    action = HealthAction.objects.get()
    assert (action.kind, action.by) == (HealthAction.Kind.NUDGE, coordinator)

    again = client.post(action_url("nudge", pair), follow=True)
    assert "already nudged today" in messages_of(again)
    assert (
        "Nudged today" in again.content.decode() and action_url("nudge", pair) not in again.content.decode()
    )
    assert HealthAction.objects.count() == 1 and Notification.objects.filter(kind="pair_nudge").count() == 2

    with time_machine.travel(FIXED_TODAY + datetime.timedelta(days=1), tick=True):
        client.force_login(coordinator)  # a new day, a new sign-in
        assert "Last nudged <time" in client.get(board_url(pair.program)).content.decode()
        client.post(action_url("nudge", pair))
        page = client.get(board_url(pair.program)).content.decode()
    assert HealthAction.objects.filter(kind=HealthAction.Kind.NUDGE).count() == 2
    assert Notification.objects.filter(kind="pair_nudge").count() == 4
    assert "Nudged today" in page


def test_an_ended_pair_cannot_be_nudged(client, coordinator, pair):
    Mentorship.objects.filter(pk=pair.pk).update(
        status=Mentorship.Status.COMPLETED, ended_on=timezone.localdate()
    )
    client.force_login(coordinator)
    response = client.post(action_url("nudge", pair), follow=True)
    assert "This pair is completed, not active." in messages_of(response)
    assert not HealthAction.objects.exists() and not Notification.objects.filter(kind="pair_nudge").exists()


# --- Mark handled -------------------------------------------------------------------------------------------


def test_a_risk_marked_handled_leaves_the_board_with_the_note_recorded(client, coordinator, pair):
    overdue(pair)
    client.force_login(coordinator)
    response = client.post(
        action_url("handled", pair), {"risk": NO_SESSION, "note": "They meet next week.", "page": "1"}
    )
    assert response.status_code == 302 and response.url == board_url(pair.program) + "?page=1"
    action = HealthAction.objects.get()
    assert (action.kind, action.risk, action.note, action.by) == (
        HealthAction.Kind.HANDLED,
        NO_SESSION,
        "They meet next week.",
        coordinator,
    )
    page = client.get(board_url(pair.program))
    assert "is marked handled" in messages_of(page)
    assert "No pair is at risk" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"risk": "bored"}, "Choose which risk was handled from the list."),
        ({}, "Choose which risk was handled."),
        (
            {"risk": LOW_RATING},
            "This pair shows no “low ratings” risk now, so there is nothing to mark handled.",
        ),
        ({"risk": NO_SESSION, "note": "x" * 2001}, "Keep the note to at most 2000 characters."),
    ],
)
def test_marking_handled_refuses_bad_input_and_saves_nothing(client, coordinator, pair, data, message):
    overdue(pair)
    client.force_login(coordinator)
    response = client.post(action_url("handled", pair), data, follow=True)
    assert message in messages_of(response)
    assert not HealthAction.objects.exists()


def test_a_member_cannot_mark_their_own_pairs_risk_handled(client, mentor, pair, running_program):
    overdue(pair)
    running_program.coordinators.add(mentor.person)  # a coordinator who mentors in the program
    client.force_login(mentor)
    assert client.post(action_url("handled", pair), {"risk": NO_SESSION}).status_code == 403
    assert not HealthAction.objects.exists()


# --- End and re-match ---------------------------------------------------------------------------------------


def test_ending_a_pair_from_the_board_offers_its_mentee_a_one_click_rematch(
    client, coordinator, pair, running_program, approved
):
    rated(held(pair, 3), pair.mentee, 2, "not_good")
    free_mentor = approved("mentor", capacity=2)
    client.force_login(coordinator)
    response = client.post(action_url("end", pair), {"category": "fit", "note": "Mismatch on goals."})
    assert response.status_code == 302 and response.url.endswith("#rematch-heading")
    ended = Mentorship.objects.get(pk=pair.pk)
    assert (ended.status, ended.end_category) == (Mentorship.Status.ENDED_EARLY, "fit")
    assert HealthAction.objects.get().kind == HealthAction.Kind.ENDED
    page = client.get(response.url)
    text = page.content.decode()
    assert f"Re-match {pair.mentee.person.full_name} below." in messages_of(page)
    rematch = reverse("matching:mentee_rematch", args=[running_program.slug, pair.mentee.pk])
    assert rematch in text and f'name="next" value="{board_url(running_program)}"' in text
    assert action_url("nudge", pair) not in text and "has no active pair" in text

    done = client.post(rematch, {"next": board_url(running_program)})
    assert done.status_code == 302 and done.url == board_url(running_program)
    new = Mentorship.objects.current().get(mentee=pair.mentee)
    assert new.mentor == free_mentor and new.source == Mentorship.Source.REMATCH
    after = client.get(board_url(running_program)).content.decode()
    assert rematch not in after and "No mentee is waiting for a new mentor" in after


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose why the pair ends."),
        ({"category": "boredom"}, "Choose why the pair ends from the list."),
        ({"category": "fit", "note": "x" * 2001}, "Keep the note to at most 2000 characters."),
    ],
)
def test_ending_refuses_bad_input_and_changes_nothing(client, coordinator, pair, data, message):
    client.force_login(coordinator)
    response = client.post(action_url("end", pair), data, follow=True)
    assert message in messages_of(response)
    assert Mentorship.objects.get(pk=pair.pk).status == Mentorship.Status.ACTIVE
    assert not HealthAction.objects.exists()


def test_an_ended_pair_cannot_be_ended_again(client, coordinator, pair):
    client.force_login(coordinator)
    client.post(action_url("end", pair), {"category": "schedule"})
    response = client.post(action_url("end", pair), {"category": "fit"}, follow=True)
    assert "This pair is already ended early." in messages_of(response)
    assert Mentorship.objects.get(pk=pair.pk).end_category == "schedule"


# --- Pages and queries --------------------------------------------------------------------------------------


def _troubled_pairs(program, count: int) -> None:
    """``count`` active pairs, each with every kind of risk."""
    for _ in range(count):
        mentor = ParticipantFactory(program=program, role="mentor", status=Participant.Status.APPROVED)
        mentee = ParticipantFactory(program=program, role="mentee", status=Participant.Status.APPROVED)
        pair = Mentorship.objects.create(
            program=program,
            mentor=mentor,
            mentee=mentee,
            status=Mentorship.Status.ACTIVE,
            started_on=timezone.localdate() - datetime.timedelta(days=90),
        )
        session = held(pair, 40)
        rated(session, mentee, 1, "not_good")
        rated(session, mentor, 2)
        checkin(pair, mentee, due_in=-2)
        checkin(pair, mentor, due_in=5, submitted=True, wants_help=True)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_board_runs_the_same_number_of_queries_for_5_and_60_pairs(client, coordinator, running_program):
    client.force_login(coordinator)
    _troubled_pairs(running_program, 5)
    few = _queries(client, board_url(running_program))
    _troubled_pairs(running_program, 55)
    response = client.get(board_url(running_program))
    assert "60</strong> active pairs, <strong>60</strong> at risk" in response.content.decode()
    assert "Page 1 of 3" in response.content.decode()
    many = _queries(client, board_url(running_program))
    assert many == few, (few, many)
    assert _queries(client, board_url(running_program) + "?page=3") == few


def test_the_board_pages_the_pairs_at_risk(client, coordinator, running_program):
    _troubled_pairs(running_program, 30)
    client.force_login(coordinator)
    first = client.get(board_url(running_program))
    last = client.get(board_url(running_program) + "?page=2")
    assert len(first.context["rows"]) == 25 and len(last.context["rows"]) == 5
    risks = {risk.key for risk in last.context["rows"][0]["risks"]}
    assert {NO_SESSION, LOW_RATING, NOT_A_FIT, OVERDUE_CHECKIN} <= risks


def test_the_program_pages_link_to_the_board(client, coordinator, running_program):
    client.force_login(coordinator)
    overview = client.get(reverse("programs:program_overview", args=[running_program.slug]))
    assert board_url(running_program) in overview.content.decode()
    assert "Pair health" in overview.content.decode()
