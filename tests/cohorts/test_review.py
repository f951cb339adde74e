"""Blind committee review: members see "Candidate N" with the evidence and never who the candidate is
until the decisions are published; they score every criterion 1 to 5; anyone in the candidate's management
chain, a nominator and the candidate are recused automatically, and a member may declare a conflict."""

import datetime
import html
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.factories import CandidacyFactory, EndorsementFactory, NominationFactory
from cohorts.home import home_panels
from cohorts.models import Candidacy, NominationCycle, Review, ReviewScore
from cohorts.services import CohortError
from cohorts.services.review import ReviewInvalid, review_save
from cohorts.services.selection import candidacy_decide, decisions_publish
from cohorts.tasks_review import remind_outstanding_reviews
from notifications.models import Notification
from tests.conftest import make_persona
from tests.factories import PersonFactory

ENDORSER_NAME = "Endora Endorser"
NOMINATOR_NAME = "Nomi Nominator"
MANAGER_NAME = "Mana Manager"
EVIDENCE = "Ran a weekly clinic for new nurses on difficult conversations."
REASON = "She helped me prepare for my first case review."


@pytest.fixture
def reviewing(cycle):
    cycle.status = NominationCycle.Status.REVIEWING
    cycle.save(update_fields=["status"])
    return cycle


@pytest.fixture
def criteria(reviewing):
    return list(reviewing.criteria.all())


@pytest.fixture
def candidate(db, department):
    manager = PersonFactory(full_name=MANAGER_NAME, department=department, job_level=8)
    return PersonFactory(
        full_name="Cassandra Candidate",
        email="cassandra.candidate@example.com",
        title="Charge nurse",
        department=department,
        manager=manager,
        job_level=5,
        hire_date=datetime.date(2019, 3, 1),
        gender="woman",
        ethnicity="Hispanic or Latino",
    )


@pytest.fixture
def candidacy(reviewing, candidate, department):
    candidacy = CandidacyFactory(cycle=reviewing, person=candidate, number=17, motivation="I love this work.")
    nominator = PersonFactory(full_name=NOMINATOR_NAME, department=department)
    NominationFactory(candidacy=candidacy, nominator=nominator, informal_mentoring=EVIDENCE)
    endorser = PersonFactory(full_name=ENDORSER_NAME, department=department)
    EndorsementFactory(cycle=reviewing, endorser=endorser, person=candidate, reason=REASON)
    return candidacy


def list_url(cycle) -> str:
    return reverse("cohorts:review_list", args=[cycle.pk])


def page_url(candidacy) -> str:
    return reverse("cohorts:review_candidacy", args=[candidacy.cycle_id, candidacy.pk])


def scores_post(criteria, *scores, action="submit", **extra) -> dict:
    data = {"action": action, "comment": "A strong case."}
    for criterion, score in zip(criteria, scores, strict=False):
        data[f"score_{criterion.pk}"] = str(score)
        data[f"comment_{criterion.pk}"] = "Clear evidence."
    return data | extra


def assert_blind(response, person) -> None:
    text = html.unescape(response.content.decode())
    for secret in (
        person.full_name,
        person.email,
        person.title,
        MANAGER_NAME,
        person.gender,
        person.ethnicity,
    ):
        assert secret not in text, f"{secret!r} leaked into a reviewer's page"
    assert ENDORSER_NAME not in text
    assert NOMINATOR_NAME not in text


# --- The blind pages ----------------------------------------------------------------------------------------


def test_members_see_the_candidacy_blind_with_its_evidence(client, reviewer, candidacy, candidate):
    client.force_login(reviewer)
    listing = client.get(list_url(candidacy.cycle))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Candidate 17" in text
    assert "Clinical Services" in text
    assert "5\u201310 years" in text  # an en dash between the years
    assert_blind(listing, candidate)

    page = client.get(page_url(candidacy))
    assert page.status_code == 200
    text = page.content.decode()
    assert EVIDENCE in text
    assert REASON in text
    assert "Endorsements: 1" in text
    assert "I love this work." in text
    assert_blind(page, candidate)


def test_the_name_and_email_are_absent_from_every_reviewer_response_until_publication(
    client, reviewer, chair, candidacy, candidate, criteria
):
    client.force_login(reviewer)
    cycle = candidacy.cycle
    responses = [
        client.get(list_url(cycle)),
        client.get(page_url(candidacy)),
        client.post(page_url(candidacy), scores_post(criteria, 4, action="draft"), HTTP_HX_REQUEST="true"),
        client.post(page_url(candidacy), scores_post(criteria, 9, 4), HTTP_HX_REQUEST="true"),
        client.post(page_url(candidacy), scores_post(criteria, 9, 4)),
        client.post(page_url(candidacy), scores_post(criteria, 4, 5), follow=True),
        client.post(
            reverse("cohorts:review_conflict", args=[cycle.pk, candidacy.pk]), {"note": ""}, follow=True
        ),
    ]
    for response in responses:
        assert response.status_code == 200
        assert_blind(response, candidate)

    client.force_login(chair)
    for response in (
        client.get(reverse("cohorts:ranking", args=[cycle.pk])),
        client.get(reverse("cohorts:publish_decisions", args=[cycle.pk])),
        client.get(list_url(cycle)),
        client.get(page_url(candidacy)),
    ):
        assert response.status_code == 200
        assert_blind(response, candidate)

    candidacy_decide(candidacy=candidacy, decision="selected", rationale="Strong evidence.", by=chair)
    decisions_publish(cycle=cycle, by=chair, justification="One strong candidate this year.")

    client.force_login(reviewer)
    for response in (client.get(list_url(cycle)), client.get(page_url(candidacy))):
        assert response.status_code == 200
        assert candidate.full_name in response.content.decode()
        assert ENDORSER_NAME not in response.content.decode()


# --- Scoring ------------------------------------------------------------------------------------------------


def test_a_member_saves_a_draft_then_submits_and_may_change_it_while_reviewing(
    client, reviewer, candidacy, criteria
):
    client.force_login(reviewer)
    response = client.post(page_url(candidacy), scores_post(criteria, 4, action="draft"))
    assert response.status_code == 302
    review = Review.objects.get(candidacy=candidacy, reviewer=reviewer.person)
    assert review.submitted_at is None
    assert list(review.scores.values_list("score", flat=True)) == [4]

    incomplete = client.post(page_url(candidacy), scores_post(criteria, 4, action="submit"))
    assert incomplete.status_code == 200
    assert "to submit" in incomplete.content.decode()
    review.refresh_from_db()
    assert review.submitted_at is None

    client.post(page_url(candidacy), scores_post(criteria, 4, 3))
    review.refresh_from_db()
    assert review.submitted_at is not None
    assert sorted(review.scores.values_list("score", flat=True)) == [3, 4]
    assert review.comment == "A strong case."

    changed = client.post(page_url(candidacy), scores_post(criteria, 5, 5), HTTP_HX_REQUEST="true")
    assert "Your changes to the review of Candidate 17 are saved." in changed.content.decode()
    assert sorted(review.scores.values_list("score", flat=True)) == [5, 5]


@pytest.mark.parametrize("bad", ["0", "6", "7", "-1", "four"])
def test_a_score_outside_one_to_five_is_refused_by_the_form_and_nothing_is_saved(
    client, reviewer, candidacy, criteria, bad
):
    client.force_login(reviewer)
    response = client.post(page_url(candidacy), scores_post(criteria, bad, 4))
    assert response.status_code == 200
    assert "from 1 to 5" in response.content.decode()
    assert not Review.objects.exists()
    assert not ReviewScore.objects.exists()


def test_a_score_outside_one_to_five_is_refused_by_the_service(reviewer, candidacy, criteria):
    first, second = criteria
    for bad in (0, 6, True, "5", 4.5):
        with pytest.raises(ReviewInvalid, match="from 1 to 5"):
            review_save(
                candidacy=candidacy,
                reviewer=reviewer.person,
                scores={first.pk: bad, second.pk: 4},
                submit=True,
                by=reviewer,
            )
    with pytest.raises(ReviewInvalid, match="rubric"):
        review_save(
            candidacy=candidacy, reviewer=reviewer.person, scores={999999: 3}, submit=False, by=reviewer
        )
    assert not Review.objects.exists()


def test_reviews_are_closed_outside_the_review(client, reviewer, chair, candidacy, criteria):
    candidacy_decide(candidacy=candidacy, decision="selected", rationale="Strong.", by=chair)
    decisions_publish(cycle=candidacy.cycle, by=chair, justification="One strong candidate.")
    client.force_login(reviewer)
    response = client.post(page_url(candidacy), scores_post(criteria, 4, 4), follow=True)
    assert "reviews are written while the committee is reviewing" in response.content.decode()
    assert not Review.objects.exists()


# --- Recusal ------------------------------------------------------------------------------------------------


def recused_candidacy(cycle, person, number=30):
    candidacy = CandidacyFactory(cycle=cycle, person=person, number=number)
    NominationFactory(candidacy=candidacy, informal_mentoring=EVIDENCE)
    return candidacy


def assert_recused(client, candidacy, criteria, reason: str) -> None:
    page = client.get(page_url(candidacy))
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert f"Recused ({reason})" in text
    assert EVIDENCE not in text
    assert "<form" not in text.split('id="main"')[1].split("</main>")[0].replace(
        'action="/accounts/logout/"', ""
    )
    crafted = client.post(page_url(candidacy), scores_post(criteria, 5, 5), follow=True)
    assert f"You are recused from {candidacy.blind_label} ({reason})" in html.unescape(
        crafted.content.decode()
    )
    assert not Review.objects.filter(candidacy=candidacy).exists()
    listing = client.get(list_url(candidacy.cycle))
    assert f"Recused ({reason})" in html.unescape(listing.content.decode())


def test_a_member_two_levels_up_the_candidates_management_chain_is_recused(
    db, client, department, reviewing, criteria
):
    director = make_persona("director@example.com", department=department, level=9)
    reviewing.committee.create(person=director.person)
    middle = PersonFactory(department=department, manager=director.person, job_level=7)
    line = PersonFactory(department=department, manager=middle, job_level=6)
    person = PersonFactory(department=department, manager=line, job_level=4)
    candidacy = recused_candidacy(reviewing, person)
    client.force_login(director)
    assert_recused(client, candidacy, criteria, "in the candidate's management chain")


def test_a_member_who_nominated_the_candidate_is_recused(client, reviewer, reviewing, criteria, department):
    candidacy = recused_candidacy(reviewing, PersonFactory(department=department))
    NominationFactory(candidacy=candidacy, nominator=reviewer.person)
    client.force_login(reviewer)
    assert_recused(client, candidacy, criteria, "nominated the candidate")


def test_a_member_is_recused_from_their_own_candidacy(client, reviewer, reviewing, criteria):
    candidacy = recused_candidacy(reviewing, reviewer.person)
    client.force_login(reviewer)
    assert_recused(client, candidacy, criteria, "the reviewer is the candidate")


def test_the_recused_reviewers_crafted_post_is_refused_by_the_service_too(
    db, reviewing, criteria, department
):
    boss = PersonFactory(department=department)
    reviewing.committee.create(person=boss)
    person = PersonFactory(department=department, manager=PersonFactory(department=department, manager=boss))
    candidacy = recused_candidacy(reviewing, person)
    with pytest.raises(CohortError, match="recused"):
        review_save(
            candidacy=candidacy,
            reviewer=boss,
            scores={c.pk: 5 for c in criteria},
            submit=True,
            by=None,
        )
    assert not Review.objects.exists()


def test_someone_the_member_manages_does_not_recuse_them_from_an_unrelated_candidate(
    client, reviewer, reviewing, criteria, department
):
    """Only managers above the candidate are in their chain: a reviewer managed by the candidate reviews."""
    candidate_boss = PersonFactory(department=department)
    candidacy = recused_candidacy(reviewing, candidate_boss)
    reviewer.person.manager = candidate_boss
    reviewer.person.save(update_fields=["manager"])
    client.force_login(reviewer)
    assert "Recused" not in client.get(page_url(candidacy)).content.decode()


def test_a_member_declares_a_conflict_and_is_recused(client, reviewer, chair, candidacy, criteria):
    client.force_login(reviewer)
    client.post(page_url(candidacy), scores_post(criteria, 4, action="draft"))
    refused = client.post(
        reverse("cohorts:review_conflict", args=[candidacy.cycle_id, candidacy.pk]), {"note": ""}
    )
    assert "Say briefly what the conflict is." in refused.content.decode()
    assert Review.objects.get().recusal == ""

    client.post(
        reverse("cohorts:review_conflict", args=[candidacy.cycle_id, candidacy.pk]),
        {"note": "We co-authored a paper last year."},
    )
    review = Review.objects.get()
    assert review.recusal == Review.Recusal.DECLARED
    client.force_login(chair)
    board = client.get(reverse("cohorts:review_progress", args=[candidacy.cycle_id]))
    assert "Candidate 17: We co-authored a paper last year." in html.unescape(board.content.decode())
    client.force_login(reviewer)
    assert review.recusal_note == "We co-authored a paper last year."
    assert not review.scores.exists()
    page = client.get(page_url(candidacy))
    assert "Recused (declared a conflict of interest)" in page.content.decode()
    crafted = client.post(page_url(candidacy), scores_post(criteria, 5, 5), follow=True)
    assert "You declared a conflict with Candidate 17" in crafted.content.decode()
    assert not ReviewScore.objects.exists()


# --- Access -------------------------------------------------------------------------------------------------


def test_only_the_cycles_committee_reaches_the_review(client, candidacy, hr_admin, employee, outsider):
    for user in (hr_admin, employee, outsider):
        client.force_login(user)
        assert client.get(list_url(candidacy.cycle)).status_code == 404
        assert client.get(page_url(candidacy)).status_code == 404
    client.logout()
    assert client.get(list_url(candidacy.cycle)).status_code == 302


def test_candidacies_not_accepted_or_of_another_cycle_and_cycles_not_reviewing_are_not_found(
    client, reviewer, candidacy, reviewing
):
    client.force_login(reviewer)
    invited = CandidacyFactory(cycle=reviewing, status=Candidacy.Status.INVITED)
    other = CandidacyFactory()
    assert client.get(page_url(invited)).status_code == 404
    assert client.get(reverse("cohorts:review_candidacy", args=[reviewing.pk, other.pk])).status_code == 404
    reviewing.status = NominationCycle.Status.OPEN
    reviewing.save(update_fields=["status"])
    assert client.get(list_url(reviewing)).status_code == 404
    assert client.get(page_url(candidacy)).status_code == 404


def test_the_review_pages_run_a_bounded_number_of_queries(client, reviewer, reviewing, department, criteria):
    client.force_login(reviewer)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            c = CandidacyFactory(cycle=reviewing, person__department=department)
            NominationFactory(candidacy=c)
            NominationFactory(candidacy=c)
            EndorsementFactory(cycle=reviewing, person=c.person)

    add(2)
    small = count(list_url(reviewing))
    add(8)
    assert count(list_url(reviewing)) == small
    progress_user = reviewing.committee.get(is_chair=True).person.user
    client.force_login(progress_user)
    small_progress = count(reverse("cohorts:review_progress", args=[reviewing.pk]))
    add(3)
    assert count(reverse("cohorts:review_progress", args=[reviewing.pk])) == small_progress


# --- Progress and reminders ---------------------------------------------------------------------------------


def test_the_progress_board_counts_done_outstanding_and_recusals_apart(
    client, chair, reviewer, second_reviewer, hr_admin, candidacy, reviewing, criteria, department
):
    review_save(
        candidacy=candidacy,
        reviewer=reviewer.person,
        scores={c.pk: 4 for c in criteria},
        submit=True,
        by=reviewer,
    )
    nominated = CandidacyFactory(cycle=reviewing, person__department=department)
    NominationFactory(candidacy=nominated, nominator=second_reviewer.person)
    for user in (chair, hr_admin):
        client.force_login(user)
        response = client.get(reverse("cohorts:review_progress", args=[reviewing.pk]))
        assert response.status_code == 200
        rows = {row.person.pk: row for row in response.context["rows"]}
        assert (rows[reviewer.person.pk].submitted, rows[reviewer.person.pk].outstanding) == (1, 1)
        assert (rows[second_reviewer.person.pk].outstanding, rows[second_reviewer.person.pk].recused) == (
            1,
            1,
        )
        assert rows[chair.person.pk].outstanding == 2
        assert_blind(response, candidacy.person)
    client.force_login(reviewer)
    assert client.get(reverse("cohorts:review_progress", args=[reviewing.pk])).status_code == 404


def test_the_reminder_goes_once_to_members_with_outstanding_reviews_near_the_deadline(
    reviewer, chair, second_reviewer, candidacy, reviewing, criteria
):
    for member in (chair, second_reviewer):
        review_save(
            candidacy=candidacy,
            reviewer=member.person,
            scores={c.pk: 3 for c in criteria},
            submit=True,
            by=member,
        )
    due = reviewing.review_due_on
    with time_machine.travel(
        datetime.datetime.combine(due - datetime.timedelta(days=5), datetime.time(9, tzinfo=datetime.UTC)),
        tick=False,
    ):
        assert remind_outstanding_reviews() == 0
    with time_machine.travel(
        datetime.datetime.combine(due - datetime.timedelta(days=2), datetime.time(9, tzinfo=datetime.UTC)),
        tick=False,
    ):
        assert remind_outstanding_reviews() == 1
        assert remind_outstanding_reviews() == 0
    with time_machine.travel(
        datetime.datetime.combine(due - datetime.timedelta(days=1), datetime.time(9, tzinfo=datetime.UTC)),
        tick=False,
    ):
        assert remind_outstanding_reviews() == 0
    with time_machine.travel(
        datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(9, tzinfo=datetime.UTC)),
        tick=False,
    ):
        assert remind_outstanding_reviews() == 1
        assert remind_outstanding_reviews() == 0
    reminders = Notification.objects.filter(kind="cohort_review_reminder")
    assert set(reminders.values_list("recipient", flat=True)) == {reviewer.person.pk}
    assert reminders.count() == 2
    assert all(candidacy.person.full_name not in n.body + n.subject for n in reminders)


def test_no_reminder_once_the_review_is_over(reviewer, candidacy, reviewing):
    reviewing.status = NominationCycle.Status.DECIDED
    reviewing.decisions_published_at = timezone.now()
    reviewing.save(update_fields=["status", "decisions_published_at"])
    due = reviewing.review_due_on
    with time_machine.travel(
        datetime.datetime.combine(due, datetime.time(9, tzinfo=datetime.UTC)), tick=False
    ):
        assert remind_outstanding_reviews() == 0


def test_beat_runs_the_reminder_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["cohorts.remind_outstanding_reviews"]
    assert entry["task"] == remind_outstanding_reviews.name == "cohorts.remind_outstanding_reviews"


def test_committee_members_find_the_review_on_their_home_page(rf, reviewer, chair, employee, candidacy):
    request = rf.get("/")
    request.user = reviewer
    (panel,) = home_panels(request)
    assert panel.context["seats"][0].cycle == candidacy.cycle
    request.user = employee
    assert home_panels(request) == []


def test_the_home_panel_links_to_the_review(client, chair, candidacy):
    with mock.patch("mentoring.home.PANEL_PROVIDERS", ["cohorts.home.home_panels"]):
        client.force_login(chair)
        body = client.get(reverse("home")).content.decode()
    assert reverse("cohorts:review_list", args=[candidacy.cycle_id]) in body
    assert reverse("cohorts:ranking", args=[candidacy.cycle_id]) in body
    assert candidacy.person.full_name not in body


def test_a_candidacy_page_runs_a_bounded_number_of_queries(client, reviewer, candidacy, criteria):
    client.force_login(reviewer)
    review_save(
        candidacy=candidacy,
        reviewer=reviewer.person,
        scores={c.pk: 4 for c in criteria},
        submit=True,
        by=reviewer,
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(candidacy)).status_code == 200
        return len(queries)

    small = count()
    for _ in range(5):
        NominationFactory(candidacy=candidacy)
        EndorsementFactory(cycle=candidacy.cycle, person=candidacy.person)
    assert count() == small
