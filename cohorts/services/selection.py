"""Selection per division and the publication of decisions, by the committee chair.

The chair marks each accepted candidacy selected or not selected with a rationale; selecting more people
than the division has seats needs a justification, and so does publishing with seats left unused. Every
decision and every change of one is in the cycle's audit trail. Publishing makes the decisions final: the
cycle moves to "decided", candidates and nominators are told, and the committee sees who the candidates
were.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify
from people.models import User
from people.permissions import person_for_user

from ..models import AuditEntry, Candidacy, CommitteeMember, DivisionQuota, Nomination, NominationCycle
from . import CohortError
from .cycles import cycle_transition

S = NominationCycle.Status
Decision = Candidacy.Decision
RATIONALE_MAX_LENGTH = 4000


def _require_chair(cycle: NominationCycle, by: User, what: str) -> None:
    person = person_for_user(by)
    if (
        person is None
        or not CommitteeMember.objects.filter(cycle=cycle, person=person, is_chair=True).exists()
    ):
        raise CohortError(f"Only the committee chair {what}. Nothing was changed.")


def _lock_for_decisions(cycle: NominationCycle, by: User, what: str) -> NominationCycle:
    """Lock the cycle (decisions, reviews and publication never interleave) and check that ``by`` chairs
    it and that its decisions are still open."""
    locked = NominationCycle.objects.select_for_update().get(pk=cycle.pk)
    _require_chair(locked, by, what)
    if locked.decisions_published or locked.status != S.REVIEWING:
        raise CohortError(
            "The decisions of this cycle are published: they are final."
            if locked.decisions_published
            else f"The cycle is {locked.get_status_display().lower()}: decisions are made once the committee "
            "is reviewing."
        )
    return locked


def _clean_text(value: Any, label: str, *, required: bool) -> str:
    if not isinstance(value, str):
        value = ""
    value = value.strip()
    if required and not value:
        raise CohortError(f"Give {label}. Nothing was changed.")
    if len(value) > RATIONALE_MAX_LENGTH:
        raise CohortError(
            f"Keep {label} to at most {RATIONALE_MAX_LENGTH:,} characters. Nothing was changed."
        )
    return value


def selected_by_division(cycle: NominationCycle) -> Counter:
    """How many accepted candidacies are selected, by the candidate's division id."""
    return Counter(
        Candidacy.objects.filter(
            cycle=cycle, status=Candidacy.Status.ACCEPTED, decision=Decision.SELECTED
        ).values_list("person__department__division_id", flat=True)
    )


def seats_by_division(cycle: NominationCycle) -> dict[int, int]:
    return dict(DivisionQuota.objects.filter(cycle=cycle).values_list("division_id", "seats"))


@transaction.atomic
def candidacy_decide(
    *, candidacy: Candidacy, decision: Any, rationale: Any, by: User, justification: Any = ""
) -> Candidacy:
    """The chair decides ``candidacy``: selected or not selected, with a rationale. Selecting beyond the
    division's seats needs a justification. Each decision, and each change of one, is audited."""
    cycle = _lock_for_decisions(candidacy.cycle, by, "decides who is selected")
    fresh = (
        Candidacy.objects.select_for_update()
        .select_related("person__department__division")
        .filter(pk=candidacy.pk, cycle=cycle)
        .first()
    )
    if fresh is None or fresh.status != Candidacy.Status.ACCEPTED:
        raise CohortError("Only accepted candidacies are decided. Nothing was changed.")
    if decision not in (Decision.SELECTED, Decision.NOT_SELECTED):
        raise CohortError("Choose selected or not selected. Nothing was changed.")
    rationale = _clean_text(rationale, "a rationale for the decision", required=True)
    justification = _clean_text(justification, "the justification", required=False)
    division = fresh.person.department.division
    if decision == Decision.SELECTED and fresh.decision != Decision.SELECTED:
        seats = seats_by_division(cycle).get(division.pk, 0)
        taken = selected_by_division(cycle)[division.pk]
        if taken + 1 > seats and not justification:
            raise CohortError(
                f"{division.name} has {seats} seat{'s' if seats != 1 else ''} and {taken} "
                f"{'are' if taken != 1 else 'is'} already selected: selecting {fresh.blind_label} too "
                "needs a justification. Nothing was changed."
            )
    previous, previous_rationale = fresh.decision, fresh.decision_rationale
    if previous == decision and previous_rationale == rationale:
        return fresh
    fresh.decision = decision
    fresh.decision_rationale = rationale
    fresh.decided_by = by
    fresh.decided_at = timezone.now()
    fresh.save(update_fields=["decision", "decision_rationale", "decided_by", "decided_at"])
    details = f"{Decision(decision).label}. Rationale: {rationale}"
    if previous:
        details = f"{Decision(previous).label} → {details} (was: {previous_rationale})"
    if justification:
        details += f" Justification for exceeding the seats: {justification}"
    AuditEntry.objects.create(
        cycle=cycle,
        candidacy=fresh,
        action="decision_changed" if previous else "decision_made",
        details=details,
        by=by,
    )
    return fresh


def seat_problems(cycle: NominationCycle) -> list[str]:
    """Divisions whose selections do not fill their seats exactly, in plain words."""
    seats = seats_by_division(cycle)
    taken = selected_by_division(cycle)
    names = dict(DivisionQuota.objects.filter(cycle=cycle).values_list("division_id", "division__name"))
    problems = []
    for division_id, count in seats.items():
        if taken[division_id] < count:
            problems.append(f"{names[division_id]}: {taken[division_id]} selected for {count} seats.")
        elif taken[division_id] > count:
            problems.append(f"{names[division_id]}: {taken[division_id]} selected for only {count} seats.")
    for division_id, count in taken.items():
        if division_id not in seats and count:
            problems.append(f"{count} selected in a division without seats.")
    return problems


@transaction.atomic
def decisions_publish(*, cycle: NominationCycle, by: User, justification: Any = "") -> NominationCycle:
    """The chair makes the decisions final: every accepted candidacy must be decided; seats left unused or
    exceeded need a justification. The cycle moves to "decided" (recorded), the candidates and their
    nominators are told, and the committee sees the identities from then on."""
    locked = _lock_for_decisions(cycle, by, "publishes the decisions")
    accepted = Candidacy.objects.filter(cycle=locked, status=Candidacy.Status.ACCEPTED)
    undecided = sorted(accepted.filter(decision=Decision.PENDING).values_list("number", flat=True))
    if undecided:
        labels = ", ".join(f"Candidate {n}" for n in undecided[:10])
        more = f" and {len(undecided) - 10} more" if len(undecided) > 10 else ""
        raise CohortError(f"Decide every candidacy before publishing: {labels}{more} still need a decision.")
    justification = _clean_text(justification, "the justification", required=False)
    problems = seat_problems(locked)
    if problems and not justification:
        raise CohortError(
            "The selections do not match the seats — " + " ".join(problems) + " Give a justification to "
            "publish anyway. Nothing was changed."
        )
    why = "Decisions published."
    if problems:
        why += f" Seats: {' '.join(problems)} Justification: {justification}"
    locked = cycle_transition(cycle=locked, to=S.DECIDED, by=by, why=why)
    locked.decisions_published_at = timezone.now()
    locked.decisions_published_by = by
    locked.save(update_fields=["decisions_published_at", "decisions_published_by", "updated_at"])
    AuditEntry.objects.create(cycle=locked, action="decisions_published", details=why, by=by)
    _notify_decisions(locked)
    cycle.status = locked.status
    cycle.decisions_published_at = locked.decisions_published_at
    cycle.decisions_published_by = by
    return locked


def _notify_decisions(cycle: NominationCycle) -> None:
    candidacies = list(
        Candidacy.objects.filter(cycle=cycle, status=Candidacy.Status.ACCEPTED).select_related("person")
    )
    nominations = Nomination.objects.filter(candidacy__in=candidacies).select_related("nominator")
    by_candidacy: dict[int, list[Nomination]] = {}
    for nomination in nominations:
        by_candidacy.setdefault(nomination.candidacy_id, []).append(nomination)
    nominations_url = reverse("cohorts:nominations_home")
    for candidacy in candidacies:
        person = candidacy.person
        selected = candidacy.decision == Decision.SELECTED
        if selected:
            subject = f"You are selected as a Master Mentor in {cycle}"
            body = (
                f"Congratulations. The committee of {cycle} selected you for the Master Mentor cohort. "
                "Colleagues nominated you for the way you already support others, and the committee agreed. "
                "You will hear about the cohort's first session soon."
            )
        else:
            subject = f"The committee's decision on your Master Mentor candidacy in {cycle}"
            body = (
                f"Thank you for standing as a candidate in {cycle}. Seats were limited this year and "
                "the committee did not select you for this cohort. Being nominated means colleagues value "
                "the way you support them, and we warmly encourage you to stand again next year."
            )
        notify(
            recipient=person,
            kind="cohort_decision",
            key=f"candidacy:{candidacy.pk}",
            subject=subject,
            body=body,
            url=reverse("cohorts:candidacy", args=[candidacy.pk]),
        )
        for nomination in by_candidacy.get(candidacy.pk, []):
            outcome = (
                "was selected for the Master Mentor cohort"
                if selected
                else "was not selected this time; seats were limited, and we hope you will encourage them to "
                "stand again next year"
            )
            notify(
                recipient=nomination.nominator,
                kind="cohort_decision_nominator",
                key=f"candidacy:{candidacy.pk}",
                subject=f"The committee's decision on your nomination of {person.full_name}",
                body=f"Thank you for your nomination in {cycle}. {person.full_name} {outcome}.",
                url=nominations_url,
            )
