"""Dashboard filters: read from the query string (so a filtered view can be shared as a link), validated by a
form, and turned into querysets of the people and pairs a figure covers.

People filters (division, level, cohort) choose *who*; the period chooses *when* activity counts. A pair
is covered when its mentee matches division and level, and when its mentor belongs to the chosen cohort.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from cohorts.models import Cohort, CohortMember
from mentoring.forms import DATE_INPUT
from people.models import MAX_JOB_LEVEL, Division

# Levels are grouped into bands: a single level is often too small a group to show.
LEVEL_BANDS: list[tuple[str, str, int, int]] = [
    ("1-3", "Levels 1-3", 1, 3),
    ("4-6", "Levels 4-6", 4, 6),
    ("7-9", "Levels 7-9", 7, 9),
    ("10-12", "Levels 10-12", 10, 12),
    ("13-20", "Levels 13 and above", 13, MAX_JOB_LEVEL),
]
LEVEL_BAND_LABELS = {key: label for key, label, _low, _high in LEVEL_BANDS}


def level_range(key: str) -> tuple[int, int]:
    return next((low, high) for band, _label, low, high in LEVEL_BANDS if band == key)


def level_band(level: int | None) -> str:
    """The band a job level falls in ("" for none)."""
    return next((band for band, _label, low, high in LEVEL_BANDS if level and low <= level <= high), "")


class FilterForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    end = forms.DateField(label="To", required=False, widget=DATE_INPUT)
    division = forms.ModelChoiceField(
        queryset=Division.objects.order_by("name"), required=False, empty_label="All divisions"
    )
    level = forms.ChoiceField(
        choices=[("", "All levels"), *[(key, label) for key, label, _l, _h in LEVEL_BANDS]], required=False
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.order_by("-starts_on"),
        required=False,
        empty_label="Any mentor",
        label="Mentors of cohort",
    )

    def __init__(self, *args, with_cohort: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_cohort:
            del self.fields["cohort"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = (
                f"{css} form-select-sm" if css == "form-select" else f"{css} form-control-sm"
            )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The period starts after it ends: choose a start before the end.")
        return data


@dataclass(frozen=True)
class Filters:
    start: datetime.date | None = None
    end: datetime.date | None = None
    division: Division | None = None
    level: str = ""
    cohort: Cohort | None = None

    @classmethod
    def from_form(cls, form: FilterForm) -> Filters:
        data = form.cleaned_data
        return cls(
            start=data.get("start"),
            end=data.get("end"),
            division=data.get("division"),
            level=data.get("level") or "",
            cohort=data.get("cohort"),
        )

    @property
    def people_filters(self) -> list[str]:
        """The people filters in force, by name."""
        return [name for name in ("division", "level", "cohort") if getattr(self, name)]

    def without(self, name: str) -> Filters:
        values = {f: getattr(self, f) for f in ("start", "end", "division", "level", "cohort")}
        values[name] = "" if name == "level" else None
        return Filters(**values)

    @property
    def cache_key(self) -> str:
        return "|".join(
            str(part)
            for part in (
                self.start or "",
                self.end or "",
                self.division.pk if self.division else "",
                self.level,
                self.cohort.pk if self.cohort else "",
            )
        )

    def querystring(self) -> str:
        pairs = [
            ("start", self.start.isoformat() if self.start else ""),
            ("end", self.end.isoformat() if self.end else ""),
            ("division", str(self.division.pk) if self.division else ""),
            ("level", self.level),
            ("cohort", str(self.cohort.pk) if self.cohort else ""),
        ]
        return urlencode([(key, value) for key, value in pairs if value])

    def described(self) -> list[tuple[str, str]]:
        described: list[tuple[str, str]] = []
        if self.start or self.end:
            start = self.start.isoformat() if self.start else "the beginning"
            end = self.end.isoformat() if self.end else "today"
            described.append(("Period", f"{start} to {end}"))
        if self.division:
            described.append(("Division", self.division.name))
        if self.level:
            described.append(("Job level", self.level))
        if self.cohort:
            described.append(("Mentors of cohort", self.cohort.name))
        return described

    # --- Querysets ------------------------------------------------------------------------------------------

    def person_q(self, prefix: str = "") -> Q:
        """Division and level, for a person reached through ``prefix`` (e.g. ``"person__"``)."""
        q = Q()
        if self.division:
            q &= Q(**{f"{prefix}department__division": self.division})
        if self.level:
            low, high = level_range(self.level)
            q &= Q(**{f"{prefix}job_level__gte": low, f"{prefix}job_level__lte": high})
        return q

    def cohort_member(self, person_ref: str) -> Exists:
        assert self.cohort is not None
        return Exists(CohortMember.objects.filter(cohort=self.cohort, person_id=OuterRef(person_ref)))

    def pair_q(self, prefix: str = "") -> Q:
        """Pairs covered: the mentee matches division and level, the mentor belongs to the cohort."""
        q = self.person_q(f"{prefix}mentee__person__")
        if self.cohort:
            q &= Q(self.cohort_member(f"{prefix}mentor__person_id"))
        return q

    def participant_q(self, prefix: str = "") -> Q:
        """Participants covered: division and level on the person; with a cohort, its members as mentors
        and the mentees paired with them."""
        q = self.person_q(f"{prefix}person__")
        if self.cohort:
            from matching.models import Mentorship

            paired = Exists(
                Mentorship.objects.filter(mentee_id=OuterRef(f"{prefix}pk" if prefix else "pk")).filter(
                    Exists(
                        CohortMember.objects.filter(
                            cohort=self.cohort, person_id=OuterRef("mentor__person_id")
                        )
                    )
                )
            )
            q &= (Q(**{f"{prefix}role": "mentor"}) & Q(self.cohort_member(f"{prefix}person_id"))) | (
                Q(**{f"{prefix}role": "mentee"}) & Q(paired)
            )
        return q

    def in_period(self, field: str) -> Q:
        """Activity dated by ``field`` (a date or datetime) within the period."""
        q = Q()
        instants = field.endswith("_at")
        if self.start:
            q &= Q(**{f"{field}__gte": _midnight(self.start) if instants else self.start})
        if self.end:
            if instants:
                q &= Q(**{f"{field}__lt": _midnight(self.end + datetime.timedelta(days=1))})
            else:
                q &= Q(**{f"{field}__lte": self.end})
        return q


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the organization's time zone (compared with indexed columns, not cast)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
