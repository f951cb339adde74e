"""Small-group suppression: primary, complementary, and across filters."""

import datetime

import pytest

from outcomes.filters import Filters
from outcomes.metrics.population import hidden_members, withheld_reason
from outcomes.tables import Cell, Column, Table, complementary, count, percent, protect
from programs.factories import ParticipantFactory
from programs.models import Participant
from tests.factories import DepartmentFactory, PersonFactory


def breakdown(sizes: dict[str, int], *, total: bool = True) -> Table:
    table = Table(
        "t", "T", "Group", [Column("people", "People", additive=True), Column("rate", "Rate", "percent")]
    )
    for label, size in sizes.items():
        table.add(label, count(size), percent(size // 2, size), n=size)
    if total:
        table.add("All", count(sum(sizes.values())), percent(0, sum(sizes.values())), total=True)
    return table


def hidden(table: Table) -> set[str]:
    return {row.label for row in table.rows if row.cells[0].suppressed}


def test_a_figure_about_fewer_than_k_people_is_hidden_and_zero_is_shown():
    table = Table("t", "T", "Item", [Column("people", "People")])
    table.add("four", count(4))
    table.add("five", count(5))
    table.add("none", count(0))
    protect(table, 5)
    assert [row.cells[0].suppressed for row in table.rows] == [True, False, False]


def test_a_rate_is_hidden_when_its_group_is_small_whatever_its_numerator():
    table = Table("t", "T", "Item", [Column("rate", "Rate", "percent")])
    table.add("small", percent(1, 4))
    table.add("large", percent(1, 40))
    protect(table, 5)
    assert [row.cells[0].suppressed for row in table.rows] == [True, False]


def test_a_lone_hidden_row_takes_the_next_smallest_with_it():
    table = protect(breakdown({"A": 50, "B": 3, "C": 9, "D": 20}), 5)
    assert hidden(table) == {"B", "C"}
    assert not table.rows[-1].cells[0].suppressed


def test_hidden_rows_together_cover_at_least_k_people():
    table = protect(breakdown({"A": 50, "B": 1, "C": 2, "D": 40, "E": 30}), 5)
    # B and C are both small but together only 3: the next smallest (E) joins them.
    assert hidden(table) == {"B", "C", "E"}


def test_when_nothing_can_join_a_hidden_row_the_total_is_hidden_too():
    table = protect(breakdown({"A": 3, "B": 0}), 5)
    assert hidden(table) == {"A", "All"}


def test_every_cell_of_a_hidden_row_is_hidden():
    table = protect(breakdown({"A": 50, "B": 3, "C": 9}), 5)
    row = next(row for row in table.rows if row.label == "C")
    assert all(cell.suppressed for cell in row.cells)


def test_no_shown_total_means_no_complement_unless_the_rows_partition_a_population():
    assert hidden(protect(breakdown({"A": 50, "B": 3, "C": 9}, total=False), 5)) == {"B"}
    table = breakdown({"A": 50, "B": 3, "C": 9}, total=False)
    table.partition = True
    assert hidden(protect(table, 5)) == {"B", "C"}


def test_the_complement_of_a_partition():
    assert complementary([10, 2, 7], [False, True, False], 5) == [False, True, True]
    assert complementary([10, 2, 0], [False, True, False], 5) == [True, True, False]
    assert hidden_members({"x": 12, "y": 6, "z": 8}, 5) == set()


def test_additive_columns_are_protected_cell_by_cell_against_the_total():
    table = Table("t", "T", "Stage", [Column("n", "People", additive=True)])
    table.add("a", count(30))
    table.add("b", count(2))
    table.add("c", count(8))
    table.add("all", count(40), total=True)
    protect(table, 5)
    assert [row.cells[0].suppressed for row in table.rows] == [False, True, True, False]


def test_a_figure_about_nobody_in_particular_is_never_hidden():
    table = Table("t", "T", "Item", [Column("target", "Target", "number")])
    table.add("target", Cell(3, "number", n=None))
    assert not protect(table, 5).rows[0].cells[0].suppressed


@pytest.fixture
def divisions(program):
    """Program participants in three divisions: 20, 3 and 9 people."""
    made = {}
    for name, size in (("Large", 20), ("Tiny", 3), ("Middle", 9)):
        department = DepartmentFactory(name=f"{name} dept", division__name=name)
        made[name] = department.division
        for _ in range(size):
            ParticipantFactory(program=program, person=PersonFactory(department=department))
    return made


def test_a_selection_smaller_than_k_is_withheld(program, divisions):
    reason = withheld_reason(
        Participant.objects.filter(program=program), Filters(division=divisions["Tiny"]), 5
    )
    assert "fewer than 5 people" in reason


def test_a_selection_that_would_give_away_a_hidden_sibling_is_withheld(program, divisions):
    """Middle (9) is big enough, but Large = all - Tiny - Middle would let Tiny (3) be worked out."""
    base = Participant.objects.filter(program=program)
    assert withheld_reason(base, Filters(division=divisions["Middle"]), 5)
    assert withheld_reason(base, Filters(division=divisions["Large"]), 5) == ""


def test_the_period_alone_never_withholds(program, divisions):
    base = Participant.objects.filter(program=program)
    assert withheld_reason(base, Filters(start=datetime.date(2026, 1, 1)), 5) == ""


def test_columns_adding_up_to_another_are_protected_within_the_row():
    table = Table(
        "t",
        "T",
        "Cohort",
        [Column("members", "Members"), Column("a", "A"), Column("b", "B"), Column("c", "C")],
        column_parts=("members", ["a", "b", "c"]),
    )
    table.add("2025", count(8), count(1), count(7), count(0))
    protect(table, 5)
    # 1 is hidden, so is 7 (else 8 - 7 - 0 gives it away); together 8, enough.
    assert [cell.suppressed for cell in table.rows[0].cells] == [False, True, True, False]
    table = Table("t", "T", "Cohort", [Column("members", "Members"), Column("a", "A"), Column("b", "B")],
                  column_parts=("members", ["a", "b"]))  # fmt: skip
    table.add("2024", count(3), count(3), count(0))
    protect(table, 5)
    assert [cell.suppressed for cell in table.rows[0].cells] == [True, True, False]
