"""The Master Mentor dashboard: how each year's selection went (endorsements, nominations, acceptance, review,
selection, per division), how the cohorts trained (attendance, graduates, certificates), and how certified
Master Mentors' mentoring compares with other mentors' (load, their mentees' ratings, promotions and pairs
ended early).

Every figure is an SQL aggregate, grouped by cycle, division, cohort or kind of event; the only figure read
row by row is review completion, over the committee's reviews of the cycles shown, because recusals follow
the org chart. The page runs about a dozen queries whatever the number of people, pairs or sessions.
Suppression is left to the caller (``protect``): every figure about people carries the count it describes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When

from cohorts.models import (
    Attendance,
    Candidacy,
    Cohort,
    CohortEvent,
    CohortMember,
    CommitteeMember,
    DivisionQuota,
    Endorsement,
    NominationCycle,
    Review,
)
from cohorts.permissions.review import MAX_CHAIN_DEPTH, RecusalMap
from cohorts.services.cohort import ATTENDING
from feedback.models import SessionFeedback
from matching.models import Mentorship
from people.models import Person, PersonnelRecord
from programs.models import Participant
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE

from ..filters import Filters
from ..tables import Cell, Column, Section, Table, count, mean, percent, plain

C = Candidacy.Status
A = Attendance.Status
M = Mentorship.Status
# The per-division breakdown covers the latest cycles of the period only: one table each, kept short.
DIVISION_CYCLES = 3
# Managers read per query when walking the org chart for recusals: one query covers most organizations.
CHAIN_LEVELS_PER_QUERY = 8


# --- Cycles -------------------------------------------------------------------------------------------------


def cycles_in_period(filters: Filters) -> QuerySet[NominationCycle]:
    """Cycles whose year falls within the period's years, latest first (a cycle is a year's selection)."""
    cycles = NominationCycle.objects.all()
    if filters.start:
        cycles = cycles.filter(year__gte=filters.start.year)
    if filters.end:
        cycles = cycles.filter(year__lte=filters.end.year)
    return cycles.order_by("-year", "name", "pk")


@dataclass
class DivisionFigures:
    name: str
    candidates: int = 0
    nominations: int = 0
    answered: int = 0
    accepted: int = 0
    selected: int = 0


@dataclass
class CycleFigures:
    pk: int
    label: str
    published: bool
    endorsements: int = 0
    endorsed: int = 0
    divisions: dict[int, DivisionFigures] = field(default_factory=dict)
    seats: dict[int, int] = field(default_factory=dict)
    reviews_submitted: int = 0
    reviews_expected: int = 0

    def total(self, name: str) -> int:
        return sum(getattr(division, name) for division in self.divisions.values())


def cycle_figures(filters: Filters) -> list[CycleFigures]:
    """Each cycle of the period with its endorsements, candidacies per division, seats and review progress.

    Candidacies are counted per (cycle, division) once, so the cycle totals and the per-division tables
    are the same numbers. With a division or level chosen, candidates and endorsed people are those in it
    now (their current department and level)."""
    cycles = [
        CycleFigures(pk=pk, label=f"{name} ({year})", published=published is not None)
        for pk, name, year, published in cycles_in_period(filters).values_list(
            "pk", "name", "year", "decisions_published_at"
        )
    ]
    if not cycles:
        return cycles
    by_pk = {cycle.pk: cycle for cycle in cycles}
    ids = list(by_pk)
    endorsements = (
        Endorsement.objects.filter(cycle__in=ids)
        .filter(filters.person_q("person__"))
        .values("cycle")
        .annotate(n=Count("pk"), people=Count("person", distinct=True))
        .order_by()
    )
    for row in endorsements:
        by_pk[row["cycle"]].endorsements = row["n"]
        by_pk[row["cycle"]].endorsed = row["people"]
    # A candidacy joins its nominations, so candidacies are counted distinct.
    selected_q = Q(status=C.ACCEPTED, decision=Candidacy.Decision.SELECTED)
    candidacies = (
        Candidacy.objects.filter(cycle__in=ids)
        .filter(filters.person_q("person__"))
        .values("cycle", "person__department__division", "person__department__division__name")
        .annotate(
            candidates=Count("pk", distinct=True),
            n_nominations=Count("nominations"),
            answered=Count("pk", distinct=True, filter=Q(status__in=[C.ACCEPTED, C.DECLINED])),
            accepted=Count("pk", distinct=True, filter=Q(status=C.ACCEPTED)),
            selected=Count("pk", distinct=True, filter=selected_q),
        )
        .order_by()
    )
    for row in candidacies:
        by_pk[row["cycle"]].divisions[row["person__department__division"]] = DivisionFigures(
            name=row["person__department__division__name"],
            candidates=row["candidates"],
            nominations=row["n_nominations"],
            answered=row["answered"],
            accepted=row["accepted"],
            selected=row["selected"],
        )
    latest = ids[:DIVISION_CYCLES]
    quotas = DivisionQuota.objects.filter(cycle__in=latest)
    if filters.division:
        quotas = quotas.filter(division=filters.division)
    for cycle_id, division_id, name, seats in quotas.values_list(
        "cycle", "division", "division__name", "seats"
    ):
        cycle = by_pk[cycle_id]
        cycle.seats[division_id] = seats
        cycle.divisions.setdefault(division_id, DivisionFigures(name=name))
    for cycle_id, (submitted, expected) in review_completion(ids, filters).items():
        by_pk[cycle_id].reviews_submitted = submitted
        by_pk[cycle_id].reviews_expected = expected
    return cycles


def _walk_up(parent: dict[int, int | None], start: int, ancestors: Iterable[int | None]) -> int | None:
    """Record ``start``'s managers read in one row (nearest first) in ``parent``; return the furthest one
    whose own manager is still unknown, if any."""
    child = start
    for ancestor in ancestors:
        parent[child] = ancestor
        if ancestor is None:
            return None
        child = ancestor
    return child if child not in parent else None


def _manager_chains(rows: list[tuple[int, list[int | None]]]) -> dict[int, set[int]]:
    """Everyone above each person (``rows`` give a person and their first managers, nearest first): the
    same chains as ``cohorts.permissions.review.manager_chains``, reading ``CHAIN_LEVELS_PER_QUERY`` levels
    per query instead of one, so the dashboard's query count does not grow with the org chart's depth."""
    parent: dict[int, int | None] = {}
    frontier: set[int] = set()
    for person_id, ancestors in rows:
        top = _walk_up(parent, person_id, ancestors)
        if top is not None:
            frontier.add(top)
    levels = [f"{'manager__' * depth}manager_id" for depth in range(CHAIN_LEVELS_PER_QUERY)]
    depth = CHAIN_LEVELS_PER_QUERY
    while frontier and depth < MAX_CHAIN_DEPTH:
        found = Person.objects.filter(pk__in=frontier).values_list("pk", *levels)
        frontier = set()
        for pk, *ancestors in found:
            top = _walk_up(parent, pk, ancestors)
            if top is not None:
                frontier.add(top)
        depth += CHAIN_LEVELS_PER_QUERY
    chains: dict[int, set[int]] = {}
    for person_id, _ancestors in rows:
        chain: set[int] = set()
        current = parent.get(person_id)
        while current is not None and current not in chain and len(chain) < MAX_CHAIN_DEPTH:
            chain.add(current)
            current = parent.get(current)
        chains[person_id] = chain
    return chains


def review_completion(cycle_ids: list[int], filters: Filters) -> dict[int, tuple[int, int]]:
    """Per cycle: (reviews submitted, reviews expected). Every committee member is expected to review every
    accepted candidacy, except where they are recused: automatically (the candidate themself, someone they
    manage at any depth, someone they nominated: ``cohorts.permissions.review.RecusalMap``) or by a declared
    conflict. The same count as the cycle's review progress page, in four queries for all cycles."""
    chain_fields = [f"person__{'manager__' * depth}manager_id" for depth in range(CHAIN_LEVELS_PER_QUERY)]
    accepted = Candidacy.objects.filter(cycle__in=cycle_ids, status=C.ACCEPTED).filter(
        filters.person_q("person__")
    )
    candidacies: dict[int, Candidacy] = {}
    nominators: dict[int, set[int]] = defaultdict(set)
    people: dict[int, list[int | None]] = {}
    # One row per nomination (a candidacy has one to a few): nominators and the chain in one query.
    for pk, cycle_id, person_id, nominator_id, *ancestors in accepted.values_list(
        "pk", "cycle_id", "person_id", "nominations__nominator_id", *chain_fields
    ):
        candidacies[pk] = Candidacy(pk=pk, cycle_id=cycle_id, person_id=person_id)
        people[person_id] = ancestors
        if nominator_id is not None:
            nominators[pk].add(nominator_id)
    if not candidacies:
        return {}
    recusals = RecusalMap(chains=_manager_chains(list(people.items())), nominators=dict(nominators))
    seats: dict[int, list[int]] = defaultdict(list)
    for cycle_id, person_id in CommitteeMember.objects.filter(cycle__in=cycle_ids).values_list(
        "cycle_id", "person_id"
    ):
        seats[cycle_id].append(person_id)
    declared: set[tuple[int, int]] = set()
    submitted: set[tuple[int, int]] = set()
    reviews = (
        Review.objects.filter(candidacy__in=accepted)
        .filter(Q(submitted_at__isnull=False) | ~Q(recusal=Review.Recusal.NONE))
        .values_list("candidacy_id", "reviewer_id", "recusal")
    )
    for candidacy_id, reviewer_id, recusal in reviews:
        (declared if recusal else submitted).add((candidacy_id, reviewer_id))
    completion: dict[int, tuple[int, int]] = {}
    for candidacy in candidacies.values():
        done, expected = completion.get(candidacy.cycle_id, (0, 0))
        for reviewer_id in seats[candidacy.cycle_id]:
            key = (candidacy.pk, reviewer_id)
            if key in declared or recusals.reason(candidacy, reviewer_id):
                continue
            expected += 1
            done += key in submitted
        completion[candidacy.cycle_id] = (done, expected)
    return completion


def cycles_table(cycles: list[CycleFigures]) -> Table:
    table = Table(
        "cycles",
        "Nomination cycles",
        "Cycle",
        [
            Column("endorsements", "Endorsements"),
            Column("endorsed", "People endorsed"),
            Column("nominations", "Nominations"),
            Column("candidates", "Candidates"),
            Column("acceptance", "Accepted (% of answers)", "percent"),
            Column("review", "Reviews done (%)", "percent"),
            Column("selected", "Selected"),
            Column("selection", "Selected (% of accepted)", "percent"),
        ],
        chart="candidates",
        note=(
            "Endorsements are the answers to “who do you go to for advice?”; people endorsed counts each "
            "person once. Nominations are the nominators' cases; candidates counts each person nominated "
            "once. Accepted: candidates who accepted the nomination, of those who have answered. Reviews "
            "done: submitted reviews, of one review per committee member and accepted candidate, leaving "
            "out recusals (automatic or declared). Selections are counted once the cycle's decisions are "
            "published."
        ),
    )
    for cycle in cycles:
        candidates = cycle.total("candidates")
        accepted = cycle.total("accepted")
        selected = cycle.total("selected")
        table.add(
            cycle.label,
            Cell(cycle.endorsements, "count", n=cycle.endorsed),
            count(cycle.endorsed),
            Cell(cycle.total("nominations"), "count", n=candidates),
            count(candidates),
            percent(accepted, cycle.total("answered")),
            percent(cycle.reviews_submitted, cycle.reviews_expected, n=accepted),
            count(selected) if cycle.published else Cell(None, "count", n=None),
            percent(selected, accepted) if cycle.published else Cell(None, "percent", n=None),
        )
    return table


def division_tables(cycles: list[CycleFigures]) -> list[Table]:
    """One table per cycle, for the latest ``DIVISION_CYCLES`` cycles: the divisions partition its
    candidates, so complementary suppression applies and the total row is shown."""
    tables = []
    for cycle in cycles[:DIVISION_CYCLES]:
        table = Table(
            f"divisions_{cycle.pk}",
            f"Nominations per division, {cycle.label}",
            "Division",
            [
                Column("candidates", "Candidates", additive=True),
                Column("nominations", "Nominations", additive=True),
                Column("accepted", "Accepted", additive=True),
                Column("selected", "Selected", additive=True),
                Column("seats", "Seats", "number"),
            ],
            chart="candidates",
            partition=True,
            note=(
                "Divisions with seats or candidates in the cycle, by the candidates' current division. Seats "
                "are the cycle's quota per division."
                + ("" if cycle.published else " Selections appear once the decisions are published.")
            ),
        )
        ordered = sorted(cycle.divisions.items(), key=lambda item: (item[1].name, item[0]))
        for division_id, figures in ordered:
            table.add(
                figures.name,
                count(figures.candidates),
                Cell(figures.nominations, "count", n=figures.candidates),
                count(figures.accepted),
                count(figures.selected) if cycle.published else Cell(None, "count", n=None),
                plain(cycle.seats.get(division_id), "number"),
                n=figures.candidates,
            )
        seats = sum(cycle.seats.values())
        table.add(
            "All divisions",
            count(cycle.total("candidates")),
            Cell(cycle.total("nominations"), "count", n=cycle.total("candidates")),
            count(cycle.total("accepted")),
            count(cycle.total("selected")) if cycle.published else Cell(None, "count", n=None),
            plain(seats if cycle.seats else None, "number"),
            n=cycle.total("candidates"),
            total=True,
        )
        tables.append(table)
    return tables


# --- Cohorts ------------------------------------------------------------------------------------------------


def cohorts_in_scope(filters: Filters) -> QuerySet[Cohort]:
    """The chosen cohort, or the cohorts training at some time in the period (all of them without one)."""
    if filters.cohort:
        return Cohort.objects.filter(pk=filters.cohort.pk)
    cohorts = Cohort.objects.all()
    if filters.start:
        cohorts = cohorts.filter(ends_on__gte=filters.start)
    if filters.end:
        cohorts = cohorts.filter(starts_on__lte=filters.end)
    return cohorts.order_by("-starts_on", "pk")


def cohort_tables(filters: Filters) -> list[Table]:
    """Members, graduates and attendance per cohort, and attendance per kind of event (three queries).

    Attendance follows the graduation rule (``cohorts.services.cohort.MemberProgress``): records of members
    in training or graduated, at events not cancelled; present of those not excused."""
    member_q = filters.person_q("members__person__")
    rows = list(
        cohorts_in_scope(filters)
        .annotate(
            n_members=Count("members", filter=member_q),
            n_attending=Count("members", filter=member_q & Q(members__status__in=ATTENDING)),
            n_training=Count("members", filter=member_q & Q(members__status=CohortMember.Status.ACTIVE)),
            n_graduated=Count("members", filter=member_q & Q(members__status=CohortMember.Status.GRADUATED)),
            n_withdrawn=Count("members", filter=member_q & Q(members__status=CohortMember.Status.WITHDRAWN)),
            n_certificates=Count("members__certificate", filter=member_q),
        )
        .values(
            "pk",
            "name",
            "n_members",
            "n_attending",
            "n_training",
            "n_graduated",
            "n_withdrawn",
            "n_certificates",
        )
    )
    ids = [row["pk"] for row in rows]
    records = Attendance.objects.filter(
        event__cohort__in=ids, event__cancelled=False, member__status__in=ATTENDING
    ).filter(filters.person_q("member__person__"))
    rates = {
        "present": Count("pk", filter=Q(status=A.PRESENT)),
        "counted": Count("pk", filter=~Q(status=A.EXCUSED)),
    }
    by_cohort: dict[int, dict[str, Any]] = {}
    by_kind: dict[str, dict[str, Any]] = {}
    if ids:
        by_cohort = {
            row["event__cohort"]: row for row in records.values("event__cohort").annotate(**rates).order_by()
        }
        by_kind = {
            row["event__kind"]: row
            for row in records.values("event__kind")
            .annotate(events=Count("event", distinct=True), members=Count("member", distinct=True), **rates)
            .order_by()
        }
    cohorts = Table(
        "cohorts",
        "Cohorts",
        "Cohort",
        [
            Column("members", "Members"),
            Column("training", "In training"),
            Column("graduated", "Graduated"),
            Column("withdrawn", "Withdrawn"),
            Column("certificates", "Certificates"),
            Column("attendance", "Attendance (%)", "percent"),
        ],
        chart="attendance",
        column_parts=("members", ["training", "graduated", "withdrawn"]),
        note=(
            "Attendance: events attended, of the events (not cancelled) whose attendance was taken, for "
            "members in training or graduated; excused absences are not counted, as for graduation."
        ),
    )
    for row in rows:
        attended = by_cohort.get(row["pk"], {})
        cohorts.add(
            row["name"],
            count(row["n_members"]),
            count(row["n_training"]),
            count(row["n_graduated"]),
            count(row["n_withdrawn"]),
            count(row["n_certificates"]),
            percent(attended.get("present", 0), attended.get("counted", 0), n=row["n_attending"]),
        )
    kinds = Table(
        "attendance_by_kind",
        "Attendance by kind of event",
        "Kind of event",
        [
            Column("events", "Events", "number"),
            Column("members", "Members recorded"),
            Column("attendance", "Attendance (%)", "percent"),
        ],
        chart="attendance",
        note="Events not cancelled whose attendance was taken, in the cohorts above; computed as beside.",
    )
    for kind, label in CohortEvent.Kind.choices:
        if kind not in by_kind:
            continue
        row = by_kind[kind]
        kinds.add(
            label,
            plain(row["events"], "number"),
            count(row["members"]),
            percent(row["present"], row["counted"], n=row["members"]),
        )
    return [cohorts, kinds]


# --- Master Mentors as mentors ------------------------------------------------------------------------------


def certified_people() -> QuerySet[PersonnelRecord, Any]:
    """Ids of people certified as Master Mentors, as a subquery: the rule of
    ``programs.services.training.is_certified_master_mentor`` (the certificate in the personnel file)."""
    return PersonnelRecord.objects.filter(
        kind=PersonnelRecord.Kind.CERTIFICATE, title__iexact=MASTER_MENTOR_CERTIFICATE_TITLE
    ).values("person")


def pairs_q(filters: Filters, prefix: str = "") -> Q:
    """Started pairs of every program that ran at some time in the period, with the mentor in the chosen
    division and level, reached through ``prefix``. With a cohort chosen, the certified mentors compared are
    that cohort's members. A condition rather than a subquery, so the feedback query joins the pairs it
    rates and PostgreSQL plans the million rows with hash joins."""
    q = Q(**{f"{prefix}started_on__isnull": False}) & ~Q(**{f"{prefix}status": M.PROPOSED})
    q &= filters.person_q(f"{prefix}mentor__person__")
    if filters.start:
        q &= Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": filters.start})
    if filters.end:
        q &= Q(**{f"{prefix}started_on__lte": filters.end})
    if filters.cohort:
        q &= ~Q(**{f"{prefix}mentor__person__in": certified_people()}) | Q(
            filters.cohort_member(f"{prefix}mentor__person_id")
        )
    return q


def _master(person: str) -> Case:
    return Case(
        When(Q(**{f"{person}__in": certified_people()}), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def mentor_comparison(filters: Filters, *, today: datetime.date) -> dict[bool, dict[str, Any]]:
    """Per group (certified or not, as of today): mentors, their load, their mentees, promotions and early
    endings (one query over the pairs), and the mentees' ratings with how many mentees gave them (one query
    over the feedback)."""
    until = min(filters.end or today, today)
    promoted = PersonnelRecord.objects.filter(
        person=OuterRef("mentee__person"),
        kind=PersonnelRecord.Kind.PROMOTION,
        effective_on__gte=OuterRef("started_on"),
        effective_on__lte=until,
    )
    figures: dict[bool, dict[str, Any]] = {True: {}, False: {}}
    pairs = (
        Mentorship.objects.filter(pairs_q(filters))
        .annotate(master=_master("mentor__person"))
        .values("master")
        .annotate(
            mentors=Count("mentor__person", distinct=True),
            active_mentors=Count("mentor__person", distinct=True, filter=Q(status=M.ACTIVE)),
            active_pairs=Count("pk", filter=Q(status=M.ACTIVE)),
            mentees=Count("mentee__person", distinct=True),
            promoted=Count("mentee__person", distinct=True, filter=Q(Exists(promoted))),
            pairs=Count("pk"),
            ended_early=Count("pk", filter=Q(status=M.ENDED_EARLY)),
        )
        .order_by()
    )
    for row in pairs:
        figures[row["master"]].update(row)
    # Ratings are summed per mentee first, then per group: the raters are counted from those few rows, not
    # with a DISTINCT that would sort the million feedback rows. Whoever rates a pair's session is one of
    # the pair, so the mentee is the one in the mentee's role.
    per_mentee = (
        SessionFeedback.objects.filter(participant__role=Participant.Role.MENTEE)
        .filter(pairs_q(filters, "session__mentorship__"))
        .filter(filters.in_period("session__starts_at"))
        .annotate(master=_master("session__mentorship__mentor__person"))
        .values("master", "participant__person")
        .annotate(total=Sum("rating"), answers=Count("pk"))
        .order_by()
    )
    sums: dict[str, Any] = {}
    for master in (True, False):
        mine = Q(master=master)
        sums[f"{master}_total"] = Sum("total", filter=mine)
        sums[f"{master}_answers"] = Sum("answers", filter=mine)
        sums[f"{master}_raters"] = Count("participant__person", filter=mine)
    rated = per_mentee.aggregate(**sums)
    for master, group in figures.items():
        answers = rated[f"{master}_answers"]
        group["average"] = rated[f"{master}_total"] / answers if answers else None
        group["raters"] = rated[f"{master}_raters"]
    return figures


def mentors_table(filters: Filters, *, today: datetime.date) -> Table:
    figures = mentor_comparison(filters, today=today)
    table = Table(
        "mentors",
        "Master Mentors and other mentors",
        "Mentors",
        [
            Column("mentors", "Mentors"),
            Column("load", "Current mentees per mentor", "ratio"),
            Column("mentees", "Mentees"),
            Column("rating", "Mentees' session rating (1-5)", "mean"),
            Column("promoted", "Mentees promoted (%)", "percent"),
            Column("ended_early", "Pairs ended early (%)", "percent"),
        ],
        chart="rating",
        note=(
            "Pairs of every program that ran in the period, by whether the mentor holds the Master Mentor "
            "certificate today. Current mentees per mentor: active pairs, per mentor with an active pair. "
            "Session rating: the mentees' ratings of their sessions in the period. Promoted: mentees with a "
            "promotion on or after the day their pair started. Ended early: pairs that ended early, of all "
            "the pairs."
        ),
    )
    cohort = f" of {filters.cohort.name}" if filters.cohort else ""
    for master, label in ((True, f"Certified Master Mentors{cohort}"), (False, "Other mentors")):
        group = figures.get(master, {})
        active_mentors = group.get("active_mentors", 0)
        mentees = group.get("mentees", 0)
        table.add(
            label,
            count(group.get("mentors", 0)),
            Cell(
                group["active_pairs"] / active_mentors if active_mentors else None, "ratio", n=active_mentors
            ),
            count(mentees),
            mean(group.get("average"), group.get("raters", 0)),
            percent(group.get("promoted", 0), mentees),
            percent(group.get("ended_early", 0), group.get("pairs", 0), n=mentees),
        )
    return table


# --- The dashboard ------------------------------------------------------------------------------------------


def master_mentor_sections(filters: Filters, *, today: datetime.date) -> list[Section]:
    """The Master Mentor dashboard's sections, unprotected (the caller applies ``protect``)."""
    cycles = cycle_figures(filters)
    people = (
        " With a division or level chosen, the figures cover the candidates, endorsed people and cohort "
        "members in it today."
        if filters.division or filters.level
        else ""
    )
    return [
        Section(
            "cycles",
            "Nomination cycles",
            [cycles_table(cycles), *division_tables(cycles)],
            intro=(
                "Each year's selection: cycles whose year falls within the period. Divisions are shown for "
                f"the latest {DIVISION_CYCLES} of them." + people
            ),
        ),
        Section(
            "cohorts",
            "Cohorts in training",
            cohort_tables(filters),
            intro="The chosen cohort, or the cohorts training at some time in the period.",
        ),
        Section(
            "mentoring",
            "Master Mentors as mentors",
            [mentors_table(filters, today=today)],
            intro=(
                "How certified Master Mentors' pairs compare with other mentors' pairs, across programs; the "
                "division and level are the mentor's."
            ),
        ),
    ]


__all__ = ["master_mentor_sections"]
