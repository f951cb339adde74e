"""HR admins create programs, blank or from a starter template, and find them in their list."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.factories import ParticipantFactory, ProgramFactory
from programs.forms.answers import QuestionnaireForm
from programs.models import Participant, Program, Question, Resource
from programs.services import ProgramError
from programs.services.config import (
    SECTIONS,
    SectionInvalid,
    program_create,
    program_update_section,
    section_values,
)
from programs.services.lifecycle import program_missing
from programs.starter_templates import DEFAULT_FIRST_MEETING_QUESTIONS, STARTER_TEMPLATES
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("programs:program_create")
LIST = reverse("programs:manage_list")


@pytest.mark.parametrize("key", list(STARTER_TEMPLATES))
def test_every_starter_template_follows_the_rules_of_the_settings_page(hr_admin, key):
    program = program_create(name="Check", template_key=key, by=hr_admin)
    for section in SECTIONS:
        program_update_section(
            program=program, section=section, data=section_values(program, section), by=hr_admin
        )
    assert program_missing(program) == []


@pytest.mark.parametrize("key", list(STARTER_TEMPLATES))
def test_every_starter_template_has_a_varied_questionnaire_key_results_and_a_playbook(key):
    template = STARTER_TEMPLATES[key]
    questions = template["questions"]
    assert 5 <= len(questions) <= 7
    assert len({q["kind"] for q in questions}) >= 4
    assert any(q["hard"] for q in questions)
    for question in questions:
        assert question["mentor_text"] and question["mentee_text"]
        assert 0 <= question["weight"] <= 10
        assert question["match_rule"] in Question.MatchRule.values
        assert bool(question["choices"]) == (question["kind"] in ("single", "multi"))
    assert 2 <= len(template["key_results"]) <= 3
    kinds = {r["kind"] for r in template["resources"]}
    assert kinds == set(Resource.Kind.values)
    first_meeting = next(r["body"] for r in template["resources"] if r["kind"] == "first_meeting")
    for question in DEFAULT_FIRST_MEETING_QUESTIONS:
        assert question in first_meeting


@pytest.mark.parametrize("key", list(STARTER_TEMPLATES))
def test_an_hr_admin_creates_a_complete_draft_from_each_template(client, hr_admin, key):
    client.force_login(hr_admin)
    response = client.post(CREATE, {"name": "Spring cohort", "template_key": key})
    program = Program.objects.get(name="Spring cohort")
    assert response.status_code == 302
    assert response.url == reverse("programs:program_settings", args=[program.slug])
    template = STARTER_TEMPLATES[key]
    assert program.status == Program.Status.DRAFT
    assert program.template_key == key
    assert program.kind == template["program"]["kind"]
    assert program.created_by == hr_admin
    assert program.questions.count() == len(template["questions"])
    assert program.key_results.count() == len(template["key_results"])
    assert program.resources.count() == len(template["resources"])
    assert list(program.coordinators.all()) == [hr_admin.person]
    assert program.enrollment_opens_on < program.enrollment_closes_on < program.ends_on
    # The questionnaire works for both roles as the registration form.
    for role in Participant.Role.values:
        assert QuestionnaireForm(questions=list(program.questions.all()), role=role).fields
    # Nothing is missing: the admin may open enrollment straight away.
    overview = client.get(reverse("programs:program_overview", args=[program.slug])).content.decode()
    assert "Before enrollment can open" not in overview
    assert "Open enrollment" in overview


def test_an_hr_admin_creates_a_blank_draft(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(CREATE, {"name": "Graduate mentoring", "template_key": ""})
    program = Program.objects.get(name="Graduate mentoring")
    assert response.status_code == 302
    assert program.slug == "graduate-mentoring"
    assert program.status == Program.Status.DRAFT
    assert program.starts_on is None
    assert not program.questions.exists() and not program.key_results.exists()
    settings_page = client.get(response.url).content.decode()
    assert "Before enrollment can open" in settings_page
    assert "Set the start date." in settings_page


def test_the_create_page_offers_every_template_and_preselects_one_from_the_link(client, hr_admin):
    client.force_login(hr_admin)
    content = client.get(CREATE, {"template": "women-in-leadership"}).content.decode()
    for template in STARTER_TEMPLATES.values():
        assert template["name"] in content
    assert (
        'value="women-in-leadership" aria-describedby="template-women-in-leadership-help" checked' in content
    )


def test_a_nameless_or_unknown_template_is_refused_and_nothing_is_created(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(CREATE, {"name": "  ", "template_key": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(CREATE, {"name": "Crafted", "template_key": "no-such-template"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Program.objects.exists()


def test_the_service_refuses_an_unknown_template(hr_admin):
    with pytest.raises(SectionInvalid):
        program_create(name="Crafted", template_key="no-such-template", by=hr_admin)
    assert not Program.objects.exists()


def test_slugs_are_unique_and_never_take_the_name_of_a_page(hr_admin):
    first = program_create(name="Leadership", template_key="", by=hr_admin)
    second = program_create(name="Leadership", template_key="", by=hr_admin)
    reserved = program_create(name="Manage", template_key="", by=hr_admin)
    assert (first.slug, second.slug, reserved.slug) == ("leadership", "leadership-2", "manage-2")
    assert program_create(name="¡¿", template_key="", by=hr_admin).slug == "program"


@pytest.mark.parametrize("persona", ["coordinator", "sponsor", "employee", "mentee", "outsider"])
def test_only_hr_admins_may_create_programs(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"name": "Sneaky", "template_key": ""}).status_code == 403
    assert not Program.objects.filter(name="Sneaky").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (CREATE, LIST):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_list_explains_programs_and_offers_templates_when_there_are_none(client, hr_admin):
    client.force_login(hr_admin)
    content = client.get(LIST).content.decode()
    assert "No programs yet" in content
    assert "A program is one run of formal mentoring" in content
    assert f"{CREATE}?template=first-time-managers" in content
    assert "New program" in content


def test_a_coordinator_sees_only_the_programs_they_coordinate_and_no_new_button(
    client, coordinator, program, other_program
):
    client.force_login(coordinator)
    content = client.get(LIST).content.decode()
    assert program.name in content
    assert other_program.name not in content
    assert "New program" not in content


@pytest.mark.parametrize("persona", ["sponsor", "employee", "outsider"])
def test_people_who_manage_no_program_may_not_see_the_list(client, request, persona, program):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403


def test_the_list_shows_participants_by_role_and_filters_by_status(client, hr_admin, program, other_program):
    ParticipantFactory.create_batch(3, program=program, role="mentee")
    ParticipantFactory(program=program, role="mentee", status="withdrawn")
    ParticipantFactory.create_batch(2, program=program, role="mentor", status="approved")
    other_program.status = Program.Status.RUNNING
    other_program.save()
    client.force_login(hr_admin)
    response = client.get(LIST)
    listed = {p.name: p for p in response.context["page"]}
    assert (listed[program.name].mentor_count, listed[program.name].mentee_count) == (2, 3)
    assert listed[program.name].waiting_count == 3
    content = client.get(LIST, {"status": "running"}).content.decode()
    assert other_program.name in content and program.name not in content
    content = client.get(LIST, {"status": "closed"}).content.decode()
    assert "No program is closed right now" in content


def test_the_list_query_count_does_not_grow_with_programs_or_participants(
    client, hr_admin, django_assert_max_num_queries
):
    for n in range(60):
        ProgramFactory(starts_on=datetime.date(2027, 1, 1), budget=Decimal(n))
    people = PersonFactory.create_batch(5)
    for program in Program.objects.all()[:10]:
        for person in people:
            ParticipantFactory(program=program, person=person)
    client.force_login(hr_admin)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


def test_a_creator_outside_the_directory_is_not_made_coordinator(db):
    superuser = UserFactory(email="root@example.com", is_superuser=True)
    assert program_create(name="Nobody", template_key="", by=superuser).coordinators.count() == 0


def test_the_service_refuses_creation_by_anyone_but_an_hr_admin(coordinator):
    with pytest.raises(ProgramError):
        program_create(name="Sneaky", template_key="", by=coordinator)
    assert not Program.objects.exists()
