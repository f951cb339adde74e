"""Forms of the calendar feed page. Creating an address takes no input; replacing or turning one off names
the address the user saw, so a second tab or a resent form cannot act on an address they never saw."""

from __future__ import annotations

from django import forms


class FeedChoiceForm(forms.Form):
    feed = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Say which calendar address to change.",
            "invalid": "That is not one of your calendar addresses.",
            "min_value": "That is not one of your calendar addresses.",
        },
    )
