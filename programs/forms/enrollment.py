"""Forms of enrollment: applying (next to the questionnaire), withdrawing, decisions and invitations.

They check and convert input; the rules (eligibility, windows, transitions) live in
``programs.services`` (``eligibility``, ``enrollment``, ``invitations``), which checks everything again.
"""

from __future__ import annotations

import csv
import io
import re

from django import forms

from mentoring.uploads import CSV, read_upload
from people.models import Person
from programs.models import Participant, Program
from programs.services.enrollment import DECISIONS
from programs.services.invitations import MAX_INVITE_ADDRESSES

REASON_MAX_LENGTH = 1000
CSV_MAX_BYTES = 1024 * 1024


def errors_text(form: forms.Form) -> str:
    """Every error of a small form in one sentence, for a message after a redirect."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class MentorCommitmentForm(forms.Form):
    """What a mentor adds to the questionnaire: how many mentees, and their commitment to the rhythm."""

    commitment = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to commit to the program's rhythm."},
    )

    def __init__(self, *args, program: Program, with_commitment: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        most = program.max_mentor_capacity
        self.fields["capacity"] = forms.IntegerField(
            label="How many mentees can you take?",
            min_value=1,
            max_value=most,
            initial=program.default_mentor_capacity,
            help_text=f"From 1 to {most}; most mentors take {program.default_mentor_capacity}.",
            error_messages={
                "required": "Say how many mentees you can take.",
                "min_value": "Take at least one mentee.",
                "max_value": f"Mentors in this program take at most {most} mentees.",
            },
        )
        self.order_fields(["capacity", "commitment"])
        if with_commitment:
            self.fields["commitment"].label = (
                f"I commit to meeting my mentees about every {program.meeting_cadence_days} days and to "
                f"answering the check-ins every {program.checkin_cadence_months} months."
            )
        else:
            del self.fields["commitment"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you leaving? (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The coordinators read it; it helps them improve the program.",
    )


class IdListField(forms.Field):
    """Many ids from checkboxes; which of them are allowed is the service's business."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return [int(v) for v in values]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError("Choose people from the list.") from exc


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Name, e-mail or employee ID"}),
    )
    role = forms.ChoiceField(
        label="Role", choices=[("", "Both roles"), *Participant.Role.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *Participant.Status.choices], required=False
    )


class DecisionForm(forms.Form):
    participants = IdListField(error_messages={"required": "Choose at least one person."})
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (s.value, label) for s, label in zip(DECISIONS, ("Approve", "Waitlist", "Decline"), strict=True)
        ],
    )
    reason = forms.CharField(
        label="Reason (needed to waitlist or decline; the applicants see it)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ManagerDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    reason = forms.CharField(
        label="Reason (needed to decline; your report sees it)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Invite as",
        choices=Participant.Role.choices,
        initial=Participant.Role.MENTEE,
        widget=forms.RadioSelect,
    )


class InviteSearchForm(forms.Form):
    invite_q = forms.CharField(
        label="Find people in the directory",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Name, e-mail or employee ID", "type": "search"}),
    )


class InvitePickForm(forms.Form):
    role = _role_field()
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.current(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick at least one person to invite.",
            "invalid_choice": "Someone you picked is no longer in the directory; search again.",
            "invalid_pk_value": "Pick people from the search results.",
        },
    )


EMAIL_SEPARATORS = re.compile(r"[\n\r,;]+")


class InvitePasteForm(forms.Form):
    role = _role_field()
    emails = forms.CharField(
        label="E-mail addresses, one per line",
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        error_messages={"required": "Paste at least one e-mail address."},
    )

    def clean_emails(self) -> list[str]:
        emails = [e.strip() for e in EMAIL_SEPARATORS.split(self.cleaned_data["emails"]) if e.strip()]
        if not emails:
            raise forms.ValidationError("Paste at least one e-mail address.")
        if len(emails) > MAX_INVITE_ADDRESSES:
            raise forms.ValidationError(f"Paste at most {MAX_INVITE_ADDRESSES:,} addresses at a time.")
        return emails


class InviteCSVForm(forms.Form):
    role = _role_field()
    file = forms.FileField(
        label="CSV file with an “email” column",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file.", "empty": "The file is empty."},
    )

    def clean_file(self) -> list[str]:
        content = read_upload(self.cleaned_data["file"], extensions=(CSV,), max_bytes=CSV_MAX_BYTES)
        text = content.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
        if "email" not in columns:
            raise forms.ValidationError(
                "The file needs a column headed “email” in its first row; no such column was found."
            )
        try:
            emails = [(row.get(columns["email"]) or "").strip() for row in reader]
        except csv.Error as exc:
            raise forms.ValidationError(f"The file is not a readable CSV file: {exc}.") from exc
        emails = [e for e in emails if e]
        if not emails:
            raise forms.ValidationError("The “email” column is empty.")
        if len(emails) > MAX_INVITE_ADDRESSES:
            raise forms.ValidationError(f"Invite at most {MAX_INVITE_ADDRESSES:,} people at a time.")
        return emails
