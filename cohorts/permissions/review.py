"""Who may review, rank, select and watch the review of a cycle, and who is recused.

- A committee member of a cycle reviews its accepted candidacies while the cycle is reviewing, blind: they
  see "Candidate 17", never a name, until the decisions are published. Afterwards they read (not change)
  their reviews with the identities revealed.
- A member is recused automatically from the candidacy of anyone they manage (directly or further down:
  they are in the candidate's management chain), of anyone they nominated, and from their own candidacy;
  they may also declare a conflict. A recused member sees the reason and no evidence.
- The chair ranks, selects and publishes; the chair and HR admins watch the review's progress; HR admins
  read a person's history across cycles. HR admins do not review.

Everything else answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404

from people.models import Person, User
from people.permissions import is_hr_admin

from ..models import Candidacy, CommitteeMember, Nomination, NominationCycle, Review
from . import committee_seat

S = NominationCycle.Status
Recusal = Review.Recusal
# Org charts deeper than this are bad data; walking stops there.
MAX_CHAIN_DEPTH = 50
# A committee reads its cycle's candidacies from the review on; they write reviews only while reviewing.
REVIEW_VISIBLE = (S.REVIEWING, S.DECIDED, S.CLOSED)


def manager_chains(people: Iterable[Person]) -> dict[int, set[int]]:
    """For each person, the ids of everyone above them in the reporting line (at any depth). One query per
    level of the org chart, however many people are asked about."""
    parent: dict[int, int | None] = {}
    for person in people:
        parent[person.pk] = person.manager_id
    frontier = {m for m in parent.values() if m is not None and m not in parent}
    depth = 0
    while frontier and depth < MAX_CHAIN_DEPTH:
        rows = list(Person.objects.filter(pk__in=frontier).values_list("pk", "manager_id"))
        for pk, manager_id in rows:
            parent[pk] = manager_id
        frontier = {m for _, m in rows if m is not None and m not in parent}
        depth += 1
    chains: dict[int, set[int]] = {}
    for person in people:
        chain: set[int] = set()
        current = parent.get(person.pk)
        while current is not None and current not in chain and len(chain) < MAX_CHAIN_DEPTH:
            chain.add(current)
            current = parent.get(current)
        chains[person.pk] = chain
    return chains


@dataclass(frozen=True)
class RecusalMap:
    """Automatic recusals of a set of candidacies: who may not review which, and why."""

    chains: dict[int, set[int]]  # candidate person id → managers above them
    nominators: dict[int, set[int]]  # candidacy id → nominator person ids

    def reason(self, candidacy: Candidacy, reviewer_id: int) -> str:
        """The automatic recusal of ``reviewer_id`` from ``candidacy`` ("" when there is none)."""
        if candidacy.person_id == reviewer_id:
            return Recusal.SELF
        if reviewer_id in self.chains.get(candidacy.person_id, set()):
            return Recusal.CHAIN
        if reviewer_id in self.nominators.get(candidacy.pk, set()):
            return Recusal.NOMINATOR
        return Recusal.NONE


def recusal_map(candidacies: list[Candidacy]) -> RecusalMap:
    """Automatic recusals for ``candidacies`` (with ``person`` loaded): a query per org-chart level and one
    for the nominators."""
    chains = manager_chains([c.person for c in candidacies])
    nominators: dict[int, set[int]] = {c.pk: set() for c in candidacies}
    rows = Nomination.objects.filter(candidacy__in=[c.pk for c in candidacies]).values_list(
        "candidacy_id", "nominator_id"
    )
    for candidacy_id, nominator_id in rows:
        nominators[candidacy_id].add(nominator_id)
    return RecusalMap(chains=chains, nominators=nominators)


def automatic_recusal(candidacy: Candidacy, reviewer: Person) -> str:
    """Why ``reviewer`` may not review ``candidacy`` by the rules ("" when nothing stops them)."""
    return recusal_map([candidacy]).reason(candidacy, reviewer.pk)


def accepted_candidacies(cycle: NominationCycle):
    """The candidacies a committee reviews, with what the blind page shows loaded."""
    return (
        Candidacy.objects.filter(cycle=cycle, status=Candidacy.Status.ACCEPTED)
        .select_related("person__department__division")
        .order_by("number", "pk")
    )


@dataclass(frozen=True)
class ReviewerAccess:
    """A committee member's view of one candidacy."""

    cycle: NominationCycle
    seat: CommitteeMember
    candidacy: Candidacy
    review: Review | None  # the member's own review (or declared conflict), if any
    automatic: str  # automatic recusal reason, "" when none

    @property
    def recusal(self) -> str:
        """Why the member does not review this candidacy ("" when they do)."""
        if self.automatic:
            return self.automatic
        return self.review.recusal if self.review is not None else Recusal.NONE

    @property
    def recusal_label(self) -> str:
        return Recusal(self.recusal).label if self.recusal else ""

    @property
    def revealed(self) -> bool:
        return self.cycle.decisions_published

    @property
    def can_write(self) -> bool:
        return self.cycle.status == S.REVIEWING and not self.revealed and not self.recusal


def get_cycle_for_reviewer(user: User, pk: int) -> tuple[NominationCycle, CommitteeMember]:
    """A cycle under (or past) review, for one of its committee members; 404 for everyone else, and
    before the review starts."""
    cycle = NominationCycle.objects.filter(pk=pk, status__in=REVIEW_VISIBLE).first()
    seat = committee_seat(user, cycle) if cycle is not None else None
    if cycle is None or seat is None:
        raise Http404("No such cycle.")
    return cycle, seat


def get_candidacy_for_reviewer(user: User, cycle_pk: int, pk: int) -> ReviewerAccess:
    """An accepted candidacy of a cycle the user reviews, with their own review and any automatic recusal;
    404 for anything else (another cycle's candidacy, one not accepted, someone off the committee)."""
    cycle, seat = get_cycle_for_reviewer(user, cycle_pk)
    candidacy = accepted_candidacies(cycle).filter(pk=pk).first()
    if candidacy is None:
        raise Http404("No such candidacy.")
    candidacy.cycle = cycle
    review = Review.objects.filter(candidacy=candidacy, reviewer=seat.person).first()
    return ReviewerAccess(
        cycle=cycle,
        seat=seat,
        candidacy=candidacy,
        review=review,
        automatic=automatic_recusal(candidacy, seat.person),
    )


def get_cycle_for_chair(user: User, pk: int) -> tuple[NominationCycle, CommitteeMember]:
    """A cycle under (or past) review, for its chair only; 404 for everyone else."""
    cycle, seat = get_cycle_for_reviewer(user, pk)
    if not seat.is_chair:
        raise Http404("No such cycle.")
    return cycle, seat


def get_cycle_for_progress(user: User, pk: int) -> NominationCycle:
    """The review progress board: for the cycle's chair and HR admins, once the review has started."""
    cycle = NominationCycle.objects.filter(pk=pk, status__in=REVIEW_VISIBLE).first()
    if cycle is None:
        raise Http404("No such cycle.")
    if is_hr_admin(user):
        return cycle
    seat = committee_seat(user, cycle)
    if seat is None or not seat.is_chair:
        raise Http404("No such cycle.")
    return cycle


def get_person_for_history(user: User, pk: int) -> Person:
    """A person's history across cycles: HR admins only."""
    if not is_hr_admin(user):
        raise Http404("No such person.")
    person = Person.objects.with_org().filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person
