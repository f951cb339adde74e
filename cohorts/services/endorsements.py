"""Endorsements: "who do you go to for advice?"

While a cycle is open and its window runs, any employee names up to ``MAX_ENDORSEMENTS`` colleagues, each
with a short reason, and may withdraw their own. Who endorsed whom is known to HR admins only: the endorsed
person, their manager and the committee learn the count and the reasons
(``cohorts.selectors.endorsements.endorsement_evidence``), never the endorser. For that reason endorsements
leave no ``AuditEntry`` (whose readers are not only HR admins).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import Person, User
from people.permissions import person_for_user

from ..models import MAX_ENDORSEMENTS, Endorsement, NominationCycle
from . import CohortError
from .nominations import window_problem

REASON_MAX_LENGTH = 500


def _endorser_of(user: User) -> Person:
    endorser = person_for_user(user)
    if endorser is None or endorser.status == Person.Status.LEFT:
        raise CohortError("Only people in the directory can endorse colleagues; ask HR to link your login.")
    return endorser


def _window_or_refuse(cycle: NominationCycle) -> None:
    problem = window_problem(cycle, timezone.localdate(), what="Endorsements")
    if problem:
        raise CohortError(problem)


@transaction.atomic
def endorsement_create(*, cycle: NominationCycle, person: Person, reason: str, by: User) -> Endorsement:
    """``by`` names ``person`` as someone they go to for advice, with a reason. Refused with nothing saved
    outside the window, for oneself, a former employee, a second endorsement of the same person, or more
    than ``MAX_ENDORSEMENTS`` in the cycle."""
    endorser = _endorser_of(by)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise CohortError("Say in a sentence why you go to them for advice.")
    if len(reason) > REASON_MAX_LENGTH:
        raise CohortError(
            f"Keep the reason to at most {REASON_MAX_LENGTH} characters (it has {len(reason):,})."
        )
    if person.pk == endorser.pk:
        raise CohortError("You cannot endorse yourself; name a colleague you go to for advice.")
    if person.status == Person.Status.LEFT:
        raise CohortError(f"{person.full_name} no longer works here.")
    # Read afresh: HR may have moved the cycle since the page was loaded.
    current = NominationCycle.objects.get(pk=cycle.pk)
    _window_or_refuse(current)
    # The endorser's row serializes their own endorsements, so two at once cannot pass the limit.
    Person.objects.select_for_update().filter(pk=endorser.pk).first()
    given = Endorsement.objects.filter(cycle=current, endorser=endorser)
    if given.filter(person=person).exists():
        raise CohortError(f"You have already endorsed {person.full_name} in {current}.")
    if given.count() >= MAX_ENDORSEMENTS:
        raise CohortError(
            f"You can endorse up to {MAX_ENDORSEMENTS} colleagues in {current}; withdraw one to name someone "
            "else."
        )
    try:
        with transaction.atomic():
            return Endorsement.objects.create(cycle=current, endorser=endorser, person=person, reason=reason)
    except IntegrityError:
        raise CohortError(f"You have already endorsed {person.full_name} in {current}.") from None


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, by: User) -> None:
    """The endorser withdraws their own endorsement, while the cycle takes endorsements."""
    endorser = _endorser_of(by)
    if endorsement.endorser_id != endorser.pk:
        raise CohortError("You can withdraw your own endorsements only.")
    _window_or_refuse(NominationCycle.objects.get(pk=endorsement.cycle_id))
    Endorsement.objects.filter(pk=endorsement.pk).delete()
