"""Reads of endorsements and of the reporting tree used to prompt nominations.

Who endorsed whom is known to HR admins only: every reader here except ``endorsements_for_hr`` returns
counts and reasons, never an endorser. Reasons are sorted by their text, not by when they were given, so
their order gives nothing away either.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from people.models import Person

from ..models import Candidacy, Endorsement, Nomination, NominationCycle

# Bounds the walk down the org chart against cycles in bad data; no real organization is this deep.
MAX_TREE_DEPTH = 30


@dataclass(frozen=True)
class EndorsementEvidence:
    """What the committee, the person's manager or anyone but HR may learn of a person's endorsements."""

    count: int = 0
    reasons: list[str] = field(default_factory=list)


def reporting_tree_ids(person: Person) -> set[int]:
    """The ids of everyone below ``person`` in the management chain (not ``person``), any status. One query
    per level of the tree."""
    found: set[int] = set()
    level = {person.pk}
    for _ in range(MAX_TREE_DEPTH):
        below = set(Person.objects.filter(manager_id__in=level).values_list("pk", flat=True)) - found
        below.discard(person.pk)
        if not below:
            break
        found |= below
        level = below
    return found


def has_reports(person: Person) -> bool:
    """Whether ``person`` manages anyone still employed: managers and directors nominate."""
    return person.reports.current().exists()


def endorsement_evidence(
    candidacy_or_person: Candidacy | Person, cycle: NominationCycle
) -> EndorsementEvidence:
    """The count and the reasons of a person's endorsements in ``cycle``, without the endorsers: what the
    committee's blind page shows. One query."""
    person_id = (
        candidacy_or_person.person_id
        if isinstance(candidacy_or_person, Candidacy)
        else candidacy_or_person.pk
    )
    reasons = list(
        Endorsement.objects.filter(cycle=cycle, person_id=person_id)
        .order_by("reason", "pk")
        .values_list("reason", flat=True)
    )
    return EndorsementEvidence(count=len(reasons), reasons=reasons)


def endorsement_evidence_by_person(
    cycle: NominationCycle, person_ids: list[int] | set[int] | QuerySet
) -> dict[int, EndorsementEvidence]:
    """``endorsement_evidence`` of many people at once, by person id (people without any are left out).
    One query, for list pages."""
    reasons: dict[int, list[str]] = defaultdict(list)
    rows = (
        Endorsement.objects.filter(cycle=cycle, person_id__in=person_ids)
        .order_by("person_id", "reason", "pk")
        .values_list("person_id", "reason")
    )
    for person_id, reason in rows:
        reasons[person_id].append(reason)
    return {pk: EndorsementEvidence(count=len(texts), reasons=texts) for pk, texts in reasons.items()}


@dataclass(frozen=True)
class AdviceRow:
    """One person of a manager's tree whom colleagues go to for advice."""

    person: Person
    evidence: EndorsementEvidence
    candidacy: Candidacy | None


def team_advice(cycle: NominationCycle, manager: Person) -> list[AdviceRow]:
    """The people of ``manager``'s reporting tree endorsed in ``cycle``, most endorsed first, with the
    reasons but never the endorsers, and their candidacy if they already have one. Bounded queries: one per
    level of the tree, then three."""
    tree = reporting_tree_ids(manager)
    if not tree:
        return []
    evidence = endorsement_evidence_by_person(cycle, tree)
    if not evidence:
        return []
    people = Person.objects.current().filter(pk__in=evidence.keys()).with_org()
    candidacies = {
        c.person_id: c for c in Candidacy.objects.filter(cycle=cycle, person_id__in=evidence.keys())
    }
    rows = [AdviceRow(p, evidence[p.pk], candidacies.get(p.pk)) for p in people]
    return sorted(rows, key=lambda row: (-row.evidence.count, row.person.full_name, row.person.pk))


def endorsements_given(cycle: NominationCycle, endorser: Person) -> QuerySet[Endorsement]:
    """The endorser's own endorsements in ``cycle`` (they may see and withdraw those)."""
    return (
        Endorsement.objects.filter(cycle=cycle, endorser=endorser)
        .select_related("person__department__division")
        .order_by("created_at", "pk")
    )


def endorsements_for_hr(cycle: NominationCycle) -> QuerySet[Endorsement]:
    """Every endorsement of ``cycle`` with its endorser: HR admins' eyes only."""
    return (
        Endorsement.objects.filter(cycle=cycle)
        .select_related("endorser", "person__department__division")
        .order_by("person__full_name", "person_id", "endorser__full_name", "pk")
    )


def candidacies_for_hr(cycle: NominationCycle) -> QuerySet[Candidacy]:
    """Candidacies of ``cycle`` with their nominations and nominators, for HR admins."""
    return (
        Candidacy.objects.filter(cycle=cycle)
        .select_related("person__department__division")
        .prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.select_related("nominator").order_by("created_at", "pk"),
            )
        )
        .order_by("number")
    )
