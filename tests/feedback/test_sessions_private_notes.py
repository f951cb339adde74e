"""Private notes belong to their author alone: each member keeps one per session and edits it; the partner,
the coordinators, HR admins and sponsors never see it on any page, in an invite or in the Django admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from feedback.models import PrivateNote, Session
from feedback.permissions import get_pair_for_user
from feedback.services import FeedbackError
from feedback.services.sessions import private_note_save, session_log, session_schedule
from matching.models import Mentorship
from matching.services.mentorships import mentorship_transition

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SECRET = "Mentee's private worry about the reorganisation"


def url(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


@pytest.fixture
def held(pair, mentee) -> Session:
    pair.started_on = datetime.date(2026, 10, 1)
    pair.save(update_fields=["started_on"])
    return session_log(
        access=get_pair_for_user(mentee, pair.pk),
        data={
            "starts_at": datetime.datetime(2026, 11, 18, 10, 0, tzinfo=UTC),
            "duration_minutes": 60,
            "format": "video",
            "topics": ["Leadership"],
            "shared_notes": "Shared: we talked about leadership.",
        },
        by=mentee,
    )


@pytest.fixture
def upcoming(pair, mentee) -> Session:
    return session_schedule(
        access=get_pair_for_user(mentee, pair.pk),
        data={
            "starts_at": datetime.datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
            "duration_minutes": 60,
            "format": "video",
            "location": "",
            "agenda": "Next steps",
        },
        by=mentee,
    )


def pages(pair, *sessions) -> list[str]:
    found = [url("pair_detail", pair.pk), url("session_list", pair.pk)]
    for session in sessions:
        found.append(url("session_detail", pair.pk, session.pk))
    return found


def test_a_member_keeps_and_edits_a_private_note(client, pair, held, mentee):
    client.force_login(mentee)
    response = client.post(url("session_note", pair.pk, held.pk), {"body": SECRET})
    assert response.status_code == 302
    assert response.url == url("session_detail", pair.pk, held.pk) + "#note"
    note = PrivateNote.objects.get()
    assert (note.author, note.session, note.body) == (mentee, held, SECRET)
    assert (
        SECRET.replace("'", "&#x27;") in client.get(url("session_detail", pair.pk, held.pk)).content.decode()
    )
    client.post(url("session_note", pair.pk, held.pk), {"body": "Changed my mind."})
    assert PrivateNote.objects.get().body == "Changed my mind."
    client.post(url("session_note", pair.pk, held.pk), {"body": "   "})
    assert not PrivateNote.objects.exists()


def test_a_note_is_saved_in_place(client, pair, upcoming, mentor):
    client.force_login(mentor)
    response = client.post(
        url("session_note", pair.pk, upcoming.pk), {"body": "Ask about the budget."}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert "Your private note is saved." in content and "Ask about the budget." in content
    assert PrivateNote.objects.get().author == mentor


def test_each_member_has_their_own_note_and_never_reads_the_others(client, pair, held, mentee, mentor):
    private_note_save(access=get_pair_for_user(mentee, pair.pk), session=held, body=SECRET, by=mentee)
    client.force_login(mentor)
    client.post(url("session_note", pair.pk, held.pk), {"body": "Mentor's own thought."})
    assert PrivateNote.objects.count() == 2
    assert PrivateNote.objects.get(author=mentee).body == SECRET
    for page_url in pages(pair, held):
        page = client.get(page_url).content.decode()
        assert "private worry" not in page


@pytest.mark.parametrize("viewer", ["mentor", "coordinator", "hr_admin"])
def test_the_note_is_absent_from_every_page_others_see(client, pair, held, upcoming, mentee, viewer, request):
    for session in (held, upcoming):
        private_note_save(access=get_pair_for_user(mentee, pair.pk), session=session, body=SECRET, by=mentee)
    client.force_login(request.getfixturevalue(viewer))
    for page_url in pages(pair, held, upcoming):
        response = client.get(page_url)
        assert response.status_code == 200
        content = response.content.decode()
        assert "private worry" not in content
        assert "Your private note</span>" not in content  # not even that one exists
    if viewer == "mentor":
        ics = client.get(url("session_ics", pair.pk, upcoming.pk)).content.decode()
        assert "private worry" not in ics


def test_the_author_sees_the_note_only_in_their_own_pages(client, pair, held, upcoming, mentee):
    private_note_save(access=get_pair_for_user(mentee, pair.pk), session=held, body=SECRET, by=mentee)
    client.force_login(mentee)
    assert "Your private note</span>" in client.get(url("pair_detail", pair.pk)).content.decode()
    # Never in the invite, which goes to both.
    assert "private worry" not in client.get(url("session_ics", pair.pk, upcoming.pk)).content.decode()


@pytest.mark.parametrize("persona", ["sponsor", "employee", "other_coordinator", "outsider"])
def test_people_outside_the_pair_see_nothing_and_write_no_note(client, pair, held, mentee, persona, request):
    private_note_save(access=get_pair_for_user(mentee, pair.pk), session=held, body=SECRET, by=mentee)
    client.force_login(request.getfixturevalue(persona))
    for page_url in pages(pair, held):
        assert client.get(page_url).status_code == 404
    assert client.post(url("session_note", pair.pk, held.pk), {"body": "Mine now"}).status_code == 404
    assert list(PrivateNote.objects.values_list("body", flat=True)) == [SECRET]


def test_coordinators_write_no_private_note_and_change_nobodys(client, pair, held, mentee, coordinator):
    private_note_save(access=get_pair_for_user(mentee, pair.pk), session=held, body=SECRET, by=mentee)
    with pytest.raises(FeedbackError, match="Private notes are for the mentor and the mentee"):
        private_note_save(
            access=get_pair_for_user(coordinator, pair.pk), session=held, body="x", by=coordinator
        )
    client.force_login(coordinator)
    response = client.post(url("session_note", pair.pk, held.pk), {"body": "Coordinator's"}, follow=True)
    assert "Private notes are for the mentor and the mentee" in response.content.decode()
    assert list(PrivateNote.objects.values_list("author__email", "body")) == [("mentee@example.com", SECRET)]


def test_a_note_that_is_too_long_is_refused(client, pair, held, mentee):
    client.force_login(mentee)
    response = client.post(url("session_note", pair.pk, held.pk), {"body": "x" * 10001})
    assert "at most 10000 characters" in response.content.decode()
    assert not PrivateNote.objects.exists()


def test_notes_stay_their_authors_to_edit_after_the_pair_ends(pair, held, mentee):
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=None, why="Fit.")
    note = private_note_save(
        access=get_pair_for_user(mentee, pair.pk), session=held, body="Looking back.", by=mentee
    )
    assert note is not None and note.body == "Looking back."


def test_private_notes_are_not_in_the_django_admin():
    assert PrivateNote not in admin.site._registry
    for model_admin in admin.site._registry.values():
        assert all(inline.model is not PrivateNote for inline in model_admin.inlines)
