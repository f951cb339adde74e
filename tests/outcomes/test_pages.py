"""The dashboard pages through HTTP: who reads what, exports, filters, suppression and query counts."""

import csv
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from outcomes import dashboards
from outcomes.filters import LEVEL_BANDS, Filters
from outcomes.models import OutcomeSettings
from people.models import Division
from programs.factories import ProgramFactory
from tests.outcomes.conftest import build

PROGRAM_PAGES = ["outcomes:program", "outcomes:impact", "outcomes:equity"]


@pytest.fixture(autouse=True)
def _no_cache(settings):
    settings.OUTCOMES_CACHE_SECONDS = 0


def page(name, program=None):
    return reverse(name, args=[program.slug]) if program else reverse(name)


# --- Who reads what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROGRAM_PAGES)
def test_a_sponsor_reads_their_programs_dashboards(client, sponsor, built, name):
    client.force_login(sponsor)
    response = client.get(page(name, built.program))
    assert response.status_code == 200
    assert "Figures as of" in response.content.decode()


@pytest.mark.parametrize("name", PROGRAM_PAGES)
def test_another_programs_sponsor_or_coordinator_gets_404(
    client, built, other_program, other_coordinator, name
):
    client.force_login(other_coordinator)
    assert client.get(page(name, built.program)).status_code == 404


def test_a_coordinator_reads_their_program(client, coordinator, built):
    client.force_login(coordinator)
    assert client.get(page("outcomes:program", built.program)).status_code == 200


def test_hr_admins_see_every_program_in_the_overview(client, hr_admin, built, other_program):
    client.force_login(hr_admin)
    body = client.get(page("outcomes:overview")).content.decode()
    assert built.program.name in body and other_program.name in body
    assert "Master Mentor dashboard" in body


def test_a_sponsors_overview_lists_only_their_programs(client, sponsor, built, other_program):
    client.force_login(sponsor)
    body = client.get(page("outcomes:overview")).content.decode()
    assert built.program.name in body
    assert other_program.name not in body
    assert "Master Mentor dashboard" not in body


@pytest.mark.parametrize("name", ["outcomes:overview", "outcomes:master_mentors", "outcomes:settings"])
def test_employees_without_a_dashboard_role_get_403(client, employee, built, name):
    client.force_login(employee)
    assert client.get(page(name)).status_code == 403


def test_sponsors_cannot_open_the_master_mentor_dashboard_or_settings(client, sponsor, built):
    client.force_login(sponsor)
    assert client.get(page("outcomes:master_mentors")).status_code == 403
    assert client.get(page("outcomes:settings")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, built):
    response = client.get(page("outcomes:program", built.program))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sponsors_are_denied_every_pair_level_page(client, sponsor, built):
    client.force_login(sponsor)
    pair = built.pairs[0]
    session = pair.sessions.first()
    checkin = pair.checkins.first()
    slug = built.program.slug
    for url in (
        reverse("feedback:pair_detail", args=[pair.pk]),
        reverse("feedback:session_list", args=[pair.pk]),
        reverse("feedback:session_detail", args=[pair.pk, session.pk]),
        reverse("feedback:session_ics", args=[pair.pk, session.pk]),
        reverse("feedback:checkin", args=[pair.pk, checkin.pk]),
        reverse("feedback:closure", args=[pair.pk]),
        reverse("feedback:checkin_answers", args=[slug]),
        reverse("feedback:health_board", args=[slug]),
        reverse("feedback:health_mentors", args=[slug]),
        reverse("matching:run_list", args=[slug]),
        reverse("programs:program_overview", args=[slug]),
        reverse("programs:participant_list", args=[slug]),
        reverse("programs:participant_detail", args=[slug, built.mentees[0].pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


def test_no_dashboard_page_names_a_person(client, sponsor, built):
    client.force_login(sponsor)
    names = [p.person.full_name for p in built.mentors + built.mentees]
    for name in PROGRAM_PAGES:
        body = client.get(page(name, built.program)).content.decode()
        assert not [n for n in names if n in body], name


# --- Exports -----------------------------------------------------------------------------------------------


def test_every_table_downloads_as_csv(client, sponsor, built):
    client.force_login(sponsor)
    response = client.get(page("outcomes:program", built.program), {"format": "csv", "table": "funnel"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Stage", "Mentors", "Mentees"]
    assert rows[1] == ["Applied", "7", "9"]


def test_an_unknown_table_or_format_is_404(client, sponsor, built):
    client.force_login(sponsor)
    url = page("outcomes:program", built.program)
    assert client.get(url, {"format": "csv", "table": "nope"}).status_code == 404
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_the_whole_dashboard_downloads_as_xlsx(client, sponsor, built):
    client.force_login(sponsor)
    response = client.get(page("outcomes:program", built.program), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "About"
    assert "Enrollment funnel" in book.sheetnames
    funnel = book["Enrollment funnel"]
    assert [c.value for c in funnel[2]] == ["Applied", 7, 9]


# --- Filters and suppression --------------------------------------------------------------------------------


def test_filters_travel_in_the_url_and_bad_ones_get_a_message(client, sponsor, built):
    client.force_login(sponsor)
    url = page("outcomes:program", built.program)
    response = client.get(url, {"start": "2026-10-01", "end": "2026-09-01"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The period starts after it ends" in body
    assert "Figures as of" not in body
    response = client.get(url, {"start": "not a date"})
    assert "Enter a valid date" in response.content.decode()


def test_a_filter_narrowing_the_group_below_k_shows_it_suppressed(client, sponsor, built):
    client.force_login(sponsor)
    small = built.other_department.division  # two participants
    body = client.get(page("outcomes:program", built.program), {"division": small.pk}).content.decode()
    assert "Not shown." in body
    assert "fewer than 5 people" in body
    csv_body = client.get(
        page("outcomes:program", built.program), {"division": small.pk, "format": "csv", "table": "funnel"}
    ).content.decode()
    assert set(itertools.chain(*[row[1:] for row in csv.reader(io.StringIO(csv_body))][1:])) == {"suppressed"}


def test_the_larger_division_is_withheld_too_when_the_total_would_give_the_small_one_away(
    client, sponsor, built
):
    client.force_login(sponsor)
    body = client.get(
        page("outcomes:program", built.program), {"division": built.mentees[0].person.division.pk}
    )
    assert "could be worked out" in body.content.decode()


def _filter_combinations(program):
    divisions = [None, *Division.objects.all()]
    levels = ["", *[key for key, *_ in LEVEL_BANDS[:2]]]
    periods = [
        (None, None),
        (__import__("datetime").date(2026, 9, 1), __import__("datetime").date(2026, 10, 30)),
    ]
    for division, level, (start, end) in itertools.product(divisions, levels, periods):
        yield Filters(start=start, end=end, division=division, level=level)


def test_no_figure_about_fewer_than_k_people_survives_any_filter_combination(built, sponsor):
    settings = OutcomeSettings.load()
    for filters in _filter_combinations(built.program):
        for name in ("program", "equity", "impact"):
            dashboard = dashboards.program_dashboard(built.program, name, filters, settings)
            for table in dashboard.tables:
                for row in table.rows:
                    for cell in row.cells:
                        if not cell.suppressed and cell.n is not None:
                            assert cell.n == 0 or cell.n >= 5, (name, filters.cache_key, table.key, row.label)
                # Hidden rows of a breakdown never stand alone, and together describe at least K people.
                if table.partition:
                    hidden_rows = [row for row in table.body_rows if row.suppressed]
                    assert len(hidden_rows) != 1 or all(r.suppressed for r in table.rows if r.total)
                    if len(hidden_rows) >= 2 and sum(row.n or 0 for row in hidden_rows) < 5:
                        assert all(r.suppressed for r in table.rows if r.total)


def test_suppressed_figures_are_absent_from_html_csv_and_xlsx_alike(client, sponsor, built):
    client.force_login(sponsor)
    url = page("outcomes:program", built.program)
    query = {"start": "2026-09-01", "end": "2026-10-30"}
    dashboard = dashboards.program_dashboard(
        built.program, "program", Filters.from_form(_valid_form(query)), OutcomeSettings.load()
    )
    ratings = dashboard.table("ratings")
    assert ratings.rows[0].cells[0].suppressed  # twelve fives from three people
    html = client.get(url, query).content.decode()
    assert html.count(">suppressed<") >= dashboard.tables[0].hidden_count
    csv_rows = list(
        csv.reader(
            io.StringIO(client.get(url, {**query, "format": "csv", "table": "ratings"}).content.decode())
        )
    )
    assert csv_rows[1] == ["5 of 5", "suppressed", "suppressed"]
    book = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content))
    assert [c.value for c in book["Session ratings"][2]] == ["5 of 5", "suppressed", "suppressed"]


def _valid_form(query):
    from outcomes.filters import FilterForm

    form = FilterForm(query)
    assert form.is_valid(), form.errors
    return form


def test_hr_admins_set_the_smallest_group_but_never_below_three(client, hr_admin, built):
    client.force_login(hr_admin)
    response = client.post(page("outcomes:settings"), {"min_group_size": 2, "currency": "USD"})
    assert "Nothing was saved" in response.content.decode()
    assert OutcomeSettings.load().min_group_size == 5
    client.post(
        page("outcomes:settings"), {"min_group_size": 3, "currency": "eur", "external_hire_cost": "30000"}
    )
    saved = OutcomeSettings.load()
    assert (saved.min_group_size, saved.currency, int(saved.external_hire_cost)) == (3, "EUR", 30000)
    dashboard = dashboards.program_dashboard(
        built.program, "program", Filters(start=__import__("datetime").date(2026, 9, 1)), saved
    )
    assert not dashboard.table("ratings").rows[0].cells[0].suppressed  # three people now suffice


def test_figures_are_cached_and_say_as_of_when(settings, built):
    settings.OUTCOMES_CACHE_SECONDS = 900
    first = dashboards.program_dashboard(built.program, "program", Filters(), OutcomeSettings.load())
    ProgramFactory()  # new data does not change a cached page until it expires
    second = dashboards.program_dashboard(built.program, "program", Filters(), OutcomeSettings.load())
    assert second.as_of == first.as_of


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client, url, query=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", [*PROGRAM_PAGES, "outcomes:overview"])
def test_query_counts_do_not_grow_with_the_data(client, hr_admin, program, department, name):
    client.force_login(hr_admin)
    build(program, department, scale=1)
    url = page(name, program if name != "outcomes:overview" else None)
    query = {"start": "2026-09-01", "end": "2026-10-30", "level": "1-3"}
    small = (_queries(client, url), _queries(client, url, query))
    build(ProgramFactory(), department, scale=1)  # another program, for the overview
    build(program, department, scale=3)
    large = (_queries(client, url), _queries(client, url, query))
    assert small == large
    assert max(large) <= 40


def test_a_sponsors_home_page_links_to_their_dashboards(client, sponsor, built):
    client.force_login(sponsor)
    body = client.get(reverse("home")).content.decode()
    assert "Programs you sponsor" in body
    assert reverse("outcomes:program", args=[built.program.slug]) in body


def test_the_program_switcher_offers_only_the_readers_programs(client, sponsor, built, other_program):
    client.force_login(sponsor)
    body = client.get(page("outcomes:program", built.program), {"level": "1-3"}).content.decode()
    assert "Another program" in body
    assert other_program.name not in body
    assert f"{reverse('outcomes:program', args=[built.program.slug])}?level=1-3" in body


def test_a_submitted_filter_form_lands_on_a_tidy_shareable_url(client, sponsor, built):
    client.force_login(sponsor)
    url = page("outcomes:program", built.program)
    response = client.get(url, {"start": "", "end": "", "division": "", "level": "1-3", "cohort": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?level=1-3"
    assert client.get(url, {"start": "", "level": ""})["Location"] == url


def test_exports_carry_exactly_the_protected_figures_of_the_page_under_every_filter(client, sponsor, built):
    client.force_login(sponsor)
    settings = OutcomeSettings.load()
    for filters in _filter_combinations(built.program):
        for name in ("program", "equity"):
            dashboard = dashboards.program_dashboard(built.program, name, filters, settings)
            url = page(f"outcomes:{name}", built.program)
            query = dict(part.split("=") for part in filters.querystring().split("&") if part)
            book = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content))
            for table in dashboard.tables:
                # Sheets follow the tables' order, after "About".
                sheet = book.worksheets[1 + dashboard.tables.index(table)]
                assert sheet["A1"].value == table.row_header
                for index, row in enumerate(table.rows, start=2):
                    expected = [None if cell.shown == "" else cell.shown for cell in row.cells]
                    assert [c.value for c in sheet[index]][1:] == expected, (
                        name,
                        filters.cache_key,
                        table.key,
                    )
