"""Access to the setup of a cycle: HR admins only; everyone else gets 404, as if it did not exist."""

from __future__ import annotations

from django.http import Http404

from people.models import User

from ..models import CommitteeMember, Criterion
from . import get_cycle_for_hr

__all__ = ["get_committee_member_for_hr", "get_criterion_for_hr", "get_cycle_for_hr"]


def get_committee_member_for_hr(user: User, cycle_pk: int, pk: int) -> CommitteeMember:
    """A seat on a cycle's committee, for its HR administration; 404 for everyone but HR admins."""
    cycle = get_cycle_for_hr(user, cycle_pk)
    member = CommitteeMember.objects.select_related("person").filter(cycle=cycle, pk=pk).first()
    if member is None:
        raise Http404("No such committee member.")
    member.cycle = cycle
    return member


def get_criterion_for_hr(user: User, cycle_pk: int, pk: int) -> Criterion:
    """A criterion of a cycle's rubric, for its HR administration; 404 for everyone but HR admins."""
    cycle = get_cycle_for_hr(user, cycle_pk)
    criterion = Criterion.objects.filter(cycle=cycle, pk=pk).first()
    if criterion is None:
        raise Http404("No such criterion.")
    criterion.cycle = cycle
    return criterion
