"""Master Mentors from one year to the next: a manager nominates, a committee member reviews blind, the chair
selects, a coordinator takes attendance, and anyone verifies a graduate's certificate.

The demo holds last year's cycle closed with graduates (the mentor persona among them) and this year's cycle
decided, its cohort half-way through its events with the latest one's attendance left to take.
"""

import datetime
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

# The candidate's new login takes the demo personas' password.
PASSWORD = "mentoring-demo-2026"
# One of the manager persona's reports in the demo organization: eligible (job level 5, long tenure, not a
# Master Mentor yet) and without a login, so they sign up with their work e-mail to answer.
CANDIDATE_NAME = "Andrew Hughes"
CANDIDATE_EMAIL = "andrew.hughes@example.com"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")


def _today() -> datetime.date:
    # The server runs on UTC.
    return datetime.datetime.now(datetime.UTC).date()


def _message(page, text: str | re.Pattern) -> None:
    """The flash message a page shows after a form was saved."""
    assert page.get_by_role("status").get_by_text(text).first.is_visible()


def test_a_nominated_colleague_is_reviewed_blind_and_selected(journey, live_demo):
    hr = journey("hr.admin@example.com")
    page = hr.page
    today = _today()

    with hr.step("start next year's cycle from this year's decided one"):
        hr.visit("/master-mentors/cycles/")
        page.get_by_role("row").filter(has_text="Decided").get_by_role("link").first.click()
        page.wait_for_load_state()
        hr.check_accessibility()
        page.get_by_role("button", name="Start next cycle").click()
        page.wait_for_load_state()
        hr.check_accessibility()
        _message(page, re.compile(r"was created as a draft from .*with its rubric, seats and committee"))
        assert page.get_by_text("Draft", exact=True).first.is_visible()
        assert page.get_by_role("button", name="Open nominations").is_disabled()
        heading = page.get_by_role("heading", level=1).inner_text().strip()  # "Master Mentors 2027"
        cycle_label = re.sub(r" (\d{4})$", r" (\1)", heading)  # "Master Mentors (2027)"
        assert cycle_label != heading, heading

    with hr.step("the committee came along, chaired by the committee persona"):
        page.get_by_role("link", name="Committee", exact=True).click()
        page.wait_for_load_state()
        hr.check_accessibility()
        page.get_by_label("Find people in the directory").fill("committee@example.com")
        page.get_by_role("button", name="Search").click()
        found = page.locator("#committee-candidates li").filter(has_text="committee@example.com")
        found.get_by_text("On the committee").wait_for()
        chair_name = found.inner_text().split("·")[0].strip()
        members = page.get_by_role("table")
        chair = members.get_by_role("row").filter(has=page.get_by_role("cell", name="Chair", exact=True))
        assert chair.count() == 1
        assert chair_name in chair.inner_text()

    with hr.step("set the dates, then open nominations"):
        page.get_by_role("link", name="Details", exact=True).click()
        page.wait_for_load_state()
        hr.check_accessibility()
        page.get_by_label("Nominations open on").fill((today - datetime.timedelta(days=1)).isoformat())
        page.get_by_label("Nominations close on").fill((today + datetime.timedelta(days=14)).isoformat())
        page.get_by_label("Reviews due on").fill((today + datetime.timedelta(days=30)).isoformat())
        page.get_by_role("button", name="Save the details").click()
        page.wait_for_load_state()
        _message(page, "The details were saved.")
        assert page.get_by_text("Everything needed is in place: nominations can open.").is_visible()
        page.get_by_role("link", name="Overview", exact=True).click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Open nominations").click()
        page.wait_for_load_state()
        _message(page, f"{cycle_label} is now open for nominations.")
        assert page.get_by_text("Open: employees endorse colleagues and managers nominate").is_visible()

    manager = journey("manager@example.com")
    mpage = manager.page
    with manager.step("the manager nominates one of their reports with evidence"):
        manager.visit("/")
        mpage.get_by_role("navigation", name="Main").get_by_role("link", name="Master Mentors").click()
        mpage.wait_for_load_state()
        manager.check_accessibility()
        card = mpage.locator("section.card").filter(has=mpage.get_by_role("heading", name=cycle_label))
        card.get_by_role("link", name="Nominate", exact=True).click()
        mpage.wait_for_load_state()
        manager.check_accessibility()
        assert mpage.get_by_text("You can nominate people in your reporting line.").is_visible()
        mpage.get_by_label("Find a colleague").fill(CANDIDATE_NAME)
        mpage.get_by_role("button", name="Search").click()
        mpage.wait_for_load_state()
        mpage.get_by_role("link", name=f"Nominate {CANDIDATE_NAME}").click()
        mpage.wait_for_load_state()
        manager.check_accessibility()
        assert mpage.get_by_role("heading", name=f"Nominate {CANDIDATE_NAME}").is_visible()
        mpage.get_by_label("Record of informal mentoring").fill(
            "Has informally mentored three new analysts this year; two now lead their own studies."
        )
        mpage.get_by_label("Who seeks them out, and why").fill(
            "Colleagues from other labs book time with them before submitting a protocol."
        )
        mpage.get_by_label("Examples of sponsoring others to success").fill(
            "Put a junior colleague forward to present at the research board and coached them through it."
        )
        mpage.get_by_label("Communication and emotional intelligence").fill(
            "Listens first, gives direct and kind feedback, and stays calm when a study goes wrong."
        )
        mpage.get_by_role("button", name="Nominate", exact=True).click()
        mpage.wait_for_load_state()
        _message(mpage, f"Thank you: {CANDIDATE_NAME} is nominated.")
        nomination = mpage.get_by_role("row").filter(has_text=CANDIDATE_NAME).filter(has_text=cycle_label)
        assert nomination.get_by_role("cell", name="Waiting for the candidate").is_visible()

    candidate = journey(None)
    cpage = candidate.page
    with candidate.step("the candidate signs up with their work e-mail and confirms it"):
        candidate.visit("/accounts/signup/")
        cpage.get_by_label("Email").fill(CANDIDATE_EMAIL)
        cpage.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
        cpage.get_by_label("Password (again)").fill(PASSWORD)
        cpage.get_by_role("button", name="Sign Up").click()
        cpage.wait_for_load_state()
        candidate.check_accessibility()
        assert cpage.get_by_text("Confirm your e-mail address to link your login").is_visible()
        mails = [m for m in live_demo.mails_to(CANDIDATE_EMAIL) if CONFIRM_LINK.search(m)]
        assert mails, f"no confirmation e-mail was sent to {CANDIDATE_EMAIL}"
        candidate.visit(CONFIRM_LINK.search(mails[-1]).group(0))
        cpage.get_by_role("button", name="Confirm").click()
        cpage.wait_for_load_state()
        candidate.check_accessibility()

    with candidate.step("the candidate accepts the nomination with a motivation"):
        candidate.visit("/")
        cpage.get_by_text(f"You have been nominated for {cycle_label}.").wait_for()
        cpage.get_by_role("link", name="Accept or decline").click()
        cpage.wait_for_load_state()
        candidate.check_accessibility()
        assert cpage.get_by_role("heading", name=f"Your nomination for {cycle_label}").is_visible()
        cpage.get_by_label("Your motivation statement").fill(
            "I have learned most from colleagues who made time for me; I would like to do that well."
        )
        cpage.get_by_role("button", name="Accept the nomination").click()
        cpage.wait_for_load_state()
        _message(cpage, "You accepted the nomination. The committee will review your candidacy.")

    with manager.step("the manager sees the nomination accepted"):
        mpage.reload()
        assert nomination.get_by_role("cell", name="Accepted").is_visible()

    with hr.step("HR closes nominations and starts the review"):
        page.reload()
        page.get_by_role("button", name="Close nominations and start the review").click()
        page.wait_for_load_state()
        _message(page, f"Nominations to {cycle_label} are closed and the committee review has started.")
        assert page.get_by_text("The committee is reviewing the candidates blind.").is_visible()

    committee = journey("committee@example.com")
    rpage = committee.page
    with committee.step("the committee member opens the candidacies to review"):
        committee.visit("/")
        panel_entry = rpage.locator("li").filter(has_text=cycle_label)
        panel_entry.get_by_role("link", name="Review the candidacies").click()
        rpage.wait_for_load_state()
        committee.check_accessibility()
        assert rpage.get_by_role("heading", name=f"Candidacies of {heading}").is_visible()
        blind = rpage.get_by_role("table").get_by_role("link", name=re.compile(r"^Candidate \d+$"))
        assert blind.count() == 1
        label = blind.inner_text().strip()

    with committee.step("the review is blind: a number, never a name or an e-mail"):
        blind.click()
        rpage.wait_for_load_state()
        committee.check_accessibility()
        assert rpage.get_by_role("heading", name=label, level=1).is_visible()
        assert rpage.get_by_text("Colleagues from other labs book time with them").is_visible()
        html = rpage.content()
        for identity in (CANDIDATE_NAME, CANDIDATE_EMAIL, CANDIDATE_NAME.split()[-1]):
            assert identity not in html, f"the blind review page shows {identity!r}"

    with committee.step("score every criterion and submit"):
        groups = rpage.get_by_role("radiogroup")
        assert groups.count() == 8, "the default rubric has eight criteria"
        for n in range(groups.count()):
            groups.nth(n).get_by_label("5" if n % 2 else "4", exact=True).check()
        rpage.get_by_role("button", name="Submit the review").click()
        rpage.get_by_text(f"Your review of {label} is submitted.").wait_for()
        committee.check_accessibility()
        assert CANDIDATE_NAME not in rpage.content()

    with committee.step("the chair selects the candidate with a rationale"):
        rpage.get_by_role("link", name=f"Review of {heading}").click()
        rpage.wait_for_load_state()
        row = rpage.get_by_role("row").filter(has_text=label)
        assert row.get_by_text("Submitted").is_visible()
        rpage.get_by_role("link", name="Ranking and selection").click()
        rpage.wait_for_load_state()
        committee.check_accessibility()
        row = rpage.get_by_role("row").filter(has=rpage.get_by_role("rowheader", name=label))
        row.locator("summary").click()
        row.get_by_label("Selected", exact=True).check()
        row.get_by_label("Rationale (required, recorded)").fill(
            "Strong evidence of informal mentoring and sponsoring; scored well on every criterion."
        )
        row.get_by_role("button", name="Record the decision").click()
        rpage.get_by_text(f"{label}: selected. The decision is recorded.").wait_for()
        assert CANDIDATE_NAME not in rpage.content()

    with committee.step("the chair publishes the decisions and the candidates are revealed"):
        rpage.get_by_role("link", name="Publish the decisions…").click()
        rpage.wait_for_load_state()
        committee.check_accessibility()
        assert rpage.get_by_text("The selections do not match the seats").is_visible()
        rpage.get_by_label("Justification").fill("Few candidates stood this year; seats are left unused.")
        rpage.get_by_role("button", name="Publish the decisions").click()
        rpage.wait_for_load_state()
        _message(rpage, "The decisions are published: candidates and their nominators have been told.")
        assert rpage.get_by_text("The decisions were published on").is_visible()
        row = rpage.get_by_role("row").filter(has=rpage.get_by_role("rowheader", name=re.compile(label)))
        assert row.get_by_text(CANDIDATE_NAME).is_visible()
        assert row.get_by_text("Selected", exact=True).is_visible()

    with candidate.step("the candidate reads the committee's decision"):
        candidate.visit("/master-mentors/nominations/")
        cpage.get_by_role("link", name=cycle_label).click()
        cpage.wait_for_load_state()
        assert cpage.get_by_text("The committee's decision: Selected").is_visible()


def test_the_coordinator_takes_attendance_for_the_latest_event(journey):
    coordinator = journey("coordinator@example.com")
    page = coordinator.page
    event = "Feedback that lands"
    with coordinator.step("the cohort asks for the attendance of its latest event"):
        coordinator.visit("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
        page.wait_for_load_state()
        coordinator.check_accessibility()
        page.get_by_role("link", name=f"Master Mentors {_today().year}").click()
        page.wait_for_load_state()
        coordinator.check_accessibility()
        reminder = page.locator(".alert").filter(has_text="Attendance is not recorded yet for")
        reminder.get_by_role("link", name=event).click()
        page.wait_for_load_state()
        coordinator.check_accessibility()
        assert page.get_by_role("heading", name=f"Attendance: {event}").is_visible()

    with coordinator.step("mark everyone in one grid and save it"):
        rows = page.get_by_role("table").locator("tbody tr")
        members = rows.count()
        assert members >= 3
        excused = rows.first.get_by_role("rowheader").inner_text().strip()
        rows.first.get_by_role("radio", name=re.compile(r"Excused$")).check()
        for n in range(1, members):
            rows.nth(n).get_by_role("radio", name=re.compile(r"Present$")).check()
        page.get_by_role("button", name="Save the attendance").click()
        page.wait_for_load_state()
        _message(page, f"Attendance for {event} saved for {members} members.")

    with coordinator.step("the event is held and the members' progress shows it"):
        events = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Kind"))
        assert events.get_by_role("row").filter(has_text=event).get_by_text("Held").is_visible()
        assert reminder.filter(has_text=event).count() == 0
        progress = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name=event))
        headers = [h.strip() for h in progress.get_by_role("columnheader").all_inner_texts()]
        column = next(n for n, h in enumerate(headers) if h.startswith(event))
        member_row = progress.get_by_role("row").filter(has=page.get_by_role("rowheader", name=excused))
        # The member's name is the row header: the event's column is one cell further left among the cells.
        assert member_row.get_by_role("cell").nth(column - 1).inner_text().strip() == "Excused"


def test_anyone_verifies_a_graduates_certificate_by_its_code(journey):
    graduate = journey("mentor@example.com")
    page = graduate.page
    with graduate.step("the graduate opens their progress in last year's cohort"):
        graduate.visit("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
        page.wait_for_load_state()
        graduate.check_accessibility()
        page.get_by_role("link", name=f"Master Mentors {_today().year - 1}").click()
        page.wait_for_load_state()
        graduate.check_accessibility()
        page.get_by_role("link", name="Your attendance, event by event").click()
        page.wait_for_load_state()
        graduate.check_accessibility()
        assert page.get_by_role("heading", name="Your progress").is_visible()
        assert page.get_by_text("Graduated on").is_visible()
        name = page.get_by_role("navigation", name="Breadcrumb").locator("[aria-current=page]").inner_text()
        graduated_on = page.locator("p", has_text="Graduated on").locator("time").get_attribute("datetime")

    with graduate.step("the certificate downloads as a PDF"):
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the certificate (PDF)").click()
        assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

    with graduate.step("the certificate carries its verification code"):
        link = page.get_by_role("link", name="Its public verification page").get_attribute("href")
        code = re.fullmatch(r"/master-mentors/verify/([\w-]+)/", link or "")
        assert code, link

    anyone = journey(None)
    public = anyone.page
    with anyone.step("anyone with the code sees the name, title and date only"):
        anyone.visit(f"/master-mentors/verify/{code.group(1)}/")
        assert public.get_by_role("heading", name="Certificate verification").is_visible()
        assert public.get_by_text("This certificate is genuine.").is_visible()
        card = public.locator("main dl")
        fields = [t.strip() for t in card.locator("dt").all_inner_texts()]
        assert fields == ["Name", "Certificate", "Issued on"]
        values = [t.strip() for t in card.locator("dd").all_inner_texts()]
        assert values[:2] == [name.strip(), "Certified Master Mentor"]
        assert card.locator("time").get_attribute("datetime") == graduated_on
        assert "@" not in public.locator("main").inner_text()

    with anyone.step("a wrong code verifies nothing"):
        response = public.goto(f"{anyone.demo.url}/master-mentors/verify/{code.group(1)[::-1]}x/")
        assert response.status == 404
