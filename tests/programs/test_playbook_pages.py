"""The playbook: program resources, the global playbook, and the page participants read by role."""

from html import unescape

import pytest
from django.urls import reverse

from programs.factories import ParticipantFactory, ResourceFactory
from programs.models import Participant, Resource
from programs.services.playbook import ResourceError, resource_create
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return unescape(response.content.decode())


def resource_form(**overrides) -> dict[str, str]:
    data = {
        "title": "Questions for the first meeting",
        "kind": "first_meeting",
        "audience": "everyone",
        "body": "1. Why did you decide to be a mentor?\n2. What are your goals?",
        "order": "0",
    }
    data.update(overrides)
    return data


@pytest.fixture
def resource(program) -> Resource:
    return ResourceFactory(program=program, title="Talk about a setback", audience=Resource.Audience.EVERYONE)


@pytest.fixture
def global_resource(db) -> Resource:
    return ResourceFactory(program=None, title="A guide for everyone", kind=Resource.Kind.GUIDE)


@pytest.fixture
def applied_mentee(program, mentee):
    ParticipantFactory(program=program, person=mentee.person, role=Participant.Role.MENTEE)
    return mentee


@pytest.fixture
def approved_mentor(program, mentor):
    ParticipantFactory(
        program=program,
        person=mentor.person,
        role=Participant.Role.MENTOR,
        status=Participant.Status.APPROVED,
    )
    return mentor


# --- Access -----------------------------------------------------------------------------------------------


def manage_urls(program, resource) -> list[str]:
    return [
        reverse("programs:resource_list", args=[program.slug]),
        reverse("programs:resource_create", args=[program.slug]),
        reverse("programs:resource_edit", args=[program.slug, resource.pk]),
    ]


def global_urls(global_resource) -> list[str]:
    return [
        reverse("programs:global_resource_list"),
        reverse("programs:global_resource_create"),
        reverse("programs:global_resource_edit", args=[global_resource.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, program, resource, global_resource):
    for url in [
        *manage_urls(program, resource),
        *global_urls(global_resource),
        reverse("programs:playbook", args=[program.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("persona", ["outsider", "employee", "mentee", "other_coordinator", "sponsor"])
def test_only_hr_admins_and_coordinators_manage_a_programs_resources(
    client, request, persona, program, resource, other_program
):
    client.force_login(request.getfixturevalue(persona))
    for url in manage_urls(program, resource):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("programs:resource_create", args=[program.slug]), resource_form()).status_code
        == 404
    )
    edit = reverse("programs:resource_edit", args=[program.slug, resource.pk])
    assert client.post(edit, resource_form(title="Hacked")).status_code == 404
    delete = reverse("programs:resource_delete", args=[program.slug, resource.pk])
    assert client.post(delete).status_code == 404
    assert list(Resource.objects.values_list("title", flat=True)) == ["Talk about a setback"]


@pytest.mark.parametrize("persona", ["outsider", "employee", "coordinator", "sponsor"])
def test_only_hr_admins_manage_the_global_playbook(client, request, persona, global_resource):
    client.force_login(request.getfixturevalue(persona))
    for url in global_urls(global_resource):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("programs:global_resource_create"), resource_form()).status_code == 403
    assert (
        client.post(reverse("programs:global_resource_delete", args=[global_resource.pk])).status_code == 403
    )
    assert client.post(reverse("programs:global_resource_install_defaults")).status_code == 403
    assert Resource.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "employee", "other_coordinator", "sponsor"])
def test_the_playbook_page_is_for_participants_and_managers_only(client, request, persona, program, resource):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("programs:playbook", args=[program.slug])).status_code == 404


@pytest.mark.parametrize(
    "status", [Participant.Status.DECLINED, Participant.Status.WITHDRAWN, Participant.Status.WAITLISTED]
)
def test_people_no_longer_in_the_program_do_not_read_its_playbook(client, program, mentee, resource, status):
    ParticipantFactory(program=program, person=mentee.person, status=status)
    client.force_login(mentee)
    assert client.get(reverse("programs:playbook", args=[program.slug])).status_code == 404


def test_a_participant_of_another_program_does_not_read_this_one(
    client, program, other_program, mentee, resource
):
    ParticipantFactory(program=other_program, person=mentee.person)
    client.force_login(mentee)
    assert client.get(reverse("programs:playbook", args=[program.slug])).status_code == 404
    assert client.get(reverse("programs:playbook", args=[other_program.slug])).status_code == 200


def test_a_resource_of_another_program_is_not_found_through_this_one(
    client, coordinator, program, other_program
):
    foreign = ResourceFactory(program=other_program)
    client.force_login(coordinator)
    assert client.get(reverse("programs:resource_edit", args=[program.slug, foreign.pk])).status_code == 404
    assert (
        client.post(reverse("programs:resource_delete", args=[program.slug, foreign.pk])).status_code == 404
    )
    assert Resource.objects.filter(pk=foreign.pk).exists()


def test_a_global_resource_is_not_edited_as_a_program_one(client, coordinator, program, global_resource):
    client.force_login(coordinator)
    url = reverse("programs:resource_edit", args=[program.slug, global_resource.pk])
    assert client.get(url).status_code == 404


# --- Managing resources -----------------------------------------------------------------------------------


def test_a_coordinator_adds_edits_and_deletes_a_program_resource(client, coordinator, program):
    client.force_login(coordinator)
    list_url = reverse("programs:resource_list", args=[program.slug])
    assert "has no resources of its own yet" in page(client.get(list_url))

    response = client.post(
        reverse("programs:resource_create", args=[program.slug]), resource_form(audience="mentees")
    )

    assert response.status_code == 302 and response.url == list_url
    resource = Resource.objects.get(program=program)
    assert (resource.kind, resource.audience, resource.title) == ("first_meeting", "mentees", resource.title)
    listing = page(client.get(list_url))
    assert "First-meeting questions" in listing and "Questions for the first meeting" in listing

    edit = reverse("programs:resource_edit", args=[program.slug, resource.pk])
    client.post(edit, resource_form(title="First meeting", body="Ask about goals.", order="3"))
    resource.refresh_from_db()
    assert (resource.title, resource.body, resource.order) == ("First meeting", "Ask about goals.", 3)

    response = client.post(reverse("programs:resource_delete", args=[program.slug, resource.pk]))
    assert not Resource.objects.exists()
    assert "“First meeting” was deleted from the playbook." in page(client.get(response.url))


def test_an_hr_admin_manages_the_global_playbook(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("programs:global_resource_create"), resource_form(kind="guide"))
    resource = Resource.objects.get()
    assert resource.program is None and response.url == reverse("programs:global_resource_list")
    assert "Questions for the first meeting" in page(client.get(response.url))
    client.post(reverse("programs:global_resource_edit", args=[resource.pk]), resource_form(title="Renamed"))
    resource.refresh_from_db()
    assert resource.title == "Renamed"
    client.post(reverse("programs:global_resource_delete", args=[resource.pk]))
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "Talk about a SETBACK"}, "title", "already has a resource called “Talk about a SETBACK”"),
        ({"body": "   "}, "body", "This field is required."),
        ({"kind": "poem"}, "kind", "Select a valid choice."),
        ({"audience": "managers"}, "audience", "Select a valid choice."),
        ({"order": "-1"}, "order", "greater than or equal to 0"),
        ({"body": "x" * 20_001}, "body", "at most 20000 characters"),
    ],
)
def test_bad_input_is_refused_with_its_message_and_nothing_is_saved(
    client, hr_admin, program, resource, overrides, field, message
):
    client.force_login(hr_admin)
    response = client.post(
        reverse("programs:resource_create", args=[program.slug]), resource_form(**overrides)
    )
    assert response.status_code == 200
    assert message in page(response) and field in response.context["form"].errors
    assert Resource.objects.count() == 1


def test_the_service_refuses_crafted_values(hr_admin, program):
    with pytest.raises(ResourceError) as error:
        resource_create(
            program=program,
            data={"kind": "poem", "audience": "all", "title": "", "body": "", "order": -2},
            by=hr_admin,
        )
    assert set(error.value.errors) == {"kind", "audience", "title", "body", "order"}
    assert not Resource.objects.exists()


def test_the_same_title_may_be_used_in_another_playbook(hr_admin, program, other_program, resource):
    resource_create(program=other_program, data=resource_form(title=resource.title, order=0), by=hr_admin)
    resource_create(program=None, data=resource_form(title=resource.title, order=0), by=hr_admin)
    assert Resource.objects.filter(title=resource.title).count() == 3


def test_preview_renders_the_markdown_sanitized_without_saving(client, coordinator, program):
    client.force_login(coordinator)
    url = reverse("programs:resource_create", args=[program.slug])
    body = "## Start here\n\n**Be curious** <script>alert(1)</script> [x](javascript:alert(2))"

    response = client.post(url, resource_form(body=body, action="preview"))
    partial = client.post(url, resource_form(body=body, action="preview"), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200 and "<strong>Be curious</strong>" in content
    assert "<script>alert(1)" not in content and "javascript:alert" not in content.split("</textarea>")[1]
    assert 'hx-post="' + url + '"' in content  # the preview follows the typing
    assert partial.content.decode().strip().startswith("<h2>Start here</h2>")
    assert "<html" not in partial.content.decode()
    assert not Resource.objects.exists()


# --- The participants' page -------------------------------------------------------------------------------


@pytest.fixture
def audiences(program):
    for audience in Resource.Audience.values:
        ResourceFactory(
            program=program, audience=audience, title=f"For {audience}", kind=Resource.Kind.PROMPT
        )
        ResourceFactory(
            program=None, audience=audience, title=f"Global for {audience}", kind=Resource.Kind.GUIDE
        )


def titles(content: str) -> set[str]:
    return {
        t for a in Resource.Audience.values for t in (f"For {a}", f"Global for {a}") if f">{t}" in content
    }


def test_a_mentee_reads_what_is_meant_for_everyone_and_for_mentees(
    client, applied_mentee, program, audiences
):
    client.force_login(applied_mentee)
    content = page(client.get(reverse("programs:playbook", args=[program.slug])))
    assert titles(content) == {"For everyone", "For mentees", "Global for everyone", "Global for mentees"}
    assert "for you as a mentee" in content and "Mentors and mentees</span>" not in content


def test_a_mentor_reads_what_is_meant_for_everyone_and_for_mentors(
    client, approved_mentor, program, audiences
):
    client.force_login(approved_mentor)
    content = page(client.get(reverse("programs:playbook", args=[program.slug])))
    assert titles(content) == {"For everyone", "For mentors", "Global for everyone", "Global for mentors"}


def test_someone_who_is_mentor_and_mentee_reads_both(client, mentee, program, audiences):
    for role in Participant.Role.values:
        ParticipantFactory(program=program, person=mentee.person, role=role)
    client.force_login(mentee)
    content = page(client.get(reverse("programs:playbook", args=[program.slug])))
    assert len(titles(content)) == 6 and "as a mentor and mentee" in content


@pytest.mark.parametrize("persona", ["hr_admin", "coordinator"])
def test_managers_read_everything_with_audience_badges(client, request, persona, program, audiences):
    client.force_login(request.getfixturevalue(persona))
    content = page(client.get(reverse("programs:playbook", args=[program.slug])))
    assert len(titles(content)) == 6
    assert (
        "Mentors and mentees</span>" in content and "Mentees</span>" in content and "Global</span>" in content
    )


def test_resources_are_grouped_by_kind_under_headings_with_the_programs_own_first(
    client, applied_mentee, program, audiences
):
    ResourceFactory(program=None, title="A global prompt", kind=Resource.Kind.PROMPT, order=0)
    client.force_login(applied_mentee)
    content = page(client.get(reverse("programs:playbook", args=[program.slug])))
    assert content.index('<h2 class="h4" id="kind-guide">Guides</h2>') < content.index(
        '<h2 class="h4" id="kind-prompt">Conversation prompts</h2>'
    )
    assert content.index("For everyone") < content.index("A global prompt")


def test_markdown_is_rendered_and_sanitized_on_the_participants_page(client, applied_mentee, program):
    ResourceFactory(
        program=program,
        title="Tricky",
        body=(
            "**Bold move**\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n"
            '<img src=x onerror="alert(2)">\n\n[safe](https://example.com)'
        ),
    )
    client.force_login(applied_mentee)
    content = client.get(reverse("programs:playbook", args=[program.slug])).content.decode()
    assert "<strong>Bold move</strong>" in content
    assert "<script>alert" not in content and "javascript:" not in content
    assert "onerror" not in content and "<img" not in content
    assert '<a href="https://example.com"' in content


def test_an_empty_playbook_says_so(client, applied_mentee, program):
    client.force_login(applied_mentee)
    content = page(client.get(reverse("programs:playbook", args=[program.slug])))
    assert "There is nothing in this playbook yet." in content


# --- Query counts -----------------------------------------------------------------------------------------


def test_the_playbook_pages_run_a_bounded_number_of_queries(
    client, hr_admin, program, applied_mentee, django_assert_max_num_queries
):
    for n in range(20):
        ResourceFactory(program=program, title=f"Program resource {n}", kind=Resource.Kind.values[n % 4])
        ResourceFactory(program=None, title=f"Global resource {n}", kind=Resource.Kind.values[n % 4])
    client.force_login(hr_admin)
    for url in (
        reverse("programs:resource_list", args=[program.slug]),
        reverse("programs:global_resource_list"),
        reverse("programs:playbook", args=[program.slug]),
    ):
        client.get(url)
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    reader = make_persona("reader@example.com", department=applied_mentee.person.department)
    ParticipantFactory(program=program, person=reader.person)
    client.force_login(reader)
    client.get(reverse("programs:playbook", args=[program.slug]))
    with django_assert_max_num_queries(10):
        assert "Global resource 19" in page(client.get(reverse("programs:playbook", args=[program.slug])))
