"""Forms of match runs: pin or forbid a pair, swap a proposal's mentor.

They convert input only (participant ids, a short reason); ``matching.services.runs`` checks every rule
again (which program, approved, hard rules, reporting line, capacity), so a crafted POST is refused as
clearly as a choice made on the page.
"""

from __future__ import annotations

from django import forms

from programs.models import Participant, Program

REASON_MAX_LENGTH = 300


class PairRuleForm(forms.Form):
    """A mentor and a mentee of the run's program, and why the pair is pinned or forbidden."""

    mentee = forms.IntegerField(
        label="Mentee", error_messages={"required": "Choose a mentee.", "invalid": "Choose a mentee."}
    )
    mentor = forms.IntegerField(
        label="Mentor", error_messages={"required": "Choose a mentor.", "invalid": "Choose a mentor."}
    )
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": f"Keep the reason to at most {REASON_MAX_LENGTH} characters."},
    )

    def __init__(self, *args, program: Program | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if program is not None:
            # Offer the program's approved people as selects; the service checks whatever is posted.
            for role, field in ((Participant.Role.MENTEE, "mentee"), (Participant.Role.MENTOR, "mentor")):
                people = (
                    Participant.objects.filter(program=program, role=role)
                    .approved()
                    .order_by("person__full_name", "pk")
                    .values_list("pk", "person__full_name")
                )
                self.fields[field].widget = forms.Select(choices=[("", "—"), *people])


class SwapForm(forms.Form):
    mentor = forms.IntegerField(
        label="New mentor",
        error_messages={"required": "Choose the new mentor.", "invalid": "Choose the new mentor."},
    )
