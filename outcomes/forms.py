from __future__ import annotations

from django import forms

from .models import OutcomeSettings


class OutcomeSettingsForm(forms.ModelForm):
    class Meta:
        model = OutcomeSettings
        fields = ["min_group_size", "external_hire_cost", "currency"]
