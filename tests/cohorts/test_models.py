"""The database keeps the cycle's invariants whatever a service forgets: one chair, one review per reviewer
and candidacy, scores from 1 to 5, no endorsing oneself."""

import pytest
from django.db import IntegrityError, transaction

from cohorts.factories import (
    CandidacyFactory,
    CommitteeMemberFactory,
    EndorsementFactory,
    ReviewFactory,
    ReviewScoreFactory,
)

pytestmark = pytest.mark.django_db


def test_a_cycle_has_one_chair(cycle, employee):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMemberFactory(cycle=cycle, person=employee.person, is_chair=True)


def test_scores_stay_between_1_and_5(cycle, reviewer):
    review = ReviewFactory(candidacy=CandidacyFactory(cycle=cycle), reviewer=reviewer.person)
    criterion = cycle.criteria.first()
    for bad in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReviewScoreFactory(review=review, criterion=criterion, score=bad)
    ReviewScoreFactory(review=review, criterion=criterion, score=5)


def test_nobody_endorses_themself(cycle, employee):
    with pytest.raises(IntegrityError), transaction.atomic():
        EndorsementFactory(cycle=cycle, endorser=employee.person, person=employee.person)
