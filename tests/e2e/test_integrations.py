"""What BI tools and calendar apps get: an API token made by HR, the API reference, a calendar feed."""

from urllib.parse import urlsplit

import icalendar
import pytest

pytestmark = pytest.mark.e2e


def test_hr_makes_an_api_token_a_bi_tool_reads_with_it_and_hr_revokes_it(journey):
    hr = journey("hr.admin@example.com")
    page = hr.page
    with hr.step("HR opens API tokens from the HR menu"):
        hr.visit("/")
        page.get_by_role("button", name="HR", exact=True).click()
        page.get_by_role("link", name="API tokens").click()
        page.wait_for_load_state()
        hr.check_accessibility()
    with hr.step("HR makes a token for one program"):
        page.get_by_role("link", name="New token").first.click()
        page.wait_for_load_state()
        hr.check_accessibility()
        page.get_by_label("Name").fill("Power BI: emerging leaders")
        page.get_by_label("Emerging leaders").check()
        page.get_by_role("button", name="Make the token").click()
        page.wait_for_load_state()
        hr.check_accessibility()
        token = page.locator("#api-token").input_value()
        assert token.startswith("mapi_")
    with hr.step("a BI tool reads the program and its figures with the token"):
        headers = {"Authorization": f"Bearer {token}"}
        programs = page.request.get(f"{hr.demo.url}/api/v1/programs", headers=headers)
        assert programs.status == 200
        slugs = [item["slug"] for item in programs.json()["items"]]
        assert slugs == ["emerging-leaders-demo"]
        activity = page.request.get(
            f"{hr.demo.url}/api/v1/programs/emerging-leaders-demo/activity", headers=headers
        )
        assert activity.status == 200 and activity.json()["tables"]
        other = page.request.get(f"{hr.demo.url}/api/v1/programs/women-in-leadership-demo", headers=headers)
        assert other.status == 404
    with hr.step("the token list never shows the token again"):
        hr.visit("/api/tokens/")
        assert token not in page.content()
        assert page.get_by_text(f"…{token[-4:]}").first.is_visible()
    with hr.step("the API reference renders under the Content Security Policy"):
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{hr.demo.url}/api/docs")
        page.locator(".opblock").first.wait_for()
        assert page.locator(".opblock").count() >= 5
        assert refused == []
    with hr.step("HR revokes the token and the BI tool is refused"):
        hr.visit("/api/tokens/")
        page.get_by_role("button", name="Revoke").first.click()
        page.wait_for_load_state()
        answer = page.request.get(
            f"{hr.demo.url}/api/v1/programs", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status == 401


def test_a_mentee_subscribes_to_a_personal_calendar_and_turns_it_off(journey):
    mentee = journey("mentee@example.com")
    page = mentee.page
    with mentee.step("the user menu leads to the calendar feed"):
        mentee.visit("/")
        page.get_by_role("button", name="mentee@example.com").click()
        page.get_by_role("link", name="Calendar feed").click()
        page.wait_for_load_state()
        mentee.check_accessibility()
    with mentee.step("create the address, shown once"):
        page.get_by_role("button", name="Create my calendar address").click()
        page.wait_for_load_state()
        mentee.check_accessibility()
        url = page.locator("#feed-url").input_value()
        assert url.endswith(".ics")
        feed_url = f"{mentee.demo.url}{urlsplit(url).path}"
    with mentee.step("a calendar app reads the feed"):
        answer = page.context.request.get(feed_url)  # no session needed; the address is the credential
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(answer.body())
        events = list(calendar.walk("VEVENT"))
        assert events, "the demo mentee has mentoring sessions"
        assert all(event.get("UID") and event.get("DTSTART") for event in events)
    with mentee.step("turn the address off; calendar apps get nothing more"):
        mentee.visit("/calendar/")
        page.get_by_role("link", name="Turn off").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Turn off").click()
        page.wait_for_load_state()
        assert page.context.request.get(feed_url).status == 404
