"""A sponsor reads their program's outcomes and takes the figures away."""

import csv
import io
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_the_sponsor_reads_the_dashboard_and_downloads_a_csv(journey):
    sponsor = journey("sponsor@example.com")
    page = sponsor.page
    with sponsor.step("home links to the sponsored programs"):
        sponsor.visit("/")
        assert page.get_by_role("heading", name="Programs you sponsor").is_visible()
    with sponsor.step("open the program's dashboard"):
        page.get_by_role("link", name="Emerging leaders").first.click()
        page.wait_for_load_state()
        sponsor.check_accessibility()
        assert page.get_by_role("heading", name="Emerging leaders", level=1).is_visible()
        assert page.locator("svg.outcome-chart").count() >= 3
        assert page.get_by_role("table", name="Enrollment funnel").is_visible()
    with sponsor.step("download the funnel as CSV"):
        with page.expect_download() as download:
            page.get_by_role("link", name="Download “Enrollment funnel” as CSV").click()
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert rows[0] == ["Stage", "Mentors", "Mentees"]
        assert rows[1][0] == "Applied" and int(rows[1][2]) > 0
    with sponsor.step("download the whole dashboard as XLSX"):
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the dashboard (XLSX)").click()
        assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    with sponsor.step("impact and equity tabs"):
        page.get_by_role("link", name="Impact").click()
        page.wait_for_load_state()
        sponsor.check_accessibility()
        assert page.get_by_text("How this is computed").first.is_visible()
        page.get_by_role("link", name="Equity").click()
        page.wait_for_load_state()
        sponsor.check_accessibility()
    with sponsor.step("a level band too small to show is suppressed, never its number"):
        page.select_option("select[name=level]", "4-6")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_load_state()
        assert "level=4-6" in page.url
        assert page.get_by_text("Not shown.").is_visible()
    with sponsor.step("the sponsor cannot open a pair's page"):
        response = page.goto(f"{sponsor.demo.url}/programs/emerging-leaders-demo/manage/")
        assert response.status in (403, 404)
