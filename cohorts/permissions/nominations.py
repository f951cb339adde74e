"""Access to endorsements, nominations and candidacies. What a user may not see answers 404.

- Employees (a login linked to a current person) reach the open cycles to endorse, and their own
  endorsements to withdraw them.
- Managers and directors (anyone with current reports) and HR admins reach the open cycles to nominate;
  managers choose among their reporting tree, HR admins among everyone.
- Managers and directors see "people your team goes to for advice" in any cycle past its draft.
- A candidate reaches their own candidacy, nobody else's (HR admins read candidacies on the HR page).
- The HR page of a cycle's nominations and endorsements, the only place endorsers appear, is HR admins'
  (``cohorts.permissions.get_cycle_for_hr``).
"""

from __future__ import annotations

from django.http import Http404

from people.models import Person, PersonQuerySet, User
from people.permissions import is_employee, is_hr_admin, person_for_user

from ..models import Candidacy, Endorsement, NominationCycle
from ..selectors.endorsements import has_reports, reporting_tree_ids


def current_person(user: User) -> Person | None:
    """The signed-in employee's directory entry; None for logins without one and for former employees."""
    return person_for_user(user) if is_employee(user) else None


def is_nominator(user: User) -> bool:
    """HR admins with a directory entry, managers and directors."""
    person = current_person(user)
    return person is not None and (is_hr_admin(user) or has_reports(person))


def get_cycle_for_endorser(user: User, pk: int) -> tuple[NominationCycle, Person]:
    """An open cycle for an employee to endorse in; 404 for anyone else and for cycles not open."""
    person = current_person(user)
    cycle = NominationCycle.objects.filter(pk=pk, status=NominationCycle.Status.OPEN).first()
    if person is None or cycle is None:
        raise Http404("No such cycle.")
    return cycle, person


def get_cycle_for_nominator(user: User, pk: int) -> tuple[NominationCycle, Person]:
    """An open cycle for a manager, director or HR admin to nominate in; 404 for anyone else."""
    cycle, person = get_cycle_for_endorser(user, pk)
    if not (is_hr_admin(user) or has_reports(person)):
        raise Http404("No such cycle.")
    return cycle, person


def get_cycle_for_team_advice(user: User, pk: int) -> tuple[NominationCycle, Person]:
    """A cycle past its draft for a manager or director to see whom their team goes to for advice."""
    person = current_person(user)
    cycle = NominationCycle.objects.exclude(status=NominationCycle.Status.DRAFT).filter(pk=pk).first()
    if person is None or cycle is None or not has_reports(person):
        raise Http404("No such cycle.")
    return cycle, person


def nominatable_people(user: User, nominator: Person) -> PersonQuerySet:
    """Whom ``user`` may choose to nominate: everyone current for HR admins, else their reporting tree."""
    people = Person.objects.current().exclude(pk=nominator.pk)
    if is_hr_admin(user):
        return people
    return people.filter(pk__in=reporting_tree_ids(nominator))


def endorsable_people(endorser: Person) -> PersonQuerySet:
    """Colleagues an employee may endorse: anyone current but themself."""
    return Person.objects.current().exclude(pk=endorser.pk)


def get_endorsement_for_endorser(user: User, pk: int) -> Endorsement:
    """One of the signed-in employee's own endorsements; 404 for anyone else's."""
    person = current_person(user)
    endorsement = (
        Endorsement.objects.select_related("cycle", "person").filter(pk=pk, endorser=person).first()
        if person is not None
        else None
    )
    if endorsement is None:
        raise Http404("No such endorsement.")
    return endorsement


def get_candidacy_for_candidate(user: User, pk: int) -> Candidacy:
    """The signed-in person's own candidacy; 404 for anyone else's, HR admins' included (they read it on
    the HR page)."""
    person = person_for_user(user)
    candidacy = (
        Candidacy.objects.select_related("cycle", "person").filter(pk=pk, person=person).first()
        if person is not None
        else None
    )
    if candidacy is None:
        raise Http404("No such candidacy.")
    return candidacy
