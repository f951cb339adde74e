"""The impact page's figures, on a small organization whose every figure can be worked out by hand.

The program ran through 2025 and the dashboard is read on 30 June 2026, so there is a "during" window
(2025) and an "after" window (1 January to 30 June 2026).

Strata at the program's start (division, level, tenure band on 1 January 2025):

- Clinical, level 3, 3-5 years: 4 mentees (2 promoted, 1 voluntary leaver) and 10 colleagues (1 promoted,
  1 voluntary and 1 involuntary leaver, 1 promoted only in 2026);
- Research, level 5, 10+ years: 2 mentees (1 promoted in 2026) and 20 colleagues (10 promoted in 2025):
  the comparison group over-represents this stratum (20 of 30 colleagues, 2 of 6 mentees);
- Clinical, level 3, under 1 year: 1 mentee and no colleague (a colleague hired after the start is not
  eligible);
- Research, level 8, 10+ years: 2 mentors (1 promoted) and 5 colleagues (1 promoted).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.models import Mentorship
from matching.services.mentorships import mentorship_create
from outcomes.filters import Filters
from outcomes.metrics.impact import (
    Estimate,
    Tally,
    impact_rows,
    impact_sections,
    interval_text,
    stratified_estimate,
    windows,
)
from outcomes.metrics.program import Scope
from outcomes.models import OutcomeSettings
from outcomes.tables import Section, Table
from people.models import Department, Person
from programs.factories import ParticipantFactory, ProgramFactory
from programs.models import Participant, Program
from tests.factories import DepartmentFactory, PersonFactory, PersonnelRecordFactory

TODAY = datetime.date(2026, 6, 30)
PAIRED_ON = datetime.date(2025, 1, 15)
IN_2025 = datetime.date(2025, 6, 1)
IN_2026 = datetime.date(2026, 3, 1)
MINUS = "\N{MINUS SIGN}"


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


class Organization:
    """Builds people, participants and pairs of one program."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.clinical = DepartmentFactory(name="Cardiology", division__name="Clinical")
        self.research = DepartmentFactory(name="Genomics", division__name="Research")

    def person(
        self,
        department: Department,
        level: int,
        hired: str,
        *,
        promoted: datetime.date | None = None,
        left: tuple[str, str] | None = None,
    ) -> Person:
        extra: dict[str, Any] = {}
        if left is not None:
            extra = {"status": Person.Status.LEFT, "left_on": _date(left[0]), "left_reason": left[1]}
        person = PersonFactory(department=department, job_level=level, hire_date=_date(hired), **extra)
        if promoted is not None:
            PersonnelRecordFactory(person=person, effective_on=promoted)
        return person

    def participant(
        self, person: Person, role: str, status: str = Participant.Status.APPROVED
    ) -> Participant:
        extra = {"capacity": 10} if role == Participant.Role.MENTOR else {}
        return ParticipantFactory(program=self.program, person=person, role=role, status=status, **extra)

    def pair(self, mentor: Participant, mentee: Person) -> Mentorship:
        pair = mentorship_create(
            mentor=mentor, mentee=self.participant(mentee, Participant.Role.MENTEE), by=None, source="manual"
        )
        Mentorship.objects.filter(pk=pair.pk).update(started_on=PAIRED_ON)
        return pair


@pytest.fixture
def program(db) -> Program:
    return ProgramFactory(
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31), budget=Decimal("12000.00")
    )


@pytest.fixture
def organization(program) -> Organization:
    org = Organization(program)
    clinical, research = org.clinical, org.research
    voluntary = Person.LeftReason.VOLUNTARY
    mentor_one = org.participant(
        org.person(research, 8, "2005-01-01", promoted=_date("2025-07-01")), Participant.Role.MENTOR
    )
    mentor_two = org.participant(org.person(research, 8, "2005-01-01"), Participant.Role.MENTOR)
    # Clinical, level 3, 3-5 years.
    for mentee in [
        org.person(clinical, 3, "2020-03-01", promoted=IN_2025),
        org.person(clinical, 3, "2020-03-01", promoted=IN_2025),
        org.person(clinical, 3, "2020-03-01", left=("2025-09-01", voluntary)),
        org.person(clinical, 3, "2020-03-01"),
    ]:
        org.pair(mentor_one, mentee)
    org.person(clinical, 3, "2020-03-01", promoted=_date("2025-05-01"))
    org.person(clinical, 3, "2020-03-01", left=("2025-05-01", voluntary))
    org.person(clinical, 3, "2020-03-01", left=("2025-06-01", Person.LeftReason.INVOLUNTARY))
    org.person(clinical, 3, "2020-03-01", promoted=_date("2026-02-01"))
    for _ in range(6):
        org.person(clinical, 3, "2020-03-01")
    # Not comparable colleagues: gone before the program started, applied (and declined), or approved but
    # never paired. Their promotions would change the comparison rate if they counted.
    org.person(clinical, 3, "2020-03-01", left=("2024-06-01", voluntary))
    org.participant(
        org.person(clinical, 3, "2020-03-01", promoted=IN_2025),
        Participant.Role.MENTEE,
        Participant.Status.DECLINED,
    )
    org.participant(org.person(clinical, 3, "2020-03-01", promoted=IN_2025), Participant.Role.MENTEE)
    # Research, level 5, 10+ years.
    org.pair(mentor_two, org.person(research, 5, "2010-01-01", promoted=IN_2026))
    org.pair(mentor_two, org.person(research, 5, "2010-01-01"))
    for index in range(20):
        org.person(research, 5, "2010-01-01", promoted=IN_2025 if index < 10 else None)
    # Clinical, level 3, under a year: a mentee nobody compares with; the colleague hired after the
    # program started would be one if they had been employed on its first day.
    org.pair(mentor_two, org.person(clinical, 3, "2024-06-01"))
    org.person(clinical, 3, "2025-03-01", promoted=IN_2025)
    # The mentors' colleagues: Research, level 8, 10+ years.
    org.person(research, 8, "2005-01-01", promoted=_date("2025-03-01"))
    for _ in range(4):
        org.person(research, 8, "2005-01-01")
    return org


def scope_of(program: Program, **filters: Any) -> Scope:
    return Scope(program=program, filters=Filters(**filters), today=TODAY)


def outcome_settings(**fields: Any) -> OutcomeSettings:
    return OutcomeSettings(pk=1, **fields)


def table_of(sections: list[Section], key: str) -> Table:
    return next(table for section in sections for table in section.tables if table.key == key)


def figures(table: Table, label: str) -> dict[str, Any]:
    row = next(row for row in table.rows if row.label == label)
    return {column.key: cell.shown for column, cell in zip(table.columns, row.cells, strict=True)}


def sizes(table: Table, label: str) -> dict[str, int | None]:
    row = next(row for row in table.rows if row.label == label)
    return {column.key: cell.n for column, cell in zip(table.columns, row.cells, strict=True)}


# --- The estimate -----------------------------------------------------------------------------------------


def test_the_comparison_rate_is_weighted_to_the_participants_mix_of_strata():
    estimate = stratified_estimate([Tally(4, 2, 10, 1), Tally(2, 0, 20, 10)])

    assert estimate.participants == 6
    assert estimate.comparison == 30
    assert estimate.participant_rate == pytest.approx(2 / 6)
    # 4/6 x 10% + 2/6 x 50%, not the pooled 11 of 30.
    assert estimate.comparison_rate == pytest.approx(0.23333, abs=1e-5)
    assert estimate.difference == pytest.approx(0.1)
    assert round(100 * estimate.low, 2) == -30.37
    assert round(100 * estimate.high, 2) == 50.37


def test_participants_without_a_comparable_colleague_are_counted_and_left_out():
    estimate = stratified_estimate([Tally(4, 2, 10, 1), Tally(3, 3, 0, 0), Tally(0, 0, 7, 7)])

    assert (estimate.participants, estimate.unmatched, estimate.comparison) == (4, 3, 10)
    assert estimate.participant_rate == pytest.approx(0.5)
    assert estimate.comparison_rate == pytest.approx(0.1)


def test_nobody_to_compare_gives_no_rates():
    estimate = stratified_estimate([Tally(2, 1, 0, 0)])

    assert estimate == Estimate(0, 2, 0, None, None, None, None, None)
    assert interval_text(estimate) == ""


def test_the_interval_reads_as_signed_percentage_points():
    estimate = Estimate(6, 0, 30, 0.3, 0.2, 0.1, -0.021, 0.064)

    assert interval_text(estimate) == f"{MINUS}2.1 to +6.4 pp"


# --- Windows ------------------------------------------------------------------------------------------------


def test_an_ended_program_has_a_window_during_it_and_one_after_it(program):
    found = windows(scope_of(program))

    assert [(w.key, w.first, w.last) for w in found] == [
        ("during", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("after", datetime.date(2026, 1, 1), TODAY),
    ]


def test_a_running_program_has_only_the_window_during_it_up_to_the_end_of_the_period(program):
    program.ends_on = datetime.date(2026, 12, 31)

    found = windows(scope_of(program, end=datetime.date(2026, 5, 31)))

    assert [(w.key, w.first, w.last) for w in found] == [
        ("during", datetime.date(2025, 1, 1), datetime.date(2026, 5, 31))
    ]


def test_without_a_start_date_the_program_starts_with_its_first_pair(organization, program):
    Program.objects.filter(pk=program.pk).update(starts_on=None)
    program.refresh_from_db()

    assert windows(scope_of(program))[0].first == PAIRED_ON


# --- The page -----------------------------------------------------------------------------------------------


def test_mentees_promotions_during_the_program_are_compared_with_reweighted_colleagues(organization, program):
    promotions = table_of(
        impact_sections(scope_of(program), settings=outcome_settings()), "impact_promotions"
    )

    assert figures(promotions, "Mentees, during the program") == {
        "participants": 6,
        "unmatched": 1,
        "comparison": 30,
        "participant_rate": 33.33,
        "comparison_rate": 23.33,
        "difference": 10.0,
        "interval": f"{MINUS}30.4 to +50.4 pp",
    }


def test_leavers_count_voluntary_departures_in_the_window_only(organization, program):
    leavers = table_of(impact_sections(scope_of(program), settings=outcome_settings()), "impact_leavers")

    # One mentee of six left voluntarily; one colleague of ten in their stratum did (the involuntary
    # leaver and the one gone before the program do not count), none of the twenty in the other.
    assert figures(leavers, "Mentees, during the program") == {
        "participants": 6,
        "unmatched": 1,
        "comparison": 30,
        "participant_rate": 16.67,
        "comparison_rate": 6.67,
        "difference": 10.0,
        "interval": f"{MINUS}22.3 to +42.3 pp",
    }


def test_the_ci_bounds_are_exact_to_two_decimals(organization, program):
    rows = {row.label: row for row in impact_rows(scope_of(program))}

    expected = {
        "Mentees, during the program": ("promotion", 10.0, -30.37, 50.37),
        "Mentors, during the program": ("promotion", 30.0, -47.66, 107.66),
        "Mentees, after the program": ("promotion", 12.5, -25.16, 50.16),
    }
    expected_leaving = ("Mentees, during the program", 10.0, -22.29, 42.29)
    for label, (outcome, difference, low, high) in expected.items():
        estimate: Estimate = getattr(rows[label], outcome)
        assert (
            round(100 * estimate.difference, 2),
            round(100 * estimate.low, 2),
            round(100 * estimate.high, 2),
        ) == (difference, low, high), label
    leaving = rows[expected_leaving[0]].leaving
    assert (
        round(100 * leaving.difference, 2),
        round(100 * leaving.low, 2),
        round(100 * leaving.high, 2),
    ) == (expected_leaving[1:])


def test_mentors_are_compared_with_colleagues_of_their_own_stratum(organization, program):
    promotions = table_of(
        impact_sections(scope_of(program), settings=outcome_settings()), "impact_promotions"
    )

    assert figures(promotions, "Mentors, during the program") == {
        "participants": 2,
        "unmatched": 0,
        "comparison": 5,
        "participant_rate": 50.0,
        "comparison_rate": 20.0,
        "difference": 30.0,
        "interval": f"{MINUS}47.7 to +107.7 pp",
    }


def test_after_the_program_only_those_still_employed_when_it_ended_are_compared(organization, program):
    promotions = table_of(
        impact_sections(scope_of(program), settings=outcome_settings()), "impact_promotions"
    )

    # The mentee who left in 2025 and the two colleagues who did are gone; tenure bands move on a year,
    # and the mentee hired in 2024 still has no colleague of their tenure.
    assert figures(promotions, "Mentees, after the program") == {
        "participants": 5,
        "unmatched": 1,
        "comparison": 28,
        "participant_rate": 20.0,
        "comparison_rate": 7.5,
        "difference": 12.5,
        "interval": f"{MINUS}25.2 to +50.2 pp",
    }
    assert [row.label for row in promotions.rows] == [
        "Mentees, during the program",
        "Mentors, during the program",
        "Mentees, after the program",
        "Mentors, after the program",
    ]


def test_each_figure_describes_the_people_it_is_about(organization, program):
    promotions = table_of(
        impact_sections(scope_of(program), settings=outcome_settings()), "impact_promotions"
    )

    assert sizes(promotions, "Mentors, during the program") == {
        "participants": 2,
        "unmatched": 0,
        "comparison": 5,
        "participant_rate": 2,
        "comparison_rate": 5,
        "difference": 2,
        "interval": 2,
    }


def test_a_division_filter_covers_its_mentees_and_their_mentors(organization, program):
    promotions = table_of(
        impact_sections(
            scope_of(program, division=organization.clinical.division), settings=outcome_settings()
        ),
        "impact_promotions",
    )

    during = figures(promotions, "Mentees, during the program")
    assert (during["participants"], during["unmatched"], during["comparison"]) == (4, 1, 10)
    assert (during["participant_rate"], during["comparison_rate"], during["difference"]) == (50.0, 10.0, 40.0)
    # The Clinical mentees' mentors work in Research and are compared with Research colleagues.
    mentors = figures(promotions, "Mentors, during the program")
    assert (mentors["participants"], mentors["comparison"]) == (2, 5)


def test_someone_both_mentor_and_mentee_counts_in_each_role(organization, program):
    research = organization.research
    both = organization.person(research, 8, "2005-01-01")
    mentor = organization.participant(both, Participant.Role.MENTOR)
    organization.pair(mentor, organization.person(research, 5, "2010-01-01"))
    senior = organization.participant(organization.person(research, 8, "2005-01-01"), Participant.Role.MENTOR)
    organization.pair(senior, both)

    estimates = {row.label: row.promotion for row in impact_rows(scope_of(program))}

    mentors = estimates["Mentors, during the program"]
    mentees = estimates["Mentees, during the program"]
    assert (mentors.participants, mentors.comparison) == (4, 5)
    # The new mentee is in Research level 8, where the colleagues are.
    assert (mentees.participants, mentees.unmatched, mentees.comparison) == (8, 1, 35)


def test_the_cost_is_the_whole_budget_per_participant_and_per_promoted_participant(organization, program):
    sections = impact_sections(
        scope_of(program), settings=outcome_settings(external_hire_cost=Decimal("50000.00"), currency="EUR")
    )
    cost = table_of(sections, "impact_cost")

    shown = {row.label: row.cells[0].shown for row in cost.rows}
    # Nine people in pairs (seven mentees, two mentors); four of them promoted since the program started
    # (two mentees in 2025, one in 2026, one mentor).
    assert shown == {
        "Program budget (EUR)": 12000.0,
        "Participants": 9,
        "Cost per participant (EUR)": 1333.33,
        "Promoted participants": 4,
        "Cost per promoted participant (EUR)": 3000.0,
        "Cost of an external hire (EUR)": 50000.0,
    }
    assert [row.cells[0].n for row in cost.rows] == [None, 9, 9, 4, 4, None]


def test_an_external_hire_cost_not_yet_set_says_so(organization, program):
    cost = table_of(impact_sections(scope_of(program), settings=outcome_settings()), "impact_cost")

    assert cost.rows[-1].cells[0].shown == "not set"
    assert "outcomes settings page" in cost.note


def test_a_program_not_yet_started_has_nothing_to_compare(db):
    program = ProgramFactory(starts_on=datetime.date(2027, 1, 10), ends_on=datetime.date(2027, 12, 15))

    sections = impact_sections(scope_of(program), settings=outcome_settings())

    promotions = table_of(sections, "impact_promotions")
    assert promotions.rows == []
    assert "not started" in promotions.note
    assert table_of(sections, "impact_cost").rows[0].cells[0].shown == "not set"


def test_the_page_explains_how_it_is_computed(organization, program):
    intro = impact_sections(scope_of(program), settings=outcome_settings())[0].intro

    for words in ("exact matching", "weighted", "normal approximation", "1.96", "today's", "“after”"):
        assert words in intro


def test_the_page_runs_the_same_few_queries_whatever_the_data(organization, program):
    with CaptureQueriesContext(connection) as few:
        impact_sections(scope_of(program), settings=outcome_settings())
    for _ in range(5):
        organization.pair(
            organization.participant(organization.person(organization.clinical, 9, "2001-01-01"), "mentor"),
            organization.person(organization.clinical, 2, "2023-01-01", promoted=IN_2025),
        )
        organization.person(organization.clinical, 2, "2023-01-01", promoted=IN_2026)
    with CaptureQueriesContext(connection) as more:
        impact_sections(scope_of(program), settings=outcome_settings())

    # One query per window and one for the cost.
    assert len(few.captured_queries) == len(more.captured_queries) == 3
