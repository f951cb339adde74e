"""Logging sessions as held: a scheduled session once it has started, or a meeting afterwards, with topics
from the program's list and shared notes. Logged once, never in the future; both members are then asked
for their feedback."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from feedback.models import Session, SessionStatusChange
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.sessions import SessionInvalid, session_cancel, session_log, session_schedule
from notifications.models import Notification

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def url(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


def logged(**changes) -> dict:
    """A meeting two days ago, as the service takes it."""
    return {
        "starts_at": datetime.datetime(2026, 11, 18, 10, 0, tzinfo=UTC),
        "duration_minutes": 45,
        "format": "in_person",
        "topics": ["Career planning", "Leadership"],
        "shared_notes": "Agreed to shadow a ward round.",
    } | changes


def posted(**changes) -> dict:
    return {
        "date": "2026-11-18",
        "time": "10:00",
        "duration_minutes": "45",
        "format": "in_person",
        "topics": ["Career planning", "Leadership"],
        "shared_notes": "Agreed to shadow a ward round.",
    } | changes


@pytest.fixture(autouse=True)
def _a_pair_since_october(pair):
    pair.started_on = datetime.date(2026, 10, 1)
    pair.save(update_fields=["started_on"])


@pytest.fixture
def scheduled(pair, mentor) -> Session:
    return session_schedule(
        access=get_pair_for_user(mentor, pair.pk),
        data={
            "starts_at": datetime.datetime(2026, 11, 20, 13, 0, tzinfo=UTC),
            "duration_minutes": 60,
            "format": "video",
            "location": "",
            "agenda": "Goals",
        },
        by=mentor,
    )


def after_it_started():
    return time_machine.travel(datetime.datetime(2026, 11, 20, 14, 30, tzinfo=UTC), tick=False)


def test_a_mentee_logs_a_past_session_and_both_are_asked_for_feedback(client, pair, mentee, mentor):
    client.force_login(mentee)
    response = client.post(url("session_log", pair.pk), posted(topics=["Leadership", "Career planning"]))
    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == url("session_detail", pair.pk, session.pk) + "#feedback"
    assert session.status == Session.Status.HELD
    assert session.starts_at == datetime.datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    # Topics are kept in the program's order.
    assert session.topics == ["Career planning", "Leadership"]
    assert (session.logged_by, session.shared_notes) == (mentee, "Agreed to shadow a ward round.")
    assert session.logged_at is not None
    change = SessionStatusChange.objects.get(session=session)
    assert (change.from_status, change.to_status, change.by) == ("", "held", mentee)
    requests = Notification.objects.filter(kind="session_feedback_request")
    assert {(n.recipient, n.key) for n in requests} == {
        (mentor.person, f"session:{session.pk}:mentor"),
        (mentee.person, f"session:{session.pk}:mentee"),
    }
    assert all(n.url == url("session_detail", pair.pk, session.pk) + "#feedback" for n in requests)
    assert "good fit" in requests.first().body  # the first session also asks the fit check


def test_a_session_in_the_future_cannot_be_logged_as_held(client, pair, mentee):
    client.force_login(mentee)
    response = client.post(url("session_log", pair.pk), posted(date="2026-11-21"))
    assert response.status_code == 200
    assert "is in the future: a session is logged as held once it has started." in response.content.decode()
    with pytest.raises(SessionInvalid, match="is in the future"):
        session_log(
            access=get_pair_for_user(mentee, pair.pk),
            data=logged(starts_at=timezone.now() + datetime.timedelta(minutes=5)),
            by=mentee,
        )
    assert not Session.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": 0}, "0 minutes is not possible"),
        ({"duration_minutes": 481}, "481 minutes is not possible"),
        ({"topics": ["Astrology"]}, "Astrology is not on it"),
        ({"topics": ["Leadership", "Leadership"]}, "Choose each topic once."),
        ({"topics": "Leadership"}, "Choose the topics from the program's list."),
        ({"shared_notes": "x" * 10001}, "Keep the shared notes to at most 10,000 characters"),
        ({"starts_at": datetime.datetime(2026, 9, 30, 10, 0, tzinfo=UTC)}, "The pair began on 1 Oct 2026"),
        ({"agenda": "sneaked in"}, "agenda is not part of this form."),
    ],
)
def test_the_service_checks_every_value_of_a_log(pair, mentee, changes, message):
    with pytest.raises(SessionInvalid) as error:
        session_log(access=get_pair_for_user(mentee, pair.pk), data=logged(**changes), by=mentee)
    assert message in str(error.value)
    assert not Session.objects.exists()


@pytest.mark.parametrize(("duration", "message"), [("0", "at least 1 minute"), ("481", "at most 8 hours")])
def test_a_duration_of_0_or_over_8_hours_is_refused_on_the_page(client, pair, mentee, duration, message):
    client.force_login(mentee)
    response = client.post(url("session_log", pair.pk), posted(duration_minutes=duration))
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_a_topic_not_on_the_programs_list_is_refused_on_the_page(client, pair, mentee):
    client.force_login(mentee)
    response = client.post(url("session_log", pair.pk), posted(topics=["Astrology"]))
    assert "Choose the topics from the program&#x27;s list." in response.content.decode()
    assert not Session.objects.exists()


def test_the_topics_offered_are_the_programs(client, pair, mentee):
    pair.program.session_topics = ["Rounds", "Research"]
    pair.program.save(update_fields=["session_topics"])
    client.force_login(mentee)
    page = client.get(url("session_log", pair.pk)).content.decode()
    assert 'value="Rounds"' in page and 'value="Research"' in page
    assert "Career planning" not in page


def test_a_scheduled_session_is_logged_as_held_once_it_has_started(client, scheduled, pair, mentee):
    client.force_login(mentee)
    with after_it_started():
        response = client.post(
            url("session_held", pair.pk, scheduled.pk),
            posted(date="2026-11-20", time="13:10", duration_minutes="50", format="video"),
        )
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == Session.Status.HELD
    assert scheduled.starts_at == datetime.datetime(2026, 11, 20, 13, 10, tzinfo=UTC)
    assert (scheduled.duration_minutes, scheduled.logged_by) == (50, mentee)
    assert scheduled.agenda == "Goals"  # what was planned stays
    change = scheduled.status_changes.last()
    assert (change.from_status, change.to_status) == ("scheduled", "held")
    assert Notification.objects.filter(kind="session_feedback_request").count() == 2


def test_a_scheduled_session_is_not_logged_before_it_starts(client, scheduled, pair, mentee):
    client.force_login(mentee)
    response = client.post(url("session_held", pair.pk, scheduled.pk), posted(), follow=True)
    assert "log it as held once it has begun" in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == Session.Status.SCHEDULED


def test_a_session_is_logged_once(client, scheduled, pair, mentee, mentor):
    with after_it_started():
        session_log(
            access=get_pair_for_user(mentor, pair.pk),
            session=scheduled,
            data=logged(starts_at=datetime.datetime(2026, 11, 20, 13, 0, tzinfo=UTC)),
            by=mentor,
        )
        # The mentee's copy of the session still says "scheduled": the row's lock decides.
        stale = Session.objects.get(pk=scheduled.pk)
        stale.status = Session.Status.SCHEDULED
        with pytest.raises(FeedbackError, match="already logged as held"):
            session_log(
                access=get_pair_for_user(mentee, pair.pk),
                session=stale,
                data=logged(starts_at=datetime.datetime(2026, 11, 20, 13, 0, tzinfo=UTC)),
                by=mentee,
            )
        client.force_login(mentee)
        response = client.post(
            url("session_held", pair.pk, scheduled.pk), posted(date="2026-11-20", time="13:00"), follow=True
        )
    assert "already logged as held" in response.content.decode()
    assert Session.objects.count() == 1
    scheduled.refresh_from_db()
    assert scheduled.logged_by == mentor
    assert scheduled.status_changes.filter(to_status="held").count() == 1


def test_a_meeting_at_the_time_of_a_scheduled_session_is_logged_through_it(scheduled, pair, mentee):
    with after_it_started(), pytest.raises(SessionInvalid, match="log that one as held instead"):
        session_log(
            access=get_pair_for_user(mentee, pair.pk),
            data=logged(starts_at=datetime.datetime(2026, 11, 20, 13, 0, tzinfo=UTC)),
            by=mentee,
        )
    assert Session.objects.count() == 1


def test_the_same_meeting_logged_twice_is_refused(pair, mentee, mentor):
    session_log(access=get_pair_for_user(mentee, pair.pk), data=logged(), by=mentee)
    with pytest.raises(SessionInvalid, match="already logged as held"):
        session_log(
            access=get_pair_for_user(mentor, pair.pk),
            data=logged(starts_at=datetime.datetime(2026, 11, 18, 10, 15, tzinfo=UTC)),
            by=mentor,
        )
    assert Session.objects.count() == 1


def test_a_cancelled_session_is_not_logged(scheduled, pair, mentee):
    session_cancel(access=get_pair_for_user(mentee, pair.pk), session=scheduled, by=mentee)
    with after_it_started(), pytest.raises(FeedbackError, match="This session was cancelled"):
        session_log(
            access=get_pair_for_user(mentee, pair.pk),
            session=scheduled,
            data=logged(starts_at=datetime.datetime(2026, 11, 20, 13, 0, tzinfo=UTC)),
            by=mentee,
        )


@pytest.mark.parametrize("persona", ["employee", "sponsor", "other_coordinator", "outsider"])
def test_people_outside_the_pair_cannot_log_anything(client, pair, scheduled, persona, request):
    client.force_login(request.getfixturevalue(persona))
    with after_it_started():
        assert client.post(url("session_log", pair.pk), posted()).status_code == 404
        assert client.post(url("session_held", pair.pk, scheduled.pk), posted()).status_code == 404
    assert Session.objects.held().count() == 0


def test_a_coordinators_crafted_log_is_refused(client, pair, scheduled, coordinator):
    client.force_login(coordinator)
    with after_it_started():
        assert client.post(url("session_log", pair.pk), posted()).status_code == 403
        response = client.post(
            url("session_held", pair.pk, scheduled.pk), posted(date="2026-11-20", time="13:00"), follow=True
        )
    assert "Only the mentor and the mentee log sessions" in response.content.decode()
    assert Session.objects.held().count() == 0


def test_a_flash_pair_is_complete_once_its_session_is_logged_and_both_still_rate_it(
    client, pair, mentee, mentor
):
    from feedback.models import ClosureSurvey, SessionFeedback
    from matching.models import Mentorship
    from programs.models import Program

    Program.objects.filter(pk=pair.program_id).update(kind=Program.Kind.FLASH)
    client.force_login(mentee)
    client.post(url("session_log", pair.pk), posted())
    pair.refresh_from_db()
    session = Session.objects.get()
    assert pair.status == Mentorship.Status.COMPLETED
    assert pair.status_changes.filter(to_status="completed").get().why == (
        "Completed: the flash pair's session was held."
    )
    closure = Notification.objects.filter(kind="closure_survey")
    assert {n.recipient for n in closure} == {mentor.person, mentee.person}
    # The pair is closed, yet the session it was made for is still rated by both.
    page = client.get(url("session_detail", pair.pk, session.pk))
    assert b'name="rating"' in page.content
    response = client.post(url("session_feedback", pair.pk, session.pk), {"rating": "5", "fit": "good"})
    assert response.status_code == 302
    assert SessionFeedback.objects.filter(session=session, participant__person=mentee.person).exists()
    # Nothing else is written to a completed pair.
    refused = client.post(url("session_log", pair.pk), posted(date="2026-11-19"))
    assert refused.status_code in (302, 403) and Session.objects.count() == 1
    assert not ClosureSurvey.objects.exists()


def test_a_regular_pair_stays_active_after_a_session(client, pair, mentee):
    from matching.models import Mentorship

    client.force_login(mentee)
    client.post(url("session_log", pair.pk), posted())
    pair.refresh_from_db()
    assert pair.status == Mentorship.Status.ACTIVE
