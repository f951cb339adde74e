"""The registration questionnaire as a form, worded for the role of the person answering.

Used to apply, to edit answers, and to preview the questionnaire in the builder. Field names are
``q_<question id>``; ``answer_values()`` returns the validated JSON value for each answered question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from programs.models import Question

SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
TEXT_MAX_LENGTH = 2000
NUMBER_LIMIT = 1_000_000


def field_name(question: Question) -> str:
    return f"q_{question.pk}"


class QuestionnaireForm(forms.Form):
    def __init__(
        self,
        *args,
        questions: Sequence[Question],
        role: str,
        answers: Mapping[int, Any] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q.archived_at is None]
        answers = answers or {}
        for question in self.questions:
            field = self._field_for(question, role)
            if question.pk in answers:
                field.initial = self._initial(question, answers[question.pk])
            self.fields[field_name(question)] = field

    @staticmethod
    def _field_for(question: Question, role: str) -> forms.Field:
        label = question.text_for(role)
        common: dict[str, Any] = {
            "label": label,
            "required": question.required,
            "help_text": question.help_text,
        }
        choices = [(c, c) for c in question.choices]
        kind = question.kind
        if kind == Question.Kind.SINGLE:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if kind == Question.Kind.MULTI:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        if kind == Question.Kind.SCALE:
            return forms.TypedChoiceField(
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                **common,
            )
        if kind == Question.Kind.NUMBER:
            return forms.IntegerField(min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT, **common)
        return forms.CharField(max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), **common)

    @staticmethod
    def _initial(question: Question, value: Any) -> Any:
        if question.kind == Question.Kind.SCALE and value is not None:
            return str(value)
        return value

    def answer_values(self) -> dict[int, Any]:
        """Question id → JSON value, for the questions that were answered."""
        values: dict[int, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value is None or value in ("", []):
                continue
            values[question.pk] = list(value) if question.kind == Question.Kind.MULTI else value
        return values
