"""The sectioned settings page: each section saves on its own, in place or without JavaScript, and bad
input is refused with a message while nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.factories import ParticipantFactory
from programs.forms.manage import SECTION_FORMS
from programs.models import Program
from programs.services import ProgramError
from programs.services.config import SECTIONS, SectionInvalid, program_update_section, section_values
from tests.factories import DepartmentFactory, DivisionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def settings_url(program):
    return reverse("programs:program_settings", args=[program.slug])


def section_url(program, section):
    return reverse("programs:program_settings_section", args=[program.slug, section])


def form_data(program, section, **changes):
    """What the browser posts for a section as it is shown, with ``changes`` typed in."""
    form = SECTION_FORMS[section](program=program)
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form.initial.get(name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is None:
            data[name] = ""
        else:
            data[name] = str(value)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def snapshot(program):
    program = Program.objects.get(pk=program.pk)
    return {
        section: {
            k: sorted(o.pk for o in v) if isinstance(v, list) and v and hasattr(v[0], "pk") else v
            for k, v in section_values(program, section).items()
        }
        for section in SECTIONS
    }


@pytest.fixture
def org(department):
    """Two divisions with departments, and people in two locations."""
    other_division = DivisionFactory(name="Research")
    lab = DepartmentFactory(name="Genomics lab", division=other_division)
    PersonFactory(department=department, location="Baltimore")
    PersonFactory(department=lab, location="Bethesda")
    return {
        "division": department.division,
        "department": department,
        "other_division": other_division,
        "lab": lab,
    }


def test_the_settings_page_shows_every_section_and_the_checklist(client, hr_admin, program):
    program.description = ""
    program.save()
    client.force_login(hr_admin)
    response = client.get(settings_url(program))
    content = response.content.decode()
    assert response.status_code == 200
    for spec in SECTIONS.values():
        assert f'id="section-{spec.key}"' in content
        assert f'hx-post="{section_url(program, spec.key)}"' in content
    assert 'id="section-key-results"' in content
    assert "Before enrollment can open" in content
    assert f'href="{settings_url(program)}#section-basics"' in content
    assert "Never pairing people in the same reporting line is always a hard rule" in content


def test_the_settings_page_query_count_is_bounded(
    client, hr_admin, program, org, django_assert_max_num_queries
):
    for n in range(30):
        DepartmentFactory(name=f"Ward {n}", division=org["division"])
        PersonFactory(department=org["department"], location=f"Site {n}")
    program.coordinators.add(*PersonFactory.create_batch(5))
    client.force_login(hr_admin)
    with django_assert_max_num_queries(22):
        assert client.get(settings_url(program)).status_code == 200


SAVES = [
    ("basics", {"name": "Clinical leadership", "kind": "group", "purpose": "retention"}),
    ("timeline", {"enrollment_opens_on": "2027-01-01", "enrollment_closes_on": "2027-01-31",
                  "matching_on": "2027-02-07", "starts_on": "2027-02-14", "ends_on": "2027-12-14"}),
    ("rhythm", {"meeting_cadence_days": "21", "checkin_cadence_months": "1"}),
    ("matching", {"default_mentor_capacity": "3", "max_mentor_capacity": "5", "mentors_per_mentee": "2",
                  "matching_mode": "both", "matching_priority": "most_matched", "min_match_score": "40",
                  "weight_different_department": "10", "weight_different_division": "0",
                  "weight_mentor_senior": "1", "weight_same_location": "9"}),
    ("approvals", {"enrollment_approval": False, "manager_approval": "on", "manager_approval_days": "10"}),
    ("mentor-requirement", {"mentor_requirement": "master_mentor"}),
]  # fmt: skip


@pytest.mark.parametrize(("section", "changes"), SAVES, ids=[s for s, _ in SAVES])
def test_each_section_saves_in_place(client, hr_admin, program, section, changes):
    client.force_login(hr_admin)
    response = client.post(
        section_url(program, section), form_data(program, section, **changes), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert f"{SECTIONS[section].title} saved." in content
    # The checklist and the header (name, kind, status) are refreshed in the same answer.
    assert 'id="missing" aria-live="polite" hx-swap-oob="true"' in content
    assert 'id="program-header" hx-swap-oob="true"' in content
    program.refresh_from_db()
    assert f'<h1 class="h3 mb-0">{program.name}<' in content
    for field, value in changes.items():
        saved = getattr(program, field)
        expected = {False: False, "on": True}.get(value, value)
        assert str(saved) == str(expected), field


def test_a_section_saves_without_javascript_and_comes_back_to_the_page(client, hr_admin, program):
    client.force_login(hr_admin)
    response = client.post(
        section_url(program, "rhythm"), form_data(program, "rhythm", meeting_cadence_days="30")
    )
    assert response.status_code == 302
    assert response.url == settings_url(program) + "#section-rhythm"
    assert "Rhythm saved." in client.get(response.url).content.decode()
    program.refresh_from_db()
    assert program.meeting_cadence_days == 30


def test_eligibility_saves_divisions_departments_levels_tenure_and_locations(client, hr_admin, program, org):
    client.force_login(hr_admin)
    data = form_data(
        program,
        "eligibility",
        eligible_divisions=[str(org["division"].pk), str(org["other_division"].pk)],
        eligible_departments=[str(org["lab"].pk)],
        min_job_level="2",
        max_job_level="7",
        min_tenure_months="12",
        eligible_locations=["Bethesda"],
    )
    response = client.post(section_url(program, "eligibility"), data, HTTP_HX_REQUEST="true")
    assert "Eligibility saved." in response.content.decode()
    program.refresh_from_db()
    assert set(program.eligible_divisions.all()) == {org["division"], org["other_division"]}
    assert list(program.eligible_departments.all()) == [org["lab"]]
    assert (program.min_job_level, program.max_job_level, program.min_tenure_months) == (2, 7, 12)
    assert program.eligible_locations == ["Bethesda"]


def test_governance_resolves_people_by_e_mail_or_employee_id(client, hr_admin, program, coordinator, sponsor):
    ada = PersonFactory(email="Ada@Example.com", full_name="Ada Lovelace")
    grace = PersonFactory(employee_id="E42", full_name="Grace Hopper")
    client.force_login(hr_admin)
    data = form_data(
        program,
        "governance",
        budget="25000.50",
        coordinators=f"ada@example.com\n{coordinator.person.full_name} <{coordinator.person.email}>",
        sponsors="E42",
    )
    response = client.post(section_url(program, "governance"), data, HTTP_HX_REQUEST="true")
    assert "Governance saved." in response.content.decode()
    program.refresh_from_db()
    assert program.budget == Decimal("25000.50")
    assert set(program.coordinators.all()) == {ada, coordinator.person}
    assert list(program.sponsors.all()) == [grace]
    # The saved section shows the people by name and address, ready to edit.
    assert "Ada Lovelace &lt;Ada@Example.com&gt;" in response.content.decode()


BAD_INPUT = [
    ("timeline", {"starts_on": "2027-06-01", "ends_on": "2027-01-01"}, "must not be after"),
    ("timeline", {"enrollment_opens_on": "2027-01-01", "enrollment_closes_on": "2026-12-1"}, "not be after"),
    ("timeline", {"starts_on": "not a date"}, "Enter a valid date."),
    ("basics", {"name": ""}, "This field is required."),
    ("basics", {"kind": "telepathy"}, "Select a valid choice."),
    ("rhythm", {"meeting_cadence_days": "0"}, "Days between sessions must be between 1 and 365."),
    ("rhythm", {"checkin_cadence_months": "13"}, "Months between check-ins must be between 1 and 12."),
    ("matching", {"default_mentor_capacity": "0"}, "Default mentor capacity must be between 1 and 20."),
    ("matching", {"max_mentor_capacity": "21"}, "Maximum mentor capacity must be between 1 and 20."),
    ("matching", {"default_mentor_capacity": "5", "max_mentor_capacity": "3"}, "is above the maximum"),
    ("matching", {"mentors_per_mentee": "6"}, "Mentors per mentee must be between 1 and 5."),
    ("matching", {"min_match_score": "101"}, "Minimum match score must be between 0 and 100."),
    ("matching", {"weight_same_location": "11"}, "Same location must be between 0 and 10."),
    ("approvals", {"manager_approval_days": "61"}, "must be between 1 and 60."),
    ("eligibility", {"min_job_level": "8", "max_job_level": "3"}, "is below the lowest (8); swap them."),
    ("eligibility", {"max_job_level": "21"}, "Highest job level must be between 1 and 20."),
    ("eligibility", {"min_tenure_months": "601"}, "must be between 0 and 600."),
    ("eligibility", {"eligible_locations": ["Atlantis"]}, "Select a valid choice."),
    ("governance", {"budget": "-1"}, "The budget cannot be negative"),
    ("governance", {"coordinators": "nobody@example.com"}, "Nobody in the directory has this employee ID"),
    ("mentor-requirement", {"mentor_requirement": "wizard"}, "Select a valid choice."),
]  # fmt: skip


@pytest.mark.parametrize(("htmx", "status"), [(True, 200), (False, 200)], ids=["htmx", "no-js"])
@pytest.mark.parametrize(
    ("section", "changes", "message"), BAD_INPUT, ids=[f"{s}-{m[:20]}" for s, _, m in BAD_INPUT]
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, hr_admin, program, org, section, changes, message, htmx, status
):
    before = snapshot(program)
    client.force_login(hr_admin)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(section_url(program, section), form_data(program, section, **changes), **headers)
    content = response.content.decode()
    assert response.status_code == status
    assert message in content.replace("&#x27;", "'")
    assert "Nothing was saved" in content
    assert ("<html" in content) is not htmx
    assert snapshot(program) == before


def test_departments_outside_the_chosen_divisions_are_refused_by_name(client, hr_admin, program, org):
    before = snapshot(program)
    client.force_login(hr_admin)
    data = form_data(
        program,
        "eligibility",
        eligible_divisions=[str(org["division"].pk)],
        eligible_departments=[str(org["lab"].pk)],
    )
    content = client.post(section_url(program, "eligibility"), data, HTTP_HX_REQUEST="true").content.decode()
    assert "These departments are not in the chosen divisions: Genomics lab (Research)." in content
    assert snapshot(program) == before


def test_an_unknown_section_is_not_found(client, hr_admin, program):
    client.force_login(hr_admin)
    assert client.post(section_url(program, "secret-sauce"), {}).status_code == 404


def test_sections_are_saved_by_post_only(client, hr_admin, program):
    client.force_login(hr_admin)
    assert client.get(section_url(program, "basics")).status_code == 405


# --- who may do what ----------------------------------------------------------------------------


def test_a_coordinator_edits_the_program_but_reads_its_governance(client, coordinator, program):
    client.force_login(coordinator)
    content = client.get(settings_url(program)).content.decode()
    assert "Only HR admins change the governance of a program." in content
    assert f'action="{section_url(program, "governance")}"' not in content
    response = client.post(
        section_url(program, "basics"), form_data(program, "basics", name="Renamed by coordinator")
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Renamed by coordinator"


def test_a_coordinator_may_not_post_governance_and_nothing_is_saved(client, coordinator, program):
    before = snapshot(program)
    data = form_data(program, "governance", budget="1", sponsors=coordinator.person.email)
    client.force_login(coordinator)
    assert client.post(section_url(program, "governance"), data).status_code == 403
    assert snapshot(program) == before


def test_the_service_also_refuses_governance_changes_by_a_coordinator(coordinator, program):
    with pytest.raises(ProgramError):
        program_update_section(
            program=program, section="governance", data={"budget": Decimal(1)}, by=coordinator
        )


@pytest.mark.parametrize("persona", ["other_coordinator", "sponsor", "employee", "mentee", "outsider"])
def test_people_who_do_not_manage_the_program_get_not_found(client, request, program, persona):
    before = snapshot(program)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(settings_url(program)).status_code == 404
    response = client.post(section_url(program, "basics"), form_data(program, "basics", name="Hijacked"))
    assert response.status_code == 404
    assert (
        client.post(section_url(program, "governance"), form_data(program, "governance")).status_code == 404
    )
    assert snapshot(program) == before


def test_anonymous_visitors_are_sent_to_sign_in(client, program):
    for response in (client.get(settings_url(program)), client.post(section_url(program, "basics"), {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# --- programs under way -------------------------------------------------------------------------


def set_status(program, status):
    program.status = status
    program.save(update_fields=["status"])
    return program


def test_a_running_program_still_takes_a_new_description_cadence_and_end_date(client, hr_admin, program):
    set_status(program, Program.Status.RUNNING)
    client.force_login(hr_admin)
    client.post(section_url(program, "basics"), form_data(program, "basics", description="Now in year two."))
    client.post(section_url(program, "rhythm"), form_data(program, "rhythm", meeting_cadence_days="28"))
    client.post(section_url(program, "timeline"), form_data(program, "timeline", ends_on="2028-01-31"))
    program.refresh_from_db()
    assert program.description == "Now in year two."
    assert program.meeting_cadence_days == 28
    assert program.ends_on == datetime.date(2028, 1, 31)


def test_a_running_program_shows_fixed_settings_disabled_with_the_reason(client, hr_admin, program):
    set_status(program, Program.Status.RUNNING)
    client.force_login(hr_admin)
    content = client.get(settings_url(program)).content.decode()
    assert "This program is running." in content
    assert "Fixed once enrollment has closed: people applied under these rules." in content
    assert "This section is fixed while the program is running." in content


def test_fixed_settings_of_a_running_program_are_not_changed_by_a_crafted_post(client, hr_admin, program):
    set_status(program, Program.Status.RUNNING)
    before = snapshot(program)
    client.force_login(hr_admin)
    data = form_data(program, "matching", default_mentor_capacity="1", weight_same_location="10")
    client.post(section_url(program, "matching"), data, HTTP_HX_REQUEST="true")
    data = form_data(program, "approvals", manager_approval="on")
    content = client.post(section_url(program, "approvals"), data, HTTP_HX_REQUEST="true").content.decode()
    assert "this section is fixed while the program is running" in content
    data = form_data(program, "basics", kind="flash")
    client.post(section_url(program, "basics"), data, HTTP_HX_REQUEST="true")
    assert snapshot(program) == before


def test_the_service_refuses_to_change_fixed_settings(hr_admin, program, org):
    set_status(program, Program.Status.MATCHING)
    with pytest.raises(SectionInvalid) as error:
        program_update_section(
            program=program,
            section="eligibility",
            data={"eligible_divisions": [org["division"]]},
            by=hr_admin,
        )
    assert "Fixed once enrollment has closed" in str(error.value)
    # The same values, unchanged, are accepted.
    program_update_section(program=program, section="matching", data={"matching_mode": "both"}, by=hr_admin)
    with pytest.raises(SectionInvalid):
        program_update_section(
            program=program, section="matching", data={"max_mentor_capacity": 9}, by=hr_admin
        )


def test_an_open_program_must_stay_complete(client, hr_admin, program):
    set_status(program, Program.Status.ENROLLING)
    before = snapshot(program)
    client.force_login(hr_admin)
    content = client.post(
        section_url(program, "basics"), form_data(program, "basics", description=""), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Description cannot be left empty once enrollment has opened" in content
    content = client.post(
        section_url(program, "governance"),
        form_data(program, "governance", coordinators=""),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Coordinators cannot be left empty" in content
    assert snapshot(program) == before


def test_the_maximum_capacity_cannot_drop_below_what_mentors_offered(client, hr_admin, program):
    set_status(program, Program.Status.ENROLLING)
    ParticipantFactory(program=program, role="mentor", capacity=4)
    client.force_login(hr_admin)
    data = form_data(program, "matching", default_mentor_capacity="1", max_mentor_capacity="3")
    content = client.post(section_url(program, "matching"), data, HTTP_HX_REQUEST="true").content.decode()
    assert "1 mentor already offered to take more than 3 mentees." in content
    program.refresh_from_db()
    assert program.max_mentor_capacity == 4


# --- the service on its own, as commands and crafted calls use it -----------------------------


@pytest.mark.parametrize(
    ("section", "data", "message"),
    [
        ("eligibility", {"eligible_locations": ["Atlantis"]}, "Nobody in the directory works at Atlantis"),
        ("rhythm", {"meeting_cadence_days": True}, "must be a whole number"),
        ("rhythm", {"meeting_cadence_days": "7"}, "must be a whole number"),
        ("timeline", {"starts_on": datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)}, "must be a date"),
        ("approvals", {"manager_approval": "yes"}, "must be yes or no"),
        ("basics", {"purpose": "world domination"}, "choose one of the options"),
        ("basics", {"status": "running"}, "are not part of the basics section"),
        ("basics", {"name": "x" * 151}, "too long"),
        ("governance", {"budget": Decimal("-0.01")}, "cannot be negative"),
        ("governance", {"budget": Decimal("NaN")}, "cannot be negative"),
        ("eligibility", {"eligible_departments": [999999]}, "no longer exist"),
        ("eligibility", {"eligible_divisions": ["clinical"]}, "Divisions: choose from the list."),
        ("governance", {"sponsors": "sponsor@example.com"}, "Sponsors: choose from the list."),
    ],
)
def test_the_service_checks_every_value_itself(hr_admin, program, org, section, data, message):
    before = snapshot(program)
    with pytest.raises(SectionInvalid) as error:
        program_update_section(program=program, section=section, data=data, by=hr_admin)
    assert message in str(error.value)
    assert snapshot(program) == before


def test_people_who_left_cannot_be_coordinators_or_sponsors(hr_admin, program):
    gone = PersonFactory(status="left", left_on=datetime.date(2025, 1, 1), full_name="Gone Person")
    with pytest.raises(SectionInvalid) as error:
        program_update_section(program=program, section="governance", data={"sponsors": [gone]}, by=hr_admin)
    assert "Gone Person left the organization" in str(error.value)


def test_a_location_no_longer_in_the_directory_may_stay_on_a_program(hr_admin, program):
    Program.objects.filter(pk=program.pk).update(eligible_locations=["Old site"])
    program.refresh_from_db()
    program_update_section(program=program, section="eligibility", data={"min_tenure_months": 6}, by=hr_admin)
    program.refresh_from_db()
    assert program.eligible_locations == ["Old site"]
    assert program.min_tenure_months == 6


def test_what_mentees_see_of_mentors_is_chosen_from_the_list(client, hr_admin, program):
    client.force_login(hr_admin)
    data = form_data(program, "matching", mentor_profile_fields=["title", "location"])
    client.post(section_url(program, "matching"), data, HTTP_HX_REQUEST="true")
    program.refresh_from_db()
    assert program.mentor_profile_fields == ["title", "location"]
    data = form_data(program, "matching", mentor_profile_fields=["title", "salary"])
    content = client.post(section_url(program, "matching"), data, HTTP_HX_REQUEST="true").content.decode()
    assert "salary is not one of the available choices" in content
    with pytest.raises(SectionInvalid, match="Choose what mentees see from the list"):
        program_update_section(
            program=program, section="matching", data={"mentor_profile_fields": ["salary"]}, by=hr_admin
        )
    program.refresh_from_db()
    assert program.mentor_profile_fields == ["title", "location"]
