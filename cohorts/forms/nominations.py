"""Forms of endorsements, nominations and the candidate's answer. They convert input only; the services in
``cohorts.services.endorsements`` and ``cohorts.services.nominations`` check every rule again, so a crafted
POST is refused as clearly."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from people.models import PersonQuerySet

from ..services.endorsements import REASON_MAX_LENGTH
from ..services.nominations import EVIDENCE_MAX_LENGTH, MOTIVATION_MAX_LENGTH, NominationEvidence


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a colleague",
        required=False,
        max_length=100,
        help_text="A name, title, e-mail address or employee ID.",
    )


class _PersonForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a colleague from the search results.",
            "invalid_choice": "Choose a colleague from the search results.",
        },
    )

    def __init__(self, *args, people: PersonQuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.helper = _helper()


class EndorsementForm(_PersonForm):
    reason = forms.CharField(
        label="Why do you go to them for advice?",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"A sentence or two, at most {REASON_MAX_LENGTH} characters. They, their manager and the "
        "committee read the reason, never your name.",
        error_messages={"required": "Say in a sentence why you go to them for advice."},
    )


def _evidence(label: str, help_text: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"required": f"Describe {label[0].lower()}{label[1:]}."},
    )


class NominationForm(_PersonForm):
    informal_mentoring = _evidence(
        "Record of informal mentoring", "Whom have they mentored, informally, and with what result?"
    )
    sought_out = _evidence("Who seeks them out, and why", "Who goes to them for advice, and about what?")
    sponsoring = _evidence(
        "Examples of sponsoring others to success",
        "Whom have they recommended, promoted or opened doors for, and what came of it?",
    )
    communication = _evidence(
        "Communication and emotional intelligence", "How do they listen, give feedback and handle conflict?"
    )
    statement = _evidence("Statement (optional)", "Anything else the committee should know.", required=False)

    def evidence(self) -> NominationEvidence:
        data = self.cleaned_data
        return NominationEvidence(
            informal_mentoring=data["informal_mentoring"],
            sought_out=data["sought_out"],
            sponsoring=data["sponsoring"],
            communication=data["communication"],
            statement=data.get("statement") or "",
        )


class CandidacyAcceptForm(forms.Form):
    motivation = forms.CharField(
        label="Your motivation statement",
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why you would like to become a Master Mentor, in a few sentences. The committee reads it.",
        error_messages={"required": "Write a short motivation statement to accept."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
