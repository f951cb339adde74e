"""Two Master Mentor cycles: last year's closed (its cohort graduated, with certificates in the personnel
files), this year's decided (its cohort half-way through training). Each has its committee, endorsements,
candidacies with nominations, blind reviews with recusals, division quotas and decisions."""

from __future__ import annotations

import itertools
import secrets
from typing import TYPE_CHECKING

import numpy as np

from cohorts.models import (
    Attendance,
    Candidacy,
    Certificate,
    Cohort,
    CohortEvent,
    CohortMember,
    CommitteeMember,
    Criterion,
    CycleStatusChange,
    DivisionQuota,
    Endorsement,
    Nomination,
    NominationCycle,
    Review,
    ReviewScore,
)
from people.models import PersonnelRecord
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE

from .dataset import CYCLE_NAME
from .rows import day, moment, pick
from .shapes import CRITERIA, DIVISIONS, ENDORSEMENT_REASONS, EVENTS, EVIDENCE

if TYPE_CHECKING:
    from .seeder import Seeder

COMMITTEE = 7


def seed_cycles(s: Seeder) -> None:
    t, hr = s.t, s.hr_user.pk
    s.certified = {}
    opens = [t - 560, t - 200]  # days the nominations opened
    first = s.writer.next_id(NominationCycle)
    cycles = s.write(
        "cycles",
        NominationCycle,
        (
            {
                "id": first + c,
                "name": CYCLE_NAME,
                "year": day(o).year,
                "status": "decided" if c else "closed",
                "nominations_open_on": day(o),
                "nominations_close_on": day(o + 30),
                "review_due_on": day(o + 50),
                "min_job_level": 5,
                "min_tenure_months": 24,
                "previous_id": first if c else None,
                "decisions_published_at": moment(o + 60),
                "decisions_published_by_id": hr,
                "created_by_id": hr,
                "created_at": moment(o - 10),
            }
            for c, o in enumerate(opens)
        ),
    )
    moves = [(o, "draft", "open", 0) for o in opens] + [(o, "open", "reviewing", 31) for o in opens]
    moves += [(o, "reviewing", "decided", 60) for o in opens] + [(opens[0], "decided", "closed", 270)]
    s.write(
        "cycle status changes",
        CycleStatusChange,
        (
            {
                "cycle_id": cycles[opens.index(o)],
                "from_status": a,
                "to_status": b,
                "by_id": hr,
                "at": moment(o + d),
            }
            for o, a, b, d in moves
        ),
    )
    for cycle, o in zip(cycles, opens, strict=True):
        _cycle(s, cycle, o, closed=o == opens[0])


def _cycle(s: Seeder, cycle: int, opens: int, *, closed: bool) -> None:
    rng, n, pid = s.rng, s.sizes.people, s.pid.tolist()
    current = s.employed(opens)
    seniors = np.flatnonzero(current & (s.level >= 9))
    committee = s.sample(seniors, np.ones(len(seniors)), COMMITTEE).tolist()
    s.write(
        "committee members",
        CommitteeMember,
        ({"cycle_id": cycle, "person_id": pid[p], "is_chair": k == 0} for k, p in enumerate(committee)),
    )
    criteria = s.write(
        "criteria",
        Criterion,
        ({"cycle_id": cycle, "name": name, "weight": w, "order": k} for k, (name, w) in enumerate(CRITERIA)),
    )
    eligible = current & (s.level >= 5) & (opens - s.hire >= 730) & (s.manager >= 0)
    eligible[committee] = False
    eligible[list(s.certified)] = False  # certified Master Mentors do not stand again
    pool = np.flatnonzero(eligible)

    # "Who do you go to for advice?": the senior are named more often.
    endorsers = rng.choice(np.flatnonzero(current), size=max(20, n // 25)).tolist()
    endorsed = rng.choice(pool, size=len(endorsers), p=s.level[pool] / s.level[pool].sum()).tolist()
    endorsements = dict.fromkeys((a, b) for a, b in zip(endorsers, endorsed, strict=True) if a != b)
    s.write(
        "endorsements",
        Endorsement,
        (
            {
                "cycle_id": cycle,
                "endorser_id": pid[a],
                "person_id": pid[b],
                "reason": ENDORSEMENT_REASONS[k % len(ENDORSEMENT_REASONS)],
                "created_at": moment(opens + k % 30),
            }
            for k, (a, b) in enumerate(endorsements)
        ),
    )
    received = np.bincount([b for _, b in endorsements], minlength=n)
    count = max(8, n // 160)
    candidates = s.sample(pool, (1 + 3 * received[pool]) * s.level[pool], count).tolist()
    status = pick(rng, [("accepted", 0.85), ("declined", 0.10), ("invited", 0.05)], count)
    merit = rng.uniform(2.4, 4.8, count)
    nominations, reviews, mean = [], [], {}
    for k, person in enumerate(candidates):
        nominators = [int(s.manager[person])] + ([int(rng.choice(seniors))] if rng.random() < 0.3 else [])
        nominators = list(dict.fromkeys(p for p in nominators if p != person))
        nominations += [(k, p) for p in nominators]
        if status[k] != "accepted":
            continue
        chain, boss = set(), int(s.manager[person])
        while boss >= 0 and boss not in chain:
            chain.add(boss)
            boss = int(s.manager[boss])
        given = []
        for reviewer in committee:
            recusal = "nominator" if reviewer in nominators else "chain" if reviewer in chain else ""
            recusal = recusal or ("declared" if rng.random() < 0.03 else "")
            marks = np.clip(np.rint(merit[k] + rng.normal(0, 0.6, len(criteria))), 1, 5).astype(int)
            reviews.append((k, reviewer, recusal, [] if recusal else marks.tolist()))
            if not recusal:
                given.append(np.average(marks, weights=[w for _, w in CRITERIA]))
        mean[k] = float(np.mean(given)) if given else 0.0

    total_seats = max(len(DIVISIONS), n // 1250)
    seats = [max(1, round(total_seats * share)) for _, share in DIVISIONS]
    s.write(
        "quotas",
        DivisionQuota,
        (
            {"cycle_id": cycle, "division_id": d, "seats": count}
            for d, count in zip(s.division_ids, seats, strict=True)
        ),
    )
    selected = set()
    for d, count in enumerate(seats):
        ranked = sorted((k for k in mean if s.division[candidates[k]] == d), key=lambda k: -mean[k])
        selected.update(ranked[:count])
    candidacies = s.write(
        "candidacies",
        Candidacy,
        (
            {
                "cycle_id": cycle,
                "person_id": pid[p],
                "number": k + 1,
                "status": status[k],
                "responded_at": None if status[k] == "invited" else moment(opens + 8 + k % 20),
                "decision": ("selected" if k in selected else "not_selected") if k in mean else "",
                "decision_rationale": "Among the division's highest calibrated scores."
                if k in selected
                else "",
                "decided_by_id": s.hr_user.pk if k in mean else None,
                "decided_at": moment(opens + 58) if k in mean else None,
                "created_at": moment(opens + 5 + k % 20),
            }
            for k, p in enumerate(candidates)
        ),
    )
    s.write(
        "nominations",
        Nomination,
        (
            {
                "candidacy_id": candidacies[k],
                "nominator_id": pid[p],
                **EVIDENCE,
                "created_at": moment(opens + 5),
            }
            for k, p in nominations
        ),
    )
    written = s.write(
        "reviews",
        Review,
        (
            {
                "candidacy_id": candidacies[k],
                "reviewer_id": pid[reviewer],
                "recusal": recusal,
                "submitted_at": None if recusal else moment(opens + 32 + (k + reviewer) % 18),
            }
            for k, reviewer, recusal, _ in reviews
        ),
    )
    s.write(
        "review scores",
        ReviewScore,
        (
            {"review_id": review, "criterion_id": criterion, "score": mark}
            for review, (*_, marks) in zip(written, reviews, strict=True)
            for criterion, mark in zip(criteria, marks, strict=False)
        ),
    )
    _cohort(s, cycle, opens, [(candidates[k], candidacies[k]) for k in sorted(selected)], closed=closed)


def _cohort(s: Seeder, cycle: int, opens: int, members: list[tuple[int, int]], *, closed: bool) -> None:
    """The selected train for six months; a closed cycle's cohort has graduated, this year's is half-way."""
    rng, pid, hr = s.rng, s.pid.tolist(), s.hr_user.pk
    starts, ends = opens + 80, opens + 80 + 182
    name = f"Master Mentors {day(opens).year}"
    (cohort,) = s.write(
        "cohorts",
        Cohort,
        [{"cycle_id": cycle, "name": name, "starts_on": day(starts), "ends_on": day(ends)}],
    )
    Cohort.coordinators.through.objects.create(cohort_id=cohort, person_id=pid[0])
    graduated = (rng.random(len(members)) < 0.92).tolist() if closed else [False] * len(members)
    member_ids = s.write(
        "cohort members",
        CohortMember,
        (
            {
                "cohort_id": cohort,
                "person_id": pid[p],
                "candidacy_id": candidacy,
                "status": ("graduated" if done else "withdrawn") if closed else "active",
                "graduated_on": day(ends) if done else None,
            }
            for (p, candidacy), done in zip(members, graduated, strict=True)
        ),
    )
    days = np.linspace(starts, ends, len(EVENTS)).astype(int).tolist()
    events = s.write(
        "cohort events",
        CohortEvent,
        (
            {
                "cohort_id": cohort,
                "kind": kind,
                "title": title,
                "starts_at": moment(d, 16),
                "required": required,
            }
            for (kind, title, required), d in zip(EVENTS, days, strict=True)
        ),
    )
    held = [(event, d) for event, d in zip(events, days, strict=True) if moment(d, 16) < s.now]
    marks = pick(rng, [("present", 0.88), ("excused", 0.06), ("absent", 0.06)], len(held) * len(members))
    s.write(
        "attendance",
        Attendance,
        (
            {
                "event_id": event,
                "member_id": member,
                "status": mark,
                "recorded_by_id": hr,
                "recorded_at": moment(d + 1),
            }
            for ((event, d), member), mark in zip(itertools.product(held, member_ids), marks, strict=True)
        ),
    )
    graduates = [
        (member, p) for member, (p, _), done in zip(member_ids, members, graduated, strict=True) if done
    ]
    s.write(
        "certificates",
        Certificate,
        (
            {
                "member_id": member,
                "verification_code": secrets.token_urlsafe(24),
                "title": MASTER_MENTOR_CERTIFICATE_TITLE,
                "issued_on": day(ends),
            }
            for member, _ in graduates
        ),
    )
    # As cohorts.services.graduation records it: programs then treat them as certified.
    s.write(
        "personnel records",
        PersonnelRecord,
        (
            {
                "person_id": pid[p],
                "kind": PersonnelRecord.Kind.CERTIFICATE,
                "effective_on": day(ends),
                "title": MASTER_MENTOR_CERTIFICATE_TITLE,
                "details": f"Graduated from the {name} Master Mentor cohort.",
                "created_at": moment(ends, 17),
            }
            for _, p in graduates
        ),
    )
    s.certified.update({p: ends for _, p in graduates})
