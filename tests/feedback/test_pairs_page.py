"""The pair page and the "Your pairs" list: who sees them and in which capacity, what the header says, the
switcher between a mentor's pairs, ending a pair early from the page, and a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Agreement, Goal, GoalComment, GoalStatusChange, HealthAction, Milestone, Session
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create, mentorship_transition
from notifications.models import Notification
from programs.factories import ParticipantFactory
from programs.models import Program
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def page_url(pair: Mentorship) -> str:
    return reverse("feedback:pair_detail", args=[pair.pk])


def end_url(pair: Mentorship) -> str:
    return reverse("feedback:pair_end", args=[pair.pk])


def test_the_mentor_sees_the_mentee_with_title_department_and_email_and_the_facts(
    client, pair, mentor, mentee
):
    mentee.person.title = "Staff nurse"
    mentee.person.save(update_fields=["title"])
    client.force_login(mentor)
    page = client.get(page_url(pair))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"You mentor {mentee.person.full_name}" in html
    for shown in ("Staff nurse", mentee.person.department.name, mentee.person.email, "Career mentoring"):
        assert shown in html
    assert pair.started_on.strftime("%-d %b %Y") in html
    assert "Every 14 days" in html and "the program's cadence" in html
    assert "None scheduled" in html and "None held yet" in html and "No goals set yet" in html
    assert 'id="agreement"' in html and 'aria-labelledby="agreement-heading"' in html
    assert 'id="goals"' in html
    assert "End this pair" in html
    assert "read-only" not in html


def test_the_mentee_sees_the_mentor(client, pair, mentor, mentee):
    client.force_login(mentee)
    html = client.get(page_url(pair)).content.decode()
    assert f"{mentor.person.full_name} mentors you" in html and mentor.person.email in html
    assert "Write the agreement" in html and "Set a goal" in html


def test_the_header_shows_the_agreed_cadence_the_next_and_last_sessions_and_goal_progress(
    client, pair, mentor
):
    Agreement.objects.create(mentorship=pair, expectations="Come prepared.", cadence_days=21)
    now = timezone.now()
    upcoming = Session.objects.create(
        mentorship=pair, starts_at=now + datetime.timedelta(days=3), duration_minutes=45, format="video"
    )
    Session.objects.create(
        mentorship=pair, starts_at=now + datetime.timedelta(days=30), duration_minutes=45, format="video"
    )
    held = Session.objects.create(
        mentorship=pair,
        starts_at=now - datetime.timedelta(days=5),
        duration_minutes=60,
        format="phone",
        status=Session.Status.HELD,
        logged_at=now,
    )
    goal = Goal.objects.create(mentorship=pair, title="Lead a ward round")
    Goal.objects.create(mentorship=pair, title="Publish", status=Goal.Status.ACHIEVED)
    Goal.objects.create(mentorship=pair, title="Dropped one", status=Goal.Status.DROPPED)
    Milestone.objects.create(goal=goal, title="Shadow", done_on=timezone.localdate())
    Milestone.objects.create(goal=goal, title="Co-lead")
    Milestone.objects.create(goal=goal, title="Lead")
    client.force_login(mentor)
    html = client.get(page_url(pair)).content.decode()
    assert "Every 21 days" in html and "as agreed" in html
    assert timezone.localtime(upcoming.starts_at).strftime("%-d %b %Y, %H:%M") in html
    assert timezone.localtime(held.starts_at).strftime("%-d %b %Y, %H:%M") in html
    assert "1 of 2 goals achieved; 1 of 3 milestones done (33%)" in html


def test_coordinators_and_hr_admins_read_the_page_without_write_forms(client, pair, coordinator, hr_admin):
    Agreement.objects.create(mentorship=pair, expectations="Come prepared.")
    goal = Goal.objects.create(mentorship=pair, title="Lead a ward round")
    Milestone.objects.create(goal=goal, title="Shadow")
    for viewer in (coordinator, hr_admin):
        client.force_login(viewer)
        page = client.get(page_url(pair))
        assert page.status_code == 200
        html = page.content.decode()
        assert "read-only" in html
        assert pair.mentor.person.full_name in html and pair.mentee.person.full_name in html
        assert "Come prepared." in html and "Lead a ward round" in html and "Shadow" in html
        for form in (
            "Save the agreement",
            "I confirm this agreement",
            "Set a goal",
            "Mark done",
            "Post comment",
        ):
            assert form not in html
        assert "End the pair" in html  # coordinators may end a current pair


def test_outsiders_and_other_programs_coordinators_get_404(
    client, pair, employee, other_coordinator, other_program, outsider
):
    for viewer in (employee, other_coordinator, outsider):
        client.force_login(viewer)
        assert client.get(page_url(pair)).status_code == 404
        assert client.post(end_url(pair), {"category": "schedule"}).status_code == 404
    client.force_login(employee)
    assert client.get(reverse("feedback:pair_detail", args=[987654])).status_code == 404
    client.logout()
    assert client.get(page_url(pair)).status_code == 302
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE


def test_a_mentor_with_several_mentees_switches_between_them(client, pair, mentor, approved, other_program):
    second = mentorship_create(mentor=pair.mentor, mentee=approved("mentee"), by=None, source="manual")
    ended = mentorship_create(mentor=pair.mentor, mentee=approved("mentee"), by=None, source="manual")
    mentorship_transition(mentorship=ended, to=Mentorship.Status.ENDED_EARLY, by=None, why="Schedules.")
    other_program.status = Program.Status.RUNNING
    other_program.save(update_fields=["status"])
    elsewhere = mentorship_create(
        mentor=ParticipantFactory(
            program=other_program, person=mentor.person, role="mentor", status="approved"
        ),
        mentee=ParticipantFactory(program=other_program, role="mentee", status="approved"),
        by=None,
        source="manual",
    )
    client.force_login(mentor)
    html = client.get(page_url(pair)).content.decode()
    switcher = html[html.index('<nav aria-label="Your pairs"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert page_url(second) in switcher and second.mentee.person.full_name in switcher
    assert page_url(elsewhere) in switcher and "Other program" in switcher
    assert page_url(ended) not in switcher
    assert 'aria-current="page"' in switcher


def test_someone_with_a_single_pair_sees_no_switcher(client, pair, mentee):
    client.force_login(mentee)
    assert '<nav aria-label="Your pairs"' not in client.get(page_url(pair)).content.decode()


def test_the_pairs_list_shows_current_then_past_pairs_linking_to_their_pages(
    client, pair, mentor, approved, employee, outsider
):
    past = mentorship_create(mentor=pair.mentor, mentee=approved("mentee"), by=None, source="manual")
    mentorship_transition(mentorship=past, to=Mentorship.Status.COMPLETED, by=None, why="Program over.")
    someone_else = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual"
    )
    url = reverse("feedback:pair_list")
    client.force_login(mentor)
    html = client.get(url).content.decode()
    assert html.index(page_url(pair)) < html.index("Past pairs") < html.index(page_url(past))
    assert someone_else.mentee.person.full_name not in html and page_url(someone_else) not in html
    client.force_login(employee)
    assert "You are not in a pair yet." in client.get(url).content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_the_navigation_and_the_home_panel_lead_to_the_pairs_pages(client, pair, mentee):
    client.force_login(mentee)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("feedback:pair_list")}"' in home
    assert f'href="{page_url(pair)}"' in home


def test_a_mentee_ends_the_pair_early_and_is_shown_how_to_get_a_new_mentor(client, pair, mentor, mentee):
    client.force_login(mentee)
    ended = client.post(
        end_url(pair), {"category": "schedule", "note": "Our shifts never match."}, follow=True
    )
    html = ended.content.decode()
    assert "Your pair has ended" in html and "coordinators will pair you with a new mentor" in html
    pair.refresh_from_db()
    assert (pair.status, pair.end_category) == (Mentorship.Status.ENDED_EARLY, "schedule")
    assert "Your next mentor" in html and "read-only" in html
    assert "Could not find time" not in html and "Our shifts never match." not in html
    assert "End the pair" not in html
    assert Notification.objects.filter(recipient=mentor.person, kind="pair_ended").exists()


def test_in_a_mentee_choice_program_the_mentee_is_sent_to_choose_again(client, pair, mentee):
    Program.objects.filter(pk=pair.program_id).update(matching_mode=Program.MatchingMode.MENTEE_CHOICE)
    client.force_login(mentee)
    html = client.post(end_url(pair), {"category": "fit"}, follow=True).content.decode()
    assert reverse("matching:choose", args=[pair.program.slug]) in html
    assert "Choose a new mentor" in html


def test_the_reason_category_is_shown_to_coordinators_only(client, pair, mentor, mentee, coordinator):
    client.force_login(mentor)
    response = client.post(end_url(pair), {"category": "role_change", "note": "I move to Oslo."}, follow=True)
    assert "Your pair has ended" in response.content.decode()
    for member in (mentor, mentee):
        client.force_login(member)
        html = client.get(page_url(pair)).content.decode()
        assert "Ended early" in html
        assert "A change of role or team" not in html and "I move to Oslo." not in html
    client.force_login(coordinator)
    html = client.get(page_url(pair)).content.decode()
    assert "A change of role or team" in html and "I move to Oslo." in html
    assert reverse("matching:run_list", args=[pair.program.slug]) in html


def test_a_coordinator_ends_a_pair_from_the_page(client, pair, coordinator):
    client.force_login(coordinator)
    response = client.post(end_url(pair), {"category": "fit", "note": "Both asked."}, follow=True)
    assert "The pair has ended; both were told." in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ENDED_EARLY
    assert HealthAction.objects.filter(mentorship=pair, kind=HealthAction.Kind.ENDED).exists()


def test_ending_without_a_reason_or_twice_is_refused_with_a_message(client, pair, mentee):
    client.force_login(mentee)
    html = client.post(end_url(pair), {"category": "tired-of-it"}).content.decode()
    assert "The pair was not ended" in html
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE
    client.post(end_url(pair), {"category": "other"})
    again = client.post(end_url(pair), {"category": "other"}).content.decode()
    assert "This pair is already ended early." in again
    assert pair.status_changes.filter(to_status=Mentorship.Status.ENDED_EARLY).count() == 1


def _history(pair: Mentorship, goals: int, milestones_each: int, comments_each: int) -> None:
    author = pair.mentee.person.user
    for n in range(goals):
        goal = Goal.objects.create(mentorship=pair, title=f"Goal {n}", created_by=author)
        GoalStatusChange.objects.create(goal=goal, from_status="", to_status="open", by=author)
        for m in range(milestones_each):
            Milestone.objects.create(goal=goal, title=f"Step {m}", order=m, done_on=timezone.localdate())
        for c in range(comments_each):
            GoalComment.objects.create(goal=goal, author=author, body=f"Comment {c}")


@pytest.mark.parametrize("viewer", ["mentor", "coordinator"])
def test_the_page_takes_the_same_number_of_queries_with_2_and_30_goals(
    client, pair, viewer, request, django_assert_max_num_queries
):
    Agreement.objects.create(
        mentorship=pair, expectations="Come prepared.", mentor_confirmed_at=timezone.now()
    )
    client.force_login(request.getfixturevalue(viewer))
    _history(pair, goals=2, milestones_each=2, comments_each=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(pair)).status_code == 200
    _history(pair, goals=28, milestones_each=30, comments_each=3)
    now = timezone.now()
    for day in range(30):
        Session.objects.create(
            mentorship=pair,
            starts_at=now - datetime.timedelta(days=day + 1),
            duration_minutes=30,
            format="video",
            status=Session.Status.HELD,
            logged_at=now,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(page_url(pair))
    assert page.content.decode().count('<article id="goal-') == 30


def test_the_list_takes_a_bounded_number_of_queries(
    client, pair, mentor, approved, django_assert_max_num_queries
):
    client.force_login(mentor)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("feedback:pair_list"))
    for _ in range(2):
        mentorship_create(
            mentor=pair.mentor, mentee=approved("mentee", person=PersonFactory()), by=None, source="manual"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("feedback:pair_list")).status_code == 200
