"""Setting up a nomination cycle and moving it through its life: HR admins create a cycle (with the default
rubric), edit its details, seats per division, committee and rubric, open it, start the review, and close
it once decided. Publishing the decisions (reviewing → decided) belongs to the chair, whose service calls
``cycle_transition`` here. "Start next cycle" copies rubric, seats and committee into next year's draft.

Every rule is checked here, whatever the form let through: a crafted request changes nothing and gets
the same message as the form.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from people.models import MAX_JOB_LEVEL, MIN_JOB_LEVEL, Division, Person, User
from people.permissions import is_hr_admin

from ..models import CommitteeMember, Criterion, CycleStatusChange, DivisionQuota, NominationCycle
from . import CohortError

S = NominationCycle.Status
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.OPEN},
    S.OPEN: {S.REVIEWING},
    # Only through the chair's "publish decisions", which calls cycle_transition itself.
    S.REVIEWING: {S.DECIDED},
    S.DECIDED: {S.CLOSED},
    S.CLOSED: set(),
}

# The rubric every new cycle starts with; HR admins adjust it while the cycle is a draft.
DEFAULT_RUBRIC: list[tuple[str, str]] = [
    (
        "Integrity and trustworthiness",
        "Keeps their word, admits mistakes and is trusted by people at every level.",
    ),
    (
        "Judgement about boundaries and confidentiality",
        "Knows what to keep private, when to refer someone on, and where a mentor's role ends.",
    ),
    (
        "Empathy and care for the mentee's interest",
        "Puts the mentee's growth ahead of their own agenda and notices how others are doing.",
    ),
    (
        "Self-awareness and emotional intelligence",
        "Understands their own strengths, limits and reactions, and manages them well under pressure.",
    ),
    (
        "Generous listening and communication",
        "Listens fully before advising and gives clear, kind and direct feedback.",
    ),
    (
        "Track record of informal mentoring",
        "Colleagues already seek them out for advice, and the people they helped have grown.",
    ),
    (
        "Sponsoring rising talent",
        "Opens doors for others: recommends them for stretch assignments, roles and recognition.",
    ),
    (
        "Commitment to inclusion",
        "Mentors people unlike themselves and helps everyone feel they belong and can advance.",
    ),
]

DETAIL_FIELDS = (
    "name",
    "year",
    "nominations_open_on",
    "nominations_close_on",
    "review_due_on",
    "min_job_level",
    "min_tenure_months",
    "min_reviews",
    "near_tie_margin",
)
LABELS: dict[str, str] = {
    "name": "Name",
    "year": "Year",
    "nominations_open_on": "Nominations open on",
    "nominations_close_on": "Nominations close on",
    "review_due_on": "Reviews due on",
    "min_job_level": "Lowest job level",
    "min_tenure_months": "Minimum months with the organization",
    "min_reviews": "Reviews needed per candidate",
    "near_tie_margin": "Near-tie margin",
}
DATE_FIELDS = ("nominations_open_on", "nominations_close_on", "review_due_on")
# Inclusive ranges of the whole-number details; the forms take their limits from here too.
LIMITS: dict[str, tuple[int, int]] = {
    "year": (2000, 2100),
    "min_job_level": (MIN_JOB_LEVEL, MAX_JOB_LEVEL),
    "min_tenure_months": (0, 600),
    "min_reviews": (1, 20),
}
OPTIONAL_INTS = {"min_job_level", "min_tenure_months"}
MARGIN_LIMITS = (Decimal("0.00"), Decimal("5.00"))
NAME_MAX_LENGTH = NominationCycle._meta.get_field("name").max_length or 120

# Which details may still change in each status; a field not listed for the status is fixed.
EDITABLE_DETAILS: dict[str, set[str]] = {
    S.DRAFT: set(DETAIL_FIELDS),
    S.OPEN: set(DETAIL_FIELDS),
    # The committee may need more time, and the ranking's flags may be tuned while it reviews.
    S.REVIEWING: {"review_due_on", "min_reviews", "near_tie_margin"},
    S.DECIDED: set(),
    S.CLOSED: set(),
}
# Seats and the committee are set up before the review starts; the rubric before nominations open.
SETUP_STATUSES = {S.DRAFT, S.OPEN}
RUBRIC_STATUSES = {S.DRAFT}

MIN_COMMITTEE = 3  # a chair and at least two members, so no candidate depends on one or two voices
MAX_COMMITTEE = 40
MAX_CRITERIA = 20
CRITERION_NAME_MAX_LENGTH = Criterion._meta.get_field("name").max_length or 120
CRITERION_DESCRIPTION_MAX_LENGTH = 1000
WEIGHT_LIMITS = (1, 10)
SEATS_LIMITS = (0, 500)


class CycleInvalid(CohortError):
    """Input broke one or more rules; ``errors`` maps a field (None: the whole form) to messages."""

    def __init__(self, errors: Mapping[str | None, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


@dataclass(frozen=True)
class Missing:
    """One thing a cycle needs before it can open, and the part of its setup (``area``) that fixes it."""

    message: str
    area: str  # "details", "seats", "committee" or "rubric"


# --- what a cycle still needs ---------------------------------------------------------------------


def date_problems(values: Mapping[str, Any]) -> list[str]:
    """Dates that are set but out of order."""
    problems: list[str] = []
    opens, closes, due = (values.get(field) for field in DATE_FIELDS)
    if opens and closes and opens > closes:
        problems.append(f"Nominations cannot close ({closes}) before they open ({opens}).")
    if closes and due and due <= closes:
        problems.append(f"Reviews must be due ({due}) after the nomination window closes ({closes}).")
    return problems


def cycle_missing(cycle: NominationCycle) -> list[Missing]:
    """What a cycle still needs before it can open for nominations, in plain words."""
    missing: list[Missing] = []
    for field, label in (
        ("nominations_open_on", "the day nominations open"),
        ("nominations_close_on", "the day nominations close"),
        ("review_due_on", "the day reviews are due"),
    ):
        if getattr(cycle, field) is None:
            missing.append(Missing(f"Set {label}.", "details"))
    values = {field: getattr(cycle, field) for field in DATE_FIELDS}
    missing.extend(Missing(problem, "details") for problem in date_problems(values))
    if not cycle.quotas.filter(seats__gt=0).exists():
        missing.append(Missing("Give at least one division a seat.", "seats"))
    committee = list(cycle.committee.values_list("is_chair", "person__status", "person__full_name"))
    for _, status, name in committee:
        if status == Person.Status.LEFT:
            missing.append(
                Missing(f"{name} has left the organization: take them off the committee.", "committee")
            )
    if not any(is_chair for is_chair, _, _ in committee):
        missing.append(Missing("Choose a chair for the committee.", "committee"))
    if len(committee) < MIN_COMMITTEE:
        missing.append(
            Missing(
                f"The committee needs at least {MIN_COMMITTEE} people, the chair included; "
                f"it has {len(committee)}.",
                "committee",
            )
        )
    if not cycle.criteria.exists():
        missing.append(Missing("Add at least one criterion to the rubric.", "rubric"))
    return missing


def editable_details(cycle: NominationCycle) -> set[str]:
    return EDITABLE_DETAILS.get(cycle.status, set())


def setup_refusal(cycle: NominationCycle, what: str) -> str | None:
    """Why seats or the committee (``what``) can no longer change, or None while they can."""
    if cycle.status in SETUP_STATUSES:
        return None
    return (
        f"The cycle is {cycle.get_status_display().lower()}: {what} can no longer change once the "
        "committee has started reviewing."
    )


def rubric_refusal(cycle: NominationCycle) -> str | None:
    """Why the rubric can no longer change, or None while it can."""
    if cycle.status in RUBRIC_STATUSES:
        return None
    if cycle.status == S.OPEN:
        return (
            "The rubric is fixed once nominations open: nominators and candidates have seen it, and the "
            "committee will score against it."
        )
    return "The rubric is frozen: the committee scores candidates against it."


# --- checks shared by the writes -------------------------------------------------------------------


def _require_hr(by: User) -> None:
    if not is_hr_admin(by):
        raise CohortError("Only HR admins set up Master Mentor cycles.")


def _lock(cycle: NominationCycle) -> NominationCycle:
    return NominationCycle.objects.select_for_update().get(pk=cycle.pk)


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


def _clean_details(values: dict[str, Any], errors: dict[str | None, list[str]]) -> None:
    """Every rule on the details, in place (``values`` holds the fields being saved)."""
    if "name" in values:
        name = values["name"].strip() if isinstance(values["name"], str) else ""
        if not name:
            errors["name"].append("Give the cycle a name.")
        elif len(name) > NAME_MAX_LENGTH:
            errors["name"].append(f"The name is too long: at most {NAME_MAX_LENGTH} characters.")
        values["name"] = name
    for field in LIMITS.keys() & values.keys():
        _check_int(field, values[field], errors)
    for field in set(DATE_FIELDS) & values.keys():
        value = values[field]
        if value is not None and type(value) is not datetime.date:
            errors[field].append(f"{LABELS[field]} must be a date.")
    if "near_tie_margin" in values:
        try:
            margin = Decimal(str(values["near_tie_margin"])).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError, TypeError):
            errors["near_tie_margin"].append(f"{LABELS['near_tie_margin']} must be a number.")
        else:
            low, high = MARGIN_LIMITS
            if values["near_tie_margin"] is None or isinstance(values["near_tie_margin"], bool):
                errors["near_tie_margin"].append(f"{LABELS['near_tie_margin']} must be a number.")
            elif not low <= margin <= high:
                errors["near_tie_margin"].append(
                    f"{LABELS['near_tie_margin']} must be between {low} and {high}; it was {margin}."
                )
            else:
                values["near_tie_margin"] = margin


def _check_name_free(name: str, year: int, errors: dict[str | None, list[str]], exclude: int | None) -> None:
    taken = NominationCycle.objects.filter(name__iexact=name, year=year)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        errors["name"].append(f"There is already a cycle called {name} in {year}; choose another name.")


# --- creating and editing the details --------------------------------------------------------------


@transaction.atomic
def cycle_create(*, data: Mapping[str, Any], by: User) -> NominationCycle:
    """A new draft cycle with the given details and the default rubric."""
    _require_hr(by)
    values: dict[str, Any] = {field: data.get(field) for field in DETAIL_FIELDS}
    if values["min_reviews"] is None:
        values["min_reviews"] = NominationCycle._meta.get_field("min_reviews").default
    if values["near_tie_margin"] is None:
        values["near_tie_margin"] = Decimal("0.10")
    errors: dict[str | None, list[str]] = defaultdict(list)
    _clean_details(values, errors)
    if not any(errors.values()):
        errors[None].extend(date_problems(values))
        _check_name_free(values["name"], values["year"], errors, exclude=None)
    if any(errors.values()):
        raise CycleInvalid(errors)
    cycle = NominationCycle.objects.create(created_by=by, status=S.DRAFT, **values)
    Criterion.objects.bulk_create(
        Criterion(cycle=cycle, name=name, description=description, weight=1, order=n)
        for n, (name, description) in enumerate(DEFAULT_RUBRIC)
    )
    return cycle


@transaction.atomic
def cycle_update(*, cycle: NominationCycle, data: Mapping[str, Any], by: User) -> NominationCycle:
    """Save the details that may still change; any other field in ``data`` is refused."""
    _require_hr(by)
    locked = _lock(cycle)
    editable = editable_details(locked)
    if not editable:
        raise CohortError(f"The cycle is {locked.get_status_display().lower()}: its details are fixed now.")
    errors: dict[str | None, list[str]] = defaultdict(list)
    changed = {f: data[f] for f in DETAIL_FIELDS if f in data and data[f] != getattr(locked, f)}
    for field in changed.keys() - editable:
        errors[field].append(
            f"{LABELS[field]} cannot change while the cycle is {locked.get_status_display().lower()}."
        )
    values = {f: v for f, v in changed.items() if f in editable}
    _clean_details(values, errors)
    if not any(errors.values()):
        merged = {f: values.get(f, getattr(locked, f)) for f in DETAIL_FIELDS}
        errors[None].extend(date_problems(merged))
        if locked.status == S.OPEN:
            today = timezone.localdate()
            opens, closes = merged["nominations_open_on"], merged["nominations_close_on"]
            started = locked.nominations_open_on and locked.nominations_open_on <= today
            if "nominations_open_on" in values and started and opens and opens > today:
                errors["nominations_open_on"].append(
                    "Nominations are already being accepted: the window cannot start later than today."
                )
            if "nominations_close_on" in values and closes and closes < today:
                errors["nominations_close_on"].append(
                    "The window cannot close in the past; to end nominations now, start the review."
                )
        if locked.status != S.DRAFT:
            for field in DATE_FIELDS:
                if merged[field] is None:
                    errors[field].append(f"{LABELS[field]} cannot be left empty once the cycle has opened.")
        if "name" in values or "year" in values:
            _check_name_free(merged["name"], merged["year"], errors, exclude=locked.pk)
    if any(errors.values()):
        raise CycleInvalid(errors)
    if values:
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*values, "updated_at"])
    return locked


# --- seats per division -----------------------------------------------------------------------------


@transaction.atomic
def quotas_update(*, cycle: NominationCycle, seats: Mapping[int, Any], by: User) -> list[DivisionQuota]:
    """Set the seats of each division named in ``seats`` (division id → seats, None for no quota)."""
    _require_hr(by)
    locked = _lock(cycle)
    refusal = setup_refusal(locked, "the seats")
    if refusal:
        raise CohortError(refusal)
    divisions = {d.pk: d for d in Division.objects.filter(pk__in=[k for k in seats if isinstance(k, int)])}
    errors: dict[str | None, list[str]] = defaultdict(list)
    if len(divisions) != len(seats):
        errors[None].append("Some of the divisions no longer exist. Reload the page and try again.")
    low, high = SEATS_LIMITS
    for pk, value in seats.items():
        division = divisions.get(pk)
        if division is None or value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[f"seats_{pk}"].append(f"Seats for {division.name} must be a whole number.")
        elif not low <= value <= high:
            errors[f"seats_{pk}"].append(
                f"Seats for {division.name} must be between {low} and {high}; it was {value}."
            )
    if any(errors.values()):
        raise CycleInvalid(errors)
    current = {q.division_id: q for q in locked.quotas.select_for_update()}
    after = {pk: q.seats for pk, q in current.items()}
    for pk, value in seats.items():
        if value is None:
            after.pop(pk, None)
        else:
            after[pk] = value
    if locked.status != S.DRAFT and not any(after.values()):
        raise CycleInvalid(
            {None: ["An open cycle needs at least one division with a seat; nothing was saved."]}
        )
    remove = [current[pk].pk for pk, value in seats.items() if value is None and pk in current]
    DivisionQuota.objects.filter(pk__in=remove).delete()
    changed = []
    for pk, value in seats.items():
        if value is None:
            continue
        if pk in current:
            if current[pk].seats != value:
                current[pk].seats = value
                changed.append(current[pk])
        else:
            DivisionQuota.objects.create(cycle=locked, division=divisions[pk], seats=value)
    DivisionQuota.objects.bulk_update(changed, ["seats"])
    return list(locked.quotas.select_related("division"))


# --- the committee -----------------------------------------------------------------------------------


def _require_committee_setup(cycle: NominationCycle) -> None:
    refusal = setup_refusal(cycle, "the committee")
    if refusal:
        raise CohortError(refusal)


@transaction.atomic
def committee_add(
    *, cycle: NominationCycle, person: Person, chair: bool = False, by: User
) -> CommitteeMember:
    """Put a person on the committee; as chair, they take over from the current one."""
    _require_hr(by)
    locked = _lock(cycle)
    _require_committee_setup(locked)
    person = Person.objects.filter(pk=person.pk).first()  # type: ignore[assignment]
    if person is None or person.status == Person.Status.LEFT:
        raise CohortError("Only people who still work here can sit on the committee.")
    members = list(locked.committee.select_for_update())
    if any(m.person_id == person.pk for m in members):
        raise CohortError(f"{person.full_name} is already on the committee.")
    if len(members) >= MAX_COMMITTEE:
        raise CohortError(f"A committee has at most {MAX_COMMITTEE} members.")
    if chair:
        locked.committee.filter(is_chair=True).update(is_chair=False)
    return CommitteeMember.objects.create(cycle=locked, person=person, is_chair=chair)


@transaction.atomic
def committee_remove(*, member: CommitteeMember, by: User) -> None:
    """Take a member off the committee. An open cycle keeps its chair and its minimum size."""
    _require_hr(by)
    locked = _lock(member.cycle)
    _require_committee_setup(locked)
    member = CommitteeMember.objects.select_related("person").get(pk=member.pk)
    if locked.status != S.DRAFT:
        if member.is_chair:
            raise CohortError(
                f"{member.person.full_name} chairs the committee of an open cycle: make someone else "
                "chair first."
            )
        if locked.committee.count() <= MIN_COMMITTEE:
            raise CohortError(
                f"An open cycle needs a committee of at least {MIN_COMMITTEE}: add someone before "
                f"taking {member.person.full_name} off."
            )
    member.delete()


@transaction.atomic
def committee_set_chair(*, member: CommitteeMember, by: User) -> CommitteeMember:
    """Make a member the chair; the previous chair stays on the committee as a member."""
    _require_hr(by)
    locked = _lock(member.cycle)
    _require_committee_setup(locked)
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    if member.is_chair:
        return member
    # Two steps, so that the one-chair constraint holds at every moment.
    locked.committee.filter(is_chair=True).update(is_chair=False)
    member.is_chair = True
    member.save(update_fields=["is_chair"])
    return member


# --- the rubric ---------------------------------------------------------------------------------------


def _require_rubric_open(cycle: NominationCycle) -> None:
    refusal = rubric_refusal(cycle)
    if refusal:
        raise CohortError(refusal)


def _clean_criterion(cycle: NominationCycle, data: Mapping[str, Any], exclude: int | None) -> dict[str, Any]:
    errors: dict[str | None, list[str]] = defaultdict(list)
    name = data.get("name")
    name = name.strip() if isinstance(name, str) else ""
    description = data.get("description") or ""
    description = description.strip() if isinstance(description, str) else ""
    weight = data.get("weight")
    if not name:
        errors["name"].append("Name the criterion.")
    elif len(name) > CRITERION_NAME_MAX_LENGTH:
        errors["name"].append(f"The name is too long: at most {CRITERION_NAME_MAX_LENGTH} characters.")
    else:
        same = cycle.criteria.filter(name__iexact=name)
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["name"].append(f"The rubric already has a criterion called {name}.")
    if len(description) > CRITERION_DESCRIPTION_MAX_LENGTH:
        errors["description"].append(
            f"The description is too long: at most {CRITERION_DESCRIPTION_MAX_LENGTH} characters."
        )
    low, high = WEIGHT_LIMITS
    if weight is None:
        errors["weight"].append("Give the criterion a weight.")
    elif isinstance(weight, bool) or not isinstance(weight, int):
        errors["weight"].append("The weight must be a whole number.")
    elif not low <= weight <= high:
        errors["weight"].append(f"The weight must be between {low} and {high}; it was {weight}.")
    if any(errors.values()):
        raise CycleInvalid(errors)
    return {"name": name, "description": description, "weight": weight}


@transaction.atomic
def criterion_add(*, cycle: NominationCycle, data: Mapping[str, Any], by: User) -> Criterion:
    """A new criterion (name, description, weight) at the end of the rubric."""
    _require_hr(by)
    locked = _lock(cycle)
    _require_rubric_open(locked)
    values = _clean_criterion(locked, data, exclude=None)
    if locked.criteria.count() >= MAX_CRITERIA:
        raise CohortError(f"A rubric has at most {MAX_CRITERIA} criteria.")
    last = locked.criteria.aggregate(last=Max("order"))["last"]
    return Criterion.objects.create(cycle=locked, order=0 if last is None else last + 1, **values)


@transaction.atomic
def criterion_update(*, criterion: Criterion, data: Mapping[str, Any], by: User) -> Criterion:
    _require_hr(by)
    locked = _lock(criterion.cycle)
    _require_rubric_open(locked)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    values = _clean_criterion(locked, data, exclude=criterion.pk)
    for field, value in values.items():
        setattr(criterion, field, value)
    criterion.save(update_fields=list(values))
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, by: User) -> None:
    _require_hr(by)
    locked = _lock(criterion.cycle)
    _require_rubric_open(locked)
    if criterion.scores.exists():
        raise CohortError(f"{criterion.name} has scores already; it cannot be removed.")
    Criterion.objects.filter(pk=criterion.pk).delete()


@transaction.atomic
def criteria_reorder(*, cycle: NominationCycle, ordered_ids: Iterable[Any], by: User) -> list[Criterion]:
    """Put the rubric in the order of ``ordered_ids``, each criterion named exactly once."""
    _require_hr(by)
    locked = _lock(cycle)
    _require_rubric_open(locked)
    ids: list[int] = []
    for raw in ordered_ids:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise CohortError(f"'{raw}' is not a criterion of this rubric.") from None
    criteria = {c.pk: c for c in locked.criteria.select_for_update()}
    if len(set(ids)) != len(ids) or set(ids) != set(criteria):
        raise CohortError(
            "The order sent does not list each criterion of the rubric exactly once; the rubric may have "
            "changed since the page was loaded. Reload it and try again."
        )
    ordered = [criteria[pk] for pk in ids]
    for position, criterion in enumerate(ordered):
        criterion.order = position
    Criterion.objects.bulk_update(ordered, ["order"])
    return ordered


# --- status -------------------------------------------------------------------------------------------


def _fmt(day: datetime.date) -> str:
    return date_format(day, "j F Y")


@transaction.atomic
def cycle_transition(*, cycle: NominationCycle, to: str, by: User | None, why: str = "") -> NominationCycle:
    """Move ``cycle`` to status ``to``, or raise CohortError saying why not. Each move is recorded.

    Opening needs a complete setup (see ``cycle_missing``) and a window that has not ended; an open cycle
    whose window starts later is announced, and accepts nominations from that day. Starting the review
    before the window's end ends it today, and the recorded reason says so. Callers check who may make the
    move (HR admins, or the chair publishing the decisions).
    """
    locked = _lock(cycle)
    current = locked.status
    if to not in S.values:
        raise CohortError("Choose one of the status changes offered on the page.")
    if to not in ALLOWED_TRANSITIONS.get(current, set()):
        raise CohortError(
            f"A cycle that is {locked.get_status_display().lower()} cannot move to “{S(to).label.lower()}”."
        )
    today = timezone.localdate()
    fields = ["status", "updated_at"]
    notes: list[str] = []
    if to == S.OPEN:
        missing = [m.message for m in cycle_missing(locked)]
        if locked.nominations_close_on and locked.nominations_close_on < today:
            missing.append(
                f"Nominations were to close on {_fmt(locked.nominations_close_on)}; move that date first."
            )
        if missing:
            raise CohortError("The cycle cannot open yet: " + " ".join(missing))
    elif to == S.REVIEWING and locked.nominations_close_on and locked.nominations_close_on > today:
        # Starting the review early ends the window today, so the dates say what happened.
        notes.append(
            f"Nominations closed on {_fmt(today)} instead of the planned {_fmt(locked.nominations_close_on)}."
        )
        locked.nominations_close_on = max(today, locked.nominations_open_on or today)
        fields.append("nominations_close_on")
    why = " ".join([why.strip(), *notes]).strip()
    locked.status = to
    locked.save(update_fields=fields)
    CycleStatusChange.objects.create(cycle=locked, from_status=current, to_status=to, by=by, why=why)
    cycle.status = to
    return locked


# --- next year ------------------------------------------------------------------------------------------


@transaction.atomic
def cycle_start_next(*, cycle: NominationCycle, by: User) -> NominationCycle:
    """Next year's draft: the same name, eligibility and ranking settings, rubric, seats and committee
    (people who have left are not copied), linked to ``cycle`` as its previous one. Dates are left empty."""
    _require_hr(by)
    year = cycle.year + 1
    if year > LIMITS["year"][1]:
        raise CohortError(f"Cycles can be planned up to {LIMITS['year'][1]}.")
    if NominationCycle.objects.filter(name__iexact=cycle.name, year=year).exists():
        raise CohortError(
            f"There is already a cycle called {cycle.name} in {year}. Open that one, or rename it first."
        )
    new = NominationCycle.objects.create(
        name=cycle.name,
        year=year,
        status=S.DRAFT,
        min_job_level=cycle.min_job_level,
        min_tenure_months=cycle.min_tenure_months,
        min_reviews=cycle.min_reviews,
        near_tie_margin=cycle.near_tie_margin,
        previous=cycle,
        created_by=by,
    )
    Criterion.objects.bulk_create(
        Criterion(cycle=new, name=c.name, description=c.description, weight=c.weight, order=c.order)
        for c in cycle.criteria.all()
    )
    DivisionQuota.objects.bulk_create(
        DivisionQuota(cycle=new, division_id=q.division_id, seats=q.seats) for q in cycle.quotas.all()
    )
    CommitteeMember.objects.bulk_create(
        CommitteeMember(cycle=new, person_id=m.person_id, is_chair=m.is_chair)
        for m in cycle.committee.filter(~Q(person__status=Person.Status.LEFT))
    )
    return new
