"""Match runs from start to publish, on tiny pools whose answers are worked out by hand.

Only the skills question counts (every HR criterion weighs 0), so a pair's score is 100 x the Jaccard
index of the two people's chosen skills.
"""

from datetime import timedelta

import pytest

from matching.models import MatchRun, MentorRequest, Mentorship, PairRule, Proposal
from matching.services import MatchingError
from matching.services.choice import mentor_requests_create
from matching.services.mentorships import mentorship_create, mentorship_transition
from matching.services.quality import BELOW_MINIMUM, CAPACITY_EXHAUSTED, NO_ELIGIBLE_MENTOR, NOT_NEEDED
from matching.services.runs import (
    STALE_AFTER,
    match_run_discard,
    match_run_execute,
    match_run_publish,
    match_run_rerun,
    match_run_start,
    mentee_rematch,
    proposal_forbid,
    proposal_pin,
    proposal_swap,
    swap_alternatives,
)
from notifications.models import Notification
from people.factories import PersonFactory
from programs.factories import AnswerFactory, ParticipantFactory, QuestionFactory, ResourceFactory
from programs.models import Program, Resource

pytestmark = pytest.mark.django_db

L, C, T, P = "Leadership", "Communication", "Technical depth", "Career planning"


@pytest.fixture
def matching_program(program):
    program.status = Program.Status.MATCHING
    program.weight_different_department = 0
    program.weight_different_division = 0
    program.weight_mentor_senior = 0
    program.weight_same_location = 0
    program.min_match_score = 0
    program.save()
    return program


@pytest.fixture
def person_with(approved, matching_program):
    skills = matching_program.questions.get()

    def make(role, chosen, *, capacity=None, name="", **person):
        kwargs = {"capacity": capacity} if role == "mentor" else {}
        p = approved(role, person=PersonFactory(full_name=name or f"{role} {chosen}", **person), **kwargs)
        AnswerFactory(participant=p, question=skills, value=list(chosen))
        return p

    return make


def run_now(program, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(program=program, by=by)
    run.refresh_from_db()
    return run


def pairs_of(run):
    proposals = run.proposals.select_related("mentee__person", "mentor__person")
    return {(p.mentee.person.full_name, p.mentor.person.full_name): round(p.score, 2) for p in proposals}


@pytest.fixture
def blocking_pool(person_with):
    """x likes A best, but y can only have A (B manages y): the best total pairs x-B and y-A, and
    x with A is a blocking pair."""
    a = person_with("mentor", [L, C, T], capacity=1, name="A")
    b = person_with("mentor", [L, C, T, P], capacity=1, name="B")
    x = person_with("mentee", [L, C, T], name="x")
    y = person_with("mentee", [L, C], name="y", manager=b.person)
    return a, b, x, y


def test_a_run_proposes_the_best_total_with_breakdowns_that_sum_to_the_score(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert run.status == MatchRun.Status.DONE and run.progress == 100
    assert pairs_of(run) == {("x", "B"): 75.0, ("y", "A"): pytest.approx(66.67, abs=0.01)}
    for proposal in run.proposals.all():
        assert sum(b["points"] for b in proposal.breakdown) == pytest.approx(proposal.score, abs=1e-3)
        assert {"criterion", "weight", "similarity", "points"} <= set(proposal.breakdown[0])
    assert run.params["priority"] == "best_scores" and run.started_by == hr_admin


def test_the_quality_report_counts_a_blocking_pair_and_first_choices(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    stats = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks).stats
    assert stats["share_matched"] == 1.0
    assert stats["mean_score"] == pytest.approx(70.8) and stats["lowest_score"] == pytest.approx(66.7)
    # x got B, its second choice; y got A, its only feasible mentor.
    assert stats["share_first"] == 0.5 and stats["share_top5"] == 1.0
    assert stats["blocking_pairs"] == 1
    assert stats["mentor_load"] == 1.0 and stats["load_histogram"] == [[1, 2]]
    assert stats["unmatched"] == []
    # Two mentees in one group: under the minimum group size, so no mean is shown.
    assert all(g["suppressed"] and g["mean"] is None for g in stats["by_division"] + stats["by_gender"])


def test_unmatched_mentees_get_their_reason(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    matching_program.min_match_score = 10
    matching_program.save()
    m = person_with("mentor", [L], capacity=1, name="M")
    person_with("mentee", [L], name="p")
    person_with("mentee", [L, C], name="q")
    person_with("mentee", [L], name="r", manager=m.person)
    person_with("mentee", [T], name="s")
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert pairs_of(run) == {("p", "M"): 100.0}
    reasons = {u["name"]: u["reason"] for u in run.stats["unmatched"]}
    assert reasons == {"q": CAPACITY_EXHAUSTED, "r": NO_ELIGIBLE_MENTOR, "s": BELOW_MINIMUM}


def test_a_run_starts_only_in_matching_or_running_and_one_at_a_time(person_with, matching_program, hr_admin):
    matching_program.status = Program.Status.ENROLLING
    matching_program.save()
    with pytest.raises(MatchingError, match="is enrolling"):
        match_run_start(program=matching_program, by=hr_admin)
    matching_program.status = Program.Status.MATCHING
    matching_program.save()
    match_run_start(program=matching_program, by=hr_admin)  # queued: on_commit never ran
    with pytest.raises(MatchingError, match="already under way"):
        match_run_start(program=matching_program, by=hr_admin)
    assert MatchRun.objects.count() == 1


def test_a_run_that_breaks_fails_with_a_plain_message(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks, monkeypatch
):
    person_with("mentor", [L])
    person_with("mentee", [L])

    def broken(*args, **kwargs):
        raise RuntimeError("the flow did not converge")

    monkeypatch.setattr("matching.services.runs.match", broken)
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert run.status == MatchRun.Status.FAILED
    assert "the flow did not converge" in run.error and not run.proposals.exists()


@pytest.fixture
def language_clash(person_with, matching_program):
    """A mentor and a mentee whose answers to a hard "same language" question differ."""
    language = QuestionFactory(
        program=matching_program,
        kind="single",
        choices=["English", "French"],
        match_rule="same",
        hard=True,
        mentee_text="Which language do you prefer?",
    )
    mentor = person_with("mentor", [L])
    mentee = person_with("mentee", [L])
    AnswerFactory(participant=mentor, question=language, value="English")
    AnswerFactory(participant=mentee, question=language, value="French")
    return mentor, mentee


def test_pinning_a_pair_that_breaks_a_hard_rule_is_refused_naming_the_rule(
    language_clash, person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    mentor, mentee = language_clash
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    with pytest.raises(MatchingError, match="hard rule “Which language do you prefer\\?”"):
        proposal_pin(run=run, mentor=mentor, mentee=mentee, by=hr_admin)
    boss = person_with("mentor", [L])
    report = person_with("mentee", [L], manager=boss.person)
    with pytest.raises(MatchingError, match="reporting line"):
        proposal_pin(run=run, mentor=boss, mentee=report, by=hr_admin)
    assert not PairRule.objects.exists()


def test_pins_and_forbids_are_honoured_by_the_rerun(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    a, _b, x, y = blocking_pool
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    proposal_forbid(run=run, mentor=a, mentee=y, by=hr_admin, reason="They work on the same ward")
    proposal_pin(run=run, mentor=a, mentee=x, by=hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        second = match_run_rerun(run=run, by=hr_admin)
    second.refresh_from_db()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DISCARDED
    assert pairs_of(second) == {("x", "A"): 100.0}
    assert second.proposals.get().pinned
    assert second.params["pins"] == [[x.pk, a.pk]] and second.params["forbids"] == [[y.pk, a.pk]]
    assert {u["name"]: u["reason"] for u in second.stats["unmatched"]} == {
        "y": NO_ELIGIBLE_MENTOR,
        "B": NOT_NEEDED,  # x suits B, but x is pinned to A
    }


def test_a_swap_takes_a_feasible_mentor_with_a_free_place_and_rescores(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    best = person_with("mentor", [L], capacity=1, name="best")
    spare = person_with("mentor", [L, C], capacity=1, name="spare")
    boss = person_with("mentor", [L], capacity=1, name="boss")
    mentee = person_with("mentee", [L], name="e", manager=boss.person)
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    proposal = run.proposals.get()
    assert proposal.mentor == best
    assert swap_alternatives(run, proposal) == [{"mentor": spare.pk, "score": 50.0}]
    with pytest.raises(MatchingError, match="reporting line"):
        proposal_swap(run=run, proposal=proposal, mentor=boss, by=hr_admin)
    proposal_swap(run=run, proposal=proposal, mentor=spare, by=hr_admin)
    proposal.refresh_from_db()
    assert (proposal.mentor, proposal.score) == (spare, 50.0)
    assert sum(b["points"] for b in proposal.breakdown) == pytest.approx(50.0)
    assert proposal.mentee == mentee
    run.refresh_from_db()
    assert run.stats["swaps"] == 1


def test_a_swap_to_a_mentor_at_capacity_in_the_run_is_refused(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    a = person_with("mentor", [L], capacity=1, name="A")
    b = person_with("mentor", [C], capacity=1, name="B")
    person_with("mentee", [L], name="x")
    person_with("mentee", [C], name="y")
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    proposal = run.proposals.get(mentor=a)
    with pytest.raises(MatchingError, match="at capacity in this run"):
        proposal_swap(run=run, proposal=proposal, mentor=b, by=hr_admin)
    assert pairs_of(run) == {("x", "A"): 100.0, ("y", "B"): 100.0}


def test_publishing_makes_the_pairs_introduces_both_sides_and_starts_the_program(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks, mailoutbox
):
    a, b, x, y = blocking_pool
    ResourceFactory(program=None, kind=Resource.Kind.FIRST_MEETING, title="What do you hope to learn?")
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_publish(run=run, by=hr_admin)
    run.refresh_from_db()
    matching_program.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED and run.published_by == hr_admin and run.published_at
    assert matching_program.status == Program.Status.RUNNING
    pairs = Mentorship.objects.filter(run=run)
    assert {(m.mentee_id, m.mentor_id) for m in pairs} == {(x.pk, b.pk), (y.pk, a.pk)}
    assert all(m.status == "active" and m.score for m in pairs)
    intro = Notification.objects.filter(kind="pair_introduction")
    assert intro.count() == 4
    to_x = intro.get(recipient=x.person)
    assert to_x.key.endswith(":mentee") and "B" in to_x.subject and b.person.email in to_x.body
    assert "What do you hope to learn?" in to_x.body and "Why this pair" in to_x.body
    to_b = intro.get(recipient=b.person)
    assert to_b.key.endswith(":mentor") and x.person.email in to_b.body
    assert to_x.url == matching_program.get_absolute_url()
    assert len(mailoutbox) == 4


def test_publishing_twice_is_refused_and_changes_nothing(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    match_run_publish(run=run, by=hr_admin)
    with pytest.raises(MatchingError, match="already published"):
        match_run_publish(run=run, by=hr_admin)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED
    assert Mentorship.objects.count() == 2 and Notification.objects.count() == 4


def test_a_later_run_pairs_newcomers_and_publishes_alongside_the_first(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    person_with("mentor", [L], capacity=1, name="A")
    person_with("mentee", [L], name="x")
    first = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    match_run_publish(run=first, by=hr_admin)
    person_with("mentor", [C], capacity=1, name="B")
    person_with("mentee", [C], name="late")
    later = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)  # program is running
    assert pairs_of(later) == {("late", "B"): 100.0}
    match_run_publish(run=later, by=hr_admin)
    pairs = Mentorship.objects.select_related("mentee__person", "run")
    assert {(p.mentee.person.full_name, p.run_id) for p in pairs} == {("x", first.pk), ("late", later.pk)}


def test_publishing_discards_the_other_runs_and_refuses_one_that_started_before_it(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    other = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    chosen = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        stale = match_run_start(program=matching_program, by=hr_admin)  # queued, not yet executed
    MatchRun.objects.filter(pk=stale.pk).update(status=MatchRun.Status.DONE)  # as if it had just finished
    match_run_publish(run=chosen, by=hr_admin)
    other.refresh_from_db()
    assert other.status == MatchRun.Status.DISCARDED
    with pytest.raises(MatchingError, match=f"published from run {chosen.pk} after this run started"):
        match_run_publish(run=stale, by=hr_admin)
    assert Mentorship.objects.count() == 2 and Notification.objects.count() == 4


def test_a_publish_that_cannot_make_every_pair_makes_none(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    a = blocking_pool[0]
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    mentorship_create(mentor=a, mentee=another_mentee(matching_program), by=hr_admin, source="manual")
    with pytest.raises(MatchingError, match=r"Nothing was published.*at capacity"):
        match_run_publish(run=run, by=hr_admin)
    run.refresh_from_db()
    matching_program.refresh_from_db()
    assert run.status == MatchRun.Status.DONE and matching_program.status == Program.Status.MATCHING
    assert Mentorship.objects.filter(run=run).count() == 0 and not Notification.objects.exists()


def another_mentee(program):
    return ParticipantFactory(program=program, role="mentee", status="approved")


def test_a_rerun_while_running_pairs_only_the_unpaired_within_places_left(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    a = person_with("mentor", [L], capacity=2, name="A")
    person_with("mentor", [L, C], capacity=1, name="B")
    paired = person_with("mentee", [L], name="paired")
    mentorship_create(mentor=a, mentee=paired, by=hr_admin, source="manual")
    person_with("mentee", [L], name="n1")
    person_with("mentee", [L], name="n2")
    matching_program.status = Program.Status.RUNNING
    matching_program.save()
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert run.params["rematch"] is True
    got = pairs_of(run)
    assert len(got) == 2 and ("paired", "A") not in got
    assert sorted(mentor for _, mentor in got) == ["A", "B"]  # A had one place left


def test_rematch_pairs_a_mentee_with_the_best_free_mentor_never_the_previous_one(
    person_with, matching_program, hr_admin
):
    first = person_with("mentor", [L], capacity=1, name="first")
    full = person_with("mentor", [L], capacity=1, name="full")
    person_with("mentor", [L, C], capacity=1, name="next")
    mentee = person_with("mentee", [L], name="e")
    mentorship_create(mentor=full, mentee=person_with("mentee", [T]), by=hr_admin, source="manual")
    ended = mentorship_create(mentor=first, mentee=mentee, by=hr_admin, source="manual")
    mentorship_transition(mentorship=ended, to="ended_early", by=hr_admin, why="Schedules clash")
    pair, parts = mentee_rematch(mentee=mentee, by=hr_admin)
    assert pair.mentor.person.full_name == "next" and pair.source == "rematch" and pair.score == 50.0
    assert sum(p["points"] for p in parts) == pytest.approx(50.0)
    assert Notification.objects.filter(kind="pair_introduction").count() == 2
    with pytest.raises(MatchingError, match="already has a current mentor"):
        mentee_rematch(mentee=mentee, by=hr_admin)


def test_rematch_says_so_when_no_mentor_is_free(person_with, matching_program, hr_admin):
    mentor = person_with("mentor", [L], capacity=1)
    mentee = person_with("mentee", [L], manager=mentor.person)
    with pytest.raises(MatchingError, match="No mentor with a free place suits"):
        mentee_rematch(mentee=mentee, by=hr_admin)
    assert not Mentorship.objects.exists()


def test_proposals_are_kept_for_audit_after_publishing(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    match_run_publish(run=run, by=hr_admin)
    assert Proposal.objects.filter(run=run).count() == 2


def test_a_run_lost_by_its_worker_does_not_block_the_next_one(person_with, matching_program, hr_admin):
    import time_machine

    lost = match_run_start(program=matching_program, by=hr_admin)
    MatchRun.objects.filter(pk=lost.pk).update(status=MatchRun.Status.RUNNING)
    with time_machine.travel(lost.created_at + STALE_AFTER + timedelta(minutes=1)):
        match_run_start(program=matching_program, by=hr_admin)
    lost.refresh_from_db()
    assert lost.status == MatchRun.Status.FAILED and "without finishing" in lost.error


def test_a_run_claimed_twice_is_done_once(
    blocking_pool, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert match_run_execute(run_id=run.pk) is None
    assert run.proposals.count() == 2


def test_pins_never_exceed_a_mentors_capacity_and_a_later_decision_replaces_an_earlier_one(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    mentor = person_with("mentor", [L], capacity=1)
    first, second = person_with("mentee", [L]), person_with("mentee", [L, C])
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    proposal_pin(run=run, mentor=mentor, mentee=first, by=hr_admin)
    with pytest.raises(MatchingError, match="already has 1 pinned mentee, their capacity"):
        proposal_pin(run=run, mentor=mentor, mentee=second, by=hr_admin)
    proposal_forbid(run=run, mentor=mentor, mentee=first, by=hr_admin)
    assert PairRule.objects.get().kind == PairRule.Kind.FORBID
    assert not run.proposals.filter(pinned=True).exists()
    proposal_pin(run=run, mentor=mentor, mentee=second, by=hr_admin)  # the place is free again
    assert PairRule.objects.filter(kind=PairRule.Kind.PIN).count() == 1


def test_a_run_waiting_for_review_holds_rematching_until_it_is_published_or_discarded(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    person_with("mentor", [L], capacity=2, name="M")
    person_with("mentee", [L], name="first")
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    match_run_publish(run=run, by=hr_admin)
    late = person_with("mentee", [L], name="late")
    later = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert later.status == MatchRun.Status.DONE and pairs_of(later) == {("late", "M"): 100.0}
    with pytest.raises(MatchingError, match="A run is waiting for review"):
        mentee_rematch(mentee=late, by=hr_admin)
    match_run_discard(run=later, by=hr_admin)
    pair, _ = mentee_rematch(mentee=late, by=hr_admin)
    assert pair.mentor.person.full_name == "M"
    with pytest.raises(MatchingError, match="Only a run ready for review can be discarded"):
        match_run_discard(run=later, by=hr_admin)


def test_a_pin_replaces_a_forbid_but_never_brings_back_a_pair_that_ended_early(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    mentor, mentee = person_with("mentor", [L]), person_with("mentee", [L])
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    proposal_forbid(run=run, mentor=mentor, mentee=mentee, by=hr_admin)
    proposal_pin(run=run, mentor=mentor, mentee=mentee, by=hr_admin, reason="Changed our mind")
    assert PairRule.objects.get().kind == PairRule.Kind.PIN
    PairRule.objects.all().delete()
    pair = mentorship_create(mentor=mentor, mentee=mentee, by=hr_admin, source="manual")
    mentorship_transition(mentorship=pair, to="ended_early", by=hr_admin, why="No chemistry")
    with pytest.raises(MatchingError, match="ended early before"):
        proposal_pin(run=run, mentor=mentor, mentee=mentee, by=hr_admin)


def test_a_run_leaves_mentees_waiting_for_their_chosen_mentor_to_that_choice(
    person_with, matching_program, hr_admin, django_capture_on_commit_callbacks
):
    matching_program.matching_mode = Program.MatchingMode.BOTH
    matching_program.save(update_fields=["matching_mode"])
    chosen = person_with("mentor", [L], capacity=1, name="A")
    person_with("mentor", [L], capacity=1, name="B")
    chooser = person_with("mentee", [L], name="chooser")
    person_with("mentee", [L], name="other")
    mentor_requests_create(mentee=chooser, mentors=[chosen], by=None)
    run = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert {mentee for mentee, _ in pairs_of(run)} == {"other"}
    assert run.stats["choosing"] == 1
    MentorRequest.objects.update(status=MentorRequest.Status.DECLINED)
    again = run_now(matching_program, hr_admin, django_capture_on_commit_callbacks)
    assert {mentee for mentee, _ in pairs_of(again)} == {"chooser", "other"}
