"""Form helpers every app's forms share: service errors put back on their fields, the date input, and a
wall-clock time read in the user's time zone."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import ClassVar

from django import forms
from django.utils import timezone

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceErrorsForm(forms.Form):
    """A form whose input a service checks again: the service's errors go on the fields they name."""

    # Where a service's error on a value the form does not show as one field belongs.
    error_fields: ClassVar[dict[str, str]] = {}

    def add_service_errors(self, errors: Mapping[str | None, list[str]]) -> None:
        for field, messages in errors.items():
            name = self.error_fields.get(field or "", field)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def first_error(self) -> str:
        for messages in self.errors.values():
            for message in messages:
                return str(message)
        return ""


def local_instant(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The instant a wall-clock date and time name in the current (the user's) time zone. A time the clocks
    skip (when they go forward) names no instant and is refused."""
    zone = timezone.get_current_timezone()
    naive = datetime.datetime.combine(day, time.replace(second=0, microsecond=0))
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise forms.ValidationError(
            f"{naive:%H:%M} does not exist on {day:%d %b %Y} in {timezone.get_current_timezone_name()}: the "
            "clocks go forward that night. Choose another time."
        )
    return aware
