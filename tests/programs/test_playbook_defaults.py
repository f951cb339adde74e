"""The default global resources: installed once by title, from the command or the global playbook page."""

from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.markdown import render_markdown
from programs.factories import ResourceFactory
from programs.models import Resource
from programs.services.playbook import DEFAULT_RESOURCES, resources_install_defaults

pytestmark = pytest.mark.django_db

FIRST_MEETING_QUESTIONS = [
    "Why did you decide to be a mentor?",
    "What are your goals for this relationship?",
    "How did you move into your current role?",
    "What challenges did you face there?",
    "What skills would be most useful for me to work on?",
]


def test_the_defaults_cover_every_kind_and_the_first_meeting_questions_of_the_issue():
    created = resources_install_defaults()

    assert {r.kind for r in created} == set(Resource.Kind.values)
    assert all(r.program is None for r in Resource.objects.all())
    first_meeting = " ".join(r.body for r in created if r.kind == Resource.Kind.FIRST_MEETING)
    for question in FIRST_MEETING_QUESTIONS:
        assert question in first_meeting
    guides = {(r.title, r.audience) for r in created if r.kind == Resource.Kind.GUIDE}
    assert {audience for _, audience in guides} == {"mentors", "mentees"}
    assert sum(r.kind == Resource.Kind.PROMPT for r in created) >= 3
    assert sum(r.kind == Resource.Kind.GOAL_TEMPLATE for r in created) >= 2


def test_every_default_renders_as_markdown():
    for default in DEFAULT_RESOURCES:
        html = render_markdown(default["body"])
        assert html.startswith("<") and ("<li>" in html or "<p>" in html), default["title"]


def test_installing_twice_changes_nothing_and_keeps_edited_defaults():
    resources_install_defaults()
    edited = Resource.objects.get(title="A short guide for mentors")
    edited.body = "Our own guide."
    edited.save()
    Resource.objects.get(title="Map the network").delete()

    again = resources_install_defaults()

    assert [r.title for r in again] == ["Map the network"]
    assert Resource.objects.count() == len(DEFAULT_RESOURCES)
    assert Resource.objects.get(title="A short guide for mentors").body == "Our own guide."
    assert resources_install_defaults() == []


def test_a_program_resource_with_a_default_title_does_not_stop_the_global_default(program):
    ResourceFactory(program=program, title="A SMART goal")
    resources_install_defaults()
    assert Resource.objects.filter(title="A SMART goal", program=None).count() == 1


def test_the_command_installs_the_defaults_and_says_what_it_did():
    out = StringIO()
    call_command("install_playbook_defaults", stdout=out)
    assert f"{len(DEFAULT_RESOURCES)} default resources added" in out.getvalue()
    assert "Guide: A short guide for mentors" in out.getvalue()

    out = StringIO()
    call_command("install_playbook_defaults", stdout=out)
    assert "nothing to add" in out.getvalue()
    assert Resource.objects.count() == len(DEFAULT_RESOURCES)


def test_an_empty_global_playbook_offers_the_defaults_to_an_hr_admin(client, hr_admin):
    client.force_login(hr_admin)
    url = reverse("programs:global_resource_list")
    content = unescape(client.get(url).content.decode())
    assert "The global playbook is empty." in content and "Install the default resources" in content

    response = client.post(reverse("programs:global_resource_install_defaults"))

    assert response.url == url and Resource.objects.count() == len(DEFAULT_RESOURCES)
    content = unescape(client.get(url).content.decode())
    assert f"{len(DEFAULT_RESOURCES)} default resources were added" in content
    assert "Install the default resources" not in content and "A short guide for mentees" in content

    response = client.post(reverse("programs:global_resource_install_defaults"))
    assert "already in the global playbook" in unescape(client.get(response.url).content.decode())
    assert Resource.objects.count() == len(DEFAULT_RESOURCES)


def test_installing_the_defaults_needs_a_post(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get(reverse("programs:global_resource_install_defaults")).status_code == 405
    assert not Resource.objects.exists()
