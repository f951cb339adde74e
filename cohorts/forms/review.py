"""Forms of the blind review and of selection. They convert input only; ``cohorts.services.review`` and
``cohorts.services.selection`` check every rule again, so a crafted POST is refused as clearly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from ..models import SCORE_MAX, SCORE_MIN, Candidacy, Criterion
from ..services.review import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH, OVERALL_COMMENT_MAX_LENGTH
from ..services.selection import RATIONALE_MAX_LENGTH

SAVE_DRAFT, SUBMIT = "draft", "submit"


class _ServiceErrors:
    def add_service_errors(self, errors: Mapping[str | None, list[str]]) -> None:
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)  # type: ignore[attr-defined]


class ReviewForm(_ServiceErrors, forms.Form):
    """One score (1 to 5) and an optional comment per criterion, and an overall comment. Scores are
    optional in a draft; the service asks for all of them on submission."""

    comment = forms.CharField(
        label="Overall comment (optional)",
        required=False,
        max_length=OVERALL_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Keep the overall comment to at most {OVERALL_COMMENT_MAX_LENGTH:,} characters."
        },
    )
    action = forms.ChoiceField(
        choices=[(SAVE_DRAFT, "Save draft"), (SUBMIT, "Submit")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to save a draft or to submit.",
            "invalid_choice": "Choose to save a draft or to submit.",
        },
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        message = f"Score from {SCORE_MIN} to {SCORE_MAX}."
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "invalid_choice": f"Score “{criterion.name}” from {SCORE_MIN} to {SCORE_MAX}."
                },
                help_text=f"{message} Weight {criterion.weight}.",
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.name} (optional)",
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"Keep the comment to at most {COMMENT_MAX_LENGTH:,} characters."
                },
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    @property
    def submitting(self) -> bool:
        return self.cleaned_data.get("action") == SUBMIT

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class ConflictForm(_ServiceErrors, forms.Form):
    note = forms.CharField(
        label="What is the conflict?",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Read by the committee chair and HR admins. You will not review this candidacy.",
        error_messages={
            "required": "Say briefly what the conflict is.",
            "max_length": f"Keep the note to at most {NOTE_MAX_LENGTH:,} characters.",
        },
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[(v, label) for v, label in Candidacy.Decision.choices if v],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose selected or not selected.",
            "invalid_choice": "Choose selected or not selected.",
        },
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the audit trail with your decision.",
        error_messages={
            "required": "Give a rationale for the decision.",
            "max_length": f"Keep the rationale to at most {RATIONALE_MAX_LENGTH:,} characters.",
        },
    )
    justification = forms.CharField(
        label="Justification for selecting beyond the seats (if so)",
        required=False,
        max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": f"Keep the justification to at most {RATIONALE_MAX_LENGTH:,} characters."
        },
    )


class PublishForm(forms.Form):
    justification = forms.CharField(
        label="Justification (needed when seats are left unused or exceeded)",
        required=False,
        max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Keep the justification to at most {RATIONALE_MAX_LENGTH:,} characters."
        },
    )
