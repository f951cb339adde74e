"""The program's session topics, the list pairs choose from when they log a session: set one per line in the
"rhythm" section of the program's settings, 1 to 40 topics of at most 80 characters, each once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import Program
from programs.services.config import SectionInvalid, program_update_section

pytestmark = pytest.mark.django_db


def section_url(program: Program) -> str:
    return reverse("programs:program_settings_section", args=[program.slug, "rhythm"])


def rhythm(topics: str) -> dict[str, str]:
    return {"meeting_cadence_days": "14", "checkin_cadence_months": "3", "session_topics": topics}


def test_the_settings_page_shows_the_topics_one_per_line(client, hr_admin, program):
    client.force_login(hr_admin)
    page = client.get(reverse("programs:program_settings", args=[program.slug])).content.decode()
    assert "Session topics" in page
    assert "Goals and progress\nCareer planning\nLeadership" in page


def test_a_coordinator_sets_the_topics_one_per_line(client, coordinator, program):
    client.force_login(coordinator)
    response = client.post(
        section_url(program), rhythm("  Rounds  \n\nResearch   papers\r\nTeaching\n"), HTTP_HX_REQUEST="true"
    )
    assert "Rhythm saved." in response.content.decode()
    program.refresh_from_db()
    assert program.session_topics == ["Rounds", "Research papers", "Teaching"]


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        ("", "Give at least one session topic."),
        ("\n".join(f"Topic {n}" for n in range(41)), "Give between 1 and 40 session topics; there are 41."),
        ("Rounds\n" + "x" * 81, "Keep each session topic to at most 80 characters; 1 is longer."),
        ("Rounds\nResearch\nrounds", "Give each session topic once: rounds appears twice."),
    ],
)
def test_bad_topics_are_refused_and_nothing_is_saved(client, coordinator, program, topics, message):
    before = list(program.session_topics)
    client.force_login(coordinator)
    response = client.post(section_url(program), rhythm(topics), HTTP_HX_REQUEST="true")
    assert message in response.content.decode()
    program.refresh_from_db()
    assert program.session_topics == before


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        ("Rounds", "Session topics must be a list of topics, one per line."),
        (["Rounds", 7], "Session topics must be a list of topics, one per line."),
        (["Rounds", "  "], "A session topic cannot be empty."),
        ([], "Give between 1 and 40 session topics; there are 0."),
    ],
)
def test_the_service_checks_the_topics_itself(coordinator, program, topics, message):
    before = list(program.session_topics)
    with pytest.raises(SectionInvalid) as error:
        program_update_section(
            program=program, section="rhythm", data={"session_topics": topics}, by=coordinator
        )
    assert message in str(error.value)
    program.refresh_from_db()
    assert program.session_topics == before


def test_the_topics_are_fixed_once_the_program_is_closed(coordinator, program):
    Program.objects.filter(pk=program.pk).update(status=Program.Status.CLOSED)
    program.refresh_from_db()
    with pytest.raises(SectionInvalid, match=r"Fixed once the program is closed\."):
        program_update_section(
            program=program, section="rhythm", data={"session_topics": ["Rounds"]}, by=coordinator
        )
