"""Forms of the cohort: creating it, its events, the attendance grid, cancelling, graduating and the HRIS
export. They convert input (a date and a time typed in the user's time zone become one aware instant); every
rule lives in ``cohorts.services.cohort`` and ``cohorts.services.graduation``, which check it again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone

from mentoring.forms import DATE_INPUT, ServiceErrorsForm, local_instant
from programs.forms.manage import PeopleField

from ..models import Attendance, CohortEvent, CohortMember
from ..services.cohort import (
    AGENDA_MAX_LENGTH,
    DURATION_MESSAGE,
    DURATION_RANGE,
    FACILITATOR_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
GRID_PREFIX = "member-"


class CohortForm(ServiceErrorsForm):
    name = forms.CharField(label="Name", max_length=NAME_MAX_LENGTH)
    starts_on = forms.DateField(label="Starts on", widget=DATE_INPUT)
    ends_on = forms.DateField(
        label="Ends on",
        widget=DATE_INPUT,
        required=False,
        help_text="Leave empty for about six months of training.",
    )
    min_attendance_percent = forms.IntegerField(
        label="Attendance needed to graduate (%)",
        min_value=0,
        max_value=100,
        initial=80,
        help_text="Excused absences do not count against a member; required events must be attended.",
    )
    coordinators = PeopleField(
        label="Coordinators",
        required=False,
        help_text="One per line: employee ID or e-mail address. They plan events and take attendance.",
    )


class EventForm(ServiceErrorsForm):
    error_fields = {"starts_at": "date"}

    kind = forms.ChoiceField(label="Kind", choices=CohortEvent.Kind.choices)
    title = forms.CharField(label="Title", max_length=TITLE_MAX_LENGTH)
    date = forms.DateField(label="Date", widget=DATE_INPUT, error_messages={"required": "Give the date."})
    time = forms.TimeField(
        label="Start time", widget=TIME_INPUT, error_messages={"required": "Give the start time."}
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=DURATION_RANGE[0],
        max_value=DURATION_RANGE[1],
        initial=90,
        error_messages={"min_value": DURATION_MESSAGE, "max_value": DURATION_MESSAGE},
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    location = forms.CharField(
        label="Place or link",
        required=False,
        max_length=LOCATION_MAX_LENGTH,
        help_text="A room, an address, or the video call's link.",
    )
    facilitator = forms.CharField(label="Facilitator", required=False, max_length=FACILITATOR_MAX_LENGTH)
    agenda = forms.CharField(
        label="Agenda", required=False, max_length=AGENDA_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    required = forms.BooleanField(
        label="Required to graduate", required=False, help_text="Members must attend it to graduate."
    )

    def __init__(self, *args: Any, event: CohortEvent | None = None, **kwargs: Any) -> None:
        if event is not None:
            starts = timezone.localtime(event.starts_at)
            kwargs.setdefault(
                "initial",
                {
                    "kind": event.kind,
                    "title": event.title,
                    "date": starts.date(),
                    "time": starts.time().replace(second=0, microsecond=0),
                    "duration_minutes": event.duration_minutes,
                    "location": event.location,
                    "facilitator": event.facilitator,
                    "agenda": event.agenda,
                    "required": event.required,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["time"].help_text = f"In your time zone ({timezone.get_current_timezone_name()})."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is not None and time is not None:
            try:
                cleaned["starts_at"] = local_instant(day, time)
            except forms.ValidationError as error:
                self.add_error("time", error)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "location": data["location"],
            "facilitator": data["facilitator"],
            "agenda": data["agenda"],
            "required": data["required"],
        }


class CancelForm(forms.Form):
    why = forms.CharField(
        label="Reason (optional, sent to the members)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(forms.Form):
    """The whole grid: one required choice per member (``member-<pk>``). Any other ``member-`` key, such as
    a crafted row for someone not on the grid, makes the grid invalid."""

    def __init__(
        self,
        *args: Any,
        members: list[CohortMember],
        current: Mapping[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        current = current or {}
        for member in members:
            self.fields[f"{GRID_PREFIX}{member.pk}"] = forms.ChoiceField(
                label=member.person.full_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=current.get(member.pk),
                error_messages={
                    "required": f"Choose present, absent or excused for {member.person.full_name}.",
                    "invalid_choice": f"Choose present, absent or excused for {member.person.full_name}.",
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_bound:
            extra = [k for k in self.data if k.startswith(GRID_PREFIX) and k not in self.fields]
            if extra:
                raise forms.ValidationError(
                    "The grid names someone who is not a member of this cohort; reload the page."
                )
        return cleaned

    def rows(self) -> list[tuple[CohortMember, forms.BoundField]]:
        return [(m, self[f"{GRID_PREFIX}{m.pk}"]) for m in self.members]

    def grid(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"{GRID_PREFIX}{m.pk}"] for m in self.members}


class SinceForm(forms.Form):
    since = forms.DateField(
        label="Issued on or after", widget=DATE_INPUT, error_messages={"required": "Give the first day."}
    )
