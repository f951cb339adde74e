"""Selection by the chair: a decision with a rationale for every accepted candidacy, audited; seats exceeded
or left unused need a justification; publishing makes the decisions final and tells candidates and
nominators. Also the ranking page and a person's history across cycles."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.factories import (
    CandidacyFactory,
    CommitteeMemberFactory,
    NominationCycleFactory,
    NominationFactory,
    ReviewFactory,
    ReviewScoreFactory,
)
from cohorts.models import AuditEntry, Candidacy, CycleStatusChange, NominationCycle
from cohorts.services import CohortError
from cohorts.services.selection import candidacy_decide, decisions_publish
from notifications.models import Notification
from tests.factories import PersonFactory


@pytest.fixture
def reviewing(cycle):
    cycle.status = NominationCycle.Status.REVIEWING
    cycle.save(update_fields=["status"])
    return cycle


@pytest.fixture
def three(reviewing, department):
    """Three accepted candidacies of the division (2 seats), each with a nominator."""
    made = []
    for number in (1, 2, 3):
        c = CandidacyFactory(cycle=reviewing, number=number, person__department=department)
        NominationFactory(candidacy=c)
        made.append(c)
    return made


def decide_url(c) -> str:
    return reverse("cohorts:selection_decide", args=[c.cycle_id, c.pk])


def publish_url(cycle) -> str:
    return reverse("cohorts:publish_decisions", args=[cycle.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_chair_decides_with_a_rationale_and_every_decision_and_change_is_audited(chair, three):
    first = three[0]
    candidacy_decide(candidacy=first, decision="selected", rationale="Outstanding evidence.", by=chair)
    first.refresh_from_db()
    assert (first.decision, first.decision_rationale, first.decided_by) == (
        "selected",
        "Outstanding evidence.",
        chair,
    )
    candidacy_decide(
        candidacy=first, decision="not_selected", rationale="On reflection, next year.", by=chair
    )
    entries = list(AuditEntry.objects.filter(candidacy=first))
    assert [e.action for e in entries] == ["decision_made", "decision_changed"]
    assert "Outstanding evidence." in entries[0].details
    assert "Selected → Not selected" in entries[1].details
    assert all(e.by == chair for e in entries)


def test_a_decision_without_a_rationale_is_refused_and_changes_nothing(client, chair, three):
    with pytest.raises(CohortError, match="rationale"):
        candidacy_decide(candidacy=three[0], decision="selected", rationale="  ", by=chair)
    with pytest.raises(CohortError, match="selected or not selected"):
        candidacy_decide(candidacy=three[0], decision="maybe", rationale="Why not.", by=chair)
    client.force_login(chair)
    response = client.post(decide_url(three[0]), {"decision": "selected", "rationale": ""}, follow=True)
    assert "Give a rationale for the decision." in text(response)
    three[0].refresh_from_db()
    assert three[0].decision == ""
    assert not AuditEntry.objects.exists()


def test_selecting_beyond_the_seats_needs_a_justification(chair, three):
    for c in three[:2]:
        candidacy_decide(candidacy=c, decision="selected", rationale="Strong.", by=chair)
    with pytest.raises(CohortError, match="has 2 seats and 2 are already selected"):
        candidacy_decide(candidacy=three[2], decision="selected", rationale="Also strong.", by=chair)
    three[2].refresh_from_db()
    assert three[2].decision == ""
    candidacy_decide(
        candidacy=three[2],
        decision="selected",
        rationale="Also strong.",
        justification="The division asked for a third mentor in the new clinic.",
        by=chair,
    )
    assert "new clinic" in AuditEntry.objects.get(candidacy=three[2]).details


def test_only_the_chair_decides(client, reviewer, three):
    with pytest.raises(CohortError, match="Only the committee chair"):
        candidacy_decide(candidacy=three[0], decision="selected", rationale="Strong.", by=reviewer)
    client.force_login(reviewer)
    assert (
        client.post(decide_url(three[0]), {"decision": "selected", "rationale": "Strong."}).status_code == 404
    )
    assert client.get(reverse("cohorts:ranking", args=[three[0].cycle_id])).status_code == 404
    three[0].refresh_from_db()
    assert three[0].decision == ""


def test_the_decision_answers_htmx_with_the_divisions_section(client, chair, three):
    client.force_login(chair)
    response = client.post(
        decide_url(three[0]), {"decision": "selected", "rationale": "Strong."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = text(response)
    assert 'id="division-' in body
    assert "Candidate 1: selected. The decision is recorded." in body
    assert "<html" not in body


# --- Publishing ---------------------------------------------------------------------------------------------


def test_publishing_needs_every_candidacy_decided(chair, three, reviewing):
    candidacy_decide(candidacy=three[0], decision="selected", rationale="Strong.", by=chair)
    with pytest.raises(CohortError, match="Candidate 2, Candidate 3 still need a decision"):
        decisions_publish(cycle=reviewing, by=chair)
    reviewing.refresh_from_db()
    assert reviewing.status == NominationCycle.Status.REVIEWING


def test_publishing_with_seats_left_unused_needs_a_justification(chair, three, reviewing):
    candidacy_decide(candidacy=three[0], decision="selected", rationale="Strong.", by=chair)
    for c in three[1:]:
        candidacy_decide(candidacy=c, decision="not_selected", rationale="Not yet.", by=chair)
    with pytest.raises(CohortError, match="1 selected for 2 seats"):
        decisions_publish(cycle=reviewing, by=chair, justification="")
    reviewing.refresh_from_db()
    assert reviewing.decisions_published_at is None
    decisions_publish(cycle=reviewing, by=chair, justification="Only one candidate was ready this year.")
    reviewing.refresh_from_db()
    assert reviewing.status == NominationCycle.Status.DECIDED
    change = CycleStatusChange.objects.get(cycle=reviewing, to_status=NominationCycle.Status.DECIDED)
    assert "Only one candidate was ready" in change.why


def test_a_non_chair_publishing_is_refused_with_a_clear_message_and_nothing_changes(
    client, reviewer, chair, three, reviewing
):
    for c in three:
        candidacy_decide(
            candidacy=c, decision="selected" if c.number < 3 else "not_selected", rationale="Fine.", by=chair
        )
    client.force_login(reviewer)
    assert client.get(publish_url(reviewing)).status_code == 404
    response = client.post(publish_url(reviewing), {"justification": ""}, follow=True)
    assert response.status_code == 200
    assert "Only the committee chair publishes the decisions. Nothing was changed." in text(response)
    reviewing.refresh_from_db()
    assert reviewing.status == NominationCycle.Status.REVIEWING
    assert reviewing.decisions_published_at is None
    assert not Notification.objects.exists()
    assert not CycleStatusChange.objects.filter(cycle=reviewing).exists()


def test_publishing_makes_decisions_final_and_tells_candidates_and_nominators(
    client, chair, three, reviewing
):
    for c in three:
        candidacy_decide(
            candidacy=c, decision="selected" if c.number < 3 else "not_selected", rationale="Fine.", by=chair
        )
    client.force_login(chair)
    assert client.get(publish_url(reviewing)).status_code == 200
    response = client.post(publish_url(reviewing), {"justification": ""}, follow=True)
    assert "The decisions are published" in text(response)
    reviewing.refresh_from_db()
    assert reviewing.status == NominationCycle.Status.DECIDED
    assert reviewing.decisions_published_by == chair
    assert AuditEntry.objects.filter(cycle=reviewing, action="decisions_published").exists()

    selected = Notification.objects.get(recipient=three[0].person, kind="cohort_decision")
    assert "Congratulations" in selected.body
    declined = Notification.objects.get(recipient=three[2].person, kind="cohort_decision")
    assert "stand again next year" in declined.body
    nominator = three[2].nominations.get().nominator
    to_nominator = Notification.objects.get(recipient=nominator, kind="cohort_decision_nominator")
    assert three[2].person.full_name in to_nominator.subject
    assert "next year" in to_nominator.body

    with pytest.raises(CohortError, match="published"):
        candidacy_decide(candidacy=three[2], decision="selected", rationale="Changed my mind.", by=chair)
    with pytest.raises(CohortError, match="published"):
        decisions_publish(cycle=reviewing, by=chair)
    # Identities are revealed to the committee now.
    ranking = client.get(reverse("cohorts:ranking", args=[reviewing.pk]))
    assert three[0].person.full_name in text(ranking)


# --- The ranking page ---------------------------------------------------------------------------------------


def test_the_ranking_page_explains_the_method_and_stays_blind(client, chair, three, reviewing):
    client.force_login(chair)
    response = client.get(reverse("cohorts:ranking", args=[reviewing.pk]))
    assert response.status_code == 200
    body = text(response)
    assert "How the ranking works" in body
    assert "z-score" in body
    assert "Candidate 1" in body
    for c in three:
        assert c.person.full_name not in body
        assert c.person.email not in body


def test_the_ranking_page_runs_a_bounded_number_of_queries(
    client, chair, reviewer, second_reviewer, reviewing, department
):
    client.force_login(chair)
    criteria = list(reviewing.criteria.all())

    def add(n):
        for _ in range(n):
            c = CandidacyFactory(cycle=reviewing, person__department=department)
            NominationFactory(candidacy=c)
            for member in (reviewer, second_reviewer):
                review = ReviewFactory(candidacy=c, reviewer=member.person, submitted_at="2026-11-19T10:00Z")
                for criterion in criteria:
                    ReviewScoreFactory(review=review, criterion=criterion, score=3 + (c.number % 3))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cohorts:ranking", args=[reviewing.pk])).status_code == 200
        return len(queries)

    add(2)
    small = count()
    add(8)
    assert count() == small


# --- A person's history -------------------------------------------------------------------------------------


def test_hr_admins_see_a_persons_history_across_cycles(client, hr_admin, chair, department):
    person = PersonFactory(department=department)
    earlier = NominationCycleFactory(year=2025, status=NominationCycle.Status.CLOSED)
    CommitteeMemberFactory(cycle=earlier, person=chair.person, is_chair=True)
    first = CandidacyFactory(
        cycle=earlier,
        person=person,
        decision=Candidacy.Decision.NOT_SELECTED,
        decision_rationale="Needs more sponsoring.",
    )
    NominationFactory(candidacy=first, nominator=PersonFactory(full_name="Nadia Nominator"))
    later = NominationCycleFactory(year=2026, status=NominationCycle.Status.DECIDED)
    CandidacyFactory(cycle=later, person=person, decision=Candidacy.Decision.SELECTED)
    url = reverse("cohorts:person_history", args=[person.pk])
    client.force_login(hr_admin)
    response = client.get(url)
    assert response.status_code == 200
    body = text(response)
    assert "Nadia Nominator" in body
    assert "Needs more sponsoring." in body
    assert "Not selected" in body and "Selected" in body
    assert body.index(later.name) < body.index(earlier.name)
    client.force_login(chair)
    assert client.get(url).status_code == 404
