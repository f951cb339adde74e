"""Shared helpers of the enrollment tests (plain functions; each test module declares its own fixtures)."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from programs.factories import QuestionFactory
from programs.models import Program, Question

# Inside the enrollment window of ProgramFactory (1 November to 15 December 2026).
DURING_ENROLLMENT = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
AFTER_ENROLLMENT = datetime.datetime(2026, 12, 16, 9, 0, tzinfo=datetime.UTC)


def add_questionnaire(program: Program) -> None:
    """One question of each kind besides the factory's multiple choice; the free-text one is optional."""
    QuestionFactory(
        program=program,
        kind=Question.Kind.SINGLE,
        mentor_text="Where do you work from?",
        mentee_text="Where do you work from?",
        choices=["Office", "Remote", "Hybrid"],
        match_rule=Question.MatchRule.SAME,
    )
    QuestionFactory(
        program=program,
        kind=Question.Kind.SCALE,
        mentor_text="How much experience do you have leading people?",
        mentee_text="How confident are you leading people?",
        choices=[],
        match_rule=Question.MatchRule.MENTOR_HIGHER,
    )
    QuestionFactory(
        program=program,
        kind=Question.Kind.NUMBER,
        mentor_text="How many hours a month can you give?",
        mentee_text="How many hours a month can you give?",
        choices=[],
        match_rule=Question.MatchRule.NONE,
    )
    QuestionFactory(
        program=program,
        kind=Question.Kind.TEXT,
        mentor_text="Anything else we should know?",
        mentee_text="Anything else we should know?",
        choices=[],
        required=False,
        match_rule=Question.MatchRule.NONE,
    )


def good_answers(program: Program) -> dict[str, object]:
    """A POST body answering every current question of ``program`` correctly."""
    data: dict[str, object] = {}
    for question in program.questions.filter(archived_at__isnull=True):
        name = f"q_{question.pk}"
        if question.kind == Question.Kind.SINGLE:
            data[name] = question.choices[0]
        elif question.kind == Question.Kind.MULTI:
            data[name] = question.choices[:2]
        elif question.kind == Question.Kind.SCALE:
            data[name] = "3"
        elif question.kind == Question.Kind.NUMBER:
            data[name] = "4"
        else:
            data[name] = "I like to learn by doing."
    return data


def apply(client: Client, program: Program, role: str = "mentee", **extra):
    """POST an application with good answers, overridden or extended by ``extra``."""
    data = good_answers(program)
    if role == "mentor":
        data |= {"capacity": str(program.default_mentor_capacity), "commitment": "on"}
    data |= extra
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(reverse("programs:program_apply", args=[program.slug, role]), data)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def service_answers(program: Program) -> dict[int, object]:
    """The same good answers as the service takes them: question id → value."""
    answers: dict[int, object] = {}
    for name, value in good_answers(program).items():
        pk = int(name.removeprefix("q_"))
        answers[pk] = int(value) if isinstance(value, str) and value.isdigit() else value
    return answers


def show_program_panels(monkeypatch) -> None:
    """Put the programs panels on the home page, whether or not the project lists them yet."""
    from mentoring import home

    if "programs.home.home_panels" not in home.PANEL_PROVIDERS:
        monkeypatch.setattr(home, "PANEL_PROVIDERS", [*home.PANEL_PROVIDERS, "programs.home.home_panels"])
