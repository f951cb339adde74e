"""Forms of the pair page: they convert input; the rules live in ``feedback.services.agreement``,
``feedback.services.goals`` and ``feedback.services.ending``, which check them again."""

from __future__ import annotations

from typing import Any

from django import forms

from matching.models import Mentorship
from mentoring.forms import DATE_INPUT, ServiceErrorsForm
from programs.models import Resource

from ..models import Agreement, Goal
from ..services.agreement import CADENCE_RANGE, TEXT_MAX_LENGTH
from ..services.ending import NOTE_MAX_LENGTH
from ..services.goals import COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH, WHY_MAX_LENGTH
from ..services.goals import TEXT_MAX_LENGTH as GOAL_TEXT_MAX_LENGTH


class AgreementForm(ServiceErrorsForm):
    expectations = forms.CharField(
        label="Expectations",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What each of you expects of the other: preparation, follow-up, how to reach each other.",
    )
    cadence_days = forms.IntegerField(
        label="Meet every … days",
        required=False,
        min_value=CADENCE_RANGE[0],
        max_value=CADENCE_RANGE[1],
        help_text="Leave empty to follow the program's cadence.",
    )
    meeting_format = forms.ChoiceField(
        label="How you meet",
        required=False,
        choices=[("", "Not decided yet"), *Agreement.MeetingFormat.choices],
    )
    confidentiality = forms.CharField(
        label="Confidentiality",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What stays between the two of you, and what either may share (with a manager, say).",
    )
    goals_summary = forms.CharField(
        label="Summary of goals",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In a few lines; the goals themselves, with milestones, are set below.",
    )

    def __init__(self, *args: Any, agreement: Agreement | None = None, **kwargs: Any) -> None:
        if agreement is not None:
            kwargs.setdefault(
                "initial",
                {
                    "expectations": agreement.expectations,
                    "cadence_days": agreement.cadence_days,
                    "meeting_format": agreement.meeting_format,
                    "confidentiality": agreement.confidentiality,
                    "goals_summary": agreement.goals_summary,
                },
            )
        super().__init__(*args, **kwargs)


class AgreementConfirmForm(forms.Form):
    # The version of the content the member read (feedback.services.agreement.content_version).
    version = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class GoalForm(ServiceErrorsForm):
    title = forms.CharField(label="Goal", max_length=TITLE_MAX_LENGTH)
    why = forms.CharField(
        label="Why it matters",
        required=False,
        max_length=GOAL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    measure = forms.CharField(
        label="How progress is measured",
        required=False,
        max_length=GOAL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How you will both know it is done. Milestones, added after, show the progress.",
    )
    target_on = forms.DateField(label="Target date", required=False, widget=DATE_INPUT)
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, goal: Goal | None = None, template: Resource | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if goal is not None:
            initial.update({f: getattr(goal, f) for f in ("title", "why", "measure", "target_on")})
        elif template is not None:
            initial.update(
                {"title": template.title[:TITLE_MAX_LENGTH], "why": template.body, "template": template.pk}
            )
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in ("title", "why", "measure", "target_on")}


class GoalStatusForm(forms.Form):
    to = forms.ChoiceField(choices=Goal.Status.choices)
    why = forms.CharField(required=False, max_length=WHY_MAX_LENGTH)


class MilestoneForm(ServiceErrorsForm):
    title = forms.CharField(label="Milestone", max_length=TITLE_MAX_LENGTH)
    due_on = forms.DateField(label="Due", required=False, widget=DATE_INPUT)


class MilestoneDoneForm(ServiceErrorsForm):
    done_on = forms.DateField(label="Done on", widget=DATE_INPUT)


class GoalCommentForm(ServiceErrorsForm):
    body = forms.CharField(label="Comment", max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea)


class EndPairForm(ServiceErrorsForm):
    category = forms.ChoiceField(
        label="Why does the pair end?",
        choices=[("", "Choose a reason"), *Mentorship.EndCategory.choices],
        help_text="Seen by the program's coordinators only. No fault is implied.",
    )
    note = forms.CharField(
        label="A note for the coordinators",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional; the coordinators read it, your partner does not.",
    )
