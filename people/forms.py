"""Forms of the directory pages: they check and convert input; the rules live in the services."""

from __future__ import annotations

from auditlog.models import LogEntry
from django import forms
from django.apps import apps
from django.conf import settings

from mentoring.audit import LOGGED_MODELS
from mentoring.forms import DATE_INPUT
from mentoring.uploads import read_upload

from .importing import ACCEPTED_EXTENSIONS, ImportFileError, check_file
from .models import MAX_JOB_LEVEL, MIN_JOB_LEVEL, DirectoryImport, Division, Person, PersonnelRecord, User
from .timezones import time_zone_names


class DirectoryImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=DirectoryImport.Kind.choices,
        initial=DirectoryImport.Kind.PEOPLE,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="File",
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty.",
            "invalid": "No file was received; choose the file again.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.content = b""
        self.fields[
            "file"
        ].help_text = f"A .csv (UTF-8) or .xlsx file of at most {settings.PEOPLE_IMPORT_MAX_UPLOAD_MB} MB."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PEOPLE_IMPORT_MAX_UPLOAD_MB * 1024 * 1024
        self.content = read_upload(upload, extensions=ACCEPTED_EXTENSIONS, max_bytes=limit)
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or kind is None:
            return cleaned
        content = self.content
        try:
            check_file(content=content, file_name=upload.name, kind=kind)
        except ImportFileError as exc:
            self.add_error("file", str(exc))
        cleaned["content"] = content
        return cleaned


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Name, title, e-mail or employee ID"}),
    )
    division = forms.ModelChoiceField(
        queryset=Division.objects.order_by("name"), required=False, empty_label="All divisions"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Person.Status.choices], required=False)

    def __init__(self, *args, hr_admin: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not hr_admin:
            # Employees only ever see current colleagues.
            del self.fields["status"]


class HRAdminAddForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address of the login",
        help_text="The person must have signed in at least once.",
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                "Nobody has signed in with this address yet. Ask them to sign in once, then add them."
            )
        if user.is_hr_admin:
            raise forms.ValidationError(f"{user.email} is already an HR admin.")
        self.cleaned_data["user"] = user
        return email


class PersonnelRecordForm(forms.Form):
    kind = forms.ChoiceField(choices=PersonnelRecord.Kind.choices)
    effective_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(max_length=200)
    job_level = forms.IntegerField(
        required=False,
        min_value=MIN_JOB_LEVEL,
        max_value=MAX_JOB_LEVEL,
        help_text="The new job level, for promotions.",
    )
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        required=False,
        help_text="Session times on every page, in e-mails and in calendar invites are shown in this zone.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        default = f"The organization's ({settings.TIME_ZONE})"
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", default), *((name, name.replace("_", " ")) for name in time_zone_names())]
        field.error_messages["invalid_choice"] = (
            "“%(value)s” is not a time zone we know; choose one from the list."
        )


class AuditLogFilterForm(forms.Form):
    action = forms.TypedChoiceField(
        label="Action",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "Any action"),
            *((value, str(label).capitalize()) for value, label in LogEntry.Action.choices),
        ],
    )
    model = forms.ChoiceField(label="What", required=False)
    actor = forms.CharField(label="Who (e-mail)", required=False, max_length=254)
    since = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    until = forms.DateField(label="Until", required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = sorted(
            (str(apps.get_model(label)._meta.verbose_name).capitalize(), label.lower())
            for label in LOGGED_MODELS
        )
        field = self.fields["model"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Anything"), *((value, name) for name, value in kinds)]

    def clean(self) -> dict:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day comes before the first.")
        return cleaned
