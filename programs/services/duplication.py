"""Duplicating a program for next year's run: the same configuration, questionnaire, key results and
playbook a year later, without its participants."""

from __future__ import annotations

import datetime
import re

from django.db import transaction

from people.models import Person, User
from programs.models import KeyResult, Program, Question, Resource

from . import ProgramError
from .config import DATE_FIELDS, NAME_MAX_LENGTH, unique_program_slug

COPIED_FIELDS = [
    f.name
    for f in Program._meta.concrete_fields
    if f.name not in {"id", "name", "slug", "status", "copied_from", "created_by", "created_at", "updated_at"}
]


def next_year(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def copy_name(program: Program) -> str:
    """ "Leadership 2026" becomes "Leadership 2027" when 2026 is one of the program's years; any other
    name gets " (copy)"."""
    years = {d.year for d in (getattr(program, f) for f in DATE_FIELDS) if d is not None}
    found = [int(y) for y in re.findall(r"\b(\d{4})\b", program.name) if int(y) in years]
    if found:
        name = re.sub(
            r"\b(\d{4})\b", lambda m: str(int(m[1]) + 1) if int(m[1]) in years else m[1], program.name
        )
    else:
        name = f"{program.name} (copy)"
    if len(name) > NAME_MAX_LENGTH:
        name = f"{program.name[: NAME_MAX_LENGTH - len(' (copy)')]} (copy)"
    return name


@transaction.atomic
def program_duplicate(*, program: Program, by: User) -> Program:
    """Next year's run: a new draft with the same configuration, questionnaire (current questions),
    key results and playbook, every date one year later. Participants and answers stay behind."""
    if not by.has_perm("programs.add_program"):
        raise ProgramError("Only HR admins create programs.")
    name = copy_name(program)
    copy_ = Program(
        name=name,
        slug=unique_program_slug(name),
        copied_from=program,
        created_by=by,
        **{field: getattr(program, field) for field in COPIED_FIELDS},
    )
    for field in DATE_FIELDS:
        setattr(copy_, field, next_year(getattr(program, field)))
    copy_.eligible_locations = list(program.eligible_locations)
    copy_.save()
    copy_.eligible_divisions.set(program.eligible_divisions.all())
    copy_.eligible_departments.set(program.eligible_departments.all())
    # Only people still with the organization carry over.
    copy_.coordinators.set(Person.objects.current().filter(coordinated_programs=program))
    copy_.sponsors.set(Person.objects.current().filter(sponsored_programs=program))
    Question.objects.bulk_create(
        Question(
            program=copy_,
            order=q.order,
            mentor_text=q.mentor_text,
            mentee_text=q.mentee_text,
            help_text=q.help_text,
            kind=q.kind,
            choices=list(q.choices),
            required=q.required,
            match_rule=q.match_rule,
            weight=q.weight,
            hard=q.hard,
        )
        for q in program.questions.filter(archived_at__isnull=True)
    )
    KeyResult.objects.bulk_create(
        KeyResult(
            program=copy_,
            objective=kr.objective,
            metric=kr.metric,
            baseline=kr.baseline,
            target=kr.target,
            due_on=next_year(kr.due_on),
        )
        for kr in program.key_results.all()
    )
    Resource.objects.bulk_create(
        Resource(program=copy_, kind=r.kind, audience=r.audience, title=r.title, body=r.body, order=r.order)
        for r in program.resources.all()
    )
    return copy_
