"""Forms of the program management pages. They convert input; every rule lives in
``programs.services.config`` and ``programs.services.key_results``, whose errors the views put back on
these forms."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, ClassVar, cast

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower

from mentoring.forms import DATE_INPUT, ServiceErrorsForm
from people.models import Department, Division, Person
from programs.models import MENTOR_PROFILE_FIELDS, KeyResult, Program
from programs.selectors import directory_locations
from programs.services.config import (
    LABELS,
    LIMITS,
    NAME_MAX_LENGTH,
    OPTIONAL_INTS,
    SECTIONS,
    SESSION_TOPIC_MAX_LENGTH,
    SESSION_TOPICS_RANGE,
    locked_fields,
    section_values,
)
from programs.starter_templates import STARTER_TEMPLATES

MAX_PEOPLE_PER_ROLE = 50


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
        },
        **kwargs,
    )


def _choice_field(name: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=LABELS[name], choices=choices, **kwargs)


class SectionForm(ServiceErrorsForm):
    """One section of the settings page; fields fixed for the program's status are shown disabled."""

    section: ClassVar[str]
    intro: ClassVar[str] = ""
    # Fields side by side on wide screens, one row per tuple.
    rows: ClassVar[list[tuple[str, ...]]] = []

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_from(program))
        kwargs.setdefault("auto_id", f"id_{self.section}_%s")
        super().__init__(*args, **kwargs)
        self.program = program
        self.locks = {f: why for f, why in locked_fields(program).items() if f in self.fields}
        for name, why in self.locks.items():
            field = self.fields[name]
            field.disabled = True
            field.help_text = f"{field.help_text} {why}".strip()

    def initial_from(self, program: Program) -> dict[str, Any]:
        values = section_values(program, self.section)
        return {k: [o.pk for o in v] if isinstance(v, list) and v and hasattr(v[0], "pk") else v
                for k, v in values.items()}  # fmt: skip

    @property
    def title(self) -> str:
        return SECTIONS[self.section].title

    @property
    def all_locked(self) -> bool:
        return len(self.locks) == len(self.fields)

    def layout(self) -> list[list[forms.BoundField]]:
        rows = self.rows or [(name,) for name in self.fields]
        return [[self[name] for name in row] for row in rows]

    def service_data(self) -> dict[str, Any]:
        """The values to save: everything but the fields fixed for the program's status."""
        return {name: self.cleaned_data[name] for name in self.fields if name not in self.locks}


class BasicsForm(SectionForm):
    section = "basics"
    rows = [("name",), ("kind", "purpose"), ("description",)]

    name = forms.CharField(label=LABELS["name"], max_length=NAME_MAX_LENGTH)
    kind = _choice_field("kind", Program.Kind.choices)
    purpose = _choice_field("purpose", Program.Purpose.choices)
    description = forms.CharField(
        label=LABELS["description"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the program exists and what participants can expect. Shown to employees.",
    )


class TimelineForm(SectionForm):
    section = "timeline"
    intro = (
        "Dates follow each other: enrollment opens, enrollment closes, matching, the start, the end. "
        "A draft may leave dates empty; all five are needed before enrollment opens."
    )
    rows = [("enrollment_opens_on", "enrollment_closes_on", "matching_on"), ("starts_on", "ends_on")]

    enrollment_opens_on = forms.DateField(
        label=LABELS["enrollment_opens_on"], required=False, widget=DATE_INPUT
    )
    enrollment_closes_on = forms.DateField(
        label=LABELS["enrollment_closes_on"], required=False, widget=DATE_INPUT
    )
    matching_on = forms.DateField(label=LABELS["matching_on"], required=False, widget=DATE_INPUT)
    starts_on = forms.DateField(label=LABELS["starts_on"], required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(label=LABELS["ends_on"], required=False, widget=DATE_INPUT)


class LinesField(forms.CharField):
    """A list of short texts typed one per line; blank lines are dropped."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value


class RhythmForm(SectionForm):
    section = "rhythm"
    intro = (
        "How often pairs are expected to meet, how often they answer a check-in, and the topics they choose "
        "from when they log a session."
    )
    rows = [("meeting_cadence_days", "checkin_cadence_months"), ("session_topics",)]

    meeting_cadence_days = _int_field(
        "meeting_cadence_days", help_text="Reminders go out when a pair has not met for this long."
    )
    checkin_cadence_months = _int_field("checkin_cadence_months", help_text="3 means quarterly.")
    session_topics = LinesField(
        label=LABELS["session_topics"],
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Give at least one session topic."},
        help_text=(
            f"One per line, {SESSION_TOPICS_RANGE[0]} to {SESSION_TOPICS_RANGE[1]} topics of at most "
            f"{SESSION_TOPIC_MAX_LENGTH} characters. Sessions already logged keep the topics they had."
        ),
    )


class MatchingForm(SectionForm):
    section = "matching"
    intro = (
        "Each built-in HR criterion adds to a pair's score with its weight (0 ignores it). "
        "Never pairing people in the same reporting line is always a hard rule, whatever the weights."
    )
    rows = [
        ("default_mentor_capacity", "max_mentor_capacity", "mentors_per_mentee"),
        ("matching_mode", "matching_priority", "min_match_score"),
        ("weight_different_department", "weight_different_division"),
        ("weight_mentor_senior", "weight_same_location"),
        ("weight_master_mentor",),
        ("mentor_profile_fields",),
    ]

    default_mentor_capacity = _int_field(
        "default_mentor_capacity", help_text="Mentees per mentor unless the mentor says otherwise."
    )
    max_mentor_capacity = _int_field("max_mentor_capacity", help_text="The most a mentor may offer.")
    mentors_per_mentee = _int_field("mentors_per_mentee")
    matching_mode = _choice_field("matching_mode", Program.MatchingMode.choices)
    matching_priority = _choice_field(
        "matching_priority",
        Program.MatchingPriority.choices,
        help_text="Best scores may leave some people unmatched; most matched accepts weaker pairs.",
    )
    min_match_score = _int_field("min_match_score", help_text="0 to 100; pairs below it are never proposed.")
    weight_different_department = _int_field("weight_different_department", help_text="Weight 0-10.")
    weight_different_division = _int_field("weight_different_division", help_text="Weight 0-10.")
    weight_mentor_senior = _int_field(
        "weight_mentor_senior", help_text="Weight 0-10. For reverse mentoring, the mentee is the senior one."
    )
    weight_same_location = _int_field("weight_same_location", help_text="Weight 0-10.")
    weight_master_mentor = _int_field(
        "weight_master_mentor",
        help_text="Weight 0-10, counted only when the mentor requirement is “Master Mentors preferred”.",
    )
    mentor_profile_fields = forms.MultipleChoiceField(
        label=LABELS["mentor_profile_fields"],
        choices=MENTOR_PROFILE_FIELDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "In mentee-choice mode, what each suggested mentor's card shows besides the name. Answers to "
            "questions marked 'show mentors' answers' appear too."
        ),
    )


class ApprovalsForm(SectionForm):
    section = "approvals"
    rows = [("enrollment_approval",), ("manager_approval",), ("manager_approval_days",)]

    enrollment_approval = forms.BooleanField(
        label=LABELS["enrollment_approval"],
        required=False,
        help_text="Otherwise applications are approved at once.",
    )
    manager_approval = forms.BooleanField(
        label=LABELS["manager_approval"],
        required=False,
        help_text="The applicant's manager is notified and approves or declines.",
    )
    manager_approval_days = _int_field(
        "manager_approval_days", help_text="After this many days without an answer, the manager approves."
    )


class EligibilityForm(SectionForm):
    section = "eligibility"
    intro = "Who may apply. Leave a field empty for no restriction."
    rows = [
        ("eligible_divisions",),
        ("eligible_departments",),
        ("min_job_level", "max_job_level", "min_tenure_months"),
        ("eligible_locations",),
    ]

    eligible_divisions = forms.ModelMultipleChoiceField(
        label=LABELS["eligible_divisions"],
        queryset=Division.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_departments = forms.TypedMultipleChoiceField(
        label=LABELS["eligible_departments"],
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or Cmd) to choose several. With divisions chosen, departments must be in them.",
    )
    min_job_level = _int_field("min_job_level")
    max_job_level = _int_field("max_job_level")
    min_tenure_months = _int_field("min_tenure_months")
    eligible_locations = forms.MultipleChoiceField(
        label=LABELS["eligible_locations"], required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, program=program, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        for department in Department.objects.select_related("division").order_by("division__name", "name"):
            groups.setdefault(department.division.name, []).append((department.pk, department.name))
        cast(forms.ChoiceField, self.fields["eligible_departments"]).choices = list(groups.items())
        locations = sorted(set(directory_locations()) | set(program.eligible_locations))
        location_field = cast(forms.ChoiceField, self.fields["eligible_locations"])
        location_field.choices = [(loc, loc) for loc in locations]
        if not locations:
            location_field.help_text = "No locations are recorded in the directory yet."


class MentorRequirementForm(SectionForm):
    section = "mentor-requirement"
    intro = "What mentors need before they may join. It is checked when someone applies as a mentor."

    mentor_requirement = _choice_field(
        "mentor_requirement", Program.MentorRequirement.choices, widget=forms.RadioSelect
    )


def parse_people_tokens(text: str) -> list[str]:
    """Employee IDs or e-mail addresses, one per line or separated by commas; "Name <e-mail>" too."""
    tokens: list[str] = []
    for line in text.splitlines():
        bracketed = re.findall(r"<([^<>]+)>", line)
        tokens.extend(bracketed or re.split(r"[,;\s]+", line))
    seen: dict[str, None] = {}
    for token in tokens:
        token = token.strip()
        if token:
            seen.setdefault(token, None)
    return list(seen)


class PeopleField(forms.CharField):
    """People named by employee ID or e-mail address, resolved against the directory in one query."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            people = Person.objects.filter(pk__in=[getattr(v, "pk", v) for v in value]).order_by("full_name")
            return "\n".join(f"{p.full_name} <{p.email}>" for p in people)
        return value

    def clean(self, value: Any) -> list[Person]:  # type: ignore[override]
        if isinstance(value, list | tuple):  # a disabled field's initial value
            return list(Person.objects.filter(pk__in=[getattr(v, "pk", v) for v in value]))
        text = super().clean(value) or ""
        tokens = parse_people_tokens(text)
        if len(tokens) > MAX_PEOPLE_PER_ROLE:
            raise forms.ValidationError(f"Name at most {MAX_PEOPLE_PER_ROLE} people.")
        if not tokens:
            return []
        people = list(
            Person.objects.annotate(email_lower=Lower("email")).filter(
                Q(employee_id__in=tokens) | Q(email_lower__in=[t.lower() for t in tokens])
            )
        )
        known = {p.employee_id for p in people} | {p.email.lower() for p in people}
        unknown = [t for t in tokens if t not in known and t.lower() not in known]
        if unknown:
            raise forms.ValidationError(
                "Nobody in the directory has this employee ID or e-mail address: "
                f"{', '.join(unknown)}. Check the directory for the right one."
            )
        return people


class GovernanceForm(SectionForm):
    section = "governance"
    intro = (
        "Coordinators run the program day to day: approvals, pairs, reminders. Sponsors see its "
        "outcome dashboards. Only HR admins change this section."
    )
    rows = [("budget",), ("coordinators", "sponsors")]

    budget = forms.DecimalField(
        label=LABELS["budget"],
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Used to report the cost per outcome. Leave empty if there is none.",
        error_messages={"min_value": "The budget cannot be negative; leave it empty if there is none."},
    )
    coordinators = PeopleField(
        label=LABELS["coordinators"],
        required=False,
        help_text="One per line: employee ID or e-mail address.",
    )
    sponsors = PeopleField(
        label=LABELS["sponsors"], required=False, help_text="One per line: employee ID or e-mail address."
    )


SECTION_FORMS: dict[str, type[SectionForm]] = {
    form.section: form
    for form in [
        BasicsForm,
        TimelineForm,
        RhythmForm,
        MatchingForm,
        ApprovalsForm,
        EligibilityForm,
        MentorRequirementForm,
        GovernanceForm,
    ]
}


class ProgramCreateForm(ServiceErrorsForm):
    name = forms.CharField(
        label="Name of the program",
        max_length=NAME_MAX_LENGTH,
        help_text="For example: Leadership mentoring 2027. You can change it later.",
    )
    template_key = forms.ChoiceField(
        label="Start from",
        choices=[("", "A blank program"), *((k, t["name"]) for k, t in STARTER_TEMPLATES.items())],
        required=False,
        widget=forms.RadioSelect,
    )


class KeyResultForm(ServiceErrorsForm):
    objective = forms.CharField(
        label="Objective",
        max_length=200,
        required=False,
        help_text="In plain words, for example: most people who apply get a mentor.",
    )
    metric = forms.ChoiceField(label="Metric", choices=KeyResult.Metric.choices)
    baseline = forms.DecimalField(
        label="Baseline", required=False, max_digits=8, decimal_places=2, help_text="Where it stands today."
    )
    target = forms.DecimalField(
        label="Target", max_digits=8, decimal_places=2, error_messages={"required": "Set a target."}
    )
    due_on = forms.DateField(label="Due on", required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, used_metrics: Collection[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the metrics still free; any metric is accepted, so that the service can explain a
        # duplicate in words rather than the form answering "not a valid choice".
        self.fields["metric"].widget.choices = [
            c for c in KeyResult.Metric.choices if c[0] not in used_metrics
        ]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Program.Status.choices)
    why = forms.CharField(
        label="Why (optional, kept in the history)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
