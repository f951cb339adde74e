"""Check-in pages: a member's form, the pair page's check-ins section, and the coordinators' answers page
(open a period, flags, mark handled). Answers are never shown to the partner."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from feedback.models import CheckIn
from feedback.permissions import MENTEE, MENTOR, PairAccess, get_pair_for_user
from feedback.services.checkins import CheckInAnswers, checkin_submit, checkins_open
from matching.services.mentorships import mentorship_create
from notifications.models import Notification

pytestmark = pytest.mark.django_db

D = datetime.date
GOOD_POST = {
    "satisfaction": "4",
    "goal_progress": "3",
    "frequency": "right",
    "chemistry_right": "yes",
    "wants_help": "no",
    "comments": "We set a clear plan for the quarter.",
}


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def own(pair, user) -> CheckIn:
    return CheckIn.objects.get(mentorship=pair, participant=get_pair_for_user(user, pair.pk).participant)


def url_of(checkin: CheckIn) -> str:
    return reverse("feedback:checkin", args=[checkin.mentorship_id, checkin.pk])


def answers_url(program) -> str:
    return reverse("feedback:checkin_answers", args=[program.slug])


def answer(pair, user, **changes) -> CheckIn:
    values = {"satisfaction": 4, "goal_progress": 3, "frequency": "right", "chemistry_right": True}
    values |= {"wants_help": False, "comments": ""} | changes
    return checkin_submit(
        access=get_pair_for_user(user, pair.pk),
        checkin=own(pair, user),
        answers=CheckInAnswers(**values),
        by=user,
    )


def answer_as(pair, participant, **values) -> CheckIn:
    """Answer a check-in for a participant without a login (a factory-made person)."""
    role = MENTOR if participant.pk == pair.mentor_id else MENTEE
    access = PairAccess(pair, role, participant.person)
    checkin = CheckIn.objects.get(mentorship=pair, participant=participant)
    return checkin_submit(access=access, checkin=checkin, answers=CheckInAnswers(**values), by=None)


@pytest.fixture
def opened(pair):
    checkins_open(program=pair.program)
    return pair


# --- The form -----------------------------------------------------------------------------------------------


def test_a_mentee_answers_their_checkin_and_reads_their_answers_on_the_pair_page(client, opened, mentee):
    client.force_login(mentee)
    checkin = own(opened, mentee)
    page = client.get(url_of(checkin))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Send the check-in" in text and "never by your partner" in text and "Due 4 December 2026" in text
    response = client.post(url_of(checkin), GOOD_POST, follow=True)
    assert response.redirect_chain[-1][0] == reverse("feedback:pair_detail", args=[opened.pk]) + "#checkins"
    assert "your check-in is sent" in messages_of(response)
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert stored.submitted_at and (stored.satisfaction, stored.goal_progress, stored.chemistry_right) == (
        4,
        3,
        True,
    )
    assert "We set a clear plan for the quarter." in response.content.decode()  # own answers on the pair page
    again = client.get(url_of(checkin)).content.decode()
    assert "Your answers" in again and "Send the check-in" not in again


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"satisfaction": "0"}, "Rate your satisfaction from 1 to 5."),
        ({"satisfaction": "6"}, "Rate your satisfaction from 1 to 5."),
        ({"satisfaction": ""}, "Rate your satisfaction from 1 to 5."),
        ({"goal_progress": "7"}, "Rate your progress on your goals from 1 to 5."),
        ({"frequency": "daily"}, "Say whether you meet often enough, choosing from the list."),
        ({"chemistry_right": "perhaps"}, "Say whether the chemistry is right."),
        ({"comments": "x" * 2001}, "Keep the comments to at most 2000 characters."),
    ],
)
def test_crafted_or_bad_answers_are_refused_and_nothing_is_saved(client, opened, mentee, changes, error):
    client.force_login(mentee)
    checkin = own(opened, mentee)
    response = client.post(url_of(checkin), GOOD_POST | changes)
    assert response.status_code == 200 and error in response.content.decode().replace("&#x27;", "'")
    assert CheckIn.objects.get(pk=checkin.pk).submitted_at is None


def test_a_second_submission_is_refused_with_a_message_and_changes_nothing(client, opened, mentee):
    client.force_login(mentee)
    checkin = own(opened, mentee)
    client.post(url_of(checkin), GOOD_POST)
    response = client.post(
        url_of(checkin), GOOD_POST | {"satisfaction": "1", "comments": "Changed"}, follow=True
    )
    assert "You already sent this check-in" in messages_of(response)
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert stored.satisfaction == 4 and stored.comments == "We set a clear plan for the quarter."
    assert not Notification.objects.filter(kind="checkin_flag").exists()


def test_wanting_help_alerts_the_coordinator_once(client, opened, mentee, coordinator):
    client.force_login(mentee)
    response = client.post(url_of(own(opened, mentee)), GOOD_POST | {"wants_help": "yes"}, follow=True)
    assert "The coordinator will get in touch with you." in messages_of(response)
    assert list(Notification.objects.filter(kind="checkin_flag").values_list("recipient", flat=True)) == [
        coordinator.person.pk
    ]


@pytest.mark.parametrize(
    "persona", ["mentor", "coordinator", "hr_admin", "other_coordinator", "employee", "sponsor"]
)
def test_anyone_but_its_owner_gets_not_found_for_a_checkin(client, request, opened, mentee, persona):
    checkin = own(opened, mentee)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url_of(checkin)).status_code == 404
    assert client.post(url_of(checkin), GOOD_POST).status_code == 404
    assert CheckIn.objects.get(pk=checkin.pk).submitted_at is None


def test_a_checkin_of_another_pair_or_a_missing_one_is_not_found(client, opened, mentee, mentor):
    client.force_login(mentee)
    checkin = own(opened, mentee)
    assert client.get(reverse("feedback:checkin", args=[opened.pk, checkin.pk + 100])).status_code == 404
    assert client.get(reverse("feedback:checkin", args=[opened.pk + 100, checkin.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, opened, mentee):
    response = client.get(url_of(own(opened, mentee)))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- The pair page's section --------------------------------------------------------------------------------


def test_the_partner_never_sees_the_answers_but_coordinators_see_both(
    client, opened, mentor, mentee, coordinator
):
    answer(opened, mentee, comments="My manager blocks my time for this.", satisfaction=2)
    answer(opened, mentor, comments="A quiet start, getting better.")
    pair_url = reverse("feedback:pair_detail", args=[opened.pk])
    client.force_login(mentor)
    mentor_page = client.get(pair_url).content.decode()
    assert "A quiet start, getting better." in mentor_page
    assert "My manager blocks my time" not in mentor_page and "2 of 5" not in mentor_page
    client.force_login(mentee)
    mentee_page = client.get(pair_url).content.decode()
    assert "My manager blocks my time for this." in mentee_page and "A quiet start" not in mentee_page
    client.force_login(coordinator)
    coordinator_page = client.get(pair_url).content.decode()
    assert (
        "My manager blocks my time for this." in coordinator_page
        and "A quiet start, getting better." in coordinator_page
    )
    assert "rates satisfaction 2 of 5" in coordinator_page


def test_a_member_sees_an_open_checkin_with_a_link_and_its_due_date(client, opened, mentor):
    client.force_login(mentor)
    page = client.get(reverse("feedback:pair_detail", args=[opened.pk])).content.decode()
    assert 'id="checkins"' in page and url_of(own(opened, mentor)) in page and "due 4 December 2026" in page
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, tzinfo=datetime.UTC)):
        client.force_login(mentor)  # sessions last 12 hours
        assert "overdue" in client.get(reverse("feedback:pair_detail", args=[opened.pk])).content.decode()


# --- The coordinators' answers page -------------------------------------------------------------------------


def test_people_who_do_not_run_the_program_get_not_found(client, opened, request):
    for persona in ("mentor", "mentee", "other_coordinator", "employee", "sponsor"):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(answers_url(opened.program)).status_code == 404
        assert client.post(reverse("feedback:checkins_open", args=[opened.program.slug])).status_code == 404
    client.force_login(request.getfixturevalue("hr_admin"))
    assert client.get(answers_url(opened.program)).status_code == 200


def test_the_answers_page_shows_response_rate_means_and_flags_per_period(
    client, opened, approved, coordinator, mentor, mentee
):
    second = mentorship_create(mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual")
    checkins_open(program=opened.program)
    answer(opened, mentor, satisfaction=5, goal_progress=4)
    answer(opened, mentee, satisfaction=2, goal_progress=2, comments="Hard to find time.")
    answer_as(
        second,
        second.mentee,
        satisfaction=4,
        goal_progress=3,
        frequency="too_rare",
        chemistry_right=False,
        wants_help=True,
    )
    client.force_login(coordinator)
    page = client.get(answers_url(opened.program))
    text = page.content.decode()
    period = page.context["periods"][0]
    assert period["period_start"] == D(2026, 10, 10)
    assert (period["total"], period["answered"], period["rate"]) == (4, 3, 75)
    assert round(period["mean_satisfaction"], 2) == 3.67 and period["mean_progress"] == 3
    assert "3 of 4" in text and "75%" in text and ">3.7<" in text and ">3.0<" in text
    flagged = {c.participant_id: c.flags for c in page.context["flagged"]}
    assert flagged == {
        opened.mentee_id: ["rates satisfaction 2 of 5"],
        second.mentee_id: ["wants the coordinator's help", "says the chemistry is not right"],
    }
    assert "Hard to find time." in text
    with time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC)):  # after the due date
        client.force_login(coordinator)
        later = client.get(answers_url(opened.program))
    overdue = {c.participant_id: c.flags for c in later.context["flagged"]}
    assert overdue[second.mentor_id] == ["overdue since 4 December 2026"] and len(overdue) == 3
    assert "Complete all pairs" not in text


def test_the_answers_page_runs_a_bounded_number_of_queries(
    client, running_program, approved, coordinator, django_assert_max_num_queries
):
    def grow(pairs: int) -> None:
        for _ in range(pairs):
            made = mentorship_create(
                mentor=approved("mentor"), mentee=approved("mentee"), by=None, source="manual"
            )
            checkins_open(program=running_program)
            for participant in (made.mentor, made.mentee):
                answer_as(
                    made,
                    participant,
                    satisfaction=1,
                    goal_progress=2,
                    frequency="right",
                    chemistry_right=False,
                    wants_help=True,
                )
        for start in (D(2026, 4, 10), D(2026, 7, 10)):
            checkins_open(program=running_program, period_start=start)

    client.force_login(coordinator)
    grow(2)
    with django_assert_max_num_queries(14) as few:
        assert client.get(answers_url(running_program)).status_code == 200
    grow(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(answers_url(running_program))
    assert page.context["flagged"].paginator.count == 44 and len(page.context["flagged"]) == 25
    assert client.get(answers_url(running_program) + "?fpage=2").context["flagged"].number == 2


def test_a_period_filter_shows_only_its_flags(client, opened, coordinator, mentee):
    answer(opened, mentee, wants_help=True)
    checkins_open(program=opened.program, period_start=D(2026, 7, 10))
    client.force_login(coordinator)
    with time_machine.travel(datetime.datetime(2026, 12, 5, 9, tzinfo=datetime.UTC)):
        client.force_login(coordinator)
        everything = client.get(answers_url(opened.program)).context["flagged"].paginator.count
        july = client.get(answers_url(opened.program) + "?period=2026-07-10").context["flagged"]
        bad = client.get(answers_url(opened.program) + "?period=not-a-date")
    assert everything == 4 and july.paginator.count == 2
    assert {c.period_start for c in july} == {D(2026, 7, 10)}
    assert bad.status_code == 200 and bad.context["period"] is None


def test_a_coordinator_opens_the_periods_checkins_from_the_page_once(client, pair, coordinator):
    client.force_login(coordinator)
    page = client.get(answers_url(pair.program)).content.decode()
    open_url = reverse("feedback:checkins_open", args=[pair.program.slug])
    assert open_url in page and "Open check-ins for this period" in page
    confirm = client.get(open_url).content.decode()
    assert "10 October 2026 to 9 January 2027" in confirm and "due 4 December 2026" in confirm
    assert not CheckIn.objects.exists()
    response = client.post(open_url, follow=True)
    assert "Opened 2 check-ins for this period" in messages_of(response) and "4 December 2026" in messages_of(
        response
    )
    assert CheckIn.objects.count() == 2
    again = client.post(open_url, follow=True)
    assert "already open: none was opened" in messages_of(again) and CheckIn.objects.count() == 2


def test_a_coordinator_marks_a_flag_handled_and_it_leaves_the_list(
    client, opened, coordinator, mentee, other_coordinator
):
    checkin = answer(opened, mentee, chemistry_right=False)
    handled_url = reverse("feedback:checkin_handled", args=[opened.program.slug, checkin.pk])
    client.force_login(other_coordinator)
    assert client.post(handled_url).status_code == 404
    client.force_login(coordinator)
    assert handled_url in client.get(answers_url(opened.program)).content.decode()
    back = answers_url(opened.program) + "?handled=1"
    response = client.post(handled_url, {"next": back})
    assert response.status_code == 302 and response.url == back
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert stored.handled_by == coordinator and stored.handled_at is not None
    assert client.get(answers_url(opened.program)).context["flagged"].paginator.count == 0
    assert client.get(back).context["flagged"].paginator.count == 1
    again = client.post(handled_url, {"next": "https://elsewhere.example/"}, follow=True)
    assert "already marked handled" in messages_of(again)
    assert again.redirect_chain[0][0] == answers_url(opened.program)


def test_a_checkin_without_flags_cannot_be_marked_handled_from_the_page(client, opened, coordinator, mentor):
    checkin = answer(opened, mentor)
    client.force_login(coordinator)
    response = client.post(
        reverse("feedback:checkin_handled", args=[opened.program.slug, checkin.pk]), follow=True
    )
    assert "Nothing in this check-in needs handling." in messages_of(response)
    assert CheckIn.objects.get(pk=checkin.pk).handled_at is None


def test_the_pair_pages_checkin_and_closure_sections_do_not_grow_with_history(
    client, opened, coordinator, mentee, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("feedback:pair_detail", args=[opened.pk])
    # With an answer shown from the start: reading answers writes one audit-log INSERT, however many.
    answer(opened, mentee, wants_help=True)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for start in (D(2025, 1, 10), D(2025, 4, 10), D(2025, 7, 10), D(2025, 10, 10), D(2026, 1, 10)):
        checkins_open(program=opened.program, period_start=start)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Period from") == 6
