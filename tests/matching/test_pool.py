"""Loading a program's approved participants into a scoring pool."""

from __future__ import annotations

import pytest

from matching.pool import load_pool
from matching.scoring import breakdown, score_block
from matching.solver import match
from programs.models import Answer, Participant, Program
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_it_loads_approved_participants_answers_and_the_org_chart(django_assert_max_num_queries):
    program = Program.objects.create(
        name="Leaders", slug="leaders", weight_different_department=0, weight_mentor_senior=0
    )
    topics = program.questions.create(
        mentor_text="Topics you teach",
        mentee_text="Topics you want",
        kind="multi",
        choices=["sales", "finance", "people"],
        match_rule="overlap",
        weight=5,
    )
    language = program.questions.create(
        mentor_text="Language", mentee_text="Language", kind="single", match_rule="same", hard=True
    )
    boss = PersonFactory(location="Berlin ")
    report = PersonFactory(manager=boss, location="berlin")
    peer = PersonFactory(location="Paris")
    mentor_boss = program.participants.create(person=boss, role="mentor", status="approved", capacity=2)
    mentor_peer = program.participants.create(person=peer, role="mentor", status="approved", capacity=1)
    mentee = program.participants.create(person=report, role="mentee", status="approved")
    program.participants.create(person=PersonFactory(), role="mentee", status=Participant.Status.APPLIED)
    for participant, chosen, spoken in (
        (mentor_boss, ["sales", "people"], "en"),
        (mentor_peer, ["sales", "finance"], "EN "),
        (mentee, ["sales", "finance"], "en"),
    ):
        Answer.objects.create(participant=participant, question=topics, value=chosen)
        Answer.objects.create(participant=participant, question=language, value=spoken)

    with django_assert_max_num_queries(5):
        pool = load_pool(program)

    assert pool.mentor_ids.tolist() == [mentor_boss.pk, mentor_peer.pk]
    assert pool.mentee_ids.tolist() == [mentee.pk]
    assert pool.mentor_capacity.tolist() == [2, 1]
    assert pool.mentee_chain.tolist() == [[boss.pk]]
    assert pool.mentee_location[0] == pool.mentor_location[0] != pool.mentor_location[1]
    scores, feasible = score_block(pool, slice(0, 1))
    # The boss is out; the peer shares both topics and speaks the same language once spaces and case go.
    assert feasible.tolist() == [[False, True]]
    assert [label for label, *_ in breakdown(pool, 0, 1)] == ["Topics you want", "Language", "Same location"]
    assert scores[0, 1] == pytest.approx(100 * (5 * 1 + 5 * 1 + 2 * 0) / 12)
    assert match(pool).pairs() == {(0, 1)}


@pytest.mark.django_db
def test_forbidden_participant_pairs_become_pool_indices():
    program = Program.objects.create(name="Reverse", slug="reverse", kind=Program.Kind.REVERSE)
    mentor = program.participants.create(person=PersonFactory(), role="mentor", status="approved", capacity=1)
    mentee = program.participants.create(person=PersonFactory(), role="mentee", status="approved")
    pool = load_pool(program, forbidden=[(mentee.pk, mentor.pk)])
    assert pool.reverse
    assert pool.forbidden.tolist() == [[0, 0]]
    assert not score_block(pool, slice(0, 1))[1].any()


@pytest.mark.django_db
@pytest.mark.parametrize(("requirement", "counted"), [("master_preferred", True), ("none", False)])
def test_master_mentors_preferred_makes_the_certificate_a_weighted_criterion(requirement, counted):
    from people.models import PersonnelRecord
    from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE

    program = Program.objects.create(
        name="Leaders",
        slug="leaders",
        weight_different_department=0,
        weight_mentor_senior=0,
        weight_same_location=0,
        weight_master_mentor=4,
        mentor_requirement=requirement,
    )
    certified, other = PersonFactory(), PersonFactory()
    PersonnelRecord.objects.create(
        person=certified,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        effective_on="2026-06-30",
        title=MASTER_MENTOR_CERTIFICATE_TITLE.lower(),
    )
    program.participants.create(person=other, role="mentor", status="approved")
    program.participants.create(person=certified, role="mentor", status="approved")
    program.participants.create(person=PersonFactory(), role="mentee", status="approved")

    pool = load_pool(program)
    scores, _ = score_block(pool, slice(0, 1))
    if counted:
        assert pool.mentor_master.tolist() == [False, True]
        assert scores[0].tolist() == pytest.approx([0, 100])
        assert match(pool).pairs() == {(0, 1)}
    else:
        assert pool.weight_master_mentor == 0
        assert scores[0].tolist() == [0, 0]
