"""Every figure of the program dashboard against the hand-built program of conftest.build."""

import datetime

import pytest

from outcomes.filters import Filters
from outcomes.metrics.program import Scope, key_result_status, program_sections
from programs.models import KeyResult
from programs.services.eligibility import eligible_people

PERIOD = Filters(start=datetime.date(2026, 9, 1), end=datetime.date(2026, 10, 30))
TODAY = datetime.date(2026, 11, 20)
MONTHS = 60 / 30.44


def tables(program, filters=PERIOD):
    sections = program_sections(Scope(program=program, filters=filters, today=TODAY))
    return {table.key: table for section in sections for table in section.tables}


def column(table, index=0):
    return {row.label: row.cells[index].value for row in table.rows}


def test_the_funnel_counts_applications_approvals_and_pairs_by_role(built):
    funnel = tables(built.program)["funnel"]
    assert column(funnel, 0) == {
        "Applied": 7, "Approved": 7, "Matched": 7, "Paired in the period": 7, "Completed": 1
    }  # fmt: skip
    assert column(funnel, 1) == {
        "Applied": 9, "Approved": 7, "Matched": 7, "Paired in the period": 7, "Completed": 1
    }  # fmt: skip


def test_without_a_period_active_means_running_now(built):
    funnel = tables(built.program, Filters())["funnel"]
    assert column(funnel, 1)["Active"] == 6


def test_headline_figures(built):
    summary = column(tables(built.program)["summary"])
    eligible = eligible_people(built.program).count()
    assert summary["Eligible employees"] == eligible
    assert summary["Participation rate"] == pytest.approx(100 * 16 / eligible)
    assert summary["Match rate (mentees)"] == 100.0
    # Six mentees waited 10 days (20 to 30 August), the seventh was paired the day they applied.
    assert summary["Median days to match"] == 10
    assert summary["Pairs in the period"] == 7
    assert summary["Sessions per pair per month"] == pytest.approx(14 / (7 * MONTHS))
    # 60 days at a 14-day cadence asks for 4.3 sessions; 75% of that is 3: only pairs 0-2 held as many.
    assert summary["Pairs meeting their cadence"] == pytest.approx(100 * 3 / 7)
    assert summary["Average session rating"] == pytest.approx(120 / 28)


def test_sessions_per_month_are_banded_per_pair(built):
    bands = column(tables(built.program)["sessions_per_month"])
    assert bands == {
        "No session": 2,
        "Under 0.5": 0,
        "0.5 to 1": 2,
        "1 to 2": 0,
        "2 or more": 3,
        "All pairs": 7,
    }


def test_ratings_count_answers_and_the_people_who_gave_them(built):
    ratings = tables(built.program)["ratings"]
    answers = column(ratings, 0)
    people = column(ratings, 1)
    assert answers == {"5 of 5": 12, "4 of 5": 14, "3 of 5": 0, "2 of 5": 2, "1 of 5": 0,
                       "Average": pytest.approx(120 / 28)}  # fmt: skip
    assert people["5 of 5"] == 3
    assert people["4 of 5"] == 5
    assert people["Average"] == 10
    # The 12 fives come from three people: the cell describes three people, not twelve.
    assert ratings.rows[0].cells[0].n == 3


def test_fit_checks(built):
    assert column(tables(built.program)["fit"]) == {
        "Good fit": 3, "Still deciding": 0, "Not a good fit": 2, "Answered": 5
    }  # fmt: skip


def test_match_scores(built):
    scores = column(tables(built.program)["match_scores"])
    assert scores == {"Under 40": 1, "40-59": 2, "60-79": 0, "80-100": 3, "All scored pairs": 6,
                      "Average score": pytest.approx(395 / 6)}  # fmt: skip


def test_checkins_by_quarter(built):
    checkins = tables(built.program, Filters())["checkins"]
    assert [row.label for row in checkins.rows] == ["2026 Q3"]
    opened, answered, satisfaction, progress = checkins.rows[0].cells
    assert (opened.value, answered.value, satisfaction.value, progress.value) == (12, 50.0, 4.0, 3.0)
    assert (opened.n, satisfaction.n) == (12, 6)


def test_goals_and_milestones(built):
    both = tables(built.program)
    assert column(both["goals"], 0) == {"Achieved": 3, "Open": 3, "Dropped": 0, "All goals set": 6}
    assert column(both["goals"], 1)["Achieved"] == 50.0
    assert column(both["milestones"], 0) == {"Done": 3, "Not done yet": 3, "All milestones": 6}


def test_closure_surveys(built):
    closure = tables(built.program)["closure"]
    assert column(closure, 0) == {
        "Goals achieved: all of them": 2,
        "Goals achieved: some of them": 0,
        "Goals achieved: none of them": 0,
        "Would recommend the program": 2,
        "Promotion readiness: ready now": 1,
        "Promotion readiness: ready in 1-2 years": 0,
        "Promotion readiness: not yet": 0,
    }
    assert column(closure, 1)["Promotion readiness: ready now"] == 100.0


def test_a_division_filter_keeps_its_own_people_and_their_pairs(built, department):
    mine = tables(built.program, Filters(start=PERIOD.start, end=PERIOD.end, division=department.division))
    assert column(mine["funnel"], 1)["Applied"] == 8
    assert column(mine["summary"])["Pairs in the period"] == 6


def test_key_results_are_measured_and_judged(built):
    program = built.program
    KeyResult.objects.create(program=program, metric="match_rate", baseline=60, target=90)
    KeyResult.objects.create(
        program=program, metric="sessions_per_pair_month", baseline=0.5, target=2.5, objective="Pairs meet"
    )
    KeyResult.objects.create(program=program, metric="average_session_rating", baseline=3, target=4)
    KeyResult.objects.create(program=program, metric="promotion_rate", baseline=0, target=10)
    rows = {row.label: row.cells for row in tables(program)["key_results"].rows}
    assert rows["Match rate (%)"][2].value == 100.0
    assert rows["Match rate (%)"][4].value == "On track"
    assert rows["Pairs meet"][2].value == pytest.approx(14 / (7 * MONTHS))
    assert rows["Pairs meet"][4].value == "Off track"
    assert rows["Average session rating (1-5)"][4].value == "On track"
    assert rows["Promotion rate (%)"][2].value == 0.0


@pytest.mark.parametrize(
    ("current", "expected"),
    [(90.0, "On track"), (50.0, "On track"), (30.0, "At risk"), (20.0, "Off track"), (None, "No data")],
)
def test_key_result_status_compares_progress_with_time_elapsed(program, current, expected):
    # Half the time has gone: 50% of the way from 0 to 100 is on track, 25 points behind is at risk.
    key_result = KeyResult(program=program, metric="match_rate", baseline=0, target=100,
                           due_on=datetime.date(2026, 12, 31))  # fmt: skip
    start = datetime.date(2026, 1, 1)
    halfway = start + (key_result.due_on - start) // 2
    assert key_result_status(key_result, current, start=start, today=halfway) == expected


def test_a_key_result_past_its_due_date_and_not_reached_is_off_track(program):
    key_result = KeyResult(program=program, metric="match_rate", baseline=0, target=100,
                           due_on=datetime.date(2026, 6, 30))  # fmt: skip
    assert key_result_status(key_result, 99.0, start=None, today=TODAY) == "Off track"
    assert key_result_status(key_result, 100.0, start=None, today=TODAY) == "On track"
