"""Configuring programs: create (blank or from a starter template) and edit one section at a time. Key
results and duplication for next year's run have their own modules.

Every rule is checked here, whatever the caller: the settings page's forms only convert input. Errors
are raised as ``SectionInvalid`` with a message per field, so a page can show each one where it belongs.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from people.models import MAX_JOB_LEVEL, MIN_JOB_LEVEL, Department, Division, Person, User
from people.permissions import person_for_user
from programs.models import MENTOR_PROFILE_FIELDS, KeyResult, Program, Question, Resource
from programs.selectors import directory_locations
from programs.starter_templates import STARTER_TEMPLATES

from . import ProgramError
from .lifecycle import timeline_problems

S = Program.Status
STATUS_ORDER = [S.DRAFT, S.ENROLLING, S.MATCHING, S.RUNNING, S.CLOSED]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[str, ...]
    # Governance is for HR admins only; coordinators read it.
    governance: bool = False


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in [
        Section("basics", "Basics", ("name", "kind", "purpose", "description")),
        Section(
            "timeline",
            "Timeline",
            ("enrollment_opens_on", "enrollment_closes_on", "matching_on", "starts_on", "ends_on"),
        ),
        Section("rhythm", "Rhythm", ("meeting_cadence_days", "checkin_cadence_months", "session_topics")),
        Section(
            "matching",
            "Capacity and matching",
            (
                "default_mentor_capacity",
                "max_mentor_capacity",
                "mentors_per_mentee",
                "matching_mode",
                "matching_priority",
                "min_match_score",
                "weight_different_department",
                "weight_different_division",
                "weight_mentor_senior",
                "weight_same_location",
                "weight_master_mentor",
                "mentor_profile_fields",
            ),
        ),
        Section(
            "approvals", "Approvals", ("enrollment_approval", "manager_approval", "manager_approval_days")
        ),
        Section(
            "eligibility",
            "Eligibility",
            (
                "eligible_divisions",
                "eligible_departments",
                "min_job_level",
                "max_job_level",
                "min_tenure_months",
                "eligible_locations",
            ),
        ),
        Section("mentor-requirement", "Mentor requirement", ("mentor_requirement",)),
        Section("governance", "Governance", ("budget", "coordinators", "sponsors"), governance=True),
    ]
}

M2M_FIELDS = {"eligible_divisions", "eligible_departments", "coordinators", "sponsors"}
M2M_MODELS: dict[str, type[Model]] = {
    "eligible_divisions": Division,
    "eligible_departments": Department,
    "coordinators": Person,
    "sponsors": Person,
}

LABELS: dict[str, str] = {
    "name": "Name",
    "kind": "Kind",
    "purpose": "Purpose",
    "description": "Description",
    "enrollment_opens_on": "Enrollment opens on",
    "enrollment_closes_on": "Enrollment closes on",
    "matching_on": "Matching on",
    "starts_on": "Program starts on",
    "ends_on": "Program ends on",
    "meeting_cadence_days": "Days between sessions",
    "checkin_cadence_months": "Months between check-ins",
    "session_topics": "Session topics",
    "default_mentor_capacity": "Default mentor capacity",
    "max_mentor_capacity": "Maximum mentor capacity",
    "mentors_per_mentee": "Mentors per mentee",
    "matching_mode": "Matching mode",
    "matching_priority": "Matching priority",
    "min_match_score": "Minimum match score",
    "weight_different_department": "Different department",
    "weight_different_division": "Different division",
    "weight_mentor_senior": "Mentor more senior by 1-3 levels",
    "weight_same_location": "Same location",
    "weight_master_mentor": "Certified Master Mentor (when preferred)",
    "mentor_profile_fields": "What mentees choosing a mentor see",
    "enrollment_approval": "Coordinators approve applications",
    "manager_approval": "Managers approve applications first",
    "manager_approval_days": "Days of managerial silence that count as approval",
    "eligible_divisions": "Divisions",
    "eligible_departments": "Departments",
    "min_job_level": "Lowest job level",
    "max_job_level": "Highest job level",
    "min_tenure_months": "Minimum months with the organization",
    "eligible_locations": "Locations",
    "mentor_requirement": "Mentors must have",
    "budget": "Budget",
    "coordinators": "Coordinators",
    "sponsors": "Sponsors",
}

# Inclusive ranges of the whole-number settings; the forms take their limits from here too.
LIMITS: dict[str, tuple[int, int]] = {
    "meeting_cadence_days": (1, 365),
    "checkin_cadence_months": (1, 12),
    "default_mentor_capacity": (1, 20),
    "max_mentor_capacity": (1, 20),
    "mentors_per_mentee": (1, 5),
    "min_match_score": (0, 100),
    "weight_different_department": (0, 10),
    "weight_different_division": (0, 10),
    "weight_mentor_senior": (0, 10),
    "weight_same_location": (0, 10),
    "weight_master_mentor": (0, 10),
    "manager_approval_days": (1, 60),
    "min_job_level": (MIN_JOB_LEVEL, MAX_JOB_LEVEL),
    "max_job_level": (MIN_JOB_LEVEL, MAX_JOB_LEVEL),
    "min_tenure_months": (0, 600),
}
OPTIONAL_INTS = {"min_job_level", "max_job_level"}
CHOICES: dict[str, type] = {
    "kind": Program.Kind,
    "purpose": Program.Purpose,
    "matching_mode": Program.MatchingMode,
    "matching_priority": Program.MatchingPriority,
    "mentor_requirement": Program.MentorRequirement,
}
DATE_FIELDS = SECTIONS["timeline"].fields
BOOLEAN_FIELDS = {"enrollment_approval", "manager_approval"}
NAME_MAX_LENGTH = Program._meta.get_field("name").max_length or 150
# The topics pairs pick from when they log a session: how many, and how long each may be.
SESSION_TOPICS_RANGE = (1, 40)
SESSION_TOPIC_MAX_LENGTH = 80
BUDGET_LIMIT = Decimal("9999999999.99")  # max_digits=12, decimal_places=2

# What may still change once a program is under way: the status from which each field is fixed, and why.
# Fields not listed (name, purpose, description, governance) may always change.
_AFTER_ENROLLMENT = "Fixed once enrollment has closed: people applied under these rules."
_AFTER_MATCHING = "Fixed once the program runs: pairs were made with these settings."
LOCKS: dict[str, tuple[str, str]] = {
    "kind": (S.MATCHING, "Fixed once matching starts: the questionnaire and matching depend on it."),
    "enrollment_opens_on": (S.MATCHING, "Fixed once enrollment has closed."),
    "enrollment_closes_on": (S.MATCHING, "Fixed once enrollment has closed."),
    "matching_on": (S.RUNNING, "Fixed once the program runs."),
    "starts_on": (S.RUNNING, "Fixed once the program runs."),
    "ends_on": (S.CLOSED, "Fixed once the program is closed."),
    "meeting_cadence_days": (S.CLOSED, "Fixed once the program is closed."),
    "checkin_cadence_months": (S.CLOSED, "Fixed once the program is closed."),
    "session_topics": (S.CLOSED, "Fixed once the program is closed."),
    "default_mentor_capacity": (S.MATCHING, _AFTER_ENROLLMENT),
    "max_mentor_capacity": (S.MATCHING, _AFTER_ENROLLMENT),
    "mentors_per_mentee": (S.MATCHING, _AFTER_ENROLLMENT),
    "matching_mode": (S.RUNNING, _AFTER_MATCHING),
    "matching_priority": (S.RUNNING, _AFTER_MATCHING),
    "min_match_score": (S.RUNNING, _AFTER_MATCHING),
    "weight_different_department": (S.RUNNING, _AFTER_MATCHING),
    "weight_different_division": (S.RUNNING, _AFTER_MATCHING),
    "weight_mentor_senior": (S.RUNNING, _AFTER_MATCHING),
    "weight_same_location": (S.RUNNING, _AFTER_MATCHING),
    "weight_master_mentor": (S.RUNNING, _AFTER_MATCHING),
    "enrollment_approval": (S.MATCHING, "Fixed once enrollment has closed."),
    "manager_approval": (S.MATCHING, "Fixed once enrollment has closed."),
    "manager_approval_days": (S.MATCHING, "Fixed once enrollment has closed."),
    "eligible_divisions": (S.MATCHING, _AFTER_ENROLLMENT),
    "eligible_departments": (S.MATCHING, _AFTER_ENROLLMENT),
    "min_job_level": (S.MATCHING, _AFTER_ENROLLMENT),
    "max_job_level": (S.MATCHING, _AFTER_ENROLLMENT),
    "min_tenure_months": (S.MATCHING, _AFTER_ENROLLMENT),
    "eligible_locations": (S.MATCHING, _AFTER_ENROLLMENT),
    "mentor_requirement": (S.MATCHING, _AFTER_ENROLLMENT),
}
# Programs under way must stay complete: these cannot be emptied once enrollment has opened.
REQUIRED_AFTER_DRAFT = {"description", *DATE_FIELDS, "coordinators"}

# Program slugs share the /programs/<slug>/ space with the app's own pages.
RESERVED_SLUGS = {"manage", "new", "approvals", "playbook", "training", "resources", "invitations", "mine"}


class SectionInvalid(ProgramError):
    """Input broke one or more rules; ``errors`` maps a field (None: the whole section) to messages."""

    def __init__(self, errors: Mapping[str | None, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


def status_rank(status: str) -> int:
    return STATUS_ORDER.index(S(status))


def locked_fields(program: Program) -> dict[str, str]:
    """Field → why it can no longer change, for the program's current status."""
    rank = status_rank(program.status)
    return {field: why for field, (since, why) in LOCKS.items() if rank >= status_rank(since)}


def section_values(program: Program, section: str) -> dict[str, Any]:
    """The current values of a section's fields (related people and places as lists of objects)."""
    values: dict[str, Any] = {}
    for field in SECTIONS[section].fields:
        if field in M2M_FIELDS:
            values[field] = list(getattr(program, field).all())
        else:
            values[field] = getattr(program, field)
    return values


# --- creating ---------------------------------------------------------------------------------


def unique_program_slug(name: str) -> str:
    base = slugify(name)[:150].strip("-") or "program"
    taken = set(Program.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise SectionInvalid({"name": ["Give the program a name."]})
    if len(name) > NAME_MAX_LENGTH:
        raise SectionInvalid({"name": [f"The name is too long: at most {NAME_MAX_LENGTH} characters."]})
    return name


@transaction.atomic
def program_create(*, name: str, template_key: str, by: User) -> Program:
    """A new draft program, blank (``template_key=""``) or from a starter template with its settings,
    suggested dates, questionnaire, key results and playbook. The creator, when in the directory,
    becomes its first coordinator."""
    if not by.has_perm("programs.add_program"):
        raise ProgramError("Only HR admins create programs.")
    name = _check_name(name)
    template = None
    if template_key:
        template = STARTER_TEMPLATES.get(template_key)
        if template is None:
            raise SectionInvalid(
                {"template_key": ["Choose one of the starter templates, or a blank program."]}
            )
    program = Program(name=name, slug=unique_program_slug(name), created_by=by, template_key=template_key)
    if template is not None:
        for field, value in template["program"].items():
            setattr(program, field, value)
        today = timezone.localdate()
        for field, days in template["timeline"].items():
            setattr(program, field, today + datetime.timedelta(days=days))
    program.save()
    person = person_for_user(by)
    if person is not None and person.status != Person.Status.LEFT:
        program.coordinators.add(person)
    if template is not None:
        # Copies, so that no program ever shares (and could change) the template's own lists.
        template = copy.deepcopy(template)
        Question.objects.bulk_create(
            Question(program=program, order=n, **question) for n, question in enumerate(template["questions"])
        )
        KeyResult.objects.bulk_create(
            KeyResult(
                program=program,
                objective=kr["objective"],
                metric=kr["metric"],
                baseline=None if kr["baseline"] is None else Decimal(kr["baseline"]),
                target=Decimal(kr["target"]),
                due_on=getattr(program, kr["due"]),
            )
            for kr in template["key_results"]
        )
        Resource.objects.bulk_create(
            Resource(program=program, order=n, **resource) for n, resource in enumerate(template["resources"])
        )
    return program


# --- one section at a time ----------------------------------------------------------------------


def _pk_set(values: Iterable[Any]) -> set[int]:
    return {getattr(value, "pk", value) for value in values}


def _same(field: str, a: Any, b: Any) -> bool:
    if field in M2M_FIELDS:
        return _pk_set(a or []) == _pk_set(b or [])
    if field in ("eligible_locations", "mentor_profile_fields"):
        return sorted(a or []) == sorted(b or [])
    return a == b


def _resolve_related(field: str, values: Iterable[Any], errors: dict[str | None, list[str]]) -> list[Any]:
    """Load the objects of a many-to-many field by their keys, naming any that do not exist."""
    model = M2M_MODELS[field]
    if isinstance(values, str) or not isinstance(values, Iterable):
        errors[field].append(f"{LABELS[field]}: choose from the list.")
        return []
    wanted = _pk_set(values)
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in wanted):
        errors[field].append(f"{LABELS[field]}: choose from the list.")
        return []
    queryset = model.objects.filter(pk__in=wanted)  # type: ignore[attr-defined]
    if model is Department:
        queryset = queryset.select_related("division")
    found = list(queryset)
    if len(found) != len(wanted):
        errors[field].append(f"{LABELS[field]}: some of the chosen entries no longer exist. Reload the page.")
    return found


def _check_int(field: str, value: Any, errors: dict[str | None, list[str]]) -> None:
    if value is None:
        if field not in OPTIONAL_INTS:
            errors[field].append(f"{LABELS[field]} is required.")
        return
    low, high = LIMITS[field]
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field].append(f"{LABELS[field]} must be a whole number.")
    elif not low <= value <= high:
        errors[field].append(f"{LABELS[field]} must be between {low} and {high}; it was {value}.")


def _check_values(program: Program, values: dict[str, Any], errors: dict[str | None, list[str]]) -> None:
    """Every rule on the values of one section (``values`` holds all its fields)."""
    for field, value in values.items():
        if field in LIMITS:
            _check_int(field, value, errors)
        elif field in CHOICES and value not in CHOICES[field].values:  # type: ignore[attr-defined]
            errors[field].append(f"{LABELS[field]}: choose one of the options offered.")
        elif field in DATE_FIELDS and value is not None and type(value) is not datetime.date:
            errors[field].append(f"{LABELS[field]} must be a date.")
        elif field in BOOLEAN_FIELDS and not isinstance(value, bool):
            errors[field].append(f"{LABELS[field]} must be yes or no.")
    if "name" in values:
        try:
            values["name"] = _check_name(values["name"])
        except SectionInvalid as exc:
            errors["name"].extend(exc.errors["name"])
    if "description" in values:
        values["description"] = (values["description"] or "").strip()
    if "session_topics" in values:
        _check_session_topics(values, errors)
    if program.status != S.DRAFT:
        for field in REQUIRED_AFTER_DRAFT & values.keys():
            if not values[field]:
                errors[field].append(
                    f"{LABELS[field]} cannot be left empty once enrollment has opened; "
                    "a program under way must stay complete."
                )
    if any(errors.values()):
        return
    if "ends_on" in values:
        probe = copy.copy(program)
        for field in DATE_FIELDS:
            setattr(probe, field, values[field])
        errors[None].extend(timeline_problems(probe))
    if "default_mentor_capacity" in values:
        _check_capacity(program, values, errors)
    if "mentor_profile_fields" in values:
        _check_profile_fields(values, errors)
    if "eligible_divisions" in values:
        _check_eligibility(program, values, errors)
    if "budget" in values:
        _check_governance(values, errors)


def _check_session_topics(values: dict[str, Any], errors: dict[str | None, list[str]]) -> None:
    topics = values["session_topics"]
    if not isinstance(topics, list | tuple) or not all(isinstance(t, str) for t in topics):
        errors["session_topics"].append("Session topics must be a list of topics, one per line.")
        return
    topics = [" ".join(t.split()) for t in topics]
    low, high = SESSION_TOPICS_RANGE
    if any(not t for t in topics):
        errors["session_topics"].append("A session topic cannot be empty.")
    if not low <= len(topics) <= high:
        errors["session_topics"].append(
            f"Give between {low} and {high} session topics; there {'is' if len(topics) == 1 else 'are'} "
            f"{len(topics)}."
        )
    long = [t for t in topics if len(t) > SESSION_TOPIC_MAX_LENGTH]
    if long:
        errors["session_topics"].append(
            f"Keep each session topic to at most {SESSION_TOPIC_MAX_LENGTH} characters; {len(long)} "
            f"{'is' if len(long) == 1 else 'are'} longer."
        )
    seen: set[str] = set()
    twice = []
    for topic in topics:
        if topic.casefold() in seen and topic not in twice:
            twice.append(topic)
        seen.add(topic.casefold())
    if twice:
        errors["session_topics"].append(
            f"Give each session topic once: {', '.join(twice)} appear{'s' if len(twice) == 1 else ''} twice."
        )
    values["session_topics"] = topics


def _check_capacity(program: Program, values: dict[str, Any], errors: dict[str | None, list[str]]) -> None:
    default, maximum = values["default_mentor_capacity"], values["max_mentor_capacity"]
    if default > maximum:
        errors["default_mentor_capacity"].append(
            f"The default capacity ({default}) is above the maximum ({maximum}); "
            "lower it or raise the maximum."
        )
    above = program.participants.mentors().active().filter(capacity__gt=maximum).count()
    if above:
        errors["max_mentor_capacity"].append(
            f"{above} mentor{'s' if above != 1 else ''} already offered to take more than {maximum} "
            "mentees. Agree a lower capacity with them first, or keep the maximum."
        )


def _check_profile_fields(values: dict[str, Any], errors: dict[str | None, list[str]]) -> None:
    chosen = values["mentor_profile_fields"]
    known = [key for key, _label in MENTOR_PROFILE_FIELDS]
    if chosen is None:
        chosen = []
    if not isinstance(chosen, list | tuple) or not all(isinstance(x, str) and x in known for x in chosen):
        errors["mentor_profile_fields"].append(
            "Choose what mentees see from the list: job title, department, division, location."
        )
        return
    values["mentor_profile_fields"] = [key for key in known if key in chosen]


def _check_eligibility(program: Program, values: dict[str, Any], errors: dict[str | None, list[str]]) -> None:
    divisions = _resolve_related("eligible_divisions", values["eligible_divisions"], errors)
    departments = _resolve_related("eligible_departments", values["eligible_departments"], errors)
    values["eligible_divisions"], values["eligible_departments"] = divisions, departments
    if divisions:
        chosen = {d.pk for d in divisions}
        outside = [str(d) for d in departments if d.division_id not in chosen]
        if outside:
            errors["eligible_departments"].append(
                "These departments are not in the chosen divisions: "
                f"{', '.join(outside)}. Add their divisions, or leave the divisions empty."
            )
    low, high = values["min_job_level"], values["max_job_level"]
    if low is not None and high is not None and low > high:
        errors["max_job_level"].append(
            f"The highest job level ({high}) is below the lowest ({low}); swap them."
        )
    locations = values["eligible_locations"] or []
    if not isinstance(locations, list | tuple) or not all(isinstance(x, str) for x in locations):
        errors["eligible_locations"].append("Locations must be chosen from the list.")
        return
    known = set(directory_locations()) | set(program.eligible_locations)
    unknown = sorted(set(locations) - known)
    if unknown:
        errors["eligible_locations"].append(
            f"Nobody in the directory works at {', '.join(unknown)}; choose locations from the list."
        )
    values["eligible_locations"] = sorted(set(locations))


def _check_governance(values: dict[str, Any], errors: dict[str | None, list[str]]) -> None:
    budget = values["budget"]
    if budget is not None:
        try:
            budget = Decimal(budget)
        except (InvalidOperation, TypeError, ValueError):
            errors["budget"].append("The budget must be an amount of money, such as 25000.")
        else:
            if not budget.is_finite() or budget < 0:
                errors["budget"].append("The budget cannot be negative; leave it empty if there is none.")
            elif budget > BUDGET_LIMIT:
                errors["budget"].append("The budget is too large to record.")
            values["budget"] = budget
    for field in ("coordinators", "sponsors"):
        people = _resolve_related(field, values[field], errors)
        left = [p.full_name for p in people if p.status == Person.Status.LEFT]
        if left:
            errors[field].append(
                f"{', '.join(left)} left the organization; remove them from the {LABELS[field].lower()}."
            )
        values[field] = people


@transaction.atomic
def program_update_section(*, program: Program, section: str, data: Mapping[str, Any], by: User) -> Program:
    """Save some or all fields of one section of the settings, or raise ``SectionInvalid`` and save
    nothing. Fields that are fixed for the program's status may be given unchanged, never changed."""
    spec = SECTIONS.get(section)
    if spec is None:
        raise ProgramError("There is no such section of the settings.")
    if spec.governance and not by.has_perm("programs.govern_program", program):
        raise ProgramError("Only HR admins change a program's coordinators, sponsors and budget.")
    unknown = sorted(set(data) - set(spec.fields))
    if unknown:
        raise SectionInvalid(
            {None: [f"{', '.join(unknown)} are not part of the {spec.title.lower()} section."]}
        )
    locked = Program.objects.select_for_update().get(pk=program.pk)
    values = section_values(locked, section)
    errors: dict[str | None, list[str]] = defaultdict(list)
    locks = locked_fields(locked)
    for field, value in data.items():
        if field in locks and not _same(field, value, values[field]):
            errors[field].append(locks[field])
    values.update(data)
    if not any(errors.values()):
        _check_values(locked, values, errors)
    if any(errors.values()):
        raise SectionInvalid(errors)
    scalars = [f for f in spec.fields if f not in M2M_FIELDS]
    for field in scalars:
        setattr(locked, field, values[field])
    locked.save(update_fields=[*scalars, "updated_at"])
    for field in spec.fields:
        if field in M2M_FIELDS:
            getattr(locked, field).set(values[field])
    return locked
