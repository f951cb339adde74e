"""The home page for mentors and mentees (what comes next in each pair) and for coordinators (pairs at risk
in each program they run)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.home import current_pairs_of
from feedback.models import Goal
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create, mentorship_transition
from programs.factories import ProgramFactory
from programs.models import Program
from tests.feedback.test_health_rules import checkin, held, rated, scheduled, started

pytestmark = pytest.mark.django_db


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def goal(pair: Mentorship, status: str = Goal.Status.OPEN) -> Goal:
    return Goal.objects.create(mentorship=pair, title=f"Goal {Goal.objects.count() + 1}", status=status)


def test_a_mentee_sees_what_comes_next_in_their_pair(client, mentee, pair):
    soon = scheduled(pair, 2)
    scheduled(pair, 9)
    recent, older = held(pair, 3), held(pair, 10)
    rated(older, pair.mentee, 4)  # already rated: not pending
    rated(recent, pair.mentor, 5)  # the partner's feedback does not count
    held(pair, 70)  # too old to ask about
    due = checkin(pair, pair.mentee, due_in=6)
    checkin(pair, pair.mentor, due_in=6)  # the partner's check-in is not theirs to answer
    goal(pair, Goal.Status.ACHIEVED)
    goal(pair)
    goal(pair, Goal.Status.DROPPED)
    client.force_login(mentee)
    text = home(client)
    assert "Your pairs: what comes next" in text
    assert f"With your mentor {pair.mentor.person.full_name}" in text
    local = timezone.localtime(soon.starts_at)
    assert f'<time datetime="{local.isoformat()}">' in text
    assert "1 session waiting for your feedback" in text
    assert "A check-in to answer" in text
    assert f'<time datetime="{due.due_on.isoformat()}">' in text
    assert "1 of 2 achieved" in text and 'aria-valuenow="50"' in text
    assert reverse("programs:playbook", args=[pair.program.slug]) in text
    assert reverse("feedback:pair_detail", args=[pair.pk]) in text


def test_the_annotations_point_at_the_right_rows(mentee, mentor, pair):
    soon = scheduled(pair, 2)
    first, second = held(pair, 20), held(pair, 3)
    rated(second, pair.mentor, 3)
    due = checkin(pair, pair.mentor, due_in=1, period_days_ago=10)
    checkin(pair, pair.mentor, due_in=20, period_days_ago=5)
    as_mentee = current_pairs_of(mentee.person).get()
    assert (as_mentee.next_session_pk, as_mentee.pending_feedback, as_mentee.pending_session_pk) == (
        soon.pk,
        2,
        first.pk,
    )
    assert (as_mentee.due_checkins, as_mentee.due_checkin_pk) == (0, None)
    as_mentor = current_pairs_of(mentor.person).get()
    assert (as_mentor.pending_feedback, as_mentor.pending_session_pk) == (1, first.pk)
    assert (as_mentor.due_checkins, as_mentor.due_checkin_pk, as_mentor.due_checkin_on) == (
        2,
        due.pk,
        due.due_on,
    )


def test_a_new_pair_is_invited_to_plan_a_session_and_set_goals(client, mentor, pair):
    client.force_login(mentor)
    text = home(client)
    assert f"With your mentee {pair.mentee.person.full_name}" in text
    assert "none planned." in text and "Plan one" in text
    assert "Set your first goal" in text
    assert "waiting for your feedback" not in text and "to answer" not in text


def test_ended_pairs_and_other_peoples_pairs_are_not_shown(client, mentee, employee, pair):
    client.force_login(employee)
    assert "Your pairs: what comes next" not in home(client)
    mentorship_transition(mentorship=pair, to=Mentorship.Status.COMPLETED, by=None, why="Done.")
    client.force_login(mentee)
    assert "Your pairs: what comes next" not in home(client)


def test_the_panel_costs_the_same_queries_for_one_pair_and_for_four(client, mentor, pair, approved):
    client.force_login(mentor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            home(client)
        return len(captured)

    held(pair, 2)
    one = queries()
    pair.mentor.capacity = 4
    pair.mentor.save(update_fields=["capacity"])
    for _ in range(3):
        other = mentorship_create(
            mentor=pair.mentor, mentee=approved("mentee"), by=None, source=Mentorship.Source.MANUAL
        )
        scheduled(other, 4)
        rated(held(other, 2), other.mentee, 4)
        checkin(other, other.mentor, due_in=3)
        goal(other, Goal.Status.ACHIEVED)
    assert home(client).count("With your mentee") == 4
    assert queries() == one


# --- Coordinators -------------------------------------------------------------------------------------------


def test_a_coordinator_sees_the_pairs_at_risk_in_each_program_with_a_link_to_its_board(
    client, coordinator, pair, approved
):
    started(pair, 60)  # never met: at risk
    calm = mentorship_create(mentor=pair.mentor, mentee=approved("mentee"), by=None, source="manual")
    held(calm, 1)
    client.force_login(coordinator)
    text = home(client)
    assert "Pairs at risk" in text
    assert reverse("feedback:health_board", args=[pair.program.slug]) in text
    assert "1 at risk</span>" in text and "of 2 active" in text


def test_a_program_without_pairs_at_risk_says_so_and_others_are_not_shown(
    client, coordinator, pair, other_program
):
    held(pair, 1)
    client.force_login(coordinator)
    text = home(client)
    assert "none at risk" in text and "of 1 active" in text
    assert reverse("feedback:health_board", args=[other_program.slug]) not in text


def test_people_who_run_no_program_see_no_risk_panel(client, mentor, pair):
    started(pair, 60)
    client.force_login(mentor)
    assert "Pairs at risk" not in home(client)


def test_the_risk_panel_costs_the_same_queries_for_one_program_and_for_five(
    client, hr_admin, pair, approved, department
):
    started(pair, 60)
    client.force_login(hr_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            home(client)
        return len(captured)

    one = queries()
    for n in range(4):
        program = ProgramFactory(status=Program.Status.RUNNING)
        mentor = approved("mentor")
        mentee = approved("mentee")
        mentor.program = mentee.program = program
        mentor.save(update_fields=["program"])
        mentee.save(update_fields=["program"])
        started(mentorship_create(mentor=mentor, mentee=mentee, by=None, source="manual"), 30 + n)
    assert home(client).count("at risk</span>") == 5
    assert queries() == one
