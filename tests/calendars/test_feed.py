"""The feed a calendar server reads: the person's own sessions and cohort events, in UTC, with cancellations
marked, nothing anyone wrote, and nothing at all once the address is turned off."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from calendars.models import CalendarFeed
from calendars.services import feed_replace, feed_turn_off
from cohorts.factories import CohortEventFactory, CohortFactory, CohortMemberFactory
from cohorts.models import CohortEvent, CohortMember
from feedback.models import PrivateNote, Session, SessionFeedback
from matching.models import Mentorship
from matching.services.mentorships import mentorship_create
from people.models import Person
from tests.conftest import make_persona

from .conftest import NOW, events, fetch, ics_url, token_of

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://mentoring.example.com"
    settings.SITE_NAME = "Mentoring"


@pytest.fixture
def other_pair(approved, department) -> Mentorship:
    """Two colleagues' pair in the same program."""
    return mentorship_create(
        mentor=approved("mentor", person=make_persona("olga@example.com", department=department).person),
        mentee=approved("mentee", person=make_persona("otto@example.com", department=department).person),
        by=None,
        source="manual",
    )


def test_it_holds_exactly_the_users_own_sessions_and_cohort_events(mentor, make_session, other_pair, cohort):
    own = make_session(days=7, location="Room 5")
    others = make_session(days=8, mentorship=other_pair)
    soon = NOW + datetime.timedelta(days=3)
    event = CohortEventFactory(cohort=cohort, title="Listening well", starts_at=soon)
    other_cohort_event = CohortEventFactory(cohort=CohortFactory(), starts_at=soon)

    found = events(fetch(token_of(mentor)))

    assert set(found) == {
        f"session-{own.pk}@mentoring.example.com",
        f"cohort-event-{event.pk}@mentoring.example.com",
    }
    assert f"session-{others.pk}@mentoring.example.com" not in found
    assert f"cohort-event-{other_cohort_event.pk}@mentoring.example.com" not in found
    session = found[f"session-{own.pk}@mentoring.example.com"]
    assert str(session["SUMMARY"]) == f"Mentoring with {own.mentorship.mentee.person.full_name}"
    assert str(session["LOCATION"]) == "Room 5"
    assert str(session["STATUS"]) == "CONFIRMED"
    page = f"https://mentoring.example.com/pairs/{own.mentorship_id}/sessions/{own.pk}/"
    assert str(session["URL"]) == page
    assert page in str(session["DESCRIPTION"])
    assert "Video call" in str(session["DESCRIPTION"])
    workshop = found[f"cohort-event-{event.pk}@mentoring.example.com"]
    assert str(workshop["SUMMARY"]) == "Cohort 2026: Listening well"
    assert str(workshop["URL"]).endswith(f"/master-mentors/cohorts/{cohort.pk}/events/{event.pk}/")


def test_the_mentee_sees_the_mentor_named(mentee, make_session):
    session = make_session()
    found = events(fetch(token_of(mentee)))
    event = found[f"session-{session.pk}@mentoring.example.com"]
    assert str(event["SUMMARY"]) == f"Mentoring with {session.mentorship.mentor.person.full_name}"
    assert "mentors you" in str(event["DESCRIPTION"])


def test_the_calendar_names_itself_and_asks_to_be_refreshed_hourly(mentor):
    response = Client().get(ics_url(token_of(mentor)))
    text = response.content.decode()
    assert "X-WR-CALNAME:Mentoring: " in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text
    assert "BEGIN:VCALENDAR" in text
    assert "METHOD" not in text  # published, not an invite


def test_cancelled_sessions_and_events_are_marked_cancelled(mentor, make_session, cohort):
    session = make_session(status=Session.Status.CANCELLED, sequence=2)
    event = CohortEventFactory(cohort=cohort, cancelled=True, starts_at=NOW + datetime.timedelta(days=2))
    found = events(fetch(token_of(mentor)))
    cancelled = found[f"session-{session.pk}@mentoring.example.com"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["TRANSP"]) == "TRANSPARENT"
    assert cancelled["SEQUENCE"] == 2
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: ")
    assert str(found[f"cohort-event-{event.pk}@mentoring.example.com"]["STATUS"]) == "CANCELLED"


def test_a_session_still_scheduled_after_its_pair_ended_is_cancelled(mentor, pair, make_session):
    before = make_session(days=-10, status=Session.Status.HELD, logged_at=NOW)
    after = make_session(days=10)
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.ENDED_EARLY, ended_on=NOW.date())
    found = events(fetch(token_of(mentor)))
    assert str(found[f"session-{after.pk}@mentoring.example.com"]["STATUS"]) == "CANCELLED"
    assert str(found[f"session-{before.pk}@mentoring.example.com"]["STATUS"]) == "CONFIRMED"


def test_times_are_in_utc_whatever_the_users_time_zone(mentee, make_session):
    mentee.time_zone = "Asia/Tokyo"
    mentee.save(update_fields=["time_zone"])
    starts = datetime.datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
    session = make_session(days=0, duration_minutes=45)
    Session.objects.filter(pk=session.pk).update(starts_at=starts)

    response = Client().get(ics_url(token_of(mentee)))
    text = response.content.decode()
    assert "DTSTART:20261125T143000Z" in text
    assert "DTEND:20261125T151500Z" in text
    assert "VTIMEZONE" not in text
    found = events(icalendar.Calendar.from_ical(response.content))
    event = found[f"session-{session.pk}@mentoring.example.com"]
    assert event["DTSTART"].dt == starts
    assert event["DTEND"].dt == starts + datetime.timedelta(minutes=45)


def test_each_event_carries_its_revision_and_last_change(mentor, make_session):
    session = make_session(sequence=3)
    session.refresh_from_db()
    event = events(fetch(token_of(mentor)))[f"session-{session.pk}@mentoring.example.com"]
    assert event["SEQUENCE"] == 3
    assert event["LAST-MODIFIED"].dt == session.updated_at
    assert event["DTSTAMP"].dt == session.updated_at
    assert event["CREATED"].dt == session.created_at


def test_it_holds_about_ninety_days_back_and_a_year_ahead(mentor, make_session, settings):
    too_old = make_session(days=-100)
    kept_past = make_session(days=-80)
    kept_future = make_session(days=360)
    too_far = make_session(days=400)
    found = events(fetch(token_of(mentor)))
    uids = {f"session-{s.pk}@mentoring.example.com": s for s in (too_old, kept_past, kept_future, too_far)}
    assert {uid for uid in uids if uid in found} == {
        f"session-{kept_past.pk}@mentoring.example.com",
        f"session-{kept_future.pk}@mentoring.example.com",
    }
    settings.CALENDAR_FEED_PAST_DAYS = 120
    settings.CALENDAR_FEED_FUTURE_DAYS = 30
    token = feed_replace(user=mentor, feed_id=CalendarFeed.objects.active().get(user=mentor).pk).token
    assert set(events(fetch(token))) & set(uids) == {
        f"session-{too_old.pk}@mentoring.example.com",
        f"session-{kept_past.pk}@mentoring.example.com",
    }


def test_it_never_holds_notes_agendas_or_feedback(mentor, mentee, pair, make_session, cohort):
    session = make_session(
        days=-3,
        status=Session.Status.HELD,
        logged_at=NOW,
        agenda="Agenda-secret-1",
        shared_notes="Shared-secret-2",
        topics=["Topic-secret-3"],
    )
    PrivateNote.objects.create(session=session, author=mentor, body="Private-secret-4")
    SessionFeedback.objects.create(
        session=session, participant=pair.mentee, rating=2, useful="Feedback-secret-5"
    )
    tomorrow = NOW + datetime.timedelta(days=1)
    CohortEventFactory(cohort=cohort, agenda="Event-agenda-secret-6", starts_at=tomorrow)

    for user in (mentor, mentee):
        body = Client().get(ics_url(token_of(user))).content.decode()
        assert f"session-{session.pk}@" in body
        for secret in ("secret-1", "secret-2", "secret-3", "secret-4", "secret-5", "secret-6"):
            assert secret not in body
        assert mentor.email not in body and mentee.email not in body


def test_cohort_coordinators_get_their_cohorts_events_and_withdrawn_members_do_not(
    mentor, mentee, department
):
    coordinator = make_persona("cohort.coordinator@example.com", department=department)
    cohort = CohortFactory(coordinators=[coordinator.person])
    CohortMemberFactory(cohort=cohort, person=mentee.person, status=CohortMember.Status.WITHDRAWN)
    CohortMemberFactory(cohort=cohort, person=mentor.person, status=CohortMember.Status.GRADUATED)
    event = CohortEventFactory(cohort=cohort, starts_at=NOW + datetime.timedelta(days=5))
    uid = f"cohort-event-{event.pk}@mentoring.example.com"

    assert uid in events(fetch(token_of(coordinator)))
    assert uid in events(fetch(token_of(mentor)))
    assert uid not in events(fetch(token_of(mentee)))


def test_an_unknown_token_is_404():
    assert Client().get(ics_url("cal_not-a-real-token")).status_code == 404
    assert Client().get(ics_url("x" * 300)).status_code == 404


def test_a_replaced_address_stops_working_at_once(mentor):
    old = token_of(mentor)
    new = feed_replace(user=mentor, feed_id=CalendarFeed.objects.get(user=mentor).pk).token
    assert Client().get(ics_url(old)).status_code == 404
    assert Client().get(ics_url(new)).status_code == 200


def test_a_turned_off_address_is_404(mentor):
    token = token_of(mentor)
    feed_turn_off(user=mentor, feed_id=CalendarFeed.objects.get(user=mentor).pk)
    assert Client().get(ics_url(token)).status_code == 404


def test_a_switched_off_login_gets_404(mentor):
    token = token_of(mentor)
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    assert Client().get(ics_url(token)).status_code == 404


def test_someone_who_left_or_was_unlinked_gets_404(mentor, mentee):
    left, unlinked = token_of(mentor), token_of(mentee)
    Person.objects.filter(pk=mentor.person.pk).update(status=Person.Status.LEFT, left_on=NOW.date())
    Person.objects.filter(pk=mentee.person.pk).update(user=None)
    assert Client().get(ics_url(left)).status_code == 404
    assert Client().get(ics_url(unlinked)).status_code == 404


def test_it_needs_no_session_and_sets_no_cookie(mentor, make_session):
    make_session()
    response = Client().get(ics_url(token_of(mentor)))
    assert response.status_code == 200
    assert not response.cookies
    assert "noindex" in response["X-Robots-Tag"]
    assert "private" in response["Cache-Control"]


def test_it_answers_not_modified_when_nothing_changed_and_head_requests(mentor, make_session):
    make_session()
    token = token_of(mentor)
    first = Client().get(ics_url(token))
    again = Client().get(ics_url(token), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert Client().head(ics_url(token)).status_code == 200
    assert Client().post(ics_url(token)).status_code == 405


def test_a_read_is_recorded_as_the_addresss_last_use(mentor):
    token = token_of(mentor)
    Client().get(ics_url(token))
    feed = CalendarFeed.objects.get(user=mentor)
    assert feed.last_used_at == timezone.now()


def test_the_query_count_does_not_grow_with_the_data(
    mentor, make_session, cohort, other_pair, django_assert_max_num_queries
):
    token = token_of(mentor)
    Client().get(ics_url(token))  # the first read records its use; later ones in the same minutes do not
    with django_assert_max_num_queries(4):
        few = Client().get(ics_url(token))
    for day in range(1, 41):
        make_session(days=day, location=f"Room {day}")
        CohortEventFactory(cohort=cohort, starts_at=NOW + datetime.timedelta(days=day))
        make_session(days=day, mentorship=other_pair)
    with django_assert_max_num_queries(4):
        many = Client().get(ics_url(token))
    assert many.content.count(b"BEGIN:VEVENT") == 80 > few.content.count(b"BEGIN:VEVENT")
    assert CohortEvent.objects.count() == 40
