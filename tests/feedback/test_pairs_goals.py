"""Goals and milestones on the pair page: set from scratch or a template, milestones added and done,
progress from milestones, status through allowed transitions only (each recorded), comments by both
members; crafted requests refused with a message and nothing saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Goal, GoalComment, GoalStatusChange, Milestone
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.goals import (
    GoalInvalid,
    goal_comment_add,
    goal_create,
    goal_progress,
    goal_set_status,
    milestone_add,
    milestone_mark_done,
)
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create, mentorship_transition
from notifications.models import Notification
from programs.models import Resource

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


def page(client, pair: Mentorship) -> str:
    return client.get(url("pair_detail", pair.pk)).content.decode()


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def goal(pair, mentee) -> Goal:
    return goal_create(
        access=get_pair_for_user(mentee, pair.pk),
        data={
            "title": "Lead a ward round",
            "why": "I want to lead.",
            "measure": "Two rounds",
            "target_on": None,
        },
        by=mentee,
    )


def test_a_mentee_sets_a_goal_with_two_milestones_and_completes_one(client, pair, mentee, mentor):
    client.force_login(mentee)
    created = client.post(
        url("goal_create", pair.pk),
        {
            "title": "Lead a ward round",
            "why": "To be ready for a charge nurse role.",
            "measure": "I lead two rounds with my mentor watching.",
            "target_on": in_days(90).isoformat(),
        },
        follow=True,
    )
    html = created.content.decode()
    assert "Goal “Lead a ward round” set." in html
    goal = Goal.objects.get(mentorship=pair)
    assert (goal.status, goal.created_by, goal.target_on) == (Goal.Status.OPEN, mentee, in_days(90))
    assert "No milestones yet" in html

    for title, due in (("Shadow a round", in_days(20)), ("Co-lead a round", in_days(60))):
        client.post(
            url("milestone_add", pair.pk, goal.pk),
            {f"milestone-{goal.pk}-title": title, f"milestone-{goal.pk}-due_on": due.isoformat()},
        )
    first, second = Milestone.objects.filter(goal=goal)
    assert (first.title, first.order, second.title, second.order) == (
        "Shadow a round",
        0,
        "Co-lead a round",
        1,
    )

    done = client.post(
        url("milestone_done", pair.pk, goal.pk, first.pk),
        {"done_on": timezone.localdate().isoformat()},
        follow=True,
    )
    html = done.content.decode()
    assert "“Shadow a round” is done." in html
    assert 'aria-valuenow="50"' in html and "1 of 2 milestones done" in html
    assert "0 of 1 goal achieved; 1 of 2 milestones done (50%)" in html
    first.refresh_from_db()
    assert first.done_on == timezone.localdate()
    assert goal_progress(goal) == 50

    client.force_login(mentor)
    assert 'aria-valuenow="50"' in page(client, pair)

    client.force_login(mentee)
    client.post(url("milestone_undone", pair.pk, goal.pk, first.pk))
    first.refresh_from_db()
    assert first.done_on is None
    assert goal_progress(goal) == 0


def test_a_goal_starts_from_a_program_template(client, pair, mentee):
    template = Resource.objects.create(
        program=pair.program, kind="goal_template", title="A SMART goal", body="**Specific**: what exactly?"
    )
    Resource.objects.create(program=None, kind="goal_template", title="A global template", body="Global.")
    client.force_login(mentee)
    html = page(client, pair)
    assert f"{url('goal_create', pair.pk)}?template={template.pk}" in html
    assert "A global template" not in html  # the program has its own templates
    form = client.get(url("goal_create", pair.pk), {"template": template.pk}).content.decode()
    assert 'value="A SMART goal"' in form and "**Specific**: what exactly?" in form
    client.post(
        url("goal_create", pair.pk), {"title": "Be SMART", "why": "Because.", "template": template.pk}
    )
    assert Goal.objects.get(mentorship=pair).template == template


def test_a_template_of_another_program_or_kind_is_refused(client, pair, mentee, other_program):
    elsewhere = Resource.objects.create(
        program=other_program, kind="goal_template", title="Theirs", body="No."
    )
    guide = Resource.objects.create(program=pair.program, kind="guide", title="A guide", body="No.")
    client.force_login(mentee)
    for template in (elsewhere, guide):
        assert client.get(url("goal_create", pair.pk), {"template": template.pk}).status_code == 404
        assert (
            client.post(url("goal_create", pair.pk), {"title": "X", "template": template.pk}).status_code
            == 404
        )
    with pytest.raises(GoalInvalid):
        goal_create(
            access=get_pair_for_user(mentee, pair.pk), data={"title": "X"}, template=elsewhere, by=mentee
        )
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"title": "Fine", "target_on": "2020-01-01"}, "has passed; choose today or later."),
        ({"title": "Fine", "target_on": "2040-01-01"}, "Choose a target date within five years."),
        ({"title": "Fine", "target_on": "next week"}, "Enter a valid date."),
    ],
)
def test_a_goal_with_bad_input_is_refused_and_nothing_saved(client, pair, mentee, data, message):
    client.force_login(mentee)
    html = client.post(url("goal_create", pair.pk), data).content.decode()
    assert "Nothing was saved." in html and message in html
    assert not Goal.objects.exists()


def test_the_service_checks_goals_as_strictly_as_the_form(pair, mentee):
    access = get_pair_for_user(mentee, pair.pk)
    for data, field in (
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Fine", "target_on": "2027-01-01"}, "target_on"),
        ({"title": "Fine", "target_on": in_days(-1)}, "target_on"),
        ({"title": "Fine", "status": "achieved"}, None),
        ({"title": "Fine", "why": "x" * 4001}, "why"),
    ):
        with pytest.raises(GoalInvalid) as refused:
            goal_create(access=access, data=data, by=mentee)
        assert field in refused.value.errors
    assert not Goal.objects.exists()


def test_a_goal_is_edited_by_either_member(client, pair, goal, mentor):
    client.force_login(mentor)
    client.post(url("goal_edit", pair.pk, goal.pk), {"title": "Lead two ward rounds", "why": "Confidence."})
    goal.refresh_from_db()
    assert (goal.title, goal.why) == ("Lead two ward rounds", "Confidence.")


def test_status_changes_follow_the_allowed_transitions_and_are_recorded(client, pair, goal, mentee, mentor):
    client.force_login(mentee)
    achieved = client.post(
        url("goal_status", pair.pk, goal.pk), {"to": "achieved", "why": "Led two rounds."}, follow=True
    ).content.decode()
    assert "Well done: “Lead a ward round” is achieved." in achieved
    assert 'aria-valuenow="100"' in achieved and "1 of 1 goal achieved" in achieved
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED and goal.closed_at is not None

    refused = client.post(
        url("goal_status", pair.pk, goal.pk), {"to": "dropped"}, follow=True
    ).content.decode()
    assert "A goal that is achieved cannot become dropped; reopen it first." in refused
    again = client.post(url("goal_status", pair.pk, goal.pk), {"to": "achieved"}).content.decode()
    assert "is already achieved" in again
    bogus = client.post(url("goal_status", pair.pk, goal.pk), {"to": "forgotten"}).content.decode()
    assert "Choose open, achieved or dropped." in bogus
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED

    client.force_login(mentor)
    client.post(url("goal_status", pair.pk, goal.pk), {"to": "open", "why": "One more round."})
    client.post(url("goal_status", pair.pk, goal.pk), {"to": "dropped"})
    goal.refresh_from_db()
    assert goal.status == Goal.Status.DROPPED
    history = list(
        GoalStatusChange.objects.filter(goal=goal).values_list("from_status", "to_status", "by", "why")
    )
    assert history == [
        ("", "open", mentee.pk, "Goal set."),
        ("open", "achieved", mentee.pk, "Led two rounds."),
        ("achieved", "open", mentor.pk, "One more round."),
        ("open", "dropped", mentor.pk, ""),
    ]
    html = page(client, pair)
    assert "achieved → open" in html and "One more round." in html


def test_the_service_refuses_a_transition_that_is_not_allowed(pair, goal, mentee):
    access = get_pair_for_user(mentee, pair.pk)
    goal_set_status(access=access, goal=goal, to="dropped", by=mentee)
    with pytest.raises(FeedbackError, match="cannot become achieved"):
        goal_set_status(access=access, goal=goal, to="achieved", by=mentee)
    with pytest.raises(FeedbackError):
        goal_set_status(access=access, goal=goal, to="finished", by=mentee)
    assert GoalStatusChange.objects.filter(goal=goal).count() == 2


def test_milestones_of_a_closed_goal_are_fixed_until_it_is_reopened(client, pair, goal, mentee):
    milestone = Milestone.objects.create(goal=goal, title="Shadow")
    access = get_pair_for_user(mentee, pair.pk)
    goal_set_status(access=access, goal=goal, to="achieved", by=mentee)
    client.force_login(mentee)
    html = client.post(
        url("milestone_add", pair.pk, goal.pk), {f"milestone-{goal.pk}-title": "Late step"}
    ).content.decode()
    assert "reopen it to change its milestones" in html
    client.post(url("milestone_done", pair.pk, goal.pk, milestone.pk), {"done_on": timezone.localdate()})
    assert Milestone.objects.filter(goal=goal).count() == 1
    milestone.refresh_from_db()
    assert milestone.done_on is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"title": "Step", "due_on": "2020-01-01"}, "before the pair started"),
        ({"title": "Step", "due_on": "soon"}, "Enter a valid date."),
    ],
)
def test_a_milestone_with_bad_input_is_refused_and_the_input_kept(client, pair, goal, mentee, data, message):
    client.force_login(mentee)
    posted = {f"milestone-{goal.pk}-{k}": v for k, v in data.items()}
    html = client.post(url("milestone_add", pair.pk, goal.pk), posted).content.decode()
    assert "The milestone was not added" in html and message in html
    assert not Milestone.objects.exists()
    htmx = client.post(
        url("milestone_add", pair.pk, goal.pk), posted, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in htmx and message in htmx


def test_a_milestone_due_after_the_goals_target_is_refused(pair, goal, mentee):
    goal.target_on = in_days(30)
    goal.save(update_fields=["target_on"])
    with pytest.raises(GoalInvalid, match="after the goal's target date"):
        milestone_add(
            access=get_pair_for_user(mentee, pair.pk), goal=goal, title="Late", due_on=in_days(31), by=mentee
        )
    assert not Milestone.objects.exists()


def test_a_milestone_cannot_be_done_in_the_future_or_twice(client, pair, goal, mentee):
    milestone = Milestone.objects.create(goal=goal, title="Shadow")
    client.force_login(mentee)
    future = client.post(
        url("milestone_done", pair.pk, goal.pk, milestone.pk), {"done_on": in_days(1).isoformat()}
    ).content.decode()
    assert "A milestone cannot be done in the future" in future
    milestone.refresh_from_db()
    assert milestone.done_on is None
    before = client.post(
        url("milestone_done", pair.pk, goal.pk, milestone.pk), {"done_on": "2019-05-01"}
    ).content.decode()
    assert "before the pair started" in before
    client.post(
        url("milestone_done", pair.pk, goal.pk, milestone.pk), {"done_on": timezone.localdate().isoformat()}
    )
    twice = client.post(
        url("milestone_done", pair.pk, goal.pk, milestone.pk), {"done_on": timezone.localdate().isoformat()}
    ).content.decode()
    assert "was already marked done on" in twice


def test_a_milestone_of_another_goal_is_refused_with_a_message(client, pair, goal, mentee):
    other_goal = Goal.objects.create(mentorship=pair, title="Another goal")
    theirs = Milestone.objects.create(goal=other_goal, title="Not of this goal")
    client.force_login(mentee)
    html = client.post(
        url("milestone_done", pair.pk, goal.pk, theirs.pk), {"done_on": timezone.localdate().isoformat()}
    ).content.decode()
    assert "That milestone belongs to another goal; nothing was changed." in html
    theirs.refresh_from_db()
    assert theirs.done_on is None
    with pytest.raises(FeedbackError, match="belongs to another goal"):
        milestone_mark_done(
            access=get_pair_for_user(mentee, pair.pk),
            goal=goal,
            milestone=theirs,
            done_on=timezone.localdate(),
            by=mentee,
        )


def test_another_pairs_goal_or_milestone_is_404(client, pair, goal, mentee, approved):
    stranger_pair = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual"
    )
    theirs = Goal.objects.create(mentorship=stranger_pair, title="Their goal")
    their_step = Milestone.objects.create(goal=theirs, title="Their step")
    own_step = Milestone.objects.create(goal=goal, title="Own step")
    client.force_login(mentee)
    today = timezone.localdate().isoformat()
    for target, data in (
        (url("goal_status", pair.pk, theirs.pk), {"to": "dropped"}),
        (url("goal_comment", pair.pk, theirs.pk), {f"comment-{theirs.pk}-body": "Hi"}),
        (url("milestone_add", pair.pk, theirs.pk), {f"milestone-{theirs.pk}-title": "Step"}),
        (url("milestone_done", pair.pk, goal.pk, their_step.pk), {"done_on": today}),
        (url("milestone_done", pair.pk, theirs.pk, own_step.pk), {"done_on": today}),
        (url("goal_edit", pair.pk, theirs.pk), {"title": "Mine now"}),
        # The other pair's own address: the mentee is not part of it.
        (url("goal_status", stranger_pair.pk, theirs.pk), {"to": "dropped"}),
    ):
        assert client.post(target, data).status_code == 404
    theirs.refresh_from_db()
    their_step.refresh_from_db()
    assert (theirs.status, theirs.title, their_step.done_on) == ("open", "Their goal", None)
    assert not GoalComment.objects.exists() and Milestone.objects.count() == 2


def test_both_members_comment_and_the_partner_is_told(client, pair, goal, mentee, mentor):
    client.force_login(mentee)
    client.post(
        url("goal_comment", pair.pk, goal.pk), {f"comment-{goal.pk}-body": "I booked the first round."}
    )
    client.force_login(mentor)
    client.post(url("goal_comment", pair.pk, goal.pk), {f"comment-{goal.pk}-body": "Great, I will be there."})
    comments = list(GoalComment.objects.filter(goal=goal).values_list("author", "body"))
    assert comments == [(mentee.pk, "I booked the first round."), (mentor.pk, "Great, I will be there.")]
    html = page(client, pair)
    assert f"{mentee.person.full_name} ·" in html and "I booked the first round." in html
    assert Notification.objects.filter(recipient=mentor.person, kind="goal_comment").count() == 1
    assert Notification.objects.filter(recipient=mentee.person, kind="goal_comment").count() == 1


def test_an_empty_comment_is_refused(client, pair, goal, mentee):
    client.force_login(mentee)
    html = client.post(
        url("goal_comment", pair.pk, goal.pk), {f"comment-{goal.pk}-body": "  "}
    ).content.decode()
    assert "The comment was not posted" in html
    with pytest.raises(GoalInvalid):
        goal_comment_add(access=get_pair_for_user(mentee, pair.pk), goal=goal, body="x" * 4001, by=mentee)
    assert not GoalComment.objects.exists()


def test_coordinators_cannot_write_and_see_no_forms(client, pair, goal, coordinator, hr_admin):
    milestone = Milestone.objects.create(goal=goal, title="Shadow")
    for viewer in (coordinator, hr_admin):
        client.force_login(viewer)
        assert client.get(url("goal_create", pair.pk)).status_code == 403
        created = client.post(url("goal_create", pair.pk), {"title": "A coordinator's goal"}, follow=True)
        assert "coordinators read them" in created.content.decode()
        for target, data in (
            (url("goal_status", pair.pk, goal.pk), {"to": "dropped"}),
            (url("goal_comment", pair.pk, goal.pk), {f"comment-{goal.pk}-body": "Hello"}),
            (url("milestone_add", pair.pk, goal.pk), {f"milestone-{goal.pk}-title": "Step"}),
            (
                url("milestone_done", pair.pk, goal.pk, milestone.pk),
                {"done_on": timezone.localdate().isoformat()},
            ),
        ):
            response = client.post(target, data)
            assert response.status_code == 200 and "coordinators read them" in response.content.decode()
    goal.refresh_from_db()
    milestone.refresh_from_db()
    assert (Goal.objects.count(), goal.status, milestone.done_on) == (1, "open", None)
    assert not GoalComment.objects.exists() and Milestone.objects.count() == 1


def test_the_goals_of_an_ended_pair_stay_as_they_were(client, pair, goal, mentee):
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=None, why="Schedules.")
    client.force_login(mentee)
    html = client.post(url("goal_status", pair.pk, goal.pk), {"to": "achieved"}).content.decode()
    assert "This pair is ended early" in html
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    html = page(client, pair)
    assert "Lead a ward round" in html and "Mark achieved" not in html and "Set a goal" not in html


def test_htmx_answers_with_the_goals_section_and_the_facts(client, pair, goal, mentee):
    client.force_login(mentee)
    response = client.post(
        url("milestone_add", pair.pk, goal.pk),
        {f"milestone-{goal.pk}-title": "Shadow"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="goals-content"' in html
    assert "Milestone “Shadow” added" in html and 'hx-swap-oob="true"' in html
    assert "0 of 1 milestone done (0%)" in html
