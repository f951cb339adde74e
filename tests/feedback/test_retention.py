"""Data retention: once a pair has been closed longer than the configured period, its free text and private
notes are purged once and the purge is recorded; facts stay. Off by default."""

from __future__ import annotations

import datetime
import logging

import pytest

from feedback import jobs
from feedback.models import (
    Agreement,
    CheckIn,
    Goal,
    GoalComment,
    Milestone,
    PrivateNote,
    RetentionPurge,
    Session,
    SessionFeedback,
)
from matching.models import Mentorship
from matching.services.mentorships import mentorship_transition

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def closed_pair(pair, mentor, mentee):
    """A pair with a little of everything, completed on 1 June 2026."""
    Mentorship.objects.filter(pk=pair.pk).update(started_on=datetime.date(2026, 1, 10))
    pair.refresh_from_db()
    Agreement.objects.create(mentorship=pair, expectations="Honesty.", confidentiality="All of it.")
    goal = Goal.objects.create(mentorship=pair, title="Lead a project", why="Promotion.", measure="Done.")
    Milestone.objects.create(goal=goal, title="Kick-off", done_on=datetime.date(2026, 3, 1))
    GoalComment.objects.create(goal=goal, author=mentor, body="Well done!")
    session = Session.objects.create(
        mentorship=pair,
        status=Session.Status.HELD,
        starts_at=datetime.datetime(2026, 2, 1, 10, tzinfo=UTC),
        duration_minutes=60,
        format="video",
        shared_notes="We talked about the team.",
        agenda="Team",
        logged_by=mentee,
        logged_at=datetime.datetime(2026, 2, 1, 12, tzinfo=UTC),
    )
    PrivateNote.objects.create(session=session, author=mentee, body="I am worried about my manager.")
    SessionFeedback.objects.create(session=session, participant=pair.mentee, rating=4, useful="The map.")
    CheckIn.objects.create(
        mentorship=pair,
        participant=pair.mentee,
        period_start=datetime.date(2026, 1, 10),
        due_on=datetime.date(2026, 1, 24),
        satisfaction=4,
        comments="Fine.",
    )
    mentorship_transition(mentorship=pair, to=Mentorship.Status.COMPLETED, by=None, why="Done.")
    Mentorship.objects.filter(pk=pair.pk).update(ended_on=datetime.date(2026, 6, 1))
    return pair


def test_retention_is_off_by_default(closed_pair, settings):
    settings.PAIR_TEXT_RETENTION_DAYS = None
    assert jobs.purge_closed_pairs() == 0
    assert PrivateNote.objects.exists() and not RetentionPurge.objects.exists()


def test_a_pair_closed_longer_than_the_period_loses_its_free_text_once_and_keeps_its_facts(
    closed_pair, settings, caplog
):
    settings.PAIR_TEXT_RETENTION_DAYS = 365
    assert jobs.purge_closed_pairs() == 0  # closed 172 days ago (the fixed day is 20 November 2026)
    settings.PAIR_TEXT_RETENTION_DAYS = 90
    with caplog.at_level(logging.INFO, logger="feedback.services.retention"):
        assert jobs.purge_closed_pairs() == 1
    assert jobs.purge_closed_pairs() == 0
    assert not PrivateNote.objects.exists() and not GoalComment.objects.exists()
    session = Session.objects.get()
    assert (session.shared_notes, session.agenda, session.duration_minutes) == ("", "", 60)
    assert SessionFeedback.objects.get().useful == "" and SessionFeedback.objects.get().rating == 4
    agreement = Agreement.objects.get()
    assert (agreement.expectations, agreement.confidentiality) == ("", "")
    goal = Goal.objects.get()
    assert (goal.title, goal.why, goal.measure) == ("Lead a project", "", "")
    assert Milestone.objects.get().done_on == datetime.date(2026, 3, 1)
    checkin = CheckIn.objects.get()
    assert (checkin.comments, checkin.satisfaction) == ("", 4)
    purge = RetentionPurge.objects.get()
    assert (
        purge.retention_days == 90
        and purge.counts["private_notes"] == 1
        and purge.counts["goal_comments"] == 1
    )
    assert f"Purged the free text of pair {closed_pair.pk}" in caplog.text
    assert "worried" not in caplog.text  # the log says how much, never what


def test_an_active_pair_is_never_purged(pair, settings):
    settings.PAIR_TEXT_RETENTION_DAYS = 1
    Mentorship.objects.filter(pk=pair.pk).update(started_on=datetime.date(2020, 1, 1))
    assert jobs.purge_closed_pairs() == 0
