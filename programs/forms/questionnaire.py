"""The question form of the questionnaire builder: it converts input and shows the rules' messages.

The rules live in ``programs.services.questionnaire.question_problems``; the form asks it for its messages
and the service asks it again before saving. Choices that answers use and that an edit removes get one
"map existing answers to" select each.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django import forms
from django.urls import reverse

from programs.models import Program, Question
from programs.services.questionnaire import (
    CHOICE_KINDS,
    FIELDS,
    MAX_WEIGHT,
    STRUCTURE_FIELDS,
    TEXT_MAX_LENGTH,
    choice_usage,
    parse_choices,
    question_problems,
    questions_can_change,
)


def mapping_field_name(choice: str) -> str:
    """A stable field name per old choice, so a mapping always names the choice it was shown for."""
    return "map_" + hashlib.sha256(choice.encode()).hexdigest()[:12]


class QuestionForm(forms.Form):
    mentor_text = forms.CharField(
        label="Question as mentors read it",
        max_length=TEXT_MAX_LENGTH,
        help_text="For example: Which skills can you help with?",
    )
    mentee_text = forms.CharField(
        label="Question as mentees read it",
        max_length=TEXT_MAX_LENGTH,
        help_text="For example: Which skills do you want to develop?",
    )
    help_text = forms.CharField(
        label="Help text", max_length=TEXT_MAX_LENGTH, required=False, help_text="Shown under the question."
    )
    kind = forms.ChoiceField(label="Kind of answer", choices=Question.Kind.choices)
    choices = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line, at least two. Only single and multiple choice questions have choices.",
    )
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)
    match_rule = forms.ChoiceField(
        label="Matching rule",
        choices=Question.MatchRule.choices,
        initial=Question.MatchRule.NONE,
        help_text=(
            "Same or different answer: single choice, scale or number. Overlap: single or multiple choice. "
            "Mentor's value higher: scale or number. Text answers are not used for matching."
        ),
    )
    weight = forms.IntegerField(
        label="Weight",
        min_value=0,
        max_value=MAX_WEIGHT,
        initial=5,
        help_text=f"0 to {MAX_WEIGHT}: how much this rule counts against the others.",
    )
    hard = forms.BooleanField(
        label="Must hold (a hard rule: pairs that break it are never proposed)", required=False
    )
    shown_to_mentees = forms.BooleanField(
        label="Show mentors' answers to mentees choosing a mentor",
        required=False,
        help_text="In mentee-choice programs, each suggested mentor's answer appears on their card.",
    )

    def __init__(
        self,
        *args,
        program: Program,
        question: Question | None = None,
        typed: Mapping[str, Any] | None = None,
        **kwargs,
    ) -> None:
        """``typed``: for an unbound form, what is typed so far (the mapping selects follow the choices)."""
        if question is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {
                **{f: getattr(question, f) for f in FIELDS},
                "choices": "\n".join(question.choices),
                **kwargs["initial"],
            }
        super().__init__(*args, **kwargs)
        self.program = program
        self.question = question
        self.answer_count = question.answers.count() if question is not None else 0
        self.usage: Counter[str] = choice_usage(question) if question is not None else Counter()
        self.locked = not questions_can_change(program)
        if self.locked:
            # Posted values of these fields are ignored; the service refuses such changes too.
            for name in STRUCTURE_FIELDS:
                self.fields[name].disabled = True
        if self.answer_count:
            people = "1 person has" if self.answer_count == 1 else f"{self.answer_count} people have"
            self.fields["kind"].help_text = f"{people} answered this question, so its kind cannot change."
        typed = self.data if self.is_bound else typed
        self.mapping_fields = self._add_mapping_fields(typed)
        if self.usage and not self.locked and self.question is not None:
            # As the choices are edited, the selects for the answers of removed choices appear.
            self.fields["choices"].widget.attrs.update(
                {
                    "hx-post": reverse("programs:question_edit", args=[program.slug, self.question.pk]),
                    "hx-trigger": "keyup changed delay:500ms, change",
                    "hx-vals": '{"action": "mapping"}',
                    "hx-target": "#choice-mapping",
                    "hx-swap": "outerHTML",
                }
            )

    def _add_mapping_fields(self, typed: Mapping[str, Any] | None) -> list[str]:
        """One select per used choice the typed choices drop: which new choice its answers become."""
        if self.question is None or self.locked or self.question.kind not in CHOICE_KINDS or typed is None:
            return []
        new_choices = parse_choices(typed.get(self.add_prefix("choices"), ""))
        names = []
        for old in self.question.choices:
            count = self.usage.get(old, 0)
            if not count or old in new_choices:
                continue
            name = mapping_field_name(old)
            answers = "1 answer" if count == 1 else f"{count} answers"
            self.fields[name] = forms.ChoiceField(
                label=f"Map the existing answers of '{old}' ({answers}) to",
                choices=[("", "Choose a new choice…"), *((c, c) for c in new_choices)],
                error_messages={
                    "required": (
                        f"Choose which new choice the {answers} of '{old}' "
                        f"{'becomes' if count == 1 else 'become'}, or keep '{old}'."
                    ),
                    "invalid_choice": f"Choose one of the new choices for the {answers} of '{old}'.",
                },
            )
            self.fields[name].old_choice = old  # type: ignore[attr-defined]
            if not self.is_bound:
                self.fields[name].initial = typed.get(self.add_prefix(name), "")
            names.append(name)
        return names

    def mapping_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.mapping_fields]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        data: dict[str, Any] = {f: cleaned[f] for f in FIELDS if f in cleaned}
        if "choices" in data and isinstance(data["choices"], str):
            data["choices"] = parse_choices(data["choices"])
        if self.locked and self.question is not None:
            data.update({f: getattr(self.question, f) for f in STRUCTURE_FIELDS})
        mapping = {
            self.fields[name].old_choice: cleaned[name]  # type: ignore[attr-defined]
            for name in self.mapping_fields
            if cleaned.get(name)
        }
        if mapping:
            data["choice_mapping"] = mapping
        problems = question_problems(
            program=self.program,
            data=data,
            question=self.question,
            answer_count=self.answer_count,
            usage=self.usage,
        )
        for field, messages in problems.items():
            target = field if field in self.fields else None
            if target is not None and target in self.errors:
                continue  # the field's own error says it already
            if field == "" and self.mapping_fields and any(n in self.errors for n in self.mapping_fields):
                continue  # the mapping selects say which answers still need a new choice
            for message in messages:
                self.add_error(target, message)
        cleaned["data"] = data
        return cleaned
