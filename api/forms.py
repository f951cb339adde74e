"""The token form: a name, the programs it reads and the Master Mentor scope."""

from __future__ import annotations

from django import forms

from programs.models import Program


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        help_text="What the token is for, e.g. “Power BI: leadership dashboards”.",
    )
    programs = forms.ModelMultipleChoiceField(
        queryset=Program.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The token reads these programs' configuration and suppressed aggregate figures only.",
    )
    master_mentors = forms.BooleanField(
        label="Master Mentor results",
        required=False,
        help_text="Also read the Master Mentor cycles and cohorts (suppressed aggregate figures).",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the token a name that says what it is for.")
        return name

    def clean(self) -> dict:
        data = super().clean() or {}
        if "programs" in data and not data.get("programs") and not data.get("master_mentors"):
            raise forms.ValidationError(
                "Choose at least one program, or the Master Mentor results: "
                "otherwise the token reads nothing."
            )
        return data
