"""Who may see and do what in a cohort, its events, attendance, certificates and the Master Mentor roster.

- HR admins create cohorts, run every cohort, export certificates and read the roster.
- A cohort's coordinators run it: events, attendance, graduation; they see every member's progress.
- A member sees the cohort's events (and downloads their invites) and their own progress, never anyone
  else's.
- A certificate is downloaded by its graduate, HR admins and the cohort's coordinators; anyone holding its
  verification code may verify it (``cohorts.views.cohort.certificate_verify`` needs no login).
- The roster of Master Mentors is read by HR admins, cohort coordinators and program coordinators (who pick
  mentors for their programs).

Everyone else gets 404, as if the object did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from people.models import Person, User
from people.permissions import is_hr_admin, person_for_user
from programs.permissions import programs_managed_by

from ..models import Certificate, Cohort, CohortEvent, CohortMember, NominationCycle


@dataclass(frozen=True)
class CohortAccess:
    """A cohort as the signed-in user may see it."""

    cohort: Cohort
    can_manage: bool  # HR admin or one of its coordinators
    member: CohortMember | None  # the viewer's own membership, if any

    @property
    def is_member(self) -> bool:
        return self.member is not None


def is_cohort_coordinator(user: User, cohort: Cohort) -> bool:
    person = person_for_user(user)
    return person is not None and cohort.coordinators.filter(pk=person.pk).exists()


def cohorts_visible_to(user: User):
    """The cohorts a user may open: all for HR admins; those they coordinate or belong to otherwise."""
    cohorts = Cohort.objects.select_related("cycle")
    if is_hr_admin(user):
        return cohorts
    person = person_for_user(user)
    if person is None:
        return cohorts.none()
    return cohorts.filter(pk__in=_own_cohort_ids(person))


def _own_cohort_ids(person: Person) -> set[int]:
    coordinated = Cohort.objects.filter(coordinators=person).values_list("pk", flat=True)
    belonged = CohortMember.objects.filter(person=person).values_list("cohort_id", flat=True)
    return set(coordinated) | set(belonged)


def get_cohort_for_user(user: User, pk: int) -> CohortAccess:
    """The cohort for HR admins, its coordinators and its members; 404 for everyone else."""
    cohort = Cohort.objects.select_related("cycle").filter(pk=pk).first()
    if cohort is None:
        raise Http404("No such cohort.")
    person = person_for_user(user)
    member = (
        CohortMember.objects.select_related("person").filter(cohort=cohort, person=person).first()
        if person is not None
        else None
    )
    can_manage = is_hr_admin(user) or is_cohort_coordinator(user, cohort)
    if not can_manage and member is None:
        raise Http404("No such cohort.")
    return CohortAccess(cohort=cohort, can_manage=can_manage, member=member)


def get_cohort_for_manager(user: User, pk: int) -> CohortAccess:
    """The cohort for HR admins and its coordinators (events, attendance, graduation); 404 otherwise."""
    access = get_cohort_for_user(user, pk)
    if not access.can_manage:
        raise Http404("No such cohort.")
    return access


def get_event_for_user(user: User, cohort_pk: int, pk: int) -> tuple[CohortAccess, CohortEvent]:
    """An event of a cohort the user may see; an event of another cohort is 404 too."""
    access = get_cohort_for_user(user, cohort_pk)
    event = CohortEvent.objects.filter(cohort=access.cohort, pk=pk).first()
    if event is None:
        raise Http404("No such event.")
    event.cohort = access.cohort
    return access, event


def get_event_for_manager(user: User, cohort_pk: int, pk: int) -> tuple[CohortAccess, CohortEvent]:
    access, event = get_event_for_user(user, cohort_pk, pk)
    if not access.can_manage:
        raise Http404("No such event.")
    return access, event


def get_member_for_user(user: User, cohort_pk: int, pk: int) -> tuple[CohortAccess, CohortMember]:
    """A member's progress: for the cohort's managers, and for the member themself."""
    access = get_cohort_for_user(user, cohort_pk)
    if not access.can_manage and (access.member is None or access.member.pk != pk):
        raise Http404("No such member.")
    member = (
        CohortMember.objects.select_related("person__department__division", "certificate")
        .filter(cohort=access.cohort, pk=pk)
        .first()
    )
    if member is None:
        raise Http404("No such member.")
    member.cohort = access.cohort
    return access, member


def get_cycle_for_cohort_create(user: User, pk: int) -> NominationCycle:
    """A cycle to create the cohort of: HR admins only."""
    if not is_hr_admin(user):
        raise Http404("No such cycle.")
    cycle = NominationCycle.objects.filter(pk=pk).first()
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


def get_certificate_for_user(user: User, pk: int) -> Certificate:
    """A certificate for its graduate, HR admins and its cohort's coordinators; 404 for everyone else."""
    certificate = (
        Certificate.objects.select_related("member__person", "member__cohort__cycle").filter(pk=pk).first()
    )
    if certificate is None:
        raise Http404("No such certificate.")
    if is_hr_admin(user):
        return certificate
    person = person_for_user(user)
    if person is not None and (
        certificate.member.person_id == person.pk or is_cohort_coordinator(user, certificate.member.cohort)
    ):
        return certificate
    raise Http404("No such certificate.")


def require_hr_admin_or_404(user: User) -> None:
    """Pages only HR admins know of (creating a cohort, the HRIS export): 404 for everyone else."""
    if not is_hr_admin(user):
        raise Http404("No such page.")


def can_view_roster(user: User) -> bool:
    """HR admins, cohort coordinators and program coordinators read the roster of Master Mentors."""
    if is_hr_admin(user):
        return True
    person = person_for_user(user)
    if person is None:
        return False
    return Cohort.objects.filter(coordinators=person).exists() or programs_managed_by(user).exists()
