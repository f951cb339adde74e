"""Eighteen months in the life of the running demo program: its pairs, their sessions, feedback, goals,
agreements and check-ins, so that the pair pages, the health board and the dashboards have something real
to show.

The program is enrolled by ``programs.demo`` up to matching; here a match run pairs it (the demo mentor and
mentee are pinned together) and is published through the same services as the pages. Then the program's
calendar is moved back by ``HISTORY_DAYS`` and its past is written in bulk, as an import of earlier records
would be: most pairs meet steadily and rate their sessions well, some fade out (the health board flags
them), a few are mismatched (low ratings, "not a good fit"; two ended early), and one finished early with
its goals met. The demo mentor and mentee meet steadily and have no session planned, so that the demo
mentee can schedule one. Deterministic for a seed; a program that already has pairs is left as it is.
"""

from __future__ import annotations

import calendar
import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from matching.models import MatchRun, Mentorship, MentorshipStatusChange, PairRule
from matching.services.runs import match_run_execute, match_run_publish, run_params
from notifications.models import Notification
from people.models import Person, User
from programs.demo import RUNNING_DEMO_SLUG
from programs.models import Participant, ParticipantStatusChange, Program, ProgramStatusChange, Resource

from .models import (
    Agreement,
    CheckIn,
    Goal,
    GoalStatusChange,
    Milestone,
    PrivateNote,
    Session,
    SessionFeedback,
    SessionStatusChange,
)

HISTORY_DAYS = 540
# The program runs for two years: eighteen months behind it, six ahead.
REMAINING_DAYS = 190
STEADY, FADING, MISMATCH, ENDED_MISMATCH, GOALS_MET = "steady", "fading", "mismatch", "ended", "goals_met"
# Share of check-ins each kind of pair answers (the rest are missed).
CHECKIN_ANSWER_RATE = {FADING: 0.5, MISMATCH: 0.8}

NOTES = [
    "Talked through the team's quarterly priorities and how to delegate the reporting.",
    "Role-played a difficult feedback conversation; agreed to try the opening next week.",
    "Reviewed the first month as a manager; what went well and what felt awkward.",
    "Mapped the stakeholders for the new project and who to meet first.",
    "Discussed how to say no to extra work without damaging the relationship.",
    "Went through the development plan and picked one course for this quarter.",
    "Prepared for the performance review season: evidence, tone, follow-up.",
    "Talked about building trust with a team member who is struggling.",
]
# Goals pairs set beside the program's goal templates: (title, why it matters).
GOAL_IDEAS = [
    ("Give difficult feedback with confidence", "Two people on the team need honest feedback this year."),
    ("Delegate the weekly reporting", "It takes a day a week that the team could use better."),
    ("Build a network beyond my department", "Most of my work depends on people I have never met."),
    ("Prepare for the team lead role", "The position opens next year and I want to be ready."),
    ("Run better one-to-ones", "My one-to-ones turn into status updates."),
]
STEPS = [
    "Agree what success looks like",
    "Try it once and debrief",
    "Make it a habit",
    "Review with my manager",
]
USEFUL = [
    "Concrete phrasing I can use on Monday.",
    "Hearing how my mentor handled the same situation.",
    "A clear next step.",
    "Time to think out loud.",
    "The stakeholder map.",
    "",
]


@dataclass
class _Counts:
    pairs: int = 0
    sessions: int = 0
    feedback: int = 0
    checkins: int = 0
    goals: int = 0


def seed_activity(*, seed: int, by: User, personas: dict[str, Person]) -> list[str]:
    """Pair the running demo program and write its history; a line per program for the command."""
    program = Program.objects.filter(slug=RUNNING_DEMO_SLUG).first()
    if program is None:
        return []
    if Mentorship.objects.filter(program=program).exists():
        return [f"{program.name}: pairs already there, left as they are."]
    rng = random.Random(seed * 7919 + 17)  # noqa: S311 - demo data, not secrets
    with transaction.atomic():
        _pair(program, by=by, personas=personas)
        today = timezone.localdate()
        started = today - datetime.timedelta(days=HISTORY_DAYS)
        _move_back(program, started=started, ends_on=today + datetime.timedelta(days=REMAINING_DAYS))
        program.refresh_from_db()
        counts = _history(program, rng=rng, personas=personas, today=today)
    return [
        f"{program.name} (running since {started:%B %Y}): {counts.pairs} pairs, {counts.sessions} sessions, "
        f"{counts.feedback} ratings, {counts.goals} goals, {counts.checkins} check-ins"
    ]


def _pair(program: Program, *, by: User, personas: dict[str, Person]) -> None:
    """A published match run, with the demo mentor and mentee pinned together."""
    mentor = Participant.objects.get(program=program, person=personas["mentor"], role=Participant.Role.MENTOR)
    mentee = Participant.objects.get(program=program, person=personas["mentee"], role=Participant.Role.MENTEE)
    PairRule.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        kind=PairRule.Kind.PIN,
        reason="Asked for each other.",
        by=by,
    )
    program.refresh_from_db()
    run = MatchRun.objects.create(program=program, started_by=by, stage="Waiting", params=run_params(program))
    match_run_execute(run_id=run.pk)
    run.refresh_from_db()
    match_run_publish(run=run, by=by)


def _move_back(program: Program, *, started: datetime.date, ends_on: datetime.date) -> None:
    """Move the program's calendar so that it started on ``started``: dates, decisions and pairs."""
    shift = timezone.localdate() - started + datetime.timedelta(days=14)
    Program.objects.filter(pk=program.pk).update(
        enrollment_opens_on=started - datetime.timedelta(days=44),
        enrollment_closes_on=started - datetime.timedelta(days=14),
        matching_on=started - datetime.timedelta(days=14),
        starts_on=started,
        ends_on=ends_on,
    )
    Participant.objects.filter(program=program).update(applied_at=F("applied_at") - shift)
    ParticipantStatusChange.objects.filter(participant__program=program).update(at=F("at") - shift)
    ProgramStatusChange.objects.filter(program=program).update(at=F("at") - shift)
    MatchRun.objects.filter(program=program).update(
        created_at=F("created_at") - shift,
        finished_at=F("finished_at") - shift,
        published_at=F("published_at") - shift,
    )
    pairs = Mentorship.objects.filter(program=program)
    pairs.update(started_on=started, created_at=F("created_at") - shift)
    MentorshipStatusChange.objects.filter(mentorship__program=program).update(at=F("at") - shift)
    # The introductions were read long ago.
    Notification.objects.filter(kind="pair_introduction", key__in=_intro_keys(pairs)).update(
        created_at=F("created_at") - shift, read_at=F("created_at") - shift
    )


def _intro_keys(pairs) -> list[str]:
    return [
        f"mentorship:{pk}:{role}"
        for pk in pairs.values_list("pk", flat=True)
        for role in ("mentor", "mentee")
    ]


def _profiles(pairs: list[Mentorship], persona_pair: Mentorship | None, rng: random.Random) -> dict[int, str]:
    others = [p for p in pairs if p is not persona_pair]
    rng.shuffle(others)
    profiles = {p.pk: STEADY for p in others}
    special = [ENDED_MISMATCH, ENDED_MISMATCH, MISMATCH, GOALS_MET]
    for pair, profile in zip(others, special, strict=False):
        profiles[pair.pk] = profile
    for pair in others[len(special) : len(special) + max(3, len(others) // 4)]:
        profiles[pair.pk] = FADING
    if persona_pair is not None:
        profiles[persona_pair.pk] = STEADY
    return profiles


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _history(
    program: Program, *, rng: random.Random, personas: dict[str, Person], today: datetime.date
) -> _Counts:
    pairs = list(
        Mentorship.objects.filter(program=program)
        .select_related("mentor__person__user", "mentee__person__user")
        .order_by("pk")
    )
    persona_pair = next(
        (
            p
            for p in pairs
            if p.mentor.person_id == personas["mentor"].pk and p.mentee.person_id == personas["mentee"].pk
        ),
        None,
    )
    profiles = _profiles(pairs, persona_pair, rng)
    templates = list(
        Resource.objects.filter(program=program, kind=Resource.Kind.GOAL_TEMPLATE).order_by("order")
    )
    topics = list(program.session_topics) or ["Goals and progress"]
    cadence = program.meeting_cadence_days
    counts = _Counts(pairs=len(pairs))
    sessions: list[Session] = []
    planned: list[Session] = []
    ratings: list[tuple[int, Participant, int, str, str]] = []  # session index, author, rating, useful, fit
    endings: list[tuple[Mentorship, str, datetime.date]] = []

    for pair in pairs:
        profile = profiles[pair.pk]
        start = pair.started_on or today
        stop = today
        if profile == FADING:
            stop = today - datetime.timedelta(days=rng.randint(60, 200))
        elif profile == ENDED_MISMATCH:
            stop = start + datetime.timedelta(days=rng.randint(30, 70))
            endings.append((pair, Mentorship.EndCategory.FIT, stop + datetime.timedelta(days=5)))
        elif profile == GOALS_MET:
            stop = start + datetime.timedelta(days=rng.randint(280, 360))
            endings.append((pair, "", stop + datetime.timedelta(days=3)))
        day = start + datetime.timedelta(days=rng.randint(4, 12))
        first = True
        while day < stop:
            members = (pair.mentor, pair.mentee)
            logger = rng.choice(members)
            starts = _at(day, rng.choice([8, 9, 10, 11, 13, 14, 15, 16]), rng.choice([0, 30]))
            sessions.append(
                Session(
                    mentorship=pair,
                    status=Session.Status.HELD,
                    starts_at=starts,
                    duration_minutes=rng.choice([30, 45, 60, 60, 60, 90]),
                    format=rng.choice(Session.Format.values),
                    topics=rng.sample(topics, k=min(len(topics), rng.randint(1, 2))),
                    shared_notes=rng.choice(NOTES),
                    logged_by=logger.person.user,
                    logged_at=starts + datetime.timedelta(hours=rng.randint(2, 30)),
                )
            )
            index = len(sessions) - 1
            for member in members:
                if rng.random() < (0.9 if profile in (STEADY, GOALS_MET) else 0.7):
                    rating, fit = _rating(profile, member is pair.mentee, first, rng)
                    ratings.append((index, member, rating, rng.choice(USEFUL), fit))
            first = False
            stretch = 1.0 if profile != FADING else 1.0 + (day - start).days / 200
            day += datetime.timedelta(days=max(5, round(cadence * rng.uniform(0.8, 1.4) * stretch)))
        if profile == STEADY and pair is not persona_pair:
            when = today + datetime.timedelta(days=rng.randint(1, 14))
            planned.append(
                Session(
                    mentorship=pair,
                    status=Session.Status.SCHEDULED,
                    starts_at=_at(when, rng.choice([9, 10, 14, 15])),
                    duration_minutes=60,
                    format=rng.choice(Session.Format.values),
                    location=rng.choice(["Meeting room 2.14", "Video call", "Café on the ground floor"]),
                    agenda="Progress on the goals; what to focus on next.",
                    scheduled_by=pair.mentee.person.user,
                )
            )

    Session.objects.bulk_create(sessions + planned, batch_size=1000)
    for session in sessions:
        session.created_at = session.updated_at = session.logged_at
    for session in planned:
        session.created_at = session.updated_at = timezone.now() - datetime.timedelta(days=rng.randint(1, 6))
    Session.objects.bulk_update(sessions + planned, ["created_at", "updated_at"], batch_size=1000)
    SessionStatusChange.objects.bulk_create(
        [
            SessionStatusChange(
                session=s, from_status="", to_status=s.status, by=s.logged_by or s.scheduled_by
            )
            for s in sessions + planned
        ],
        batch_size=1000,
    )
    feedback = [
        SessionFeedback(session=sessions[i], participant=author, rating=rating, useful=useful, fit=fit)
        for i, author, rating, useful, fit in ratings
    ]
    SessionFeedback.objects.bulk_create(feedback, batch_size=1000)
    for item in feedback:
        item.submitted_at = item.session.logged_at + datetime.timedelta(hours=rng.randint(1, 48))
    SessionFeedback.objects.bulk_update(feedback, ["submitted_at"], batch_size=1000)
    counts.sessions, counts.feedback = len(sessions), len(feedback)

    if persona_pair is not None:
        last = max((s for s in sessions if s.mentorship_id == persona_pair.pk), key=lambda s: s.starts_at)
        PrivateNote.objects.create(
            session=last,
            author=persona_pair.mentor.person.user,
            body="Seems more confident since the reorganization; ask about the new team lead next time.",
        )

    counts.goals = _goals(pairs, profiles, templates, rng=rng, today=today)
    _agreements(pairs, profiles, rng=rng)
    counts.checkins = _checkins(program, pairs, profiles, rng=rng, today=today)
    for pair, category, ended_on in endings:
        _end(pair, category, ended_on)
    return counts


def _rating(profile: str, mentee: bool, first: bool, rng: random.Random) -> tuple[int, str]:
    if profile in (MISMATCH, ENDED_MISMATCH):
        rating = rng.choice([1, 2, 2, 3])
        fit = (SessionFeedback.Fit.NOT_GOOD if mentee else SessionFeedback.Fit.DECIDING) if first else ""
    elif profile == FADING:
        rating = rng.choice([2, 3, 3, 4, 4])
        fit = rng.choice([SessionFeedback.Fit.GOOD, SessionFeedback.Fit.DECIDING]) if first else ""
    else:
        rating = rng.choice([3, 4, 4, 5, 5, 5])
        fit = SessionFeedback.Fit.GOOD if first else ""
    return rating, fit


def _goals(pairs, profiles, templates, *, rng: random.Random, today: datetime.date) -> int:
    goals: list[Goal] = []
    milestones: list[tuple[int, Milestone]] = []
    for pair in pairs:
        if profiles[pair.pk] == ENDED_MISMATCH:
            continue
        start = pair.started_on or today
        ideas: list[tuple[str, str, Resource | None]] = [
            (t.title, t.body.split("\n")[0][:500], t) for t in templates
        ]
        ideas += [(title, why, None) for title, why in GOAL_IDEAS]
        for title, why, template in rng.sample(ideas, k=min(len(ideas), rng.randint(1, 3))):
            achieved = profiles[pair.pk] in (STEADY, GOALS_MET) and rng.random() < 0.45
            created = _at(start + datetime.timedelta(days=rng.randint(7, 40)), 12)
            goal = Goal(
                mentorship=pair,
                title=title,
                why=why,
                measure="We agree at each check-in whether it moved.",
                target_on=start + datetime.timedelta(days=rng.randint(180, 420)),
                status=Goal.Status.ACHIEVED if achieved else Goal.Status.OPEN,
                template=template,
                created_by=pair.mentee.person.user,
                closed_at=created + datetime.timedelta(days=rng.randint(120, 300)) if achieved else None,
            )
            goal.created_at = created
            goals.append(goal)
            steps = rng.randint(2, 4)
            for n in range(steps):
                due = start + datetime.timedelta(days=60 * (n + 1))
                done = achieved or (due < today and rng.random() < 0.6)
                milestones.append(
                    (
                        len(goals) - 1,
                        Milestone(
                            title=STEPS[n],
                            due_on=due,
                            done_on=min(due, today) if done else None,
                            order=n,
                        ),
                    )
                )
    Goal.objects.bulk_create(goals)
    Goal.objects.bulk_update(goals, ["created_at"])
    for index, milestone in milestones:
        milestone.goal = goals[index]
    Milestone.objects.bulk_create([m for _i, m in milestones])
    GoalStatusChange.objects.bulk_create(
        [
            GoalStatusChange(
                goal=g, from_status=Goal.Status.OPEN, to_status=Goal.Status.ACHIEVED, by=g.created_by
            )
            for g in goals
            if g.status == Goal.Status.ACHIEVED
        ]
    )
    return len(goals)


def _agreements(pairs, profiles, *, rng: random.Random) -> None:
    agreements = []
    for pair in pairs:
        start = _at(pair.started_on or timezone.localdate(), 17)
        confirmed = profiles[pair.pk] != ENDED_MISMATCH or rng.random() < 0.5
        agreements.append(
            Agreement(
                mentorship=pair,
                expectations=(
                    "We meet every two weeks, come prepared with one topic each, and say early when a date "
                    "does not work."
                ),
                meeting_format=rng.choice(Agreement.MeetingFormat.values),
                confidentiality="What we discuss stays between us unless we agree otherwise.",
                goals_summary="Grow as a first-time manager: feedback, delegation and a wider network.",
                mentor_confirmed_at=start + datetime.timedelta(days=8) if confirmed else None,
                mentee_confirmed_at=start + datetime.timedelta(days=7) if confirmed else None,
                updated_by=pair.mentee.person.user,
            )
        )
    Agreement.objects.bulk_create(agreements)


def _checkins(program: Program, pairs, profiles, *, rng: random.Random, today: datetime.date) -> int:
    """One check-in per participant, pair and period since the program started. Steady pairs answer almost
    all, fading pairs about half; a period opened less than 14 days ago is still open."""
    if program.starts_on is None:
        return 0
    periods = []
    period = program.starts_on
    while period <= today:
        periods.append(period)
        period = _add_months(period, program.checkin_cadence_months)
    checkins: list[CheckIn] = []
    for pair in pairs:
        profile = profiles[pair.pk]
        for period in periods:
            if profile == ENDED_MISMATCH and period > pair.started_on + datetime.timedelta(days=60):
                break
            if profile == GOALS_MET and period > pair.started_on + datetime.timedelta(days=300):
                break
            still_open = period + datetime.timedelta(days=14) >= today
            for member in (pair.mentor, pair.mentee):
                answered = not still_open and rng.random() < CHECKIN_ANSWER_RATE.get(profile, 0.97)
                low = profile in (MISMATCH, ENDED_MISMATCH)
                checkin = CheckIn(
                    mentorship=pair,
                    participant=member,
                    period_start=period,
                    due_on=period + datetime.timedelta(days=14),
                )
                if answered:
                    checkin.submitted_at = _at(period + datetime.timedelta(days=rng.randint(1, 12)), 18)
                    checkin.satisfaction = rng.choice([1, 2, 3]) if low else rng.choice([3, 4, 4, 5, 5])
                    checkin.goal_progress = rng.choice([1, 2, 2]) if low else rng.choice([2, 3, 4, 4, 5])
                    checkin.frequency = rng.choice(CheckIn.Frequency.values)
                    checkin.chemistry_right = not low
                    checkin.wants_help = low and member is pair.mentee
                    checkin.comments = "" if not low else "We struggle to find common ground."
                checkins.append(checkin)
    CheckIn.objects.bulk_create(checkins, batch_size=1000)
    for checkin in checkins:
        checkin.opened_at = _at(checkin.period_start, 7)
    CheckIn.objects.bulk_update(checkins, ["opened_at"], batch_size=1000)
    return len(checkins)


def _end(pair: Mentorship, category: str, ended_on: datetime.date) -> None:
    """A pair of the history that ended: early for a poor fit, or completed with its goals met."""
    if category:
        status, why = Mentorship.Status.ENDED_EARLY, f"{Mentorship.EndCategory(category).label}."
    else:
        status, why = Mentorship.Status.COMPLETED, "Goals met ahead of the program's end."
    Mentorship.objects.filter(pk=pair.pk).update(
        status=status, ended_on=ended_on, end_category=category, end_reason=why
    )
    change = MentorshipStatusChange.objects.create(
        mentorship=pair, from_status=Mentorship.Status.ACTIVE, to_status=status, by=None, why=why
    )
    MentorshipStatusChange.objects.filter(pk=change.pk).update(at=_at(ended_on, 17))
