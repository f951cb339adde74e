"""Forms of the health board: mark a risk handled, end a pair early, assign a coach.

They convert input only; ``feedback.services.health`` and ``feedback.services.ending`` check every rule
again (the pair's risks, its status, the coach's certificate), so a crafted POST is refused as clearly as a
choice made on the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from matching.models import Mentorship
from people.models import Person

from ..health import RISKS
from ..services.health import NOTE_MAX_LENGTH

_NOTE_ERRORS = {"max_length": f"Keep the note to at most {NOTE_MAX_LENGTH} characters."}


def _note(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_NOTE_ERRORS,
    )


class RiskHandledForm(forms.Form):
    risk = forms.ChoiceField(
        label="Risk",
        choices=list(RISKS.items()),
        error_messages={
            "required": "Choose which risk was handled.",
            "invalid_choice": "Choose which risk was handled from the list.",
        },
    )
    note = _note("What you did (optional)", "For the coordinators only.")

    def __init__(self, *args, risks: Iterable[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if risks is not None:
            # Offer the pair's current risks; the service checks whatever is posted.
            self.fields["risk"].widget.choices = [(key, RISKS[key]) for key in risks]


class PairEndForm(forms.Form):
    category = forms.ChoiceField(
        label="Why the pair ends",
        choices=[("", "—"), *Mentorship.EndCategory.choices],
        help_text="Seen by coordinators only; no fault is implied.",
        error_messages={
            "required": "Choose why the pair ends.",
            "invalid_choice": "Choose why the pair ends from the list.",
        },
    )
    note = _note("Note for the coordinators (optional)")


class CoachingForm(forms.Form):
    coach = forms.IntegerField(
        label="Coach",
        help_text="A certified Master Mentor.",
        error_messages={"required": "Choose a coach.", "invalid": "Choose a coach."},
    )
    note = _note("Note for the coach (optional)", "Sent to the coach with the request; not to the mentor.")

    def __init__(self, *args, coaches: Iterable[Person] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Offer the certified Master Mentors; the service checks whoever is posted.
        self.fields["coach"].widget = forms.Select(
            choices=[
                ("", "—"),
                *((c.pk, f"{c.full_name}, {c.title}" if c.title else c.full_name) for c in coaches),
            ]
        )
