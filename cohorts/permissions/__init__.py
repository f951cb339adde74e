"""Who may see and do what in the Master Mentor cycles. Views resolve every object through these helpers
(one module per area re-exports what it adds); what a user may not see answers 404, as if it did not exist.

- HR admins set up cycles, see everything (including who endorsed whom), run cohorts and certificates.
- Committee members see their cycle's accepted candidacies blind (see ``cohorts.permissions.review``); the
  chair selects and publishes the decisions.
- Employees endorse colleagues; managers and directors nominate people in their reporting tree.
- A candidate sees and answers their own candidacy; nobody but HR admins learns who endorsed them.
- Cohort coordinators take attendance for their cohort.
"""

from __future__ import annotations

from django.http import Http404

from people.models import Person, User
from people.permissions import is_hr_admin, person_for_user

from ..models import CommitteeMember, NominationCycle


def committee_seat(user: User, cycle: NominationCycle) -> CommitteeMember | None:
    """The user's seat on the cycle's committee, if any."""
    person = person_for_user(user)
    if person is None:
        return None
    return CommitteeMember.objects.filter(cycle=cycle, person=person).first()


def is_chair(user: User, cycle: NominationCycle) -> bool:
    seat = committee_seat(user, cycle)
    return seat is not None and seat.is_chair


def get_cycle_for_hr(user: User, pk: int) -> NominationCycle:
    """A cycle for its HR administration; 404 for everyone but HR admins."""
    if not is_hr_admin(user):
        raise Http404("No such cycle.")
    try:
        return NominationCycle.objects.get(pk=pk)
    except NominationCycle.DoesNotExist as error:
        raise Http404("No such cycle.") from error


def get_cycle_for_committee(user: User, pk: int) -> tuple[NominationCycle, CommitteeMember]:
    """A cycle for one of its committee members; 404 for everyone else (HR admins included: they do not
    review)."""
    cycle = NominationCycle.objects.filter(pk=pk).first()
    seat = committee_seat(user, cycle) if cycle is not None else None
    if cycle is None or seat is None:
        raise Http404("No such cycle.")
    return cycle, seat


def person_of(user: User) -> Person | None:
    return person_for_user(user)
