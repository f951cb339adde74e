"""Pairs are made within capacity and move only along allowed transitions, each recorded."""

import pytest

from matching.models import Mentorship, MentorshipStatusChange
from matching.services import MatchingError
from matching.services.mentorships import mentorship_create, mentorship_transition
from programs.models import Participant

pytestmark = pytest.mark.django_db


def test_a_pair_is_made_and_recorded(approved, hr_admin):
    mentor, mentee = approved("mentor", capacity=1), approved("mentee")
    pair = mentorship_create(mentor=mentor, mentee=mentee, by=hr_admin, source="manual")
    assert pair.status == Mentorship.Status.ACTIVE and pair.started_on is not None
    change = MentorshipStatusChange.objects.get(mentorship=pair)
    assert (change.from_status, change.to_status, change.by) == ("", "active", hr_admin)


def test_a_mentor_at_capacity_takes_no_more_mentees(approved, hr_admin):
    mentor = approved("mentor", capacity=1)
    mentorship_create(mentor=mentor, mentee=approved("mentee"), by=hr_admin, source="manual")
    with pytest.raises(MatchingError, match="at capacity"):
        mentorship_create(mentor=mentor, mentee=approved("mentee"), by=hr_admin, source="manual")
    assert Mentorship.objects.count() == 1


def test_a_mentee_gets_no_more_mentors_than_the_program_allows(approved, hr_admin):
    mentee = approved("mentee")
    mentorship_create(mentor=approved("mentor"), mentee=mentee, by=hr_admin, source="manual")
    with pytest.raises(MatchingError, match="as many mentors"):
        mentorship_create(mentor=approved("mentor"), mentee=mentee, by=hr_admin, source="manual")


def test_only_approved_participants_of_one_program_are_paired(approved, other_program, hr_admin):
    from programs.factories import ParticipantFactory

    with pytest.raises(MatchingError, match="not an approved"):
        mentorship_create(
            mentor=approved("mentor"),
            mentee=ParticipantFactory(program=approved("mentor").program, role="mentee"),
            by=hr_admin,
            source="manual",
        )
    stranger = ParticipantFactory(program=other_program, role="mentee", status=Participant.Status.APPROVED)
    with pytest.raises(MatchingError, match="different programs"):
        mentorship_create(mentor=approved("mentor"), mentee=stranger, by=hr_admin, source="manual")
    assert not Mentorship.objects.exists()


def test_a_pair_ends_early_only_with_a_reason_and_never_comes_back(approved, hr_admin):
    pair = mentorship_create(
        mentor=approved("mentor"), mentee=approved("mentee"), by=hr_admin, source="manual"
    )
    with pytest.raises(MatchingError, match="Say why"):
        mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=hr_admin)
    mentorship_transition(
        mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=hr_admin, why="Schedules clash"
    )
    pair.refresh_from_db()
    assert pair.ended_on is not None and pair.end_reason == "Schedules clash"
    with pytest.raises(MatchingError, match="cannot become"):
        mentorship_transition(mentorship=pair, to=Mentorship.Status.ACTIVE, by=hr_admin)
    assert [c.to_status for c in pair.status_changes.all()] == ["active", "ended_early"]
