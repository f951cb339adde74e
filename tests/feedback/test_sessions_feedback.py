"""Feedback after a held session: a rating 1-5 and what was useful, once per member; the fit check after the
pair's first session only. Coordinators and HR admins read it, the partner never does; "not a good fit"
alerts the program's coordinators and offers the author a no-fault end."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from feedback.models import Session, SessionFeedback
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.session_feedback import FeedbackInvalid, session_feedback_submit
from feedback.services.sessions import session_log, session_schedule
from matching.models import Mentorship
from matching.services.mentorships import mentorship_transition
from notifications.models import Notification
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def url(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


def log(pair, user, *, day: int) -> Session:
    return session_log(
        access=get_pair_for_user(user, pair.pk),
        data={
            "starts_at": datetime.datetime(2026, 11, day, 10, 0, tzinfo=UTC),
            "duration_minutes": 60,
            "format": "video",
            "topics": [],
            "shared_notes": "",
        },
        by=user,
    )


@pytest.fixture(autouse=True)
def _a_pair_since_october(pair):
    pair.started_on = datetime.date(2026, 10, 1)
    pair.save(update_fields=["started_on"])


@pytest.fixture
def first(pair, mentee) -> Session:
    return log(pair, mentee, day=10)


@pytest.fixture
def second(pair, first, mentee) -> Session:
    return log(pair, mentee, day=17)


def rate(user, pair, session, **values):
    return session_feedback_submit(
        access=get_pair_for_user(user, pair.pk), session=session, by=user, **({"rating": 4} | values)
    )


def test_a_mentee_rates_the_first_session_and_answers_the_fit_check(client, pair, first, mentee):
    client.force_login(mentee)
    page = client.get(url("session_detail", pair.pk, first.pk)).content.decode()
    assert "After this first session, is the pair a good fit?" in page
    response = client.post(
        url("session_feedback", pair.pk, first.pk), {"rating": "4", "useful": "The CV review.", "fit": "good"}
    )
    assert response.status_code == 302
    assert response.url == url("session_detail", pair.pk, first.pk) + "#feedback"
    feedback = SessionFeedback.objects.get()
    assert (feedback.participant, feedback.rating, feedback.useful, feedback.fit) == (
        pair.mentee,
        4,
        "The CV review.",
        "good",
    )
    page = client.get(url("session_detail", pair.pk, first.pk)).content.decode()
    assert "Your rating" in page and "4/5" in page and "The CV review." in page
    assert 'action="/pairs/' not in page.split('id="feedback"')[1].split("</section>")[0]


@pytest.mark.parametrize("rating", ["0", "6", "-1", "five", ""])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_is_saved(client, pair, first, mentee, rating):
    client.force_login(mentee)
    response = client.post(url("session_feedback", pair.pk, first.pk), {"rating": rating, "fit": "good"})
    assert response.status_code == 200
    assert "Rate the session from 1 to 5." in response.content.decode()
    assert not SessionFeedback.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, True, "4", None, 4.5])
def test_the_service_refuses_a_rating_outside_1_to_5(pair, first, mentee, rating):
    with pytest.raises(FeedbackInvalid, match=r"Rate the session from 1 to 5\."):
        rate(mentee, pair, first, rating=rating, fit="good")
    assert not SessionFeedback.objects.exists()


def test_the_fit_check_is_required_after_the_first_session_only(client, pair, first, second, mentee):
    with pytest.raises(FeedbackInvalid, match="say whether the pair is a good fit"):
        rate(mentee, pair, first)
    with pytest.raises(FeedbackInvalid, match="say whether the pair is a good fit"):
        rate(mentee, pair, first, fit="maybe")
    with pytest.raises(FeedbackInvalid, match="asked after the pair's first session only"):
        rate(mentee, pair, second, fit="good")
    assert not SessionFeedback.objects.exists()
    client.force_login(mentee)
    assert (
        "is the pair a good fit" not in client.get(url("session_detail", pair.pk, second.pk)).content.decode()
    )
    # A fit answer posted with a later session's feedback is not taken.
    client.post(url("session_feedback", pair.pk, second.pk), {"rating": "3", "fit": "not_good"})
    assert SessionFeedback.objects.get().fit == ""
    assert not Notification.objects.filter(kind="fit_alert").exists()


def test_feedback_is_given_once_per_member_and_session(client, pair, first, mentee, mentor):
    rate(mentee, pair, first, fit="good")
    with pytest.raises(FeedbackError, match="already gave your feedback"):
        rate(mentee, pair, first, rating=5, fit="good")
    client.force_login(mentee)
    response = client.post(
        url("session_feedback", pair.pk, first.pk), {"rating": "1", "fit": "good"}, follow=True
    )
    assert "already gave your feedback" in response.content.decode()
    rate(mentor, pair, first, rating=5, fit="deciding")
    assert sorted(SessionFeedback.objects.values_list("rating", flat=True)) == [4, 5]


def test_a_session_not_held_is_not_rated(client, pair, mentee):
    upcoming = session_schedule(
        access=get_pair_for_user(mentee, pair.pk),
        data={
            "starts_at": datetime.datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
            "duration_minutes": 60,
            "format": "phone",
            "location": "",
            "agenda": "",
        },
        by=mentee,
    )
    with pytest.raises(FeedbackError, match="rated once it is logged as held"):
        rate(mentee, pair, upcoming)
    client.force_login(mentee)
    client.post(url("session_feedback", pair.pk, upcoming.pk), {"rating": "4"})
    assert not SessionFeedback.objects.exists()


def test_coordinators_and_outsiders_give_no_feedback(client, pair, first, coordinator, hr_admin, employee):
    for user in (coordinator, hr_admin):
        with pytest.raises(FeedbackError, match="coordinators read the ratings"):
            rate(user, pair, first, fit="good")
        client.force_login(user)
        client.post(url("session_feedback", pair.pk, first.pk), {"rating": "4", "fit": "good"})
    client.force_login(employee)
    assert client.post(url("session_feedback", pair.pk, first.pk), {"rating": "4"}).status_code == 404
    assert not SessionFeedback.objects.exists()


def test_feedback_is_read_by_coordinators_and_hr_admins_never_by_the_partner(
    client, pair, first, mentee, mentor, coordinator, hr_admin
):
    rate(mentee, pair, first, rating=2, useful="Mentee's secret view on usefulness", fit="deciding")
    for user in (coordinator, hr_admin):
        client.force_login(user)
        page = client.get(url("session_detail", pair.pk, first.pk)).content.decode()
        assert "Mentee&#x27;s secret view on usefulness" in page
        assert "2/5" in page and "Still deciding" in page
        section = client.get(url("pair_detail", pair.pk)).content.decode()
        assert "Feedback from 1 of 2 · average 2.0/5" in section
    client.force_login(mentor)
    for page_url in (
        url("session_detail", pair.pk, first.pk),
        url("pair_detail", pair.pk),
        url("session_list", pair.pk),
    ):
        page = client.get(page_url).content.decode()
        assert "secret view on usefulness" not in page
        assert "2/5" not in page and "average" not in page and "Feedback from" not in page
    page = client.get(url("session_detail", pair.pk, first.pk)).content.decode()
    # The mentor is asked for their own feedback (the fit choices are their form's), told nothing of the
    # mentee's.
    assert "Send your feedback" in page and "Fit</dt>" not in page
    assert "Still deciding" not in client.get(url("pair_detail", pair.pk)).content.decode()


def test_not_a_good_fit_alerts_each_coordinator_and_offers_a_no_fault_end(
    client, pair, first, mentor, mentee, coordinator, other_coordinator, department
):
    second_coordinator = make_persona("second.coordinator@example.com", department=department)
    pair.program.coordinators.add(second_coordinator.person)
    client.force_login(mentor)
    response = client.post(
        url("session_feedback", pair.pk, first.pk), {"rating": "2", "fit": "not_good"}, follow=True
    )
    page = response.content.decode()
    assert "The coordinators were told." in page
    assert f'href="{url("pair_detail", pair.pk)}#end"' in page
    alerts = Notification.objects.filter(kind="fit_alert")
    assert {n.recipient for n in alerts} == {coordinator.person, second_coordinator.person}
    alert = alerts.first()
    assert alert.url == url("pair_detail", pair.pk)
    assert (
        f"{mentor.person.full_name} says the pair with {mentee.person.full_name} is not a good fit"
        in alert.subject
    )
    assert not Notification.objects.filter(kind="fit_alert", recipient=mentee.person).exists()
    assert not Notification.objects.filter(recipient=other_coordinator.person).exists()


def test_an_ended_pair_is_no_longer_rated(client, pair, first, mentee):
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=None, why="Fit.")
    with pytest.raises(FeedbackError, match="no longer rated"):
        rate(mentee, pair, first, fit="good")
    client.force_login(mentee)
    page = client.get(url("session_detail", pair.pk, first.pk)).content.decode()
    assert "its sessions are no longer rated" in page and "Send your feedback" not in page
    assert not SessionFeedback.objects.exists()
