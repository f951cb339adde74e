"""Demo programs for ``seed_demo``: three programs in different states with about 300 participants.

Everything goes through the same services as the pages, so the demo holds only what a real HR team
could have made. A program that already exists (by slug) is left as it is, so running the seed again
changes nothing. Dates are relative to the day of the first run, so the enrolling program is open.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from people.models import Person, User

from .models import Participant, Program, Question
from .services import ProgramError
from .services.config import program_create, program_update_section
from .services.eligibility import eligibility_problems
from .services.enrollment import participant_apply, participants_decide
from .services.lifecycle import program_transition
from .services.manager_approval import manager_approval_decide
from .services.playbook import resources_install_defaults
from .services.training import mentor_training_record

P = Participant.Status


@dataclass(frozen=True)
class DemoProgram:
    slug: str
    name: str
    template: str
    status: str
    mentors: int
    mentees: int
    # Of the applications, the share approved, waitlisted and declined (the rest stay applied).
    approved: float
    waitlisted: float
    declined: float


# A program "running" here is seeded up to matching; feedback.demo pairs it and writes its history.
RUNNING_DEMO_SLUG = "emerging-leaders-demo"

DEMO_PROGRAMS = [
    DemoProgram(
        RUNNING_DEMO_SLUG, "Emerging leaders", "first-time-managers", "running",
        mentors=36, mentees=60, approved=1.0, waitlisted=0.0, declined=0.0,
    ),
    DemoProgram(
        "first-time-managers-demo", "First-time managers", "first-time-managers", "matching",
        mentors=60, mentees=120, approved=0.9, waitlisted=0.05, declined=0.02,
    ),
    DemoProgram(
        "women-in-leadership-demo", "Women in leadership", "women-in-leadership", "enrolling",
        mentors=40, mentees=80, approved=0.5, waitlisted=0.05, declined=0.0,
    ),
    DemoProgram(
        "reverse-digital-skills-demo", "Reverse mentoring: digital skills", "reverse-digital-skills", "draft",
        mentors=0, mentees=0, approved=0, waitlisted=0, declined=0,
    ),
]  # fmt: skip


def seed_programs(*, seed: int, by: User, personas: dict[str, Person]) -> list[str]:
    """Create the demo programs that do not exist yet; return a line per program for the command.

    The demo mentors and mentee are approved in the program in matching (mentees there may choose their
    mentor, and the coordinators batch-match the rest); the demo mentor and mentee are also approved in the
    running program (``feedback.demo`` pairs them there). No other persona is enrolled anywhere, so the
    demo mentee can apply to the enrolling program themself.
    """
    coordinator, sponsor = personas["coordinator"], personas["sponsor"]
    spare = {person.pk for person in personas.values()}
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    resources_install_defaults()
    lines: list[str] = []
    for demo in DEMO_PROGRAMS:
        existing = Program.objects.filter(slug=demo.slug).first()
        if existing is not None:
            lines.append(f"{existing.name}: already there, left as it is.")
            continue
        with transaction.atomic():
            program = _create(demo, by=by, coordinator=coordinator, sponsor=sponsor)
            first: dict[str, list[Person]] = {}
            if demo.status == Program.Status.MATCHING:
                first = {
                    "mentor": [personas["mentor"], personas["second_mentor"]],
                    "mentee": [personas["mentee"]],
                }
            elif demo.status == Program.Status.RUNNING:
                first = {"mentor": [personas["mentor"]], "mentee": [personas["mentee"]]}
            counts = _enroll(program, demo, rng=rng, by=by, spare=spare, first=first)
            if demo.status in (Program.Status.MATCHING, Program.Status.RUNNING):
                program_transition(
                    program=program, to=Program.Status.MATCHING, by=by, why="Enrollment closed."
                )
        lines.append(f"{program.name} ({program.get_status_display().lower()}): {counts}")
    return lines


def _create(demo: DemoProgram, *, by: User, coordinator: Person, sponsor: Person) -> Program:
    program = program_create(name=demo.name, template_key=demo.template, by=by)
    Program.objects.filter(pk=program.pk).update(slug=demo.slug)
    program.refresh_from_db()
    program_update_section(
        program=program,
        section="governance",
        data={"budget": "40000", "coordinators": [coordinator.pk], "sponsors": [sponsor.pk]},
        by=by,
    )
    if demo.status == Program.Status.DRAFT:
        return program
    today = timezone.localdate()
    if demo.status in (Program.Status.MATCHING, Program.Status.RUNNING):
        if demo.status == Program.Status.MATCHING:
            # Mentees may choose their mentor; the coordinators batch-match everyone who does not.
            program_update_section(program=program, section="matching", data={"matching_mode": "both"}, by=by)
        # Enrollment ran for a month and closes today; matching is due (feedback.demo moves the running
        # program's dates back once its pairs are made).
        offsets = {"enrollment_opens_on": -30, "enrollment_closes_on": 0, "matching_on": 0}
        offsets |= {"starts_on": 14, "ends_on": 14 + 364}
    else:
        offsets = {"enrollment_opens_on": -7, "enrollment_closes_on": 21, "matching_on": 28}
        offsets |= {"starts_on": 42, "ends_on": 42 + 364}
    program_update_section(
        program=program,
        section="timeline",
        data={field: today + datetime.timedelta(days=days) for field, days in offsets.items()},
        by=by,
    )
    program_transition(program=program, to=Program.Status.ENROLLING, by=by, why="Demo program opened.")
    program.refresh_from_db()
    return program


def _enroll(
    program: Program,
    demo: DemoProgram,
    *,
    rng: random.Random,
    by: User,
    spare: set[int],
    first: dict[str, list[Person]],
) -> str:
    questions = list(program.questions.filter(archived_at__isnull=True))
    people = list(
        Person.objects.current()
        .filter(status=Person.Status.ACTIVE)
        .select_related("department__division", "manager")
        .order_by("employee_id")
    )
    rng.shuffle(people)
    applied: dict[str, list[Participant]] = {"mentor": [], "mentee": []}
    taken: set[int] = set()
    sure = {person.pk for persons in first.values() for person in persons}
    for role, wanted in (("mentor", demo.mentors), ("mentee", demo.mentees)):
        for person in [*first.get(role, []), *people]:
            if len(applied[role]) >= wanted:
                break
            if person.pk in taken or (person.pk in spare and person.pk not in sure):
                continue
            if role == "mentor" and program.mentor_requirement == Program.MentorRequirement.TRAINED:
                if eligibility_problems(program=program, person=person, role="mentee"):
                    continue
                _ensure_trained(person, rng=rng)
            try:
                participant = participant_apply(
                    program=program,
                    person=person,
                    role=role,
                    answers=_answers(questions, rng, role=role, persona=person.pk in sure),
                    capacity=_capacity(program, rng) if role == "mentor" else None,
                    by=person.user,
                )
            except ProgramError:
                continue
            taken.add(person.pk)
            applied[role].append(participant)
    _decide(program, applied, demo, rng=rng, by=by, always=sure)
    summary = Participant.objects.filter(program=program)
    return ", ".join(
        f"{summary.filter(role=role).count()} {role}s"
        for role in (Participant.Role.MENTOR, Participant.Role.MENTEE)
    )


def _capacity(program: Program, rng: random.Random) -> int:
    """Most mentors take the default number of mentees or one more, so a program has places to spare."""
    low = min(program.default_mentor_capacity, program.max_mentor_capacity)
    return rng.randint(low, program.max_mentor_capacity)


def _ensure_trained(person: Person, *, rng: random.Random) -> None:
    if person.mentor_trainings.exists():
        return
    latest = timezone.localdate() - datetime.timedelta(days=30)
    earliest = max(person.hire_date, latest - datetime.timedelta(days=900))
    if earliest > latest:
        return
    completed = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
    mentor_training_record(person=person, completed_on=completed, by=None)


def _answers(questions: list[Question], rng: random.Random, *, role: str, persona: bool) -> dict[int, Any]:
    """Plausible answers: mentors offer more skills than a mentee asks for, and where the mentor's value
    should be higher (experience, confidence) mentors answer high and mentees low, with some overlap.

    The demo personas answer every question, the mentor personas as seasoned mentors who can help with
    everything, so that the demo mentee can be paired with either of them.
    """
    mentor = role == Participant.Role.MENTOR
    higher = Question.MatchRule.MENTOR_HIGHER
    answers: dict[int, Any] = {}
    for question in questions:
        if not question.required and not persona and rng.random() < 0.2:
            continue
        kind = question.kind
        if kind == Question.Kind.SINGLE:
            answers[question.pk] = rng.choice(question.choices)
        elif kind == Question.Kind.MULTI:
            most = min(5 if mentor else 3, len(question.choices))
            chosen = list(question.choices) if persona and mentor else None
            answers[question.pk] = chosen or rng.sample(question.choices, k=rng.randint(min(2, most), most))
        elif kind == Question.Kind.SCALE:
            low, high = ((3, 5) if mentor else (1, 3)) if question.match_rule == higher else (1, 5)
            answers[question.pk] = (high if mentor else low) if persona else rng.randint(low, high)
        elif kind == Question.Kind.NUMBER:
            low, high = ((2, 15) if mentor else (0, 3)) if question.match_rule == higher else (0, 15)
            answers[question.pk] = (12 if mentor else 1) if persona else rng.randint(low, high)
        else:
            answers[question.pk] = rng.choice(
                [
                    "Getting better at giving difficult feedback.",
                    "Learning how other parts of the organization work.",
                    "Planning the next step in my career.",
                    "Sharing what I learned the hard way.",
                ]
            )
    return answers


def _decide(
    program: Program,
    applied: dict[str, list[Participant]],
    demo: DemoProgram,
    *,
    rng: random.Random,
    by: User,
    always: set[int],
) -> None:
    for participants in applied.values():
        # Manager approval first, where the program asks for it.
        for participant in participants:
            manager = participant.person.manager
            if participant.manager_approval == Participant.ManagerApproval.PENDING and manager is not None:
                manager_approval_decide(
                    participant=participant, manager=manager, approve=True, reason="", by=manager.user
                )
        # The demo personas are always approved; the others at the program's rates.
        sure = [p for p in participants if p.person_id in always]
        ready = [p for p in participants if p.person_id not in always]
        rng.shuffle(ready)
        ready = sure + ready
        n = len(ready)
        cut_approved = int(n * demo.approved)
        cut_waitlisted = cut_approved + int(n * demo.waitlisted)
        cut_declined = cut_waitlisted + int(n * demo.declined)
        for to, chosen, reason in (
            (P.APPROVED, ready[:cut_approved], ""),
            (P.WAITLISTED, ready[cut_approved:cut_waitlisted], "The program is full; you are next in line."),
            (P.DECLINED, ready[cut_waitlisted:cut_declined], "This round is for people new to managing."),
        ):
            if chosen:
                participants_decide(
                    program=program, participant_ids=[p.pk for p in chosen], to=to, reason=reason, by=by
                )
