"""Forms of mentee choice: picking mentors in ranked order, and a mentor's reason for declining.

They convert input only; ``matching.services.choice`` checks every rule again (which program, capacity,
hard rules), so a crafted POST is refused as clearly as the form's own choices.
"""

from __future__ import annotations

from django import forms

from matching.services.choice import MAX_REQUESTS, Suggestion

MESSAGE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 300


class MentorChoiceForm(forms.Form):
    """One select per rank (1st, 2nd, 3rd choice), each offering the suggested mentors."""

    message = forms.CharField(
        label="A message for the mentors you ask (optional)",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you hope to work on together. Each mentor you ask reads it.",
        error_messages={"max_length": f"Keep the message to at most {MESSAGE_MAX_LENGTH} characters."},
    )

    def __init__(self, *args, suggestions: list[Suggestion], slots: int = MAX_REQUESTS, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options: list[tuple[int | str, str]] = []
        for s in suggestions:
            title = f", {s.profile.title}" if s.profile.title else ""
            options.append((s.mentor.pk, f"{s.profile.name}{title} (score {s.score:.0f})"))
        ordinals = ["1st", "2nd", "3rd", "4th", "5th"]
        self.slots = slots
        for n in range(1, slots + 1):
            # An integer field with a select: the service, not the field, says which mentors may be asked,
            # so a request for a mentor outside the list gets the service's clear message.
            self.fields[f"choice_{n}"] = forms.IntegerField(
                label=f"{ordinals[n - 1]} choice",
                required=n == 1,
                min_value=1,
                widget=forms.Select(choices=[("", "Choose a mentor" if n == 1 else "No one"), *options]),
                error_messages={
                    "required": "Choose at least your first choice.",
                    "invalid": "Choose a mentor from the list.",
                    "min_value": "Choose a mentor from the list.",
                },
            )
        self.order_fields([*(f"choice_{n}" for n in range(1, slots + 1)), "message"])

    def clean(self) -> dict:
        data = super().clean() or {}
        extra = [
            key
            for key, value in self.data.items()
            if key.startswith("choice_") and key not in self.fields and str(value).strip()
        ]
        if extra:
            # More choices than places left (a crafted request): refuse rather than drop some silently.
            raise forms.ValidationError(
                f"You can ask at most {MAX_REQUESTS} mentors at a time; you can add {self.slots} more."
            )
        chosen = [data.get(f"choice_{n}") for n in range(1, self.slots + 1)]
        ranked = [pk for pk in chosen if pk]
        if len(set(ranked)) != len(ranked):
            raise forms.ValidationError("Choose each mentor once.")
        data["ranked"] = ranked
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why you decline",
        max_length=REASON_MAX_LENGTH,
        help_text="The mentee reads this. For example: no free time this quarter.",
        error_messages={
            "required": "Say briefly why you decline; the mentee reads it.",
            "max_length": f"Keep the reason to at most {REASON_MAX_LENGTH} characters.",
        },
    )
