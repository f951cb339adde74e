"""A program from start to its first session, as the people who run it and take part in it use it:
HR imports the directory, creates a program from a template and opens enrollment; a mentor and a mentee
apply; HR approves them, runs matching, reviews and publishes; the pair schedules a session, logs one and
rates it; the coordinators open the quarter's check-ins and the mentee answers."""

import datetime
import re
import time
import uuid

import pytest

pytestmark = pytest.mark.e2e


def fill_questionnaire(form, *, numbers: str) -> None:
    """Answer every question of an application form: the first option of each choice, ``numbers`` in
    number fields, a sentence in text areas."""
    seen: set[str] = set()
    for field in form.locator("input, select, textarea").all():
        kind = field.get_attribute("type")
        name = field.get_attribute("name") or ""
        tag = field.evaluate("element => element.tagName")
        if kind == "hidden" or name in seen:
            continue
        if kind in ("checkbox", "radio"):
            field.check()
            seen.add(name)
        elif kind == "number":
            field.fill("2" if name == "capacity" else numbers)
        elif tag == "TEXTAREA":
            field.fill("I would like to grow as a leader.")
        elif tag == "SELECT":
            field.select_option(index=1)


def choose_first_of_each(form) -> None:
    seen: set[str] = set()
    for field in form.locator("input[type=radio]").all():
        name = field.get_attribute("name") or ""
        if name not in seen:
            field.check()
            seen.add(name)


def wait_for_text(tab, text: str, seconds: int = 60) -> None:
    """Reload until the page shows ``text`` (work done by the background worker)."""
    deadline = time.monotonic() + seconds
    while text not in tab.page.locator("main").inner_text():
        assert time.monotonic() < deadline, f"{text!r} did not appear on {tab.page.url}"
        time.sleep(1)
        tab.page.reload()


def test_a_program_from_the_directory_import_to_a_rated_session_and_a_check_in(journey, tmp_path):
    suffix = uuid.uuid4().hex[:4]
    hr = journey("hr.admin@example.com")
    page = hr.page

    with hr.step("import the directory"):
        hr.visit("/people/imports/")
        upload = tmp_path / "directory.csv"
        upload.write_text(
            "employee_id,full_name,email,title,job_level,division,department,manager_employee_id,location,"
            "hire_date,status,left_on,left_reason,gender,ethnicity\n"
            f"N{suffix}1,Nadia Newcomer,nadia.{suffix}@example.com,Analyst,2,Research,Genomics,,Baltimore,"
            "2024-03-01,active,,,,\n"
            f"N{suffix}2,Omar Newcomer,omar.{suffix}@example.com,Principal Scientist,7,Research,Genomics,,"
            "Baltimore,2012-05-14,active,,,,\n"
        )
        page.set_input_files("input[type=file]", str(upload))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_load_state()
        hr.check_accessibility()
        wait_for_text(hr, "Apply 2 changes")
        page.get_by_role("button", name="Apply 2 changes").click()
        page.wait_for_load_state()
        wait_for_text(hr, "Applied")
        hr.visit(f"/people/?q=N{suffix}1")
        assert page.get_by_text("Nadia Newcomer").first.is_visible()

    name = f"Women in leadership {suffix}"
    with hr.step("create a program from a template"):
        hr.visit("/programs/new/")
        page.get_by_label("Women in leadership").check()
        page.get_by_label("Name").fill(name)
        page.get_by_role("button", name="Create the draft").click()
        page.wait_for_load_state()
        hr.check_accessibility()
        slug = re.search(r"/programs/([^/]+)/manage/", page.url).group(1)

    with hr.step("open enrollment"):
        hr.visit(f"/programs/{slug}/manage/")
        assert page.get_by_text("Everything needed is in place").is_visible()
        page.get_by_role("button", name="Open enrollment").click()
        page.wait_for_load_state()
        assert page.get_by_text(f"{name} is now enrolling.").is_visible()

    for email, role, numbers in (
        ("mentee@example.com", "mentee", "1"),
        ("mentor@example.com", "mentor", "12"),
    ):
        person = journey(email)
        with person.step(f"apply as {role}"):
            person.visit(f"/programs/{slug}/")
            person.page.get_by_role("link", name=f"Apply as {role}").click()
            person.page.wait_for_load_state()
            person.check_accessibility()
            fill_questionnaire(person.page.locator("main form").last, numbers=numbers)
            person.page.get_by_role("button", name=f"Apply as {role}").click()
            person.page.wait_for_load_state()
            assert person.page.get_by_text(f"You applied to {name} as a {role}.").is_visible()

    with hr.step("approve the applications"):
        hr.visit(f"/programs/{slug}/manage/participants/")
        for box in page.locator("input[type=checkbox][aria-label^='Select']").all():
            box.check()
        page.locator("select[name=decision]").select_option(label="Approve")
        page.get_by_role("button", name="Apply to the selected").click()
        page.wait_for_load_state()
        assert page.get_by_text("2 people approved").is_visible()

    with hr.step("close enrollment, run matching and review the run"):
        hr.visit(f"/programs/{slug}/manage/")
        page.get_by_role("button", name="Close enrollment and start matching").click()
        page.wait_for_load_state()
        hr.visit(f"/matching/{slug}/runs/")
        page.get_by_role("button", name="Start a match run").click()
        page.wait_for_load_state()
        wait_for_text(hr, "Ready for review")
        hr.check_accessibility()
        proposals = page.locator("main").inner_text()
        assert "Proposed pairs 1" in proposals

    with hr.step("publish the pairs"):
        page.get_by_role("link", name="Publish…").click()
        page.wait_for_load_state()
        hr.check_accessibility()
        page.get_by_role("button", name="Publish 1 pair").click()
        page.wait_for_load_state()
        wait_for_text(hr, "Published")

    mentee = journey("mentee@example.com")
    mpage = mentee.page
    with mentee.step("find the new pair"):
        mentee.visit("/pairs/")
        mpage.locator("li.list-group-item", has_text=name).get_by_role("link").first.click()
        mpage.wait_for_load_state()
        mentee.check_accessibility()
        pair_url = mpage.url

    with mentee.step("keep times in UTC"):
        mentee.visit("/people/me/settings/")
        mpage.get_by_label("Your time zone").select_option("UTC")
        mpage.get_by_role("button", name="Save").click()
        mpage.wait_for_load_state()

    now = datetime.datetime.now(datetime.UTC)
    with mentee.step("schedule a session"):
        mentee.visit(pair_url)
        mpage.get_by_text("Schedule a session").click()
        form = mpage.locator("form", has=mpage.get_by_role("button", name="Schedule and send the invite"))
        form.get_by_label("Date").fill((now + datetime.timedelta(days=7)).date().isoformat())
        form.get_by_label("Start time").fill("10:00")
        form.get_by_label("Duration (minutes)").fill("45")
        form.get_by_label("How you meet").select_option(index=1)
        form.get_by_role("button", name="Schedule and send the invite").click()
        mpage.wait_for_load_state()
        mentee.check_accessibility()
        assert mpage.get_by_role("link", name="Add to calendar").first.is_visible()

    with mentee.step("log the session held this morning"):
        # The pair started today: the session began a few minutes ago (or at midnight, just after it).
        began = max(now - datetime.timedelta(minutes=20), now.replace(hour=0, minute=0, second=0))
        minutes = max(1, min(15, int((now - began).total_seconds() // 60) - 1))
        mentee.visit(pair_url)
        mpage.get_by_text("Log a session that took place").click()
        form = mpage.locator("form", has=mpage.get_by_role("button", name="Log the session"))
        form.get_by_label("Date").fill(began.date().isoformat())
        form.get_by_label("Start time").fill(began.strftime("%H:%M"))
        form.get_by_label("Duration (minutes)").fill(str(minutes))
        form.get_by_label("How you meet").select_option(index=1)
        form.get_by_role("button", name="Log the session").click()
        mpage.wait_for_load_state()
        mentee.check_accessibility()
        mentee.visit(pair_url)
        assert "No session held yet" not in mpage.locator("main").inner_text()

    with mentee.step("rate the session"):
        mentee.visit(pair_url)
        mpage.get_by_role("link", name=re.compile("Rate the session")).first.click()
        mpage.wait_for_load_state()
        mentee.check_accessibility()
        feedback = mpage.locator("form", has=mpage.get_by_role("button", name="Send your feedback"))
        feedback.locator("input[name=rating][value='5']").check()
        feedback.locator("input[name=fit][value=good]").check()
        feedback.get_by_label("What was useful?").fill("Concrete advice on my next step.")
        feedback.get_by_role("button", name="Send your feedback").click()
        mpage.wait_for_load_state()
        mentee.visit(pair_url)
        assert "Rate the session" not in mpage.locator("main").inner_text()

    with hr.step("open the quarter's check-ins"):
        hr.visit(f"/pairs/programs/{slug}/checkins/")
        page.get_by_role("link", name="Open check-ins for this period…").click()
        page.wait_for_load_state()
        hr.check_accessibility()
        page.get_by_role("button", name="Open check-ins for this period").click()
        page.wait_for_load_state()

    with mentee.step("answer the check-in"):
        mentee.visit(pair_url)
        mpage.get_by_role("link", name="Answer the check-in").click()
        mpage.wait_for_load_state()
        mentee.check_accessibility()
        form = mpage.locator("form", has=mpage.get_by_role("button", name="Send the check-in"))
        choose_first_of_each(form)
        form.get_by_role("button", name="Send the check-in").click()
        mpage.wait_for_load_state()
        assert mpage.get_by_text(re.compile("Thank you|sent", re.I)).first.is_visible()
