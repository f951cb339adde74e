"""Inviting people to apply to a program: by picking them, or by e-mail address (pasted or in a file).

Each invitation is notified once; inviting the same person again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from notifications.services import notify
from people.models import Person, User
from programs.models import Invitation, Participant, Program

from . import ProgramError
from .eligibility import MentorCredentials, eligibility_problems
from .enrollment import program_url, role_clean

R = Participant.Role
MAX_INVITE_ADDRESSES = 2000


@dataclass
class InvitationOutcome:
    invited: list[Person] = field(default_factory=list)
    already_invited: list[Person] = field(default_factory=list)
    # (who, why they were not invited)
    refused: list[tuple[str, str]] = field(default_factory=list)


def people_for_emails(emails: Iterable[str]) -> tuple[list[Person], list[tuple[str, str]]]:
    """The people with these addresses, and (address, why not) for each one that is not usable."""
    problems: list[tuple[str, str]] = []
    wanted: dict[str, str] = {}
    for raw in emails:
        email = raw.strip().strip("<>").strip()
        if not email or email.lower() in wanted:
            continue
        try:
            validate_email(email)
        except ValidationError:
            problems.append((email, "not an e-mail address"))
            continue
        wanted[email.lower()] = email
    if len(wanted) > MAX_INVITE_ADDRESSES:
        raise ProgramError(f"Invite at most {MAX_INVITE_ADDRESSES:,} people at a time; split the list.")
    found = {
        p.email.lower(): p
        for p in Person.objects.with_org()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(wanted))
    }
    people: list[Person] = []
    for key, email in wanted.items():
        person = found.get(key)
        if person is None:
            problems.append((email, "nobody in the directory has this address"))
        elif person.status == Person.Status.LEFT:
            problems.append((email, f"{person.full_name} has left the organization"))
        else:
            people.append(person)
    return people, problems


@transaction.atomic
def program_invite(
    *, program: Program, people: Iterable[Person], role: str, by: User | None
) -> InvitationOutcome:
    """Invite people to apply as ``role``: each is notified with a link once; inviting again changes nothing.

    People who left, who already take part in that role, or who are not eligible are listed as refused.
    """
    role = role_clean(role)
    if program.status != Program.Status.ENROLLING:
        raise ProgramError("Invitations go out while the program is enrolling, so people can apply at once.")
    people = list({p.pk: p for p in people}.values())
    ids = [p.pk for p in people]
    taking_part = set(
        Participant.objects.filter(program=program, role=role, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    invited_before = set(
        Invitation.objects.filter(program=program, role=role, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    credentials = MentorCredentials.load(ids) if role == R.MENTOR else None
    outcome = InvitationOutcome()
    role_label = R(role).label.lower()
    fresh: list[Person] = []
    for person in people:
        if person.status == Person.Status.LEFT:
            outcome.refused.append((person.full_name, "has left the organization"))
        elif person.pk in taking_part:
            outcome.refused.append((person.full_name, f"already applied as a {role_label}"))
        elif person.pk in invited_before:
            outcome.already_invited.append(person)
        elif problems := eligibility_problems(
            program=program, person=person, role=role, credentials=credentials
        ):
            outcome.refused.append((person.full_name, "not eligible: " + " ".join(problems)))
        else:
            fresh.append(person)
    Invitation.objects.bulk_create(
        [Invitation(program=program, person=p, role=role, invited_by=by) for p in fresh],
        ignore_conflicts=True,
    )
    for person in fresh:
        notify(
            recipient=person,
            kind="program_invitation",
            key=f"program:{program.pk}:{role}",
            subject=f"You are invited to join {program.name} as a {role_label}",
            body=(
                f"You were invited to join the mentoring program {program.name} as a {role_label}. "
                "Read what it involves and apply on the program's page."
            ),
            url=program_url(program),
        )
        outcome.invited.append(person)
    return outcome
