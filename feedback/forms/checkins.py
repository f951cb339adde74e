"""Forms of check-ins and closure surveys. They convert input only; ``feedback.services.checkins`` and
``feedback.services.closure`` check every rule again, so a crafted POST is refused as clearly."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from ..models import RATING_RANGE, CheckIn, ClosureSurvey
from ..services.checkins import COMMENTS_MAX_LENGTH, CheckInAnswers
from ..services.closure import WHAT_CHANGED_MAX_LENGTH

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, required_message: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
        **kwargs,
    )


def _scale(label: str, low_label: str, high_label: str, message: str) -> forms.TypedChoiceField:
    low, high = RATING_RANGE
    choices = [
        (n, f"{n}, {low_label}" if n == low else f"{n}, {high_label}" if n == high else str(n))
        for n in range(low, high + 1)
    ]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class CheckInForm(forms.Form):
    satisfaction = _scale(
        "How satisfied are you with the mentoring?",
        "not at all",
        "very",
        "Rate your satisfaction from 1 to 5.",
    )
    goal_progress = _scale(
        "How much progress have you made on your goals?",
        "none",
        "a lot",
        "Rate your progress on your goals from 1 to 5.",
    )
    frequency = forms.ChoiceField(
        label="Is the meeting frequency right?",
        choices=CheckIn.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you meet often enough.",
            "invalid_choice": "Say whether you meet often enough, choosing from the list.",
        },
    )
    chemistry_right = _yes_no(
        "Is the chemistry right between the two of you?", "Say whether the chemistry is right."
    )
    wants_help = _yes_no(
        "Would you like the coordinator's help?",
        "Say whether you would like the coordinator's help.",
        initial="no",
        help_text="The coordinator gets in touch with you, not with your partner.",
    )
    comments = forms.CharField(
        label="Comments (optional)",
        required=False,
        max_length=COMMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything the coordinator should know.",
        error_messages={"max_length": f"Keep the comments to at most {COMMENTS_MAX_LENGTH} characters."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own form tag carries the token
        self.helper.layout = Layout(
            InlineRadios("satisfaction"),
            InlineRadios("goal_progress"),
            "frequency",
            InlineRadios("chemistry_right"),
            InlineRadios("wants_help"),
            Field("comments"),
        )

    def answers(self) -> CheckInAnswers:
        return CheckInAnswers(**self.cleaned_data)


class ClosureSurveyForm(forms.Form):
    goals_achieved = forms.ChoiceField(
        label="Did you achieve the goals you set?",
        choices=ClosureSurvey.GoalsAchieved.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say how many of your goals you achieved.",
            "invalid_choice": "Say how many of your goals you achieved, choosing from the list.",
        },
    )
    would_recommend = _yes_no(
        "Would you recommend the program to a colleague?", "Say whether you would recommend the program."
    )
    what_changed = forms.CharField(
        label="What changed for you? (optional)",
        required=False,
        max_length=WHAT_CHANGED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Keep what changed to at most {WHAT_CHANGED_MAX_LENGTH} characters."},
    )
    # Asked of the mentor only. The mentee's form keeps the field (not shown) so that a crafted answer
    # reaches the service, which refuses it with its own message.
    promotion_readiness = forms.ChoiceField(
        label="Is your mentee ready for a promotion?",
        choices=ClosureSurvey.Readiness.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Assess your mentee's promotion readiness.",
            "invalid_choice": "Assess your mentee's promotion readiness, choosing from the list.",
        },
    )

    def __init__(self, *args, mentor: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["promotion_readiness"].required = mentor
