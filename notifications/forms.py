"""The notification settings form: it checks and converts input; the rules live in the services."""

from __future__ import annotations

from django import forms

from .kinds import category_choices
from .models import NotificationSettings


class NotificationSettingsForm(forms.Form):
    email = forms.ChoiceField(
        label="E-mail me",
        choices=NotificationSettings.Email.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how you want notifications e-mailed from the list."},
    )
    emailed = forms.MultipleChoiceField(
        label="What to e-mail",
        choices=category_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Unticked kinds still appear in the notification centre, just not by e-mail.",
        error_messages={"invalid_choice": "“%(value)s” is not a kind of notification; choose from the list."},
    )

    def muted(self) -> list[str]:
        return sorted({key for key, _ in category_choices()} - set(self.cleaned_data["emailed"]))
