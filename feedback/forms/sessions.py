"""Forms of sessions, private notes and session feedback. They convert input (a date and a time typed in the
site's time zone become one aware instant); every rule lives in ``feedback.services.sessions`` and
``feedback.services.session_feedback``, which check it again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from mentoring.forms import DATE_INPUT, ServiceErrorsForm, local_instant

from ..models import RATING_RANGE, Format, Session, SessionFeedback
from ..services.session_feedback import USEFUL_MAX_LENGTH
from ..services.sessions import (
    AGENDA_MAX_LENGTH,
    DURATION_MESSAGE,
    DURATION_RANGE,
    LOCATION_MAX_LENGTH,
    PRIVATE_NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SHARED_NOTES_MAX_LENGTH,
)

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
RATING_LABELS = {
    1: "1 · Not useful",
    2: "2 · A little",
    3: "3 · Useful",
    4: "4 · Very useful",
    5: "5 · Excellent",
}


class _WhenForm(ServiceErrorsForm):
    """The date, start time, duration and format of a session."""

    error_fields = {"starts_at": "date"}

    date = forms.DateField(label="Date", widget=DATE_INPUT, error_messages={"required": "Give the date."})
    time = forms.TimeField(
        label="Start time", widget=TIME_INPUT, error_messages={"required": "Give the start time."}
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=DURATION_RANGE[0],
        max_value=DURATION_RANGE[1],
        error_messages={
            "required": "Give the duration in minutes.",
            "invalid": "Give the duration in whole minutes.",
            "min_value": DURATION_MESSAGE,
            "max_value": DURATION_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    format = forms.ChoiceField(
        label="How you meet",
        choices=Format.choices,
        error_messages={"required": "Choose how you meet.", "invalid_choice": "Choose how you meet."},
    )

    def __init__(self, *args: Any, session: Session | None = None, **kwargs: Any) -> None:
        if session is not None:
            kwargs.setdefault("initial", self.initial_from(session))
        super().__init__(*args, **kwargs)
        self.fields["time"].help_text = f"In your time zone ({timezone.get_current_timezone_name()})."

    def initial_from(self, session: Session) -> dict[str, Any]:
        starts = timezone.localtime(session.starts_at)
        return {
            "date": starts.date(),
            "time": starts.time().replace(second=0, microsecond=0),
            "duration_minutes": session.duration_minutes,
            "format": session.format,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is not None and time is not None:
            try:
                cleaned["starts_at"] = local_instant(day, time)
            except forms.ValidationError as error:
                self.add_error("time", error)
        return cleaned


class ScheduleForm(_WhenForm):
    location = forms.CharField(
        label="Place or link",
        required=False,
        max_length=LOCATION_MAX_LENGTH,
        help_text="A room, an address, or the video call's link.",
    )
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        max_length=AGENDA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you want to talk about. Both of you see it, and it goes into the invite.",
    )

    def initial_from(self, session: Session) -> dict[str, Any]:
        return {**super().initial_from(session), "location": session.location, "agenda": session.agenda}

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "location": data["location"],
            "agenda": data["agenda"],
        }


class LogForm(_WhenForm):
    """A session that took place: when, how long, how, which of the program's topics, shared notes."""

    topics = forms.MultipleChoiceField(
        label="Topics",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the topics from the program's list."},
    )
    shared_notes = forms.CharField(
        label="Shared notes",
        required=False,
        max_length=SHARED_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "What you discussed and agreed. Both of you read these; keep your own thoughts in a private note."
        ),
    )

    def __init__(self, *args: Any, topics: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(topic, topic) for topic in topics]

    def initial_from(self, session: Session) -> dict[str, Any]:
        return {
            **super().initial_from(session),
            "topics": session.topics,
            "shared_notes": session.shared_notes,
        }

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "topics": list(data["topics"]),
            "shared_notes": data["shared_notes"],
        }


class CancelForm(forms.Form):
    why = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="Your partner sees it in the cancellation.",
    )


class PrivateNoteForm(ServiceErrorsForm):
    body = forms.CharField(
        label="Your private note",
        required=False,
        max_length=PRIVATE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Only you ever read it: not your partner, not the coordinators, not HR. "
            "Save it empty to remove it."
        ),
    )


class SessionFeedbackForm(ServiceErrorsForm):
    rating = forms.TypedChoiceField(
        label="How useful was the session?",
        coerce=int,
        choices=[(n, RATING_LABELS[n]) for n in range(RATING_RANGE[0], RATING_RANGE[1] + 1)],
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Rate the session from {RATING_RANGE[0]} to {RATING_RANGE[1]}.",
            "invalid_choice": f"Rate the session from {RATING_RANGE[0]} to {RATING_RANGE[1]}.",
        },
    )
    useful = forms.CharField(
        label="What was useful?",
        required=False,
        max_length=USEFUL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fit = forms.ChoiceField(
        label="After this first session, is the pair a good fit?",
        choices=SessionFeedback.Fit.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "After your first session, say whether the pair is a good fit.",
            "invalid_choice": "After your first session, say whether the pair is a good fit.",
        },
        help_text="“Not a good fit” is fine to say: it happens, and you can end the pair without fault.",
    )

    def __init__(self, *args: Any, asks_fit: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not asks_fit:
            del self.fields["fit"]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"rating": data["rating"], "useful": data["useful"], "fit": data.get("fit", "")}
