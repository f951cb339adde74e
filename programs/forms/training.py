"""Forms of the mentor training page; the rules live in ``programs.services.training``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from mentoring.uploads import CSV, read_upload
from people.models import Person
from programs.services.training import COURSE_MAX_LENGTH, DEFAULT_COURSE, training_problems

UPLOAD_MAX_MB = 2


class TrainingRecordForm(forms.Form):
    person = forms.CharField(
        label="Employee ID or e-mail address",
        max_length=254,
        help_text="Of the person who completed the training.",
    )
    course = forms.CharField(label="Course", max_length=COURSE_MAX_LENGTH, initial=DEFAULT_COURSE)
    completed_on = forms.DateField(label="Completed on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_person(self) -> Person:
        text = self.cleaned_data["person"].strip()
        if "@" in text:
            person = Person.objects.filter(email__iexact=text).first()
            found = f"the e-mail address {text}"
        else:
            person = Person.objects.filter(employee_id=text).first()
            found = f"the employee ID '{text}'"
        if person is None:
            raise forms.ValidationError(f"Nobody in the directory has {found}.")
        return person

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        person, completed_on = cleaned.get("person"), cleaned.get("completed_on")
        if person is not None and completed_on is not None:
            course = (cleaned.get("course") or "").strip()
            for field, message in training_problems(person=person, completed_on=completed_on, course=course):
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned


class TrainingImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.FileInput(attrs={"accept": ".csv"}),
        help_text=(
            f"UTF-8 CSV of at most {UPLOAD_MAX_MB} MB with the columns employee_id, "
            f"completed_on (YYYY-MM-DD) and, optionally, course (“{DEFAULT_COURSE}” when empty)."
        ),
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        read_upload(upload, extensions=(CSV,), max_bytes=UPLOAD_MAX_MB * 1024 * 1024)
        return upload


class TrainingSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": "Name, e-mail, employee ID or course", "type": "search"}
        ),
    )
