"""Equity and overview figures against the hand-built program of conftest.build, before suppression."""

import datetime

import pytest

from outcomes.filters import Filters
from outcomes.metrics.equity import equity_sections
from outcomes.metrics.overview import overview_sections
from outcomes.metrics.program import Scope
from programs.factories import ProgramFactory
from programs.models import Program
from tests.factories import PersonnelRecordFactory

TODAY = datetime.date(2026, 11, 20)
# Five active pairs ran from 1 September to 20 November (81 days), the completed one to 30 October (60).
CLINICAL_MONTHS = (5 * 81 + 60) / 30.44


@pytest.fixture
def promoted(built):
    """Two of the Clinical Services mentees were promoted in October."""
    for mentee in built.mentees[:2]:
        PersonnelRecordFactory(person=mentee.person, effective_on=datetime.date(2026, 10, 1), job_level=3)
    return built


def equity(program, filters=None):
    sections = equity_sections(Scope(program=program, filters=filters or Filters(), today=TODAY))
    return {table.key: table for section in sections for table in section.tables}


def rows(table):
    return {row.label: [cell.value for cell in row.cells] for row in table.rows}


def test_equity_by_division(promoted, department):
    by_division = rows(equity(promoted.program)["equity_division"])
    clinical = by_division[department.division.name]
    assert clinical[0] == 14  # six pairs and the two applicants never matched
    assert clinical[1] == 100.0  # six approved mentees, six matched
    assert clinical[2] == pytest.approx(395 / 6)
    assert clinical[3] == pytest.approx(14 / CLINICAL_MONTHS)
    assert clinical[4] == pytest.approx(100 * 2 / 12)  # two promoted of the twelve people in pairs
    corporate = by_division["Corporate Services"]
    assert corporate[:2] == [2, 100.0]
    assert corporate[2] is None  # its pair has no score
    assert corporate[3] == 0.0
    assert by_division["All participants"][0] == 16


def test_equity_by_level_band_and_unstated_demographics(promoted):
    tables = equity(promoted.program)
    assert {label: values[0] for label, values in rows(tables["equity_level"]).items()} == {
        "Levels 1-3": 9, "Levels 7-9": 7, "All participants": 16
    }  # fmt: skip
    assert {label: values[0] for label, values in rows(tables["equity_gender"]).items()} == {
        "Not stated": 16, "All participants": 16
    }  # fmt: skip


def test_equity_rows_are_the_counts_filters_are_checked_against(promoted, department):
    """The division rows and the filter check use the same people, so both hide the same groups."""
    from outcomes.metrics.population import sizes_by

    table = equity(promoted.program)["equity_division"]
    sizes = sizes_by(
        Scope(program=promoted.program, filters=Filters(), today=TODAY).participants(), "division"
    )
    assert sorted(row.n for row in table.body_rows) == sorted(sizes.values())


def test_the_overview_row_of_a_program(promoted):
    other = ProgramFactory(name="Quiet program", status=Program.Status.DRAFT)
    sections = overview_sections(
        Program.objects.filter(pk__in=[promoted.program.pk, other.pk]), Filters(), TODAY
    )
    table = sections[0].tables[0]
    values = rows(table)
    career = values[promoted.program.name]
    assert career[1:3] == [16, 6]  # participants, active pairs (five in Clinical, one in Corporate)
    assert career[3] == pytest.approx(14 / ((6 * 81 + 60) / 30.44))
    assert career[4] == pytest.approx(120 / 28)
    assert career[5] == 100.0
    assert values["Quiet program"][1:3] == [0, 0]
    total = values["All programs"]
    assert total[1:3] == [16, 6]
    assert total[4] == pytest.approx(120 / 28)
