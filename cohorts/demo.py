"""Two years of Master Mentor cycles for the demo: last year's cycle closed, its cohort graduated with
certificates in the personnel files (the demo mentor among the graduates), and this year's cycle decided,
its cohort half-way through its events (the second demo mentor in it, the last event's attendance still to
take).

Each cycle is set up and moved through its states by the same services as the pages (the HR admin sets
it up, the committee persona chairs it, decides from the calibrated ranking and publishes). Endorsements,
nominations and reviews are written in bulk, as an import of earlier records would be, following the rules
(eligibility, recusal through the management chain and by nomination). The cycle's calendar is then moved
back to when it took place, and the cohort is created, trained and graduated with past dates. Notifications
these past steps sent are removed: they belong to history, not to today's inbox. Deterministic for a seed;
cycles that already exist are left as they are.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification
from people.models import Person, User
from programs.services.training import certified_master_mentors

from .calibration import cycle_ranking
from .models import (
    Attendance,
    AuditEntry,
    Candidacy,
    Cohort,
    CohortEvent,
    CycleStatusChange,
    Endorsement,
    Nomination,
    NominationCycle,
    Review,
    ReviewScore,
)
from .services.cohort import attendance_record, cohort_create, event_add
from .services.cycles import committee_add, cycle_create, cycle_transition, quotas_update
from .services.graduation import cohort_graduate
from .services.selection import candidacy_decide, decisions_publish

S = NominationCycle.Status
NAME = "Master Mentors"
SEATS = 2
MIN_LEVEL, MIN_TENURE = 4, 24

REASONS = [
    "Always makes time to think a problem through with me, and follows up a week later.",
    "Helped me prepare for my first difficult conversation as a team lead.",
    "The person everyone on the floor goes to when something is unclear.",
    "Gave me honest feedback on my project plan and introduced me to the right people.",
    "Listens first, asks good questions, and never makes you feel slow.",
    "Talked me through a career change and checked in on me afterwards.",
]
EVIDENCE = {
    "informal_mentoring": [
        "Has informally mentored four junior colleagues over three years; two now lead teams.",
        "Runs a monthly drop-in for new starters and keeps in touch with many of them.",
        "Took two graduates under their wing during a difficult reorganisation.",
    ],
    "sought_out": [
        "New managers ask for advice on difficult conversations; people from other teams book time.",
        "Colleagues seek them out before big decisions: they ask the questions nobody else asks.",
    ],
    "sponsoring": [
        "Recommended two people for stretch assignments; both were promoted within a year.",
        "Put a junior colleague forward to present to the board and coached them through it.",
    ],
    "communication": [
        "Listens first and gives direct, kind feedback; calm under pressure.",
        "Explains complex topics simply and notices when someone is struggling.",
    ],
}
EVENTS = [
    (CohortEvent.Kind.WORKSHOP, "The first meeting: agreements and expectations", True),
    (CohortEvent.Kind.CASE_DISCUSSION, "When a mentee asks for more than you can give", False),
    (CohortEvent.Kind.EXPERT_LUNCH, "Career paths in clinical research, with an expert", False),
    (CohortEvent.Kind.WORKSHOP, "Feedback that lands", False),
    (CohortEvent.Kind.LEADER_VISIT, "The chief executive on growing our own leaders", False),
    (CohortEvent.Kind.INCLUSION, "Mentoring across difference", True),
    (CohortEvent.Kind.CASE_DISCUSSION, "Sponsorship and mentoring: where one ends", False),
    (CohortEvent.Kind.GRADUATION, "Graduation ceremony", False),
]


@dataclass(frozen=True)
class Plan:
    """When a cycle took place, in days from today."""

    year: int
    opens: int  # nominations open
    closes: int  # nominations close; the review starts the next day
    review_due: int
    published: int
    cohort_starts: int
    member: str  # the persona who is selected and trains in the cohort
    closed: bool  # last year's cycle is closed, its cohort graduated


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _moment(offset: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(_day(offset), datetime.time(hour)))


def seed_cohorts(*, seed: int, by: User, personas: dict[str, Person]) -> list[str]:
    """Last year's and this year's cycles with their cohorts; a line per cycle for the command."""
    today = timezone.localdate()
    plans = [
        Plan(today.year - 1, -430, -400, -380, -370, -350, "mentor", closed=True),
        Plan(today.year, -210, -180, -160, -150, -100, "second_mentor", closed=False),
    ]
    lines = []
    rng = random.Random(seed * 104729 + 3)  # noqa: S311 - demo data, not secrets
    for plan in plans:
        if NominationCycle.objects.filter(name=NAME, year=plan.year).exists():
            lines.append(f"{NAME} {plan.year}: already there, left as it is.")
            continue
        with transaction.atomic():
            started = timezone.now()
            lines.append(_cycle(plan, rng=rng, by=by, personas=personas))
            Notification.objects.filter(created_at__gte=started).delete()
    return lines


def _chain(person_id: int, manager_of: dict[int, int | None]) -> set[int]:
    chain, boss = set(), manager_of.get(person_id)
    while boss is not None and boss not in chain:
        chain.add(boss)
        boss = manager_of.get(boss)
    return chain


def _cycle(plan: Plan, *, rng: random.Random, by: User, personas: dict[str, Person]) -> str:
    chair = personas["committee"]
    assert chair.user is not None
    cycle = cycle_create(
        data={
            "name": NAME,
            "year": plan.year,
            "nominations_open_on": _day(0),
            "nominations_close_on": _day(plan.closes - plan.opens),
            "review_due_on": _day(plan.review_due - plan.opens),
            "min_job_level": MIN_LEVEL,
            "min_tenure_months": MIN_TENURE,
            "min_reviews": 2,
        },
        by=by,
    )
    people = list(Person.objects.filter(status=Person.Status.ACTIVE).select_related("department"))
    divisions = sorted({p.department.division_id for p in people if p.department_id})
    quotas_update(cycle=cycle, seats=dict.fromkeys(divisions, SEATS), by=by)
    persona_ids = {p.pk for p in personas.values()}
    seniors = [p for p in people if p.job_level >= 7 and p.pk not in persona_ids]
    others = rng.sample(seniors, 2)
    committee_add(cycle=cycle, person=chair, chair=True, by=by)
    for person in others:
        committee_add(cycle=cycle, person=person, by=by)
    reviewers = [chair, *others]
    cycle_transition(cycle=cycle, to=S.OPEN, by=by)

    manager_of = dict(Person.objects.values_list("pk", "manager_id"))
    member = personas[plan.member]
    on = _day(plan.opens)
    certified = certified_master_mentors(p.pk for p in people)
    eligible = [
        p
        for p in people
        if p.pk not in certified
        and p.job_level >= MIN_LEVEL
        and p.tenure_months(on) >= MIN_TENURE
        and p.manager_id is not None
        and p.pk not in {r.pk for r in reviewers}
        and (p.pk not in persona_ids or p.pk == member.pk)
    ]
    by_division: dict[int, list[Person]] = {}
    for person in eligible:
        by_division.setdefault(person.department.division_id, []).append(person)
    candidates: list[Person] = [member]
    for division in divisions:
        pool = [p for p in by_division.get(division, []) if p.pk != member.pk]
        candidates += rng.sample(pool, min(5, len(pool)))
    quality = {p.pk: rng.uniform(2.6, 4.6) for p in candidates}
    quality[member.pk] = 4.9

    _endorse(cycle, candidates, people, rng=rng, plan=plan)
    candidacies = _nominate(cycle, candidates, manager_of, rng=rng, plan=plan, personas=personas)
    # The window ran its course: it closed before the review started.
    NominationCycle.objects.filter(pk=cycle.pk).update(nominations_close_on=timezone.localdate())
    cycle_transition(cycle=cycle, to=S.REVIEWING, by=by)
    _review(cycle, candidacies, reviewers, manager_of, quality, rng=rng, plan=plan)
    selected = _decide(cycle, chair.user, member)
    decisions_publish(
        cycle=cycle,
        by=chair.user,
        justification="Seats left unused where too few candidates stood.",
    )
    _move_back(cycle, plan)
    cohort = _cohort(cycle, plan, rng=rng, by=by, personas=personas)
    AuditEntry.objects.filter(cycle=cycle, action="cohort_created").update(at=_moment(plan.published + 10))
    if plan.closed:
        graduates = cohort_graduate(cohort=cohort, by=by, on=cohort.ends_on).graduated
        AuditEntry.objects.filter(cycle=cycle, action="cohort_graduated").update(
            at=timezone.make_aware(datetime.datetime.combine(cohort.ends_on, datetime.time(17)))
        )
        cycle_transition(cycle=cycle, to=S.CLOSED, by=by, why="The cohort graduated.")
        CycleStatusChange.objects.filter(cycle=cycle, to_status=S.CLOSED).update(
            at=_moment((cohort.ends_on - timezone.localdate()).days + 7)
        )
        return (
            f"{cycle} (closed): {len(candidacies)} candidacies, {selected} selected, "
            f"{len(graduates)} graduated with certificates"
        )
    return (
        f"{cycle} (decided): {len(candidacies)} candidacies, {selected} selected; "
        f"{cohort.name} half-way through its events"
    )


def _in_window(plan: Plan, rng: random.Random, start: int, end: int) -> datetime.datetime:
    return _moment(rng.randint(start, end), rng.randint(8, 17))


def _endorse(
    cycle, candidates: list[Person], people: list[Person], *, rng: random.Random, plan: Plan
) -> None:
    rows, pairs = [], set()
    for candidate in candidates:
        for endorser in rng.sample(people, rng.randint(0, 6)):
            if endorser.pk == candidate.pk or (endorser.pk, candidate.pk) in pairs:
                continue
            pairs.add((endorser.pk, candidate.pk))
            rows.append(
                Endorsement(cycle=cycle, endorser=endorser, person=candidate, reason=rng.choice(REASONS))
            )
    made = Endorsement.objects.bulk_create(rows)
    for endorsement in made:
        endorsement.created_at = _in_window(plan, rng, plan.opens, plan.closes)
    Endorsement.objects.bulk_update(made, ["created_at"])


def _nominate(cycle, candidates, manager_of, *, rng: random.Random, plan: Plan, personas) -> list[Candidacy]:
    candidacies = []
    for number, person in enumerate(candidates, start=1):
        declined = number % 9 == 0 and person.pk != personas[plan.member].pk
        nominated = _in_window(plan, rng, plan.opens, plan.closes - 5)
        candidacy = Candidacy.objects.create(
            cycle=cycle,
            person=person,
            number=number,
            status=Candidacy.Status.DECLINED if declined else Candidacy.Status.ACCEPTED,
            motivation="" if declined else "I would like to help others the way I was helped.",
            responded_at=nominated + datetime.timedelta(days=rng.randint(1, 4)),
        )
        Candidacy.objects.filter(pk=candidacy.pk).update(created_at=nominated)
        nominators = [manager_of[person.pk]]
        second = manager_of.get(nominators[0])
        if second is not None and rng.random() < 0.3:
            nominators.append(second)
        for nominator in nominators:
            nomination = Nomination.objects.create(
                candidacy=candidacy,
                nominator_id=nominator,
                **{field: rng.choice(texts) for field, texts in EVIDENCE.items()},
            )
            Nomination.objects.filter(pk=nomination.pk).update(created_at=nominated)
        entry = AuditEntry.objects.create(cycle=cycle, candidacy=candidacy, action="nominated", details="")
        AuditEntry.objects.filter(pk=entry.pk).update(at=nominated)
        if not declined:
            candidacies.append(candidacy)
    return candidacies


def _review(cycle, candidacies, reviewers, manager_of, quality, *, rng: random.Random, plan: Plan) -> None:
    criteria = list(cycle.criteria.all())
    bias = {reviewer.pk: b for reviewer, b in zip(reviewers, (0.0, -0.8, 0.5), strict=True)}
    for candidacy in candidacies:
        nominators = set(candidacy.nominations.values_list("nominator_id", flat=True))
        chain = _chain(candidacy.person_id, manager_of)
        for reviewer in reviewers:
            if reviewer.pk in chain or reviewer.pk in nominators:
                continue  # recused by the rules: no review is written
            submitted = _in_window(plan, rng, plan.closes + 1, plan.review_due)
            review = Review.objects.create(
                candidacy=candidacy,
                reviewer=reviewer,
                submitted_at=submitted,
                comment="Reviewed against the rubric.",
            )
            ReviewScore.objects.bulk_create(
                ReviewScore(
                    review=review,
                    criterion=criterion,
                    score=max(
                        1, min(5, round(quality[candidacy.person_id] + bias[reviewer.pk] + rng.gauss(0, 0.5)))
                    ),
                )
                for criterion in criteria
            )


def _decide(cycle, chair: User, member: Person) -> int:
    """The chair follows the calibrated ranking: the best of each division up to its seats (the persona is
    ranked high; should the reviews say otherwise, they take the division's last seat)."""
    selected = 0
    for division in cycle_ranking(cycle):
        ranked = [candidacy for row, candidacy in division.rows if row.calibrated is not None]
        chosen = {candidacy.pk for candidacy in ranked[: division.seats]}
        persona = next((c for _, c in division.rows if c.person_id == member.pk), None)
        if persona is not None and persona.pk not in chosen:
            if len(chosen) >= division.seats:
                chosen.discard(ranked[division.seats - 1].pk)
            chosen.add(persona.pk)
        for _, candidacy in division.rows:
            pick = candidacy.pk in chosen
            candidacy_decide(
                candidacy=candidacy,
                decision="selected" if pick else "not_selected",
                rationale=(
                    "Strong evidence across the rubric and consistent reviews."
                    if pick
                    else "A strong candidacy; others ranked higher this year. Encouraged to stand again."
                ),
                by=chair,
            )
            selected += pick
    return selected


def _move_back(cycle: NominationCycle, plan: Plan) -> None:
    """Put the cycle where it took place: its dates, its history and its decisions."""
    shift = datetime.timedelta(days=plan.published)
    NominationCycle.objects.filter(pk=cycle.pk).update(
        nominations_open_on=_day(plan.opens),
        nominations_close_on=_day(plan.closes),
        review_due_on=_day(plan.review_due),
        decisions_published_at=_moment(plan.published, 16),
        created_at=_moment(plan.opens - 20),
    )
    moments = {S.OPEN: plan.opens, S.REVIEWING: plan.closes + 1, S.DECIDED: plan.published}
    for change in CycleStatusChange.objects.filter(cycle=cycle):
        CycleStatusChange.objects.filter(pk=change.pk).update(
            at=_moment(moments.get(change.to_status, plan.opens))
        )
    AuditEntry.objects.filter(cycle=cycle).exclude(action="nominated").update(at=F("at") + shift)
    Candidacy.objects.filter(cycle=cycle, decided_at__isnull=False).update(decided_at=F("decided_at") + shift)
    cycle.refresh_from_db()


def _event_start(starts_on: datetime.date, span: int, n: int) -> datetime.datetime:
    """The n-th event: about monthly from five days after the start, the ceremony on the last day."""
    day = starts_on + datetime.timedelta(days=5 + n * (span - 5) // (len(EVENTS) - 1))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))


def _cohort(cycle, plan: Plan, *, rng: random.Random, by: User, personas) -> Cohort:
    starts_on = _day(plan.cohort_starts)
    cohort = cohort_create(
        cycle=cycle,
        name=f"Master Mentors {plan.year}",
        starts_on=starts_on,
        coordinators=[personas["coordinator"]],
        by=by,
    )
    span = (cohort.ends_on - starts_on).days
    now = timezone.now()
    starts = [_event_start(starts_on, span, n) for n in range(len(EVENTS))]
    past = [n for n, moment in enumerate(starts) if moment <= now]
    # This year's cohort leaves its latest event's attendance to the coordinator.
    recorded = past if plan.closed else past[:-1]
    members = list(cohort.members.order_by("pk"))
    weak = members[-1].pk if len(members) > 2 else None  # misses too much to graduate with the others
    for n, (kind, title, required) in enumerate(EVENTS):
        event = event_add(
            cohort=cohort,
            data={
                "kind": kind,
                "title": title,
                "starts_at": starts[n],
                "duration_minutes": 75 if kind == CohortEvent.Kind.EXPERT_LUNCH else 120,
                "location": "Education Centre, room 2"
                if n % 2
                else "https://meet.example.com/master-mentors",
                "facilitator": "The chief executive"
                if kind == CohortEvent.Kind.LEADER_VISIT
                else "Dr. Ana Ruiz",
                "agenda": "",
                "required": required,
            },
            by=by,
        )
        if n not in recorded:
            continue
        grid = {}
        for member in members:
            roll = rng.random()
            if required or (member.pk != weak and roll < 0.9):
                grid[member.pk] = Attendance.Status.PRESENT
            elif member.pk != weak and roll < 0.96:
                grid[member.pk] = Attendance.Status.EXCUSED
            else:
                grid[member.pk] = Attendance.Status.ABSENT
        attendance_record(event=event, grid=grid, by=by)
    return cohort
