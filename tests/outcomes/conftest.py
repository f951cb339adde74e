"""A small, hand-built program whose every figure can be worked out by hand (see ``build``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
import time_machine
from django.utils import timezone

from feedback.models import CheckIn, ClosureSurvey, Goal, Milestone, Session, SessionFeedback
from matching.models import Mentorship
from people.models import Department, Person
from programs.factories import ParticipantFactory
from programs.models import KeyResult, Participant, Program
from tests.factories import DepartmentFactory, PersonFactory
from tests.fixtures.programs import FIXED_TODAY


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=False):
        yield


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class Built:
    program: Program
    pairs: list[Mentorship] = field(default_factory=list)
    mentors: list[Participant] = field(default_factory=list)
    mentees: list[Participant] = field(default_factory=list)
    other_department: Department | None = None


def build(program: Program, department: Department, *, scale: int = 1) -> Built:
    """``6 * scale`` pairs in ``department``, one more mentee in another division who is matched too, two
    applicants who were never matched, sessions, feedback, a check-in quarter, goals and a closure.

    Period used by the tests: 1 September to 30 October 2026 (60 days). Per block of six pairs:
    - pairs 0-4 started 1 September and are active; pair 5 started 1 September and completed 30 October;
    - pairs 0-2 held 4 sessions (15 and 29 Sep, 13 and 27 Oct), pairs 3-4 held 1, pair 5 none;
    - each held session rated by the mentee: pairs 0-2 rate 5, pairs 3-4 rate 2; mentors rate 4 everywhere;
    - first sessions carry a fit check: pairs 0-2 "good", pairs 3-4 "not good";
    - every participant of pairs 0-5 got a check-in for Q3 (period 1 July): mentees answered
      (satisfaction 4, progress 3), mentors did not;
    - each pair set one goal; pairs 0-2 achieved it (one milestone done), pairs 3-5 keep it open;
    - pair 5's members answered the closure survey: all goals achieved, would recommend, mentor: ready now.
    """
    program.status = Program.Status.RUNNING
    program.starts_on = datetime.date(2026, 1, 1)
    program.ends_on = datetime.date(2027, 6, 30)
    program.enrollment_opens_on = datetime.date(2025, 11, 1)
    program.enrollment_closes_on = datetime.date(2025, 12, 15)
    program.matching_on = datetime.date(2025, 12, 20)
    program.save()
    built = Built(program=program)
    other = DepartmentFactory(name="Finance", division__name="Corporate Services")
    built.other_department = other
    september = datetime.date(2026, 9, 1)
    for _block in range(scale):
        for index in range(6):
            mentor = ParticipantFactory(
                program=program,
                role="mentor",
                status="approved",
                person=PersonFactory(department=department, job_level=7),
            )
            mentee = ParticipantFactory(
                program=program,
                role="mentee",
                status="approved",
                person=PersonFactory(department=department, job_level=2),
            )
            Participant.objects.filter(pk=mentee.pk).update(applied_at=at(datetime.date(2026, 8, 20)))
            completed = index == 5
            pair = Mentorship.objects.create(
                program=program,
                mentor=mentor,
                mentee=mentee,
                status=Mentorship.Status.COMPLETED if completed else Mentorship.Status.ACTIVE,
                started_on=september,
                ended_on=datetime.date(2026, 10, 30) if completed else None,
                score=[85, 85, 85, 55, 55, 30][index],
                source="manual",
            )
            Mentorship.objects.filter(pk=pair.pk).update(created_at=at(datetime.date(2026, 8, 30)))
            built.pairs.append(pair)
            built.mentors.append(mentor)
            built.mentees.append(mentee)
            held = 4 if index < 3 else (1 if index < 5 else 0)
            days = [datetime.date(2026, 9, 15), datetime.date(2026, 9, 29), datetime.date(2026, 10, 13),
                    datetime.date(2026, 10, 27)][:held]  # fmt: skip
            for number, day in enumerate(days):
                session = Session.objects.create(
                    mentorship=pair,
                    status=Session.Status.HELD,
                    starts_at=at(day),
                    duration_minutes=60,
                    format="video",
                    logged_at=at(day, 12),
                )
                fit = "" if number else ("good" if index < 3 else "not_good")
                SessionFeedback.objects.create(
                    session=session, participant=mentee, rating=5 if index < 3 else 2, fit=fit
                )
                SessionFeedback.objects.create(session=session, participant=mentor, rating=4)
            for participant in (mentor, mentee):
                CheckIn.objects.create(
                    mentorship=pair,
                    participant=participant,
                    period_start=datetime.date(2026, 7, 1),
                    due_on=datetime.date(2026, 9, 15),
                    submitted_at=at(datetime.date(2026, 9, 10)) if participant.role == "mentee" else None,
                    satisfaction=4 if participant.role == "mentee" else None,
                    goal_progress=3 if participant.role == "mentee" else None,
                )
            goal = Goal.objects.create(
                mentorship=pair, title="Lead a project", status="achieved" if index < 3 else "open"
            )
            Goal.objects.filter(pk=goal.pk).update(created_at=at(datetime.date(2026, 9, 2)))
            Milestone.objects.create(
                goal=goal, title="Scope it", done_on=datetime.date(2026, 10, 1) if index < 3 else None
            )
            if completed:
                for participant in (mentor, mentee):
                    survey = ClosureSurvey.objects.create(
                        mentorship=pair,
                        participant=participant,
                        goals_achieved="all",
                        would_recommend=True,
                        promotion_readiness="ready_now" if participant.role == "mentor" else "",
                    )
                    ClosureSurvey.objects.filter(pk=survey.pk).update(
                        submitted_at=at(datetime.date(2026, 10, 30))
                    )
    # One pair in another division; two applicants never matched (one declined).
    mentor = ParticipantFactory(
        program=program, role="mentor", status="approved", person=PersonFactory(department=other, job_level=8)
    )
    mentee = ParticipantFactory(
        program=program, role="mentee", status="approved", person=PersonFactory(department=other, job_level=3)
    )
    built.pairs.append(
        Mentorship.objects.create(
            program=program,
            mentor=mentor,
            mentee=mentee,
            status="active",
            started_on=september,
            source="manual",
        )
    )
    ParticipantFactory(
        program=program, role="mentee", status="applied", person=PersonFactory(department=department)
    )
    ParticipantFactory(
        program=program, role="mentee", status="declined", person=PersonFactory(department=department)
    )
    KeyResult.objects.filter(program=program).delete()
    return built


@pytest.fixture
def built(program, department) -> Built:
    return build(program, department)


def people_in(department: Department) -> int:
    return Person.objects.filter(department=department).count()
