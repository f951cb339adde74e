"""The questionnaire builder pages: list, add, edit, reorder, preview, and who may use them."""

from html import unescape

import pytest
from django.urls import reverse

from programs.factories import AnswerFactory, ParticipantFactory, QuestionFactory
from programs.models import Program, Question

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return unescape(response.content.decode())


def question_form(**overrides) -> dict[str, str]:
    data = {
        "mentor_text": "How many people have you managed?",
        "mentee_text": "How many people do you manage?",
        "help_text": "Count direct reports only.",
        "kind": "number",
        "choices": "",
        "required": "on",
        "match_rule": "mentor_higher",
        "weight": "4",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def question(program) -> Question:
    return program.questions.get()


def urls(program, question) -> list[str]:
    slug = program.slug
    return [
        reverse("programs:question_list", args=[slug]),
        reverse("programs:question_create", args=[slug]),
        reverse("programs:question_edit", args=[slug, question.pk]),
        reverse("programs:question_preview", args=[slug]) + "?role=mentor",
    ]


# --- Access -----------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, program, question):
    for url in urls(program, question):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    response = client.post(reverse("programs:question_delete", args=[program.slug, question.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["outsider", "employee", "mentee", "other_coordinator", "sponsor"])
def test_only_hr_admins_and_the_programs_coordinators_see_the_builder(
    client, request, persona, program, question, other_program
):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(program, question):
        assert client.get(url).status_code == 404, url
    slug = program.slug
    posts = [
        (reverse("programs:question_create", args=[slug]), question_form()),
        (reverse("programs:question_edit", args=[slug, question.pk]), question_form()),
        (reverse("programs:question_delete", args=[slug, question.pk]), {}),
        (reverse("programs:question_reorder", args=[slug]), {"ids": [question.pk]}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert Question.objects.filter(pk=question.pk, archived_at__isnull=True).count() == 1
    assert program.questions.count() == 1


@pytest.mark.parametrize("persona", ["hr_admin", "coordinator"])
def test_hr_admins_and_coordinators_use_the_builder(client, request, persona, program, question):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(program, question):
        assert client.get(url).status_code == 200, url


def test_a_question_of_another_program_is_not_found_through_this_one(
    client, coordinator, program, other_program
):
    foreign = QuestionFactory(program=other_program)
    client.force_login(coordinator)
    assert client.get(reverse("programs:question_edit", args=[program.slug, foreign.pk])).status_code == 404
    response = client.post(reverse("programs:question_delete", args=[program.slug, foreign.pk]))
    assert response.status_code == 404
    assert Question.objects.filter(pk=foreign.pk).exists()


# --- It works ---------------------------------------------------------------------------------------------


def test_the_list_shows_each_question_with_its_rule_weight_and_answer_count(
    client, coordinator, program, question
):
    for _ in range(3):
        AnswerFactory(participant=ParticipantFactory(program=program), question=question)
    question.hard = True
    question.save()
    client.force_login(coordinator)

    content = page(client.get(reverse("programs:question_list", args=[program.slug])))

    assert "Which skills do you want to develop?" in content
    assert "Mentors: Which skills can you help with?" in content
    assert "Multiple choice" in content and "Overlap of chosen options" in content
    assert '<td class="text-end">8</td>' in content  # weight
    assert '<td class="text-end">3</td>' in content  # answers


def test_the_list_summarises_the_built_in_hr_criteria_with_a_link_to_the_settings(client, hr_admin, program):
    program.weight_different_division = 0
    program.weight_different_department = 3
    program.save()
    client.force_login(hr_admin)

    content = page(client.get(reverse("programs:question_list", args=[program.slug])))

    assert "Also used for matching: different department (weight 3)" in content
    assert "mentor 1 to 3 levels more senior (weight 5)" in content
    assert "Not used (weight 0):" in content and "different division" in content
    assert "Never in the same reporting line: always a hard rule." in content
    assert reverse("programs:program_settings", args=[program.slug]) in content


def test_reverse_mentoring_reverses_the_seniority_criterion(client, hr_admin, program):
    program.kind = Program.Kind.REVERSE
    program.save()
    client.force_login(hr_admin)
    content = page(client.get(reverse("programs:question_list", args=[program.slug])))
    assert "mentee 1 to 3 levels more senior (reverse mentoring)" in content


def test_a_coordinator_adds_a_question_through_the_form(client, coordinator, program, question):
    client.force_login(coordinator)
    assert "Add a question" in page(client.get(reverse("programs:question_create", args=[program.slug])))

    response = client.post(reverse("programs:question_create", args=[program.slug]), question_form())

    assert response.status_code == 302 and response.url == reverse(
        "programs:question_list", args=[program.slug]
    )
    added = program.questions.get(mentee_text="How many people do you manage?")
    assert (added.kind, added.match_rule, added.weight, added.required, added.hard) == (
        "number",
        "mentor_higher",
        4,
        True,
        False,
    )
    assert added.choices == [] and added.help_text == "Count direct reports only."
    assert added.order > question.order  # added at the end
    assert "Question added" in page(client.get(response.url))


def test_choices_are_read_one_per_line_without_blank_lines(client, hr_admin, program):
    client.force_login(hr_admin)
    client.post(
        reverse("programs:question_create", args=[program.slug]),
        question_form(kind="single", choices="  In person \n\nOnline\r\nEither\n", match_rule="same"),
    )
    assert program.questions.get(kind="single").choices == ["In person", "Online", "Either"]


INVALID = [
    ({"mentor_text": ""}, "mentor_text", "This field is required."),
    ({"mentee_text": ""}, "mentee_text", "This field is required."),
    ({"kind": "essay"}, "kind", "Select a valid choice."),
    (
        {"kind": "single", "choices": "Only one", "match_rule": "same"},
        "choices",
        "at least two different choices",
    ),
    ({"kind": "multi", "choices": "A\na", "match_rule": "overlap"}, "choices", "'a' is listed twice"),
    ({"kind": "multi", "choices": "", "match_rule": "overlap"}, "choices", "at least two different choices"),
    ({"kind": "scale", "choices": "1\n2", "match_rule": "same"}, "choices", "has no choices to pick from"),
    ({"kind": "text", "match_rule": "same"}, "match_rule", "Free-text answers cannot be compared"),
    ({"kind": "multi", "choices": "A\nB", "match_rule": "same"}, "match_rule", "'Same answer' needs"),
    (
        {"kind": "single", "choices": "A\nB", "match_rule": "mentor_higher"},
        "match_rule",
        "needs a scale or number",
    ),
    ({"kind": "number", "match_rule": "overlap"}, "match_rule", "needs a single or multiple choice question"),
    ({"match_rule": "none", "hard": "on"}, "hard", "Only a matching rule can be made to hold"),
    ({"weight": "11"}, "weight", "less than or equal to 10"),
    ({"weight": "-1"}, "weight", "greater than or equal to 0"),
    ({"weight": "heavy"}, "weight", "Enter a whole number."),
    ({"mentor_text": "x" * 301}, "mentor_text", "at most 300 characters"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), INVALID)
def test_an_invalid_question_is_refused_with_its_message_and_nothing_is_saved(
    client, hr_admin, program, overrides, field, message
):
    client.force_login(hr_admin)
    before = list(program.questions.values_list("pk", flat=True))

    response = client.post(
        reverse("programs:question_create", args=[program.slug]), question_form(**overrides)
    )

    assert response.status_code == 200
    assert message in page(response)
    assert field in response.context["form"].errors
    assert list(program.questions.values_list("pk", flat=True)) == before


def test_a_question_is_reworded_and_restructured_before_anyone_answers(
    client, coordinator, program, question
):
    client.force_login(coordinator)
    url = reverse("programs:question_edit", args=[program.slug, question.pk])
    assert "Which skills can you help with?" in page(client.get(url))

    response = client.post(
        url,
        question_form(
            mentor_text="What can you teach?",
            mentee_text="What do you want to learn?",
            kind="single",
            choices="Leadership\nFinance",
            match_rule="same",
            weight="10",
            hard="on",
        ),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.mentor_text, question.kind, question.choices, question.weight, question.hard) == (
        "What can you teach?",
        "single",
        ["Leadership", "Finance"],
        10,
        True,
    )
    assert not question.revisions.exists()  # nobody had answered: nothing to record


def test_an_archived_question_cannot_be_edited(client, hr_admin, program, question):
    AnswerFactory(participant=ParticipantFactory(program=program), question=question)
    client.force_login(hr_admin)
    client.post(reverse("programs:question_delete", args=[program.slug, question.pk]))
    assert client.get(reverse("programs:question_edit", args=[program.slug, question.pk])).status_code == 404


# --- Reordering -------------------------------------------------------------------------------------------


@pytest.fixture
def three_questions(program, question) -> list[Question]:
    second = QuestionFactory(program=program, mentee_text="Second?", order=question.order + 1)
    third = QuestionFactory(program=program, mentee_text="Third?", order=question.order + 2)
    return [question, second, third]


def order_of(program) -> list[int]:
    return list(
        program.questions.filter(archived_at__isnull=True)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )


def test_move_up_puts_a_question_before_the_previous_one(client, coordinator, program, three_questions):
    first, second, third = three_questions
    client.force_login(coordinator)
    content = page(client.get(reverse("programs:question_list", args=[program.slug])))
    assert f'id="move-up-{third.pk}"' in content and f'id="move-up-{first.pk}"' not in content

    response = client.post(
        reverse("programs:question_reorder", args=[program.slug]),
        {"ids": [first.pk, third.pk, second.pk], "moved": third.pk},
    )

    assert response.status_code == 302
    assert order_of(program) == [first.pk, third.pk, second.pk]
    assert "“Third?” is now question 2 of 3." in page(client.get(response.url))


def test_reordering_in_place_answers_with_the_table_and_a_status_message(
    client, hr_admin, program, three_questions
):
    first, second, third = three_questions
    client.force_login(hr_admin)

    response = client.post(
        reverse("programs:question_reorder", args=[program.slug]),
        {"ids": [second.pk, first.pk, third.pk], "moved": second.pk},
        headers={"HX-Request": "true"},
    )

    content = page(response)
    assert content.lstrip().startswith('<div id="question-table">') and "<html" not in content
    assert 'hx-swap-oob="true"' in content and "“Second?” is now question 1 of 3." in content
    assert order_of(program) == [second.pk, first.pk, third.pk]


@pytest.mark.parametrize(
    "crafted",
    [
        pytest.param(lambda qs, foreign: [qs[0].pk, qs[1].pk], id="missing one"),
        pytest.param(lambda qs, foreign: [qs[0].pk, qs[1].pk, qs[2].pk, foreign.pk], id="foreign id added"),
        pytest.param(lambda qs, foreign: [qs[0].pk, qs[1].pk, foreign.pk], id="foreign id instead"),
        pytest.param(lambda qs, foreign: [qs[0].pk, qs[0].pk, qs[1].pk, qs[2].pk], id="duplicate"),
        pytest.param(lambda qs, foreign: [qs[0].pk, qs[1].pk, "three"], id="not a number"),
        pytest.param(lambda qs, foreign: [], id="empty"),
    ],
)
def test_a_crafted_order_is_refused_and_changes_nothing(
    client, hr_admin, program, three_questions, other_program, crafted
):
    foreign = QuestionFactory(program=other_program)
    before = order_of(program)
    client.force_login(hr_admin)

    response = client.post(
        reverse("programs:question_reorder", args=[program.slug]), {"ids": crafted(three_questions, foreign)}
    )

    assert order_of(program) == before
    assert other_program.questions.get().order == foreign.order
    content = page(client.get(response.url))
    assert (
        "does not list each question of this program exactly once" in content
        or "is not a question" in content
    )


def test_an_archived_question_is_not_part_of_the_order(client, hr_admin, program, three_questions):
    first, second, third = three_questions
    AnswerFactory(participant=ParticipantFactory(program=program), question=second)
    client.force_login(hr_admin)
    client.post(reverse("programs:question_delete", args=[program.slug, second.pk]))

    client.post(reverse("programs:question_reorder", args=[program.slug]), {"ids": [third.pk, first.pk]})

    assert order_of(program) == [third.pk, first.pk]


def test_reorder_only_accepts_posts(client, hr_admin, program):
    client.force_login(hr_admin)
    assert client.get(reverse("programs:question_reorder", args=[program.slug])).status_code == 405


# --- Preview ----------------------------------------------------------------------------------------------


def test_the_preview_shows_each_role_its_own_wording_and_cannot_be_submitted(client, coordinator, program):
    client.force_login(coordinator)
    url = reverse("programs:question_preview", args=[program.slug])

    as_mentor = page(client.get(url, {"role": "mentor"}))
    as_mentee = page(client.get(url, {"role": "mentee"}))

    assert (
        "Which skills can you help with?" in as_mentor
        and "Which skills do you want to develop?" not in as_mentor
    )
    assert (
        "Which skills do you want to develop?" in as_mentee
        and "Which skills can you help with?" not in as_mentee
    )
    for content in (as_mentor, as_mentee):
        assert "<fieldset disabled>" in content and "Technical depth" in content
        assert 'type="submit" class="btn btn-primary" disabled' in content


def test_the_preview_leaves_archived_questions_out(client, coordinator, program, question):
    QuestionFactory(program=program, mentee_text="Still asked?")
    AnswerFactory(participant=ParticipantFactory(program=program), question=question)
    client.force_login(coordinator)
    client.post(reverse("programs:question_delete", args=[program.slug, question.pk]))

    content = page(client.get(reverse("programs:question_preview", args=[program.slug]), {"role": "mentee"}))

    assert "Still asked?" in content and "Which skills do you want to develop?" not in content


def test_the_preview_refuses_an_unknown_role(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(reverse("programs:question_preview", args=[program.slug]), {"role": "boss"})
    assert response.status_code == 400
    assert "role=mentor or role=mentee" in response.content.decode()


# --- Query counts -----------------------------------------------------------------------------------------


def test_the_list_runs_the_same_queries_for_many_questions_and_answers(
    client, hr_admin, program, question, django_assert_max_num_queries
):
    client.force_login(hr_admin)
    url = reverse("programs:question_list", args=[program.slug])
    client.get(url)  # warm the session and the login
    for n in range(15):
        extra = QuestionFactory(program=program, mentee_text=f"Question {n}?")
        for _ in range(3):
            AnswerFactory(participant=ParticipantFactory(program=program), question=extra)
    second = QuestionFactory(program=program)
    AnswerFactory(participant=ParticipantFactory(program=program), question=second)
    client.post(reverse("programs:question_delete", args=[program.slug, second.pk]))

    with django_assert_max_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200 and "Question 14?" in page(response)
