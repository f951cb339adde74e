"""factory-boy factories for the Master Mentor cycles, used by the test suite and by ``seed_demo``."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from people.factories import DivisionFactory, PersonFactory

from .models import (
    Attendance,
    Candidacy,
    Cohort,
    CohortEvent,
    CohortMember,
    CommitteeMember,
    Criterion,
    DivisionQuota,
    Endorsement,
    Nomination,
    NominationCycle,
    Review,
    ReviewScore,
)


class NominationCycleFactory(DjangoModelFactory):
    class Meta:
        model = NominationCycle

    name = factory.Sequence(lambda n: f"Master Mentors {n}")
    year = 2027
    nominations_open_on = datetime.date(2026, 11, 1)
    nominations_close_on = datetime.date(2026, 12, 15)
    review_due_on = datetime.date(2027, 1, 31)
    min_job_level = 3
    min_tenure_months = 24


class CommitteeMemberFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    cycle = factory.SubFactory(NominationCycleFactory)
    person = factory.SubFactory(PersonFactory)


class DivisionQuotaFactory(DjangoModelFactory):
    class Meta:
        model = DivisionQuota

    cycle = factory.SubFactory(NominationCycleFactory)
    division = factory.SubFactory(DivisionFactory)
    seats = 2


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    cycle = factory.SubFactory(NominationCycleFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    description = "What the committee looks for."
    weight = 1
    order = factory.Sequence(lambda n: n)


class EndorsementFactory(DjangoModelFactory):
    class Meta:
        model = Endorsement

    cycle = factory.SubFactory(NominationCycleFactory)
    endorser = factory.SubFactory(PersonFactory)
    person = factory.SubFactory(PersonFactory)
    reason = "Always makes time to think a problem through with me."


class CandidacyFactory(DjangoModelFactory):
    class Meta:
        model = Candidacy

    cycle = factory.SubFactory(NominationCycleFactory)
    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = Candidacy.Status.ACCEPTED


class NominationFactory(DjangoModelFactory):
    class Meta:
        model = Nomination

    candidacy = factory.SubFactory(CandidacyFactory)
    nominator = factory.SubFactory(PersonFactory)
    informal_mentoring = "Has guided three junior colleagues through their first year."
    sought_out = "New managers ask for advice on difficult conversations."
    sponsoring = "Recommended two people for stretch assignments; both were promoted."
    communication = "Listens first and gives direct, kind feedback."
    statement = ""


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    candidacy = factory.SubFactory(CandidacyFactory)
    reviewer = factory.SubFactory(PersonFactory)


class ReviewScoreFactory(DjangoModelFactory):
    class Meta:
        model = ReviewScore

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory)
    score = 4


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    cycle = factory.SubFactory(NominationCycleFactory)
    name = factory.LazyAttribute(lambda o: f"{o.cycle.name} cohort")
    starts_on = datetime.date(2027, 3, 1)
    ends_on = datetime.date(2027, 8, 31)

    @factory.post_generation
    def coordinators(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.coordinators.set(extracted)


class CohortMemberFactory(DjangoModelFactory):
    class Meta:
        model = CohortMember

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)


class CohortEventFactory(DjangoModelFactory):
    class Meta:
        model = CohortEvent

    cohort = factory.SubFactory(CohortFactory)
    kind = CohortEvent.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.Sequence(
        lambda n: datetime.datetime(2027, 3, 10, 14, 0, tzinfo=datetime.UTC) + datetime.timedelta(weeks=n)
    )
    duration_minutes = 120


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(CohortEventFactory)
    member = factory.SubFactory(CohortMemberFactory)
    status = Attendance.Status.PRESENT
