"""Once people answered a question, no change to it loses their answers silently."""

from html import unescape

import pytest
from django.urls import reverse

from programs.factories import AnswerFactory, ParticipantFactory
from programs.forms.answers import QuestionnaireForm
from programs.forms.questionnaire import mapping_field_name
from programs.models import Answer, Question, QuestionRevision
from programs.services.questionnaire import QuestionError, question_delete, question_update

pytestmark = pytest.mark.django_db

CHOICES = ["Leadership", "Communication", "Technical depth", "Career planning"]


def page(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def question(program) -> Question:
    return program.questions.get()


@pytest.fixture
def answers(program, question) -> list[Answer]:
    """Three people answered the multiple choice question; two chose Leadership."""
    values = [["Leadership"], ["Leadership", "Communication"], ["Technical depth"]]
    return [
        AnswerFactory(participant=ParticipantFactory(program=program), question=question, value=value)
        for value in values
    ]


def edit_form(question: Question, **overrides) -> dict[str, str]:
    data = {
        "mentor_text": question.mentor_text,
        "mentee_text": question.mentee_text,
        "help_text": question.help_text,
        "kind": question.kind,
        "choices": "\n".join(question.choices),
        "required": "on" if question.required else None,
        "match_rule": question.match_rule,
        "weight": str(question.weight),
        "hard": "on" if question.hard else None,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def values(answers: list[Answer]) -> list:
    return [Answer.objects.get(pk=a.pk).value for a in answers]


# --- Deleting ---------------------------------------------------------------------------------------------


def test_deleting_a_question_with_answers_archives_it_and_keeps_every_answer(
    client, coordinator, program, question, answers
):
    client.force_login(coordinator)
    edit = page(client.get(reverse("programs:question_edit", args=[program.slug, question.pk])))
    assert "3 people have answered it, so it will be archived" in edit and "Archive the question" in edit

    response = client.post(reverse("programs:question_delete", args=[program.slug, question.pk]))

    question.refresh_from_db()
    assert question.archived_at is not None
    assert values(answers) == [["Leadership"], ["Leadership", "Communication"], ["Technical depth"]]
    revision = QuestionRevision.objects.get(question=question)
    assert (revision.action, revision.details, revision.by) == (
        "archived",
        {"answers": 3},
        coordinator.person.user,
    )
    listing = page(client.get(response.url))
    assert "3 people answered this question; it was archived, and their answers are kept." in listing
    assert "Archived questions" in listing and "Answers kept" in listing
    assert QuestionnaireForm(questions=list(program.questions.all()), role="mentee").fields == {}


def test_deleting_a_question_nobody_answered_deletes_it(client, hr_admin, program, question):
    client.force_login(hr_admin)
    response = client.post(reverse("programs:question_delete", args=[program.slug, question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()
    assert "The question was deleted. Nobody had answered it." in page(client.get(response.url))


def test_an_archived_question_is_not_archived_twice(hr_admin, question, answers):
    question_delete(question=question, by=hr_admin)
    with pytest.raises(QuestionError, match="already archived"):
        question_delete(question=question, by=hr_admin)
    assert QuestionRevision.objects.filter(question=question).count() == 1


def test_deleting_needs_a_post(client, hr_admin, program, question):
    client.force_login(hr_admin)
    response = client.get(reverse("programs:question_delete", args=[program.slug, question.pk]))
    assert response.status_code == 405
    assert Question.objects.filter(pk=question.pk).exists()


# --- Changing the kind ------------------------------------------------------------------------------------


def test_changing_the_kind_of_an_answered_question_is_refused_with_an_explanation(
    client, hr_admin, program, question, answers
):
    client.force_login(hr_admin)
    response = client.post(
        reverse("programs:question_edit", args=[program.slug, question.pk]),
        edit_form(question, kind="single", match_rule="same"),
    )

    assert response.status_code == 200
    content = page(response)
    assert "3 people have answered this question as multiple choice, so its kind cannot change." in content
    assert "Delete it (it will be archived with its answers) and add a new question instead." in content
    question.refresh_from_db()
    assert (question.kind, question.match_rule) == ("multi", "overlap")
    assert not QuestionRevision.objects.exists()


def test_the_kind_of_a_question_nobody_answered_may_change(hr_admin, question):
    question_update(
        question=question, data={"kind": "scale", "choices": [], "match_rule": "same"}, by=hr_admin
    )
    question.refresh_from_db()
    assert (question.kind, question.choices) == ("scale", [])


# --- Removing and renaming choices ------------------------------------------------------------------------


def test_removing_a_used_choice_without_a_mapping_is_refused_and_asks_for_one(
    client, hr_admin, program, question, answers
):
    client.force_login(hr_admin)
    remaining = "Communication\nTechnical depth\nCareer planning"

    response = client.post(
        reverse("programs:question_edit", args=[program.slug, question.pk]),
        edit_form(question, choices=remaining),
    )

    assert response.status_code == 200
    content = page(response)
    assert "Map the existing answers of 'Leadership' (2 answers) to" in content
    assert "Choose which new choice the 2 answers of 'Leadership' become, or keep 'Leadership'." in content
    question.refresh_from_db()
    assert question.choices == CHOICES
    assert values(answers) == [["Leadership"], ["Leadership", "Communication"], ["Technical depth"]]
    assert not QuestionRevision.objects.exists()


def test_the_service_refuses_an_unmapped_used_choice_naming_it_and_its_answers(hr_admin, question, answers):
    with pytest.raises(QuestionError) as error:
        question_update(
            question=question, data={"choices": ["Communication", "Career planning"]}, by=hr_admin
        )
    assert "2 answers use 'Leadership'" in str(error.value)
    assert "1 answer uses 'Technical depth'" in str(error.value)
    question.refresh_from_db()
    assert question.choices == CHOICES


def test_with_a_mapping_the_answers_are_rewritten_and_the_mapping_recorded(
    client, coordinator, program, question, answers
):
    client.force_login(coordinator)
    remaining = "Communication\nTechnical depth\nCareer planning"
    url = reverse("programs:question_edit", args=[program.slug, question.pk])

    response = client.post(
        url, edit_form(question, choices=remaining, **{mapping_field_name("Leadership"): "Communication"})
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.choices == ["Communication", "Technical depth", "Career planning"]
    # Someone who chose both now holds Communication once.
    assert values(answers) == [["Communication"], ["Communication"], ["Technical depth"]]
    mapped = QuestionRevision.objects.get(question=question, action="choices_mapped")
    assert mapped.details == {"mapping": {"Leadership": "Communication"}, "counts": {"Leadership": 2}}
    assert mapped.by == coordinator
    updated = QuestionRevision.objects.get(question=question, action="updated")
    assert updated.details["answers"] == 3 and updated.details["changes"]["choices"] == [
        CHOICES,
        question.choices,
    ]
    listing = page(client.get(response.url))
    assert "Answers of 'Leadership' now read 'Communication'." in listing
    history = page(client.get(url))
    assert "“Leadership” → “Communication”" in history and "2 of “Leadership”" in history


def test_renaming_a_used_choice_maps_its_answers_to_the_new_name(hr_admin, program, question, answers):
    renamed = ["Leading people", "Communication", "Technical depth", "Career planning"]
    question_update(
        question=question,
        data={"choices": renamed, "choice_mapping": {"Leadership": "Leading people"}},
        by=hr_admin,
    )
    question.refresh_from_db()
    assert question.choices == renamed
    assert values(answers) == [["Leading people"], ["Leading people", "Communication"], ["Technical depth"]]


def test_a_single_choice_answer_is_mapped_too(hr_admin, program):
    single = Question.objects.create(
        program=program,
        mentor_text="Format?",
        mentee_text="Format?",
        kind="single",
        choices=["Online", "On site"],
    )
    answer = AnswerFactory(participant=ParticipantFactory(program=program), question=single, value="On site")
    question_update(
        question=single,
        data={"choices": ["Online", "In person"], "choice_mapping": {"On site": "In person"}},
        by=hr_admin,
    )
    answer.refresh_from_db()
    assert answer.value == "In person"


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"Leadership": "Leading"}, "can only be mapped to one of the new choices"),
        (
            {"Leadership": "Communication", "Communication": "Technical depth"},
            "is not a choice this change removes",
        ),
    ],
)
def test_a_crafted_mapping_is_refused_and_changes_nothing(hr_admin, question, answers, mapping, message):
    with pytest.raises(QuestionError, match=message):
        question_update(
            question=question,
            data={"choices": ["Communication", "Technical depth"], "choice_mapping": mapping},
            by=hr_admin,
        )
    assert values(answers) == [["Leadership"], ["Leadership", "Communication"], ["Technical depth"]]
    assert not QuestionRevision.objects.exists()


def test_a_crafted_mapping_select_value_is_refused_by_the_form(client, hr_admin, program, question, answers):
    client.force_login(hr_admin)
    response = client.post(
        reverse("programs:question_edit", args=[program.slug, question.pk]),
        edit_form(
            question,
            choices="Communication\nTechnical depth",
            **{mapping_field_name("Leadership"): "Leadership"},
        ),
    )
    assert response.status_code == 200
    assert "Choose one of the new choices for the 2 answers of 'Leadership'." in page(response)
    assert values(answers)[0] == ["Leadership"]


def test_removing_a_choice_nobody_chose_needs_no_mapping(hr_admin, question, answers):
    question_update(question=question, data={"choices": CHOICES[:3]}, by=hr_admin)
    question.refresh_from_db()
    assert question.choices == CHOICES[:3]
    assert not QuestionRevision.objects.filter(action="choices_mapped").exists()


# --- Harmless changes are recorded ------------------------------------------------------------------------


def test_rewording_adding_a_choice_and_reweighting_an_answered_question_are_recorded(
    client, hr_admin, program, question, answers
):
    client.force_login(hr_admin)
    response = client.post(
        reverse("programs:question_edit", args=[program.slug, question.pk]),
        edit_form(
            question,
            mentee_text="Which skills would you like to grow?",
            choices="\n".join([*CHOICES, "Negotiation"]),
            weight="3",
            required=None,
        ),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.mentee_text == "Which skills would you like to grow?"
    assert question.choices == [*CHOICES, "Negotiation"] and question.weight == 3 and not question.required
    revision = QuestionRevision.objects.get(question=question)
    assert revision.action == "updated" and revision.by == hr_admin
    assert set(revision.details["changes"]) == {"mentee_text", "choices", "weight", "required"}
    assert revision.details["changes"]["weight"] == [8, 3]
    assert len(Answer.objects.filter(question=question)) == 3


def test_the_mapping_selects_appear_as_the_choices_are_edited_without_saving(
    client, hr_admin, program, question, answers
):
    client.force_login(hr_admin)
    url = reverse("programs:question_edit", args=[program.slug, question.pk])
    assert 'hx-target="#choice-mapping"' in page(client.get(url))
    typed = edit_form(question, choices="Communication\nLeading people", action="mapping")
    typed[mapping_field_name("Leadership")] = "Leading people"

    response = client.post(url, typed, headers={"HX-Request": "true"})

    content = page(response)
    assert content.strip().startswith('<div id="choice-mapping"')
    assert "<html" not in content and "This field is required" not in content
    assert "Map the existing answers of 'Leadership' (2 answers) to" in content
    assert "Map the existing answers of 'Technical depth' (1 answer) to" in content
    assert '<option value="Leading people" selected>' in content
    question.refresh_from_db()
    assert question.choices == CHOICES and not QuestionRevision.objects.exists()
