"""The Master Mentor dashboard's figures, over a small hand-built data set whose every number is worked out in
``world``'s docstring."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from cohorts.factories import (
    AttendanceFactory,
    CandidacyFactory,
    CohortEventFactory,
    CohortFactory,
    CohortMemberFactory,
    CommitteeMemberFactory,
    DivisionQuotaFactory,
    EndorsementFactory,
    NominationCycleFactory,
    NominationFactory,
    ReviewFactory,
)
from cohorts.models import (
    Attendance,
    Candidacy,
    Certificate,
    Cohort,
    CohortEvent,
    CohortMember,
    NominationCycle,
)
from feedback.models import Session, SessionFeedback
from matching.models import Mentorship
from outcomes.filters import Filters
from outcomes.metrics.master_mentors import master_mentor_sections
from outcomes.tables import Table, protect
from people.models import Department, Person, PersonnelRecord
from programs.factories import ParticipantFactory, ProgramFactory
from programs.models import Participant, Program
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE
from tests.factories import DepartmentFactory, PersonFactory, PersonnelRecordFactory

TODAY = datetime.date(2026, 11, 20)
ACCEPTED, DECLINED, INVITED = Candidacy.Status.ACCEPTED, Candidacy.Status.DECLINED, Candidacy.Status.INVITED
SELECTED, NOT_SELECTED = Candidacy.Decision.SELECTED, Candidacy.Decision.NOT_SELECTED
PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@dataclass
class World:
    clinical: Department
    corporate: Department
    cycle_2026: NominationCycle
    cycle_2025: NominationCycle
    cycle_2023: NominationCycle
    cohort_2026: Cohort
    cohort_2025: Cohort
    people: dict[str, Person]


def certify(person: Person) -> None:
    PersonnelRecordFactory(
        person=person,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        title=MASTER_MENTOR_CERTIFICATE_TITLE.lower(),  # the rule ignores case
        effective_on=datetime.date(2025, 9, 1),
    )


def promote(person: Person, on: datetime.date) -> None:
    PersonnelRecordFactory(person=person, kind=PersonnelRecord.Kind.PROMOTION, effective_on=on)


def member(cohort: Cohort, person: Person, status: str, *, certificate: bool = False) -> CohortMember:
    cohort_member = CohortMemberFactory(cohort=cohort, person=person, status=status)
    if certificate:
        Certificate.objects.create(
            member=cohort_member,
            verification_code=f"code-{cohort_member.pk}",
            title=MASTER_MENTOR_CERTIFICATE_TITLE,
            issued_on=cohort.ends_on,
        )
    return cohort_member


def participant(program: Program, person: Person, role: str) -> Participant:
    found = Participant.objects.filter(program=program, person=person, role=role).first()
    return found or ParticipantFactory(
        program=program, person=person, role=role, status=Participant.Status.APPROVED
    )


def pair(
    program: Program,
    mentor: Person,
    mentee: Person,
    status: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
) -> Mentorship:
    return Mentorship.objects.create(
        program=program,
        mentor=participant(program, mentor, Participant.Role.MENTOR),
        mentee=participant(program, mentee, Participant.Role.MENTEE),
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        source=Mentorship.Source.MANUAL,
    )


def rate(mentorship: Mentorship, day: datetime.date, rating: int, *, by_mentor: bool = False) -> None:
    session = Session.objects.create(
        mentorship=mentorship,
        status=Session.Status.HELD,
        starts_at=at(day),
        duration_minutes=60,
        format=Session.Format.VIDEO,
        logged_at=at(day),
    )
    participant = mentorship.mentor if by_mentor else mentorship.mentee
    SessionFeedback.objects.create(session=session, participant=participant, rating=rating)


@pytest.fixture
def world(db, department) -> World:
    """Two divisions: Clinical Services (``department``) and Corporate Services.

    Cycle 2026 (decisions published), committee R1, R2, R3; seats: Clinical 2, Corporate 1.
    - Endorsements: X→A, Y→A, Z→B (Clinical), X→D (Corporate): 4 endorsements of 3 people.
    - Candidates: A (Clinical, accepted, selected; nominated by R2 and N), B (Clinical, accepted, not
      selected; by R2), C (Clinical, declined), D (Corporate, level 7, accepted, selected), E (Corporate,
      no answer yet): 5 candidates, 6 nominations, 4 answers, 3 accepted (75%), 2 selected (2 of 3).
    - Reviews: 3 members times 3 accepted = 9; recused: R1 from B (B's manager's manager), R2 from A and B
      (nominated them), R3 from D (declared) → 5 expected: R1-A and R1-D and R3-A submitted, R3-B a draft,
      R2-D nothing → 3 of 5 (60%). Clinical only: R1-A, R3-A, R3-B → 2 of 3.
    Cycle 2025 (published): F (Clinical) accepted, selected, endorsed once; no committee. Cycle 2023: G.

    Cohort 2026 (March to August 2026): A graduated (certificate), D graduated (certificate), H (Clinical)
    in training, W (Clinical) withdrawn. Events: a workshop, a case discussion and a cancelled workshop.
    Attendance counted (not cancelled, not withdrawn, not excused): workshop A present, D present, H absent;
    case discussion A present, H present (D excused) → 4 of 5 (80%); workshop 2 of 3, case discussion 2 of 2.
    Cohort 2025 (March to August 2025): F graduated (certificate), present at its one workshop.

    Mentoring (A and F certified Master Mentors; O1 Clinical and O2 Corporate are not):
    - A→m1 active since 1 Mar 2026, A→m2 active since 1 Mar 2026, A→m3 ended early (10 Jan to 1 Apr 2026),
      F→m4 active since 1 Feb 2026 → 2 mentors, 3 current mentees (1.5 each), 4 mentees, 1 of 4 ended early;
      ratings by mentees 5, 4 (m1), 3 (m2), 4 (m4) → 4.0 from 3 mentees (A's own rating of 1 is no
      mentee's); promoted since pairing: m1 (June 2026), m4 (October 2026), not m2 (before) → 2 of 4.
    - O1→m5 active since 15 Jan 2026, O1→m6 completed (June 2025 to February 2026), O2→m7 and O2→m8 ended
      early (in 2026), O2→m9 proposed (not started: left out) → 2 mentors, 1 current mentee (1.0), 4 mentees,
      2 of 4 ended early; ratings 2 (m5), 3 (m7), 4 (m6, in 2025) → 3.0 from 3; promoted: m6 (January 2026),
      not m5 (a promotion dated after today) → 1 of 4.
    """
    clinical = department
    corporate = DepartmentFactory(name="Finance", division__name="Corporate Services")

    def person(name: str, dept: Department = clinical, **kwargs: Any) -> Person:
        return PersonFactory(full_name=name, department=dept, **kwargs)

    people = {
        name: person(name) for name in ("A", "B", "C", "F", "G", "H", "W", "X", "Y", "Z", "N", "R2", "R3")
    }
    people["R1"] = person("R1")
    people["MB"] = person("MB", manager=people["R1"])
    Person.objects.filter(pk=people["B"].pk).update(manager=people["MB"])
    people["D"] = person("D", corporate, job_level=7)
    people["E"] = person("E", corporate)

    cycle_2026 = NominationCycleFactory(year=2026, decisions_published_at=at(datetime.date(2026, 2, 1)))
    cycle_2025 = NominationCycleFactory(year=2025, decisions_published_at=at(datetime.date(2025, 2, 1)))
    cycle_2023 = NominationCycleFactory(year=2023, decisions_published_at=at(datetime.date(2023, 2, 1)))
    DivisionQuotaFactory(cycle=cycle_2026, division=clinical.division, seats=2)
    DivisionQuotaFactory(cycle=cycle_2026, division=corporate.division, seats=1)
    for endorser, endorsed in (("X", "A"), ("Y", "A"), ("Z", "B"), ("X", "D")):
        EndorsementFactory(cycle=cycle_2026, endorser=people[endorser], person=people[endorsed])
    EndorsementFactory(cycle=cycle_2025, endorser=people["X"], person=people["F"])

    def candidacy(cycle, name, status, decision="", nominators=("N",)) -> Candidacy:
        made = CandidacyFactory(cycle=cycle, person=people[name], status=status, decision=decision)
        for nominator in nominators:
            NominationFactory(candidacy=made, nominator=people[nominator])
        return made

    a = candidacy(cycle_2026, "A", ACCEPTED, SELECTED, nominators=("R2", "N"))
    b = candidacy(cycle_2026, "B", ACCEPTED, NOT_SELECTED, nominators=("R2",))
    candidacy(cycle_2026, "C", DECLINED)
    d = candidacy(cycle_2026, "D", ACCEPTED, SELECTED)
    candidacy(cycle_2026, "E", INVITED)
    candidacy(cycle_2025, "F", ACCEPTED, SELECTED)
    candidacy(cycle_2023, "G", ACCEPTED, SELECTED)
    for name in ("R1", "R2", "R3"):
        CommitteeMemberFactory(cycle=cycle_2026, person=people[name])
    submitted = at(datetime.date(2026, 1, 20))
    ReviewFactory(candidacy=a, reviewer=people["R1"], submitted_at=submitted)
    ReviewFactory(candidacy=d, reviewer=people["R1"], submitted_at=submitted)
    ReviewFactory(candidacy=a, reviewer=people["R3"], submitted_at=submitted)
    ReviewFactory(candidacy=b, reviewer=people["R3"])
    ReviewFactory(candidacy=d, reviewer=people["R3"], recusal="declared")

    cohort_2026 = CohortFactory(
        cycle=cycle_2026, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 8, 31)
    )
    cohort_2025 = CohortFactory(
        cycle=cycle_2025, starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 8, 31)
    )
    graduated, active, withdrawn = (CohortMember.Status.GRADUATED, CohortMember.Status.ACTIVE,
                                    CohortMember.Status.WITHDRAWN)  # fmt: skip
    members = {
        "A": member(cohort_2026, people["A"], graduated, certificate=True),
        "D": member(cohort_2026, people["D"], graduated, certificate=True),
        "H": member(cohort_2026, people["H"], active),
        "W": member(cohort_2026, people["W"], withdrawn),
    }
    workshop = CohortEventFactory(cohort=cohort_2026, kind=CohortEvent.Kind.WORKSHOP)
    discussion = CohortEventFactory(cohort=cohort_2026, kind=CohortEvent.Kind.CASE_DISCUSSION)
    cancelled = CohortEventFactory(cohort=cohort_2026, kind=CohortEvent.Kind.WORKSHOP, cancelled=True)
    for event, statuses in (
        (workshop, {"A": PRESENT, "D": PRESENT, "H": ABSENT, "W": ABSENT}),
        (discussion, {"A": PRESENT, "D": EXCUSED, "H": PRESENT, "W": PRESENT}),
        (cancelled, {"A": PRESENT, "D": PRESENT}),
    ):
        for name, status in statuses.items():
            AttendanceFactory(event=event, member=members[name], status=status)
    f_member = member(cohort_2025, people["F"], graduated, certificate=True)
    AttendanceFactory(event=CohortEventFactory(cohort=cohort_2025), member=f_member, status=PRESENT)

    certify(people["A"])
    certify(people["F"])
    people["O1"] = person("O1")
    people["O2"] = person("O2", corporate)
    for index in range(1, 10):
        people[f"m{index}"] = person(f"m{index}")
    program = ProgramFactory(status=Program.Status.RUNNING)
    second = ProgramFactory(status=Program.Status.RUNNING)
    d = datetime.date
    p1 = pair(program, people["A"], people["m1"], "active", d(2026, 3, 1))
    p2 = pair(second, people["A"], people["m2"], "active", d(2026, 3, 1))
    pair(program, people["A"], people["m3"], "ended_early", d(2026, 1, 10), d(2026, 4, 1))
    p4 = pair(program, people["F"], people["m4"], "active", d(2026, 2, 1))
    p5 = pair(program, people["O1"], people["m5"], "active", d(2026, 1, 15))
    p6 = pair(program, people["O1"], people["m6"], "completed", d(2025, 6, 1), d(2026, 2, 1))
    p7 = pair(program, people["O2"], people["m7"], "ended_early", d(2026, 2, 1), d(2026, 5, 1))
    pair(program, people["O2"], people["m8"], "ended_early", d(2026, 3, 1), d(2026, 6, 1))
    p9 = pair(program, people["O2"], people["m9"], "proposed", None)
    rate(p1, d(2026, 4, 10), 5)
    rate(p1, d(2026, 5, 10), 4)
    rate(p1, d(2026, 5, 10), 1, by_mentor=True)
    rate(p2, d(2026, 4, 10), 3)
    rate(p4, d(2026, 6, 10), 4)
    rate(p5, d(2026, 4, 10), 2)
    rate(p7, d(2026, 3, 10), 3)
    rate(p6, d(2025, 9, 10), 4)
    rate(p9, d(2026, 10, 1), 1)  # a proposed pair is not mentoring yet
    promote(people["m1"], d(2026, 6, 1))
    promote(people["m2"], d(2025, 12, 1))
    promote(people["m4"], d(2026, 10, 1))
    promote(people["m5"], d(2026, 12, 1))
    promote(people["m6"], d(2026, 1, 1))
    return World(
        clinical=clinical,
        corporate=corporate,
        cycle_2026=cycle_2026,
        cycle_2025=cycle_2025,
        cycle_2023=cycle_2023,
        cohort_2026=cohort_2026,
        cohort_2025=cohort_2025,
        people=people,
    )


def tables(filters: Filters | None = None) -> dict[str, Table]:
    sections = master_mentor_sections(filters or Filters(), today=TODAY)
    return {table.key: table for section in sections for table in section.tables}


def values(table: Table) -> dict[str, list[Any]]:
    """Each row's figures by label, percentages and means rounded to two places."""
    return {
        row.label: [
            round(cell.value, 2) if isinstance(cell.value, float) else cell.value for cell in row.cells
        ]
        for row in table.rows
    }


def sizes(table: Table) -> dict[str, list[int | None]]:
    return {row.label: [cell.n for cell in row.cells] for row in table.rows}


def label(cycle: NominationCycle) -> str:
    return f"{cycle.name} ({cycle.year})"


# --- Cycles -------------------------------------------------------------------------------------------------


def test_each_cycle_counts_endorsements_nominations_acceptance_reviews_and_selection(world):
    cycles = tables()["cycles"]

    assert [row.label for row in cycles.rows] == [
        label(world.cycle_2026),
        label(world.cycle_2025),
        label(world.cycle_2023),
    ]
    # endorsements, people endorsed, nominations, candidates, accepted %, reviews done %, selected, selected %
    assert values(cycles) == {
        label(world.cycle_2026): [4, 3, 6, 5, 75.0, 60.0, 2, 66.67],
        label(world.cycle_2025): [1, 1, 1, 1, 100.0, None, 1, 100.0],
        label(world.cycle_2023): [0, 0, 1, 1, 100.0, None, 1, 100.0],
    }


def test_every_cycle_figure_says_how_many_people_it_describes(world):
    cycles = tables()["cycles"]

    # Endorsements by the people endorsed, nominations by candidates, acceptance by those who answered,
    # reviews and selection by the accepted candidates.
    assert sizes(cycles)[label(world.cycle_2026)] == [3, 3, 5, 5, 4, 3, 2, 3]


def test_a_committee_member_far_up_the_reporting_line_is_recused(world):
    """Ten levels up: beyond what the first query reads, so the walk goes on."""
    chain = [PersonFactory(department=world.clinical)]
    for _level in range(10):
        chain.append(PersonFactory(department=world.clinical, manager=chain[-1]))
    top, candidate = chain[0], chain[-1]
    cycle = NominationCycleFactory(year=2024)
    CommitteeMemberFactory(cycle=cycle, person=top)
    CommitteeMemberFactory(cycle=cycle, person=world.people["R3"])
    accepted = CandidacyFactory(cycle=cycle, person=candidate, status=ACCEPTED)
    NominationFactory(candidacy=accepted, nominator=world.people["N"])
    ReviewFactory(candidacy=accepted, reviewer=world.people["R3"], submitted_at=at(datetime.date(2024, 1, 5)))

    row = values(tables()["cycles"])[label(cycle)]

    assert row[5] == 100.0  # one review expected (the top manager is recused), and it is in


def test_selections_wait_for_the_decisions_to_be_published(world):
    NominationCycle.objects.filter(pk=world.cycle_2026.pk).update(decisions_published_at=None)

    found = tables()
    row = values(found["cycles"])[label(world.cycle_2026)]
    divisions = values(found[f"divisions_{world.cycle_2026.pk}"])

    assert row[6:] == [None, None]
    assert divisions["All divisions"][3] is None


def test_nominations_per_division_partition_the_latest_cycles_candidates_against_their_seats(world):
    found = tables()
    divisions = found[f"divisions_{world.cycle_2026.pk}"]

    assert divisions.partition
    # candidates, nominations, accepted, selected, seats
    assert values(divisions) == {
        "Clinical Services": [3, 4, 2, 1, 2],
        "Corporate Services": [2, 2, 1, 1, 1],
        "All divisions": [5, 6, 3, 2, 3],
    }
    assert [row.n for row in divisions.rows] == [3, 2, 5]
    assert [row.total for row in divisions.rows] == [False, False, True]
    assert values(found[f"divisions_{world.cycle_2025.pk}"]) == {
        "Clinical Services": [1, 1, 1, 1, None],
        "All divisions": [1, 1, 1, 1, None],
    }


def test_only_the_three_latest_cycles_are_broken_down_by_division(world):
    older = NominationCycleFactory(year=2020)

    found = tables()

    assert f"divisions_{world.cycle_2023.pk}" in found
    assert f"divisions_{older.pk}" not in found
    assert label(older) in values(found["cycles"])


def test_a_division_restricts_candidates_endorsed_people_reviews_and_seats(world):
    found = tables(Filters(division=world.clinical.division))

    assert values(found["cycles"])[label(world.cycle_2026)] == [3, 2, 4, 3, 66.67, 66.67, 1, 50.0]
    assert values(found[f"divisions_{world.cycle_2026.pk}"]) == {
        "Clinical Services": [3, 4, 2, 1, 2],
        "All divisions": [3, 4, 2, 1, 2],
    }


def test_a_level_band_restricts_the_candidates(world):
    cycles = values(tables(Filters(level="7-9"))["cycles"])

    # D alone: endorsed once, accepted, selected, reviewed by R1 (R3 declared a conflict, R2 did nothing).
    assert cycles[label(world.cycle_2026)] == [1, 1, 1, 1, 100.0, 50.0, 1, 100.0]
    assert cycles[label(world.cycle_2025)] == [0, 0, 0, 0, None, None, 0, None]


def test_the_period_chooses_the_cycles_by_their_year(world):
    found = tables(Filters(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)))

    assert list(values(found["cycles"])) == [label(world.cycle_2025)]
    assert [key for key in found if key.startswith("divisions_")] == [f"divisions_{world.cycle_2025.pk}"]


# --- Cohorts ------------------------------------------------------------------------------------------------


def test_each_cohort_counts_members_graduates_certificates_and_attendance(world):
    found = tables()

    # members, in training, graduated, withdrawn, certificates, attendance %
    assert values(found["cohorts"]) == {
        world.cohort_2026.name: [4, 1, 2, 1, 2, 80.0],
        world.cohort_2025.name: [1, 0, 1, 0, 1, 100.0],
    }
    # Attendance describes the members in training or graduated.
    assert sizes(found["cohorts"])[world.cohort_2026.name][5] == 3


def test_attendance_by_kind_of_event_leaves_out_cancelled_events_withdrawn_members_and_excuses(world):
    by_kind = tables()["attendance_by_kind"]

    # events, members recorded, attendance %
    assert values(by_kind) == {
        "Skill-building workshop": [2, 4, 75.0],
        "Case discussion": [1, 3, 100.0],
    }
    assert sizes(by_kind)["Case discussion"] == [None, 3, 3]


def test_a_cohort_filter_shows_that_cohort_only(world):
    found = tables(Filters(cohort=world.cohort_2025))

    assert values(found["cohorts"]) == {world.cohort_2025.name: [1, 0, 1, 0, 1, 100.0]}
    assert values(found["attendance_by_kind"]) == {"Skill-building workshop": [1, 1, 100.0]}


def test_the_period_chooses_the_cohorts_training_in_it(world):
    found = tables(Filters(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)))

    assert list(values(found["cohorts"])) == [world.cohort_2026.name]


def test_a_division_restricts_the_cohort_members(world):
    found = tables(Filters(division=world.clinical.division))

    assert values(found["cohorts"])[world.cohort_2026.name] == [3, 1, 1, 1, 1, 75.0]


# --- Master Mentors as mentors ------------------------------------------------------------------------------


def test_master_mentors_load_and_their_mentees_ratings_and_outcomes_compare_with_other_mentors(world):
    mentors = tables()["mentors"]

    # mentors, current mentees per mentor, mentees, mentees' rating, promoted %, ended early %
    assert values(mentors) == {
        "Certified Master Mentors": [2, 1.5, 4, 4.0, 50.0, 25.0],
        "Other mentors": [2, 1.0, 4, 3.0, 25.0, 50.0],
    }
    # Load by the mentors with a current pair, ratings by the mentees who rated, the rest by mentees.
    assert sizes(mentors) == {
        "Certified Master Mentors": [2, 2, 4, 3, 4, 4],
        "Other mentors": [2, 1, 4, 3, 4, 4],
    }


def test_the_period_chooses_the_pairs_and_the_ratings(world):
    mentors = tables(Filters(start=datetime.date(2026, 5, 1), end=datetime.date(2026, 12, 31)))["mentors"]

    # A→m3 and O1→m6 ended before May; ratings before May are left out.
    assert values(mentors) == {
        "Certified Master Mentors": [2, 1.5, 3, 4.0, 66.67, 0.0],
        "Other mentors": [2, 1.0, 3, None, 0.0, 66.67],
    }


def test_a_division_applies_to_the_mentor(world):
    mentors = tables(Filters(division=world.clinical.division))["mentors"]

    assert values(mentors)["Other mentors"] == [1, 1.0, 2, 3.0, 50.0, 0.0]
    assert values(mentors)["Certified Master Mentors"] == [2, 1.5, 4, 4.0, 50.0, 25.0]


def test_a_cohort_compares_its_certified_graduates_with_other_mentors(world):
    mentors = tables(Filters(cohort=world.cohort_2025))["mentors"]

    assert values(mentors) == {
        f"Certified Master Mentors of {world.cohort_2025.name}": [1, 1.0, 1, 4.0, 100.0, 0.0],
        "Other mentors": [2, 1.0, 4, 3.0, 25.0, 50.0],
    }


def test_small_groups_are_suppressed_by_the_caller(world):
    mentors = protect(tables()["mentors"], 3)

    shown = {row.label: [not cell.suppressed for cell in row.cells] for row in mentors.rows}
    assert shown == {
        "Certified Master Mentors": [False, False, True, True, True, True],
        "Other mentors": [False, False, True, True, True, True],
    }


# --- Queries ------------------------------------------------------------------------------------------------


def test_the_dashboard_runs_the_same_few_queries_whatever_the_data_size(world, django_assert_num_queries):
    with django_assert_num_queries(12):
        master_mentor_sections(Filters(), today=TODAY)
    program = ProgramFactory(status=Program.Status.RUNNING)
    for year in (2019, 2020, 2021):
        cycle = NominationCycleFactory(year=year)
        cohort = CohortFactory(
            cycle=cycle, starts_on=datetime.date(year, 3, 1), ends_on=datetime.date(year, 8, 31)
        )
        event = CohortEventFactory(cohort=cohort)
        CommitteeMemberFactory(cycle=cycle)
        for _index in range(3):
            person = PersonFactory(department=world.clinical)
            CandidacyFactory(cycle=cycle, person=person, status=ACCEPTED)
            EndorsementFactory(cycle=cycle, person=person)
            AttendanceFactory(event=event, member=member(cohort, person, CohortMember.Status.ACTIVE))
            mentorship = pair(program, person, PersonFactory(), "active", datetime.date(year, 9, 1))
            rate(mentorship, datetime.date(year, 10, 1), 4)

    with django_assert_num_queries(12):
        master_mentor_sections(Filters(division=world.clinical.division, level="1-3"), today=TODAY)
