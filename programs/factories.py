"""factory-boy factories for programs, used by the test suite and by ``seed_demo``."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from people.factories import PersonFactory

from .models import Answer, KeyResult, MentorTraining, Participant, Program, Question, Resource


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Career mentoring {n}")
    slug = factory.Sequence(lambda n: f"career-mentoring-{n}")
    description = "Pairs early-career staff with experienced colleagues for a year."
    enrollment_opens_on = datetime.date(2026, 11, 1)
    enrollment_closes_on = datetime.date(2026, 12, 15)
    matching_on = datetime.date(2026, 12, 20)
    starts_on = datetime.date(2027, 1, 10)
    ends_on = datetime.date(2027, 12, 15)

    @factory.post_generation
    def coordinators(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.coordinators.set(extracted)

    @factory.post_generation
    def sponsors(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.sponsors.set(extracted)


class KeyResultFactory(DjangoModelFactory):
    class Meta:
        model = KeyResult

    program = factory.SubFactory(ProgramFactory)
    objective = "Most people who apply get a mentor"
    metric = KeyResult.Metric.MATCH_RATE
    baseline = 60
    target = 90


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    program = factory.SubFactory(ProgramFactory)
    order = factory.Sequence(lambda n: n)
    mentor_text = "Which skills can you help with?"
    mentee_text = "Which skills do you want to develop?"
    kind = Question.Kind.MULTI
    choices = ["Leadership", "Communication", "Technical depth", "Career planning"]
    match_rule = Question.MatchRule.OVERLAP
    weight = 8


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(PersonFactory)
    role = Participant.Role.MENTEE
    status = Participant.Status.APPLIED
    capacity = factory.LazyAttribute(lambda p: 2 if p.role == Participant.Role.MENTOR else None)


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    participant = factory.SubFactory(ParticipantFactory)
    question = factory.SubFactory(QuestionFactory, program=factory.SelfAttribute("..participant.program"))
    value = factory.LazyAttribute(lambda a: a.question.choices[:1] if a.question.kind == "multi" else "x")


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    program = factory.SubFactory(ProgramFactory)
    kind = Resource.Kind.PROMPT
    title = "Talk about a setback"
    body = "Ask about a time things went wrong and what was learned."


class MentorTrainingFactory(DjangoModelFactory):
    class Meta:
        model = MentorTraining

    person = factory.SubFactory(PersonFactory)
    completed_on = datetime.date(2025, 9, 1)
