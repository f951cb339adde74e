"""Forms of the cycle setup pages. They convert input; every rule lives in ``cohorts.services.cycles``,
whose errors the views put back on these forms."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import timezone

from cohorts.models import NominationCycle
from cohorts.services.cycles import (
    CRITERION_DESCRIPTION_MAX_LENGTH,
    CRITERION_NAME_MAX_LENGTH,
    DETAIL_FIELDS,
    LABELS,
    LIMITS,
    MARGIN_LIMITS,
    NAME_MAX_LENGTH,
    OPTIONAL_INTS,
    SEATS_LIMITS,
    WEIGHT_LIMITS,
    editable_details,
)
from mentoring.forms import DATE_INPUT, ServiceErrorsForm
from people.models import Division, Person


def _int_field(name: str, **kwargs: Any) -> forms.IntegerField:
    low, high = LIMITS[name]
    message = f"{LABELS[name]} must be between {low} and {high}."
    return forms.IntegerField(
        label=LABELS[name],
        min_value=low,
        max_value=high,
        required=name not in OPTIONAL_INTS,
        error_messages={
            "min_value": message,
            "max_value": message,
            "required": f"{LABELS[name]} is required.",
            "invalid": f"{LABELS[name]} must be a whole number.",
        },
        **kwargs,
    )


class CycleForm(ServiceErrorsForm):
    """The details of a cycle; those fixed for its status are shown disabled, with the reason."""

    rows: ClassVar[list[tuple[str, ...]]] = [
        ("name", "year"),
        ("nominations_open_on", "nominations_close_on", "review_due_on"),
        ("min_job_level", "min_tenure_months"),
        ("min_reviews", "near_tie_margin"),
    ]

    name = forms.CharField(
        label=LABELS["name"],
        max_length=NAME_MAX_LENGTH,
        help_text="For example: Master Mentors. Next year's cycle keeps the name.",
        error_messages={"required": "Give the cycle a name."},
    )
    year = _int_field("year", help_text="The year the cohort trains.")
    nominations_open_on = forms.DateField(
        label=LABELS["nominations_open_on"],
        required=False,
        widget=DATE_INPUT,
        help_text="Endorsements and nominations are accepted from this day.",
    )
    nominations_close_on = forms.DateField(
        label=LABELS["nominations_close_on"],
        required=False,
        widget=DATE_INPUT,
        help_text="Until the end of this day.",
    )
    review_due_on = forms.DateField(
        label=LABELS["review_due_on"],
        required=False,
        widget=DATE_INPUT,
        help_text="After the window closes; outstanding reviewers are reminded.",
    )
    min_job_level = _int_field(
        "min_job_level", help_text="Candidates must be at this level or above. Empty: any level."
    )
    min_tenure_months = _int_field(
        "min_tenure_months", help_text="How long candidates must have been with us. Empty: no minimum."
    )
    min_reviews = _int_field(
        "min_reviews", help_text="Candidates with fewer submitted reviews are flagged in the ranking."
    )
    near_tie_margin = forms.DecimalField(
        label=LABELS["near_tie_margin"],
        min_value=MARGIN_LIMITS[0],
        max_value=MARGIN_LIMITS[1],
        max_digits=4,
        decimal_places=2,
        help_text=(
            "Calibrated scores (in standard deviations) closer than this to the last seat of a division "
            "are flagged as near ties. 0.10 is a good start."
        ),
        error_messages={
            "required": "Set the near-tie margin; 0.10 is a good start.",
            "min_value": f"The near-tie margin must be between {MARGIN_LIMITS[0]} and {MARGIN_LIMITS[1]}.",
            "max_value": f"The near-tie margin must be between {MARGIN_LIMITS[0]} and {MARGIN_LIMITS[1]}.",
        },
    )

    def __init__(self, *args: Any, cycle: NominationCycle | None = None, **kwargs: Any) -> None:
        if cycle is not None:
            kwargs.setdefault("initial", {field: getattr(cycle, field) for field in DETAIL_FIELDS})
        else:
            # Cycles are usually set up the year before their cohort trains.
            next_year = timezone.localdate().year + 1
            kwargs.setdefault("initial", {"year": next_year, "min_reviews": 3, "near_tie_margin": "0.10"})
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.locked: set[str] = set()
        if cycle is not None:
            self.locked = set(DETAIL_FIELDS) - editable_details(cycle)
            status = cycle.get_status_display().lower()
            for name in self.locked:
                field = self.fields[name]
                field.disabled = True
                field.help_text = f"Fixed while the cycle is {status}."

    @property
    def all_locked(self) -> bool:
        return len(self.locked) == len(self.fields)

    def layout(self) -> list[list[forms.BoundField]]:
        return [[self[name] for name in row] for row in self.rows]

    def service_data(self) -> dict[str, Any]:
        """The values to save: everything but the fields fixed for the cycle's status."""
        return {name: self.cleaned_data[name] for name in self.fields if name not in self.locked}


class QuotaForm(ServiceErrorsForm):
    """Seats for every division of the directory, one field each (``seats_<division id>``)."""

    def __init__(self, *args: Any, cycle: NominationCycle, divisions: list[Division], **kwargs: Any) -> None:
        seats = {q.division_id: q.seats for q in cycle.quotas.all()}
        kwargs.setdefault("initial", {f"seats_{d.pk}": seats.get(d.pk) for d in divisions})
        super().__init__(*args, **kwargs)
        low, high = SEATS_LIMITS
        for division in divisions:
            message = f"Seats for {division.name} must be a whole number between {low} and {high}."
            self.fields[f"seats_{division.pk}"] = forms.IntegerField(
                label=division.name,
                required=False,
                min_value=low,
                max_value=high,
                error_messages={"min_value": message, "max_value": message, "invalid": message},
            )
        self.divisions = divisions

    def seats(self) -> dict[int, int | None]:
        return {d.pk: self.cleaned_data[f"seats_{d.pk}"] for d in self.divisions}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Find people in the directory",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="Name, e-mail, title or employee ID.",
    )


class CommitteeAddForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.current(),
        error_messages={
            "required": "Pick someone from the search results.",
            "invalid_choice": "That person is no longer in the directory; search again.",
        },
    )
    chair = forms.BooleanField(required=False, label="As chair")


class CriterionForm(ServiceErrorsForm):
    name = forms.CharField(
        label="Criterion",
        max_length=CRITERION_NAME_MAX_LENGTH,
        error_messages={"required": "Name the criterion."},
    )
    description = forms.CharField(
        label="What reviewers look for",
        required=False,
        max_length=CRITERION_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One sentence, shown to reviewers beside the score.",
    )
    weight = forms.IntegerField(
        label="Weight",
        min_value=WEIGHT_LIMITS[0],
        max_value=WEIGHT_LIMITS[1],
        initial=1,
        help_text=f"{WEIGHT_LIMITS[0]} to {WEIGHT_LIMITS[1]}; a weight of 2 counts twice.",
        error_messages={
            "required": "Give the criterion a weight.",
            "min_value": f"The weight must be between {WEIGHT_LIMITS[0]} and {WEIGHT_LIMITS[1]}.",
            "max_value": f"The weight must be between {WEIGHT_LIMITS[0]} and {WEIGHT_LIMITS[1]}.",
        },
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=NominationCycle.Status.choices)
    why = forms.CharField(
        label="Why (optional, kept in the history)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
