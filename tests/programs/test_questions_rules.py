"""The questionnaire's rules, checked by the services as strictly as by the form, and by program status."""

from html import unescape

import pytest
from django.urls import reverse

from programs.factories import QuestionFactory
from programs.models import Program, Question
from programs.services.questionnaire import (
    QuestionError,
    question_create,
    question_delete,
    question_update,
    questions_reorder,
)

pytestmark = pytest.mark.django_db


def valid(**overrides) -> dict:
    data = {
        "mentor_text": "Which format suits you?",
        "mentee_text": "Which format suits you?",
        "help_text": "",
        "kind": "single",
        "choices": ["Online", "In person"],
        "required": True,
        "match_rule": "same",
        "weight": 5,
        "hard": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def question(program) -> Question:
    return program.questions.get()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"mentor_text": "  "}, "mentor_text", "Write the question as mentors will read it."),
        ({"mentee_text": None}, "mentee_text", "Write the question as mentees will read it."),
        ({"weight": 11}, "weight", "The weight is a whole number from 0 to 10."),
        ({"weight": "5"}, "weight", "The weight is a whole number from 0 to 10."),
        ({"weight": True}, "weight", "The weight is a whole number from 0 to 10."),
        ({"required": "yes"}, "required", "is either on or off"),
        ({"kind": "essay"}, "kind", "Choose the kind of question"),
        ({"choices": ["Online"]}, "choices", "at least two different choices"),
        ({"choices": ["Online", "online"]}, "choices", "'online' is listed twice"),
        ({"choices": ["Online", ""]}, "choices", "A choice cannot be empty."),
        ({"choices": "Online"}, "choices", "at least two different choices"),
        ({"choices": [1, 2]}, "choices", "Choices are lines of text."),
        ({"kind": "number", "choices": ["1", "2"], "match_rule": "same"}, "choices", "has no choices"),
        ({"kind": "text", "choices": [], "match_rule": "different"}, "match_rule", "Free-text answers"),
        ({"match_rule": "mentor_higher"}, "match_rule", "needs a scale or number question"),
        ({"match_rule": "closest"}, "match_rule", "Choose how the question is used for matching."),
        ({"match_rule": "none", "hard": True}, "hard", "Only a matching rule can be made to hold"),
    ],
)
def test_the_service_refuses_a_crafted_question_and_saves_nothing(
    hr_admin, program, overrides, field, message
):
    before = program.questions.count()
    with pytest.raises(QuestionError) as error:
        question_create(program=program, data=valid(**overrides), by=hr_admin)
    assert any(message in m for m in error.value.errors[field])
    assert program.questions.count() == before


@pytest.mark.parametrize(
    ("kind", "choices", "rules"),
    [
        ("single", ["A", "B"], ["none", "same", "different", "overlap"]),
        ("multi", ["A", "B"], ["none", "overlap"]),
        ("scale", [], ["none", "same", "different", "mentor_higher"]),
        ("number", [], ["none", "same", "different", "mentor_higher"]),
        ("text", [], ["none"]),
    ],
)
def test_each_kind_accepts_exactly_its_matching_rules(hr_admin, program, kind, choices, rules):
    for rule in Question.MatchRule.values:
        data = valid(kind=kind, choices=choices, match_rule=rule, hard=rule != "none")
        if rule in rules:
            assert question_create(program=program, data=data, by=hr_admin).match_rule == rule
        else:
            with pytest.raises(QuestionError):
                question_create(program=program, data=data, by=hr_admin)


def test_a_question_of_another_program_cannot_be_changed_through_this_one(hr_admin, program, other_program):
    from programs.services.questionnaire import question_problems

    foreign = QuestionFactory(program=other_program)
    problems = question_problems(program=program, data={"mentor_text": "x"}, question=foreign)
    assert problems == {"": ["This question belongs to another program."]}


# --- Program status ---------------------------------------------------------------------------------------


@pytest.fixture(params=[Program.Status.MATCHING, Program.Status.RUNNING, Program.Status.CLOSED])
def started(request, program) -> Program:
    program.status = request.param
    program.save(update_fields=["status"])
    return program


def test_questions_change_freely_while_enrolling(hr_admin, enrolling_program, question):
    question_update(question=question, data={"weight": 2}, by=hr_admin)
    added = question_create(program=enrolling_program, data=valid(), by=hr_admin)
    questions_reorder(program=enrolling_program, ordered_ids=[added.pk, question.pk], by=hr_admin)
    assert list(enrolling_program.questions.values_list("pk", flat=True)) == [added.pk, question.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "single", "choices": ["A", "B"]},
        {"choices": ["A", "B"]},
        {"match_rule": "none"},
        {"weight": 1},
    ],
)
def test_structural_changes_are_refused_once_matching_started(hr_admin, started, question, change):
    with pytest.raises(QuestionError, match="only the wording and help text of a question can change now"):
        question_update(question=question, data=change, by=hr_admin)
    question.refresh_from_db()
    assert (question.kind, question.weight, question.match_rule) == ("multi", 8, "overlap")


def test_adding_deleting_and_reordering_are_refused_once_matching_started(hr_admin, started, question):
    with pytest.raises(QuestionError, match="questions can no longer be added"):
        question_create(program=started, data=valid(), by=hr_admin)
    with pytest.raises(QuestionError, match="can no longer be removed"):
        question_delete(question=question, by=hr_admin)
    with pytest.raises(QuestionError, match="order of its questions is fixed"):
        questions_reorder(program=started, ordered_ids=[question.pk], by=hr_admin)
    assert list(started.questions.all()) == [question]


def test_wording_may_still_be_fixed_once_the_program_runs(hr_admin, started, question):
    question_update(
        question=question, data={"mentee_text": "Which skills would you like to grow?"}, by=hr_admin
    )
    question.refresh_from_db()
    assert question.mentee_text == "Which skills would you like to grow?"


def test_whether_mentees_see_mentors_answers_may_change_once_the_program_runs(hr_admin, started, question):
    question_update(question=question, data={"shown_to_mentees": True}, by=hr_admin)
    question.refresh_from_db()
    assert question.shown_to_mentees is True
    with pytest.raises(QuestionError, match="is either on or off"):
        question_update(question=question, data={"shown_to_mentees": "yes"}, by=hr_admin)


def test_the_add_page_of_a_running_program_explains_why_nothing_can_be_added(client, coordinator, started):
    client.force_login(coordinator)
    url = reverse("programs:question_create", args=[started.slug])

    response = client.post(
        url, {"mentor_text": "x", "mentee_text": "y", "kind": "text", "match_rule": "none", "weight": "0"}
    )

    assert response.status_code == 302
    assert "questions can no longer be added" in unescape(client.get(response.url).content.decode())
    assert started.questions.count() == 1
    listing = unescape(client.get(reverse("programs:question_list", args=[started.slug])).content.decode())
    assert "Add a question" not in listing and "move-up" not in listing
    assert "Their wording and help text can still be fixed." in listing


def test_the_edit_page_of_a_running_program_changes_the_wording_and_ignores_a_crafted_weight(
    client, hr_admin, started, question
):
    client.force_login(hr_admin)
    url = reverse("programs:question_edit", args=[started.slug, question.pk])
    content = unescape(client.get(url).content.decode())
    assert "only the wording and help text can change now" in content
    assert 'name="weight" value="8"' in content and "disabled" in content
    assert "Remove this question" not in content

    response = client.post(
        url,
        {
            "mentor_text": "Which skills can you share?",
            "mentee_text": question.mentee_text,
            "kind": "single",
            "choices": "A\nB",
            "match_rule": "same",
            "weight": "1",
        },
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.mentor_text == "Which skills can you share?"
    assert (question.kind, question.weight, question.match_rule, question.choices[0]) == (
        "multi",
        8,
        "overlap",
        "Leadership",
    )


def test_deleting_through_the_page_of_a_running_program_is_refused_with_a_message(
    client, hr_admin, started, question
):
    client.force_login(hr_admin)
    response = client.post(reverse("programs:question_delete", args=[started.slug, question.pk]))
    assert "its questions can no longer be removed" in unescape(client.get(response.url).content.decode())
    question.refresh_from_db()
    assert question.archived_at is None
