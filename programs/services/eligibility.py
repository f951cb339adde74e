"""Who may apply to a program, in plain words: the eligibility rules, the mentor requirement, whether
enrollment is open, and which roles one person may combine.

These are the checks ``participant_apply`` and ``program_invite`` enforce, and the pages explain.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from people.models import Person, PersonnelRecord
from programs.models import MentorTraining, Participant, Program
from programs.text import human_join, plural

from .training import (
    MASTER_MENTOR_CERTIFICATE_TITLE,
    has_completed_mentor_training,
    is_certified_master_mentor,
)

R = Participant.Role
REQ = Program.MentorRequirement
# Reverse mentoring pairs juniors with seniors: each person takes one side.
KINDS_WITH_BOTH_ROLES = {Program.Kind.ONE_TO_ONE, Program.Kind.GROUP, Program.Kind.FLASH}
# How each mentor requirement reads on the program's page.
MENTOR_REQUIREMENT_SUMMARIES: dict[str, str] = {
    REQ.TRAINED: "Mentors have completed mentor training.",
    REQ.MASTER_MENTOR: "Mentors are certified Master Mentors.",
    REQ.MASTER_PREFERRED: "Certified Master Mentors are preferred as mentors.",
}


@dataclass(frozen=True)
class MentorCredentials:
    """Who completed mentor training and who is a certified Master Mentor, loaded once for many people.

    The same rules as ``training.has_completed_mentor_training`` and ``training.is_certified_master_mentor``,
    in two queries for a whole list instead of two per person.
    """

    trained: frozenset[int]
    masters: frozenset[int]

    @classmethod
    def load(cls, person_ids: Iterable[int]) -> MentorCredentials:
        ids = list(person_ids)
        trained = MentorTraining.objects.filter(person_id__in=ids).values_list("person_id", flat=True)
        masters = PersonnelRecord.objects.filter(
            person_id__in=ids,
            kind=PersonnelRecord.Kind.CERTIFICATE,
            title__iexact=MASTER_MENTOR_CERTIFICATE_TITLE,
        ).values_list("person_id", flat=True)
        return cls(trained=frozenset(trained), masters=frozenset(masters))

    @classmethod
    def for_person(cls, person: Person, programs: Iterable[Program]) -> MentorCredentials:
        """The person's credentials, read only if one of ``programs`` asks for them."""
        if any(p.mentor_requirement in (REQ.TRAINED, REQ.MASTER_MENTOR) for p in programs):
            return cls.load([person.pk])
        return cls(trained=frozenset(), masters=frozenset())


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, clamped to the end of a shorter month (31 Mar - 1 → 28 Feb)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def location_key(location: str) -> str:
    """How locations compare: without surrounding spaces or case, so " BETHESDA " is Bethesda."""
    return str(location).strip().casefold()


def _locations_matching(keys: set[str]) -> Q:
    # The directory's own spellings of the chosen locations, compared in Python with location_key:
    # the database's LOWER and TRIM differ between SQLite and PostgreSQL, and from Python's casefold.
    spellings = Person.objects.order_by().values_list("location", flat=True).distinct()
    return Q(location__in=[s for s in spellings if location_key(s) in keys])


@dataclass(frozen=True)
class EligibilityRule:
    """One restriction of a program's eligibility, said once for the two ways it is asked.

    ``admits`` answers for one person (applying, inviting) and ``query`` for the whole directory (the
    funnel's eligible pool); they stand side by side here so that they cannot drift apart. ``refusal``
    tells someone the rule keeps out why, and ``summary`` states the rule on the program's page.
    """

    admits: Callable[[Person], bool]
    query: Callable[[], Q]
    refusal: Callable[[Person], str]
    summary: str = ""


def _level_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"job level {low}" if low == high else f"job levels {low} to {high}"
    if low is not None:
        return f"job level {low} and above"
    return f"job level {high} and below"


def eligibility_rule_set(program: Program, *, on: datetime.date | None = None) -> list[EligibilityRule]:
    """The restrictions ``program`` sets, judged on ``on`` (today by default); only active people apply.

    Mentor requirements are not among them: they concern one role, and are checked when someone applies
    as a mentor. Uses ``program.eligible_divisions.all()`` and departments, so lists prefetch them.
    """
    on = on or timezone.localdate()
    active = Person.Status.ACTIVE
    rules = [
        EligibilityRule(
            admits=lambda person: person.status == active,
            query=lambda: Q(status=active),
            refusal=lambda person: (
                f"Only active employees can apply; your record says {person.get_status_display().lower()}."
            ),
        )
    ]
    divisions = sorted(program.eligible_divisions.all(), key=lambda d: d.name)
    if divisions:
        division_ids = {d.pk for d in divisions}
        in_divisions = (
            f"the {human_join([d.name for d in divisions])} {plural(len(divisions), 'division', 'divisions')}"
        )
        rules.append(
            EligibilityRule(
                admits=lambda person: person.department.division_id in division_ids,
                query=lambda: Q(department__division_id__in=division_ids),
                refusal=lambda person: (
                    f"This program is for {in_divisions}; you are in {person.department.division.name}."
                ),
                summary=f"People in {in_divisions}.",
            )
        )
    departments = sorted(program.eligible_departments.all(), key=lambda d: d.name)
    if departments:
        department_ids = {d.pk for d in departments}
        in_departments = (
            f"the {human_join([d.name for d in departments])} "
            f"{plural(len(departments), 'department', 'departments')}"
        )
        rules.append(
            EligibilityRule(
                admits=lambda person: person.department_id in department_ids,
                query=lambda: Q(department_id__in=department_ids),
                refusal=lambda person: (
                    f"This program is for {in_departments}; you are in {person.department.name}."
                ),
                summary=f"People in {in_departments}.",
            )
        )
    low, high = program.min_job_level, program.max_job_level
    if low is not None or high is not None:
        bounds = {"job_level__gte": low, "job_level__lte": high}
        levels = _level_range(low, high)
        rules.append(
            EligibilityRule(
                admits=lambda person: (
                    (low is None or person.job_level >= low) and (high is None or person.job_level <= high)
                ),
                query=lambda: Q(**{lookup: level for lookup, level in bounds.items() if level is not None}),
                refusal=lambda person: f"This program is for {levels}; you are at level {person.job_level}.",
                summary=f"People at {levels}.",
            )
        )
    need = program.min_tenure_months
    if need:
        months = f"{need} {plural(need, 'month', 'months')}"
        rules.append(
            EligibilityRule(
                admits=lambda person: person.tenure_months(on) >= need,
                # tenure_months(on) >= need exactly when the hire date is on or before need months ago.
                query=lambda: Q(hire_date__lte=months_before(on, need)),
                refusal=lambda person: (
                    f"You need at least {months} with the organization; you have {person.tenure_months(on)}."
                ),
                summary=f"At least {months} with the organization.",
            )
        )
    locations = [str(loc).strip() for loc in program.eligible_locations if str(loc).strip()]
    if locations:
        keys = {location_key(loc) for loc in locations}
        places = human_join(locations)

        def elsewhere(person: Person) -> str:
            where = person.location.strip()
            return f"This program is for people in {places}; " + (
                f"you are in {where}." if where else "your record has none."
            )

        rules.append(
            EligibilityRule(
                admits=lambda person: location_key(person.location) in keys,
                query=lambda: _locations_matching(keys),
                refusal=elsewhere,
                summary=f"People based in {places}.",
            )
        )
    return rules


def eligible_people(program: Program, *, on: datetime.date | None = None) -> QuerySet[Person]:
    """The people ``eligibility_problems`` lets apply to ``program`` on ``on`` (today by default), before
    any mentor requirement, as a filterable queryset: the eligible pool of the program's funnel."""
    rules = eligibility_rule_set(program, on=on)
    return Person.objects.filter(*(rule.query() for rule in rules))


def eligibility_problems(
    *,
    program: Program,
    person: Person,
    role: str,
    today: datetime.date | None = None,
    credentials: MentorCredentials | None = None,
) -> list[str]:
    """Why ``person`` may not join ``program`` as ``role``, in plain words; empty when they may.

    Each restriction that is set must hold. Uses ``program.eligible_divisions.all()`` (and departments), so
    lists prefetch them; ``credentials`` may be loaded once for many people.
    """
    problems = [
        rule.refusal(person) for rule in eligibility_rule_set(program, on=today) if not rule.admits(person)
    ]
    if role == R.MENTOR and program.mentor_requirement == REQ.TRAINED:
        trained = person.pk in credentials.trained if credentials else has_completed_mentor_training(person)
        if not trained:
            problems.append(
                "Mentors in this program need to have completed mentor training, and there is none on "
                "your record. Ask your HR team about the next course."
            )
    if role == R.MENTOR and program.mentor_requirement == REQ.MASTER_MENTOR:
        master = person.pk in credentials.masters if credentials else is_certified_master_mentor(person)
        if not master:
            problems.append(
                "Mentors in this program must be certified Master Mentors, and there is no Master Mentor "
                "certificate on your record."
            )
    return problems


def eligibility_notes(*, program: Program, role: str) -> list[str]:
    """What applicants should know that does not keep anyone out."""
    if role == R.MENTOR and program.mentor_requirement == REQ.MASTER_PREFERRED:
        return ["Certified Master Mentors are preferred as mentors; everyone eligible may apply."]
    return []


def eligibility_rules(program: Program) -> list[str]:
    """The program's eligibility, one sentence per rule, for its page."""
    rules = [rule.summary for rule in eligibility_rule_set(program) if rule.summary]
    requirement = MENTOR_REQUIREMENT_SUMMARIES.get(program.mentor_requirement)
    if requirement:
        rules.append(requirement)
    if not rules:
        rules.append("Every active employee may apply.")
    return rules


def enrollment_closed_reason(program: Program, today: datetime.date | None = None) -> str | None:
    """Why applications are not taken now, or None while enrollment is open."""
    today = today or timezone.localdate()
    if program.status != Program.Status.ENROLLING:
        if program.status == Program.Status.DRAFT:
            return "This program is not open for applications yet."
        return (
            "Enrollment has ended: the program is "
            f"{program.get_status_display().lower()}, so it takes no new applications."
        )
    if program.enrollment_opens_on and today < program.enrollment_opens_on:
        return f"Enrollment opens on {date_format(program.enrollment_opens_on, 'j F Y')}."
    if program.enrollment_closes_on and today > program.enrollment_closes_on:
        return f"Enrollment closed on {date_format(program.enrollment_closes_on, 'j F Y')}."
    return None


def role_conflict(*, program: Program, role: str, other_roles: Iterable[str]) -> str | None:
    """Why applying as ``role`` clashes with the person's applications in ``other_roles``, if it does."""
    if program.kind in KINDS_WITH_BOTH_ROLES:
        return None
    for other in other_roles:
        if other != role:
            return (
                f"In {program.get_kind_display().lower()} each person takes one side, and you already "
                f"applied as a {R(other).label.lower()}."
            )
    return None
