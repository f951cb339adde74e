"""The sessions section of the pair page, the list of all sessions and a session's page: what members and
coordinators see, the forms for the members of a current pair, and query counts that do not grow with the
number of sessions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import PrivateNote, Session, SessionFeedback
from feedback.permissions import get_pair_for_user
from feedback.services.sessions import session_schedule
from feedback.views.sessions import sessions_section
from matching.models import Mentorship
from matching.services.mentorships import mentorship_transition

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
S = Session.Status


def url(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


def add_sessions(pair: Mentorship, count: int, *, start: int = 0) -> None:
    """``count`` sessions of every kind: upcoming, waiting to be logged, held (rated by the mentee, with a
    private note of the mentor's) and cancelled."""
    now = timezone.now()
    made = []
    for n in range(start, start + count):
        kind = n % 5
        if kind == 0:
            status, starts_at = S.SCHEDULED, now + datetime.timedelta(days=n + 1)
        elif kind == 1:
            status, starts_at = S.SCHEDULED, now - datetime.timedelta(hours=n + 1)
        elif kind == 4:
            status, starts_at = S.CANCELLED, now - datetime.timedelta(days=n + 1)
        else:
            status, starts_at = S.HELD, now - datetime.timedelta(days=n + 1)
        made.append(
            Session(
                mentorship=pair,
                status=status,
                starts_at=starts_at,
                duration_minutes=60,
                format="video",
                topics=["Leadership"],
                logged_at=now if status == S.HELD else None,
            )
        )
    sessions = Session.objects.bulk_create(made)
    held = [s for s in sessions if s.status == S.HELD]
    SessionFeedback.objects.bulk_create(
        SessionFeedback(session=s, participant=pair.mentee, rating=4, useful="Good") for s in held
    )
    mentor_user = pair.mentor.person.user
    PrivateNote.objects.bulk_create(PrivateNote(session=s, author=mentor_user, body="Mine") for s in held)


@pytest.mark.parametrize("viewer", ["mentor", "mentee", "coordinator"])
def test_the_pages_take_the_same_number_of_queries_with_5_and_200_sessions(
    client, pair, viewer, request, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(viewer))
    add_sessions(pair, 5)
    first_held = Session.objects.held().order_by("starts_at").first()
    page_urls = [url("pair_detail", pair.pk), url("session_list", pair.pk)]
    counts = []
    for page_url in [*page_urls, url("session_detail", pair.pk, first_held.pk)]:
        with CaptureQueriesContext(connection) as few:
            assert client.get(page_url).status_code == 200
        counts.append(len(few.captured_queries))
    add_sessions(pair, 195, start=5)
    for page_url, count in zip(
        [*page_urls, url("session_detail", pair.pk, first_held.pk)], counts, strict=True
    ):
        with django_assert_max_num_queries(count):
            assert client.get(page_url).status_code == 200
    page = client.get(url("pair_detail", pair.pk)).content.decode()
    assert "Sessions" in page and "80 sessions held, 40 cancelled." in page


def test_members_see_what_comes_next_and_the_forms(client, pair, mentee, mentor):
    upcoming = session_schedule(
        access=get_pair_for_user(mentor, pair.pk),
        data={
            "starts_at": datetime.datetime(2026, 11, 26, 8, 30, tzinfo=UTC),
            "duration_minutes": 45,
            "format": "in_person",
            "location": "Room 4.12",
            "agenda": "",
        },
        by=mentor,
    )
    client.force_login(mentee)
    page = client.get(url("pair_detail", pair.pk)).content.decode()
    assert 'id="sessions"' in page
    assert "Thu 26 Nov 2026, 08:30" in page and "Room 4.12" in page
    assert f'href="{url("session_ics", pair.pk, upcoming.pk)}"' in page
    assert f'action="{url("session_schedule", pair.pk)}"' in page
    assert f'action="{url("session_log", pair.pk)}"' in page
    assert "Career planning" in page  # the program's topics in the log form
    assert "No session held yet." in page


def test_sessions_waiting_to_be_logged_and_feedback_waiting_are_prompted(client, pair, mentor):
    add_sessions(pair, 5)
    client.force_login(mentor)
    page = client.get(url("pair_detail", pair.pk)).content.decode()
    assert "Did these take place?" in page and "Log it as held" in page
    assert "Your feedback is waiting" in page
    assert page.count("Rate the session of") == 2


def test_coordinators_see_the_sessions_without_forms_or_invites(client, pair, coordinator):
    add_sessions(pair, 5)
    client.force_login(coordinator)
    page = client.get(url("pair_detail", pair.pk)).content.decode()
    assert 'id="sessions"' in page
    assert url("session_schedule", pair.pk) not in page
    assert "Add to calendar" not in page
    assert "Your feedback is waiting" not in page
    assert "Feedback from 1 of 2 · average 4.0/5" in page


def test_an_ended_pair_shows_its_sessions_read_only(client, pair, mentee):
    add_sessions(pair, 5)
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=None, why="Fit.")
    client.force_login(mentee)
    page = client.get(url("pair_detail", pair.pk)).content.decode()
    assert "2 sessions held" in page
    assert url("session_schedule", pair.pk) not in page and "Your feedback is waiting" not in page
    assert client.get(url("session_schedule", pair.pk)).status_code == 403


def test_the_list_of_all_sessions_is_paginated(client, pair, mentor):
    add_sessions(pair, 45)
    client.force_login(mentor)
    first = client.get(url("session_list", pair.pk)).content.decode()
    assert "Page 1 of 3" in first and first.count('class="list-group-item"') == 20
    last = client.get(url("session_list", pair.pk) + "?page=3").content.decode()
    assert last.count('class="list-group-item"') == 5


def test_the_section_function_answers_for_the_access_it_is_given(rf, pair, mentee, mentor, coordinator):
    add_sessions(pair, 5)
    request = rf.get("/")
    sections = {}
    for user in (mentee, mentor, coordinator):
        request.user = user
        sections[user] = sessions_section(request, get_pair_for_user(user, pair.pk))
    section = sections[mentor]
    assert (section.key, section.order, section.title) == ("sessions", 30, "Sessions")
    # The mentee rated both held sessions; the mentor has not, and keeps a note on each.
    assert [len(sections[u].context["pending"]) for u in (mentee, mentor, coordinator)] == [0, 2, 0]
    assert [row["has_note"] for row in sections[mentor].context["held"]] == [True, True]
    assert [row["has_note"] for row in sections[mentee].context["held"]] == [False, False]
    assert [row["has_note"] for row in sections[coordinator].context["held"]] == [False, False]
    assert (
        "schedule_form" in sections[mentee].context and "schedule_form" not in sections[coordinator].context
    )


@pytest.mark.parametrize("persona", ["sponsor", "employee", "other_coordinator"])
def test_outsiders_get_404_on_every_sessions_page(client, pair, persona, request):
    add_sessions(pair, 5)
    session = Session.objects.first()
    client.force_login(request.getfixturevalue(persona))
    for page_url in (
        url("session_list", pair.pk),
        url("session_detail", pair.pk, session.pk),
        url("session_ics", pair.pk, session.pk),
        url("session_log", pair.pk),
    ):
        assert client.get(page_url).status_code == 404


def test_a_missing_session_is_404(client, pair, mentor):
    client.force_login(mentor)
    assert client.get(url("session_detail", pair.pk, 999999)).status_code == 404
