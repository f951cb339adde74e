"""The pair's agreement at kick-off: what each expects, how often and how they meet, what stays between
them, and a summary of their goals.

Either member writes it; both confirm it, each confirmation timestamped. A change to the content after a
confirmation clears both confirmations (they agreed to something else) and tells the other member, who is
asked to read and confirm again. Every rule is checked here, whatever the form let through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from matching.models import Mentorship
from notifications.services import notify
from people.models import User

from ..models import Agreement
from ..permissions import MENTOR, PairAccess
from . import FeedbackError

TEXT_FIELDS = ("expectations", "confidentiality", "goals_summary")
FIELDS = ("expectations", "cadence_days", "meeting_format", "confidentiality", "goals_summary")
TEXT_MAX_LENGTH = 4000
CADENCE_RANGE = (1, 365)
LABELS = {
    "expectations": "Expectations",
    "cadence_days": "Meeting cadence",
    "meeting_format": "Meeting format",
    "confidentiality": "Confidentiality",
    "goals_summary": "Summary of goals",
}
CURRENT = (Mentorship.Status.PROPOSED, Mentorship.Status.ACTIVE)


class AgreementInvalid(FeedbackError):
    """The agreement cannot be saved; ``errors`` maps a field (or None for the whole) to messages."""

    def __init__(self, errors: Mapping[str | None, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(" ".join(m for messages in self.errors.values() for m in messages))


@dataclass(frozen=True)
class AgreementSaved:
    agreement: Agreement
    changed: bool  # the content differs from what was there
    confirmations_cleared: bool  # someone had confirmed the previous content


def require_writer(access: PairAccess) -> None:
    """Members write to a current pair; coordinators read it; an ended pair's record stays as it was."""
    if not access.is_member:
        raise FeedbackError(
            "Only the mentor and the mentee change their pair's agreement and goals; coordinators read them."
        )
    if not access.can_write:
        status = access.mentorship.get_status_display().lower()
        raise FeedbackError(f"This pair is {status}: its record stays as it was and cannot be changed.")


def lock_pair(access: PairAccess) -> Mentorship:
    """Lock the pair's row for the rest of the transaction (serializing writes to its agreement and goals)
    and check again that it is still current."""
    locked = Mentorship.objects.select_for_update().get(pk=access.mentorship.pk)
    if locked.status not in CURRENT:
        raise FeedbackError(
            f"This pair is {locked.get_status_display().lower()}: its record stays as it was and cannot be "
            "changed."
        )
    return locked


def agreement_of(mentorship: Mentorship) -> Agreement | None:
    try:
        return mentorship.agreement
    except ObjectDoesNotExist:
        return None


def content_version(agreement: Agreement | None) -> str:
    """Identifies the content a member read before confirming: ``updated_at`` changes with the content only
    (confirmations save without touching it)."""
    if agreement is None or agreement.updated_at is None:
        return ""
    return str(int(agreement.updated_at.timestamp() * 1_000_000))


def agreement_problems(data: Mapping[str, Any]) -> dict[str | None, list[str]]:
    """Every reason ``data`` cannot be saved as the agreement."""
    problems: dict[str | None, list[str]] = {}

    def refuse(field: str | None, message: str) -> None:
        problems.setdefault(field, []).append(message)

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        refuse(None, f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not part of an agreement.")
    for field in TEXT_FIELDS:
        value = data.get(field, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            refuse(field, f"{LABELS[field]} must be text.")
        elif len(value.strip()) > TEXT_MAX_LENGTH:
            refuse(
                field,
                f"Keep {LABELS[field].lower()} to at most {TEXT_MAX_LENGTH:,} characters "
                f"(it has {len(value.strip()):,}).",
            )
    cadence = data.get("cadence_days")
    low, high = CADENCE_RANGE
    if cadence is not None and (type(cadence) is not int or not low <= cadence <= high):
        refuse("cadence_days", f"The cadence is a number of days from {low} to {high}, or empty.")
    meeting_format = data.get("meeting_format") or ""
    if meeting_format and meeting_format not in Agreement.MeetingFormat.values:
        refuse("meeting_format", "Choose how you meet from the list.")
    if not problems and not any(_clean(data)[f] not in ("", None) for f in FIELDS):
        refuse(None, "Write at least one part of the agreement before saving it.")
    return problems


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {f: (data.get(f) or "").strip() for f in TEXT_FIELDS}
    values["cadence_days"] = data.get("cadence_days")
    values["meeting_format"] = data.get("meeting_format") or ""
    return values


@transaction.atomic
def agreement_save(*, access: PairAccess, data: Mapping[str, Any], by: User) -> AgreementSaved:
    """Write the pair's agreement. A change after either member confirmed clears both confirmations and
    tells the other member. Raises ``AgreementInvalid`` (or ``FeedbackError``) with nothing saved."""
    require_writer(access)
    problems = agreement_problems(data)
    if problems:
        raise AgreementInvalid(problems)
    mentorship = lock_pair(access)
    values = _clean(data)
    agreement = Agreement.objects.filter(mentorship=mentorship).first()
    if agreement is None:
        agreement = Agreement.objects.create(mentorship=mentorship, updated_by=by, **values)
        access.mentorship.agreement = agreement
        return AgreementSaved(agreement, changed=True, confirmations_cleared=False)
    changed = [f for f in FIELDS if getattr(agreement, f) != values[f]]
    if not changed:
        return AgreementSaved(agreement, changed=False, confirmations_cleared=False)
    had_confirmation = agreement.mentor_confirmed_at is not None or agreement.mentee_confirmed_at is not None
    for field in FIELDS:
        setattr(agreement, field, values[field])
    agreement.updated_by = by
    agreement.mentor_confirmed_at = agreement.mentee_confirmed_at = None
    agreement.save(
        update_fields=[*FIELDS, "updated_by", "mentor_confirmed_at", "mentee_confirmed_at", "updated_at"]
    )
    access.mentorship.agreement = agreement
    if had_confirmation:
        _tell_partner(
            access,
            kind="agreement_changed",
            key=f"agreement:{agreement.pk}:changed:{content_version(agreement)}",
            subject=f"{_name(access)} changed your agreement: please read it and confirm again",
            body=(
                f"{_name(access)} changed {', '.join(LABELS[f].lower() for f in changed)} in the agreement "
                f"of your pair in {mentorship.program.name}. The earlier confirmations no longer apply: "
                "read the new version and confirm it if you agree."
            ),
        )
    return AgreementSaved(agreement, changed=True, confirmations_cleared=had_confirmation)


@transaction.atomic
def agreement_confirm(*, access: PairAccess, by: User, version: str = "") -> Agreement:
    """Confirm the agreement as it is, for the signed-in member's side. ``version`` (from
    ``content_version``) is what they read; a confirmation of content that has changed since is refused."""
    require_writer(access)
    mentorship = lock_pair(access)
    agreement = Agreement.objects.select_for_update().filter(mentorship=mentorship).first()
    if agreement is None:
        raise FeedbackError("Write the agreement together before confirming it.")
    if version and version != content_version(agreement):
        raise FeedbackError(
            "The agreement changed since you opened the page. Read the new version, then confirm it."
        )
    field = "mentor_confirmed_at" if access.role == MENTOR else "mentee_confirmed_at"
    already = getattr(agreement, field)
    if already is not None:
        when = date_format(timezone.localtime(already), "j M Y, H:i")
        raise FeedbackError(f"You already confirmed this agreement on {when}.")
    setattr(agreement, field, timezone.now())
    # Not ``updated_at``: it dates the content, which a confirmation leaves as it was.
    agreement.save(update_fields=[field])
    access.mentorship.agreement = agreement
    if agreement.confirmed:
        subject = f"{_name(access)} confirmed your agreement: you both have"
        body = (
            f"{_name(access)} confirmed the agreement of your pair in {mentorship.program.name}. "
            "You have both confirmed it; it is settled until one of you changes it."
        )
    else:
        subject = f"{_name(access)} confirmed your agreement: please confirm it too"
        body = (
            f"{_name(access)} read and confirmed the agreement of your pair in {mentorship.program.name}. "
            "Read it and confirm it too if you agree, or change it together."
        )
    _tell_partner(
        access,
        kind="agreement_confirmed",
        key=f"agreement:{agreement.pk}:{field}:{getattr(agreement, field).isoformat()}",
        subject=subject,
        body=body,
    )
    return agreement


def _name(access: PairAccess) -> str:
    participant = access.participant
    return participant.person.full_name if participant is not None else "A coordinator"


def _tell_partner(access: PairAccess, *, kind: str, key: str, subject: str, body: str) -> None:
    partner = access.partner
    if partner is None:
        return
    notify(
        recipient=partner.person,
        kind=kind,
        key=key,
        subject=subject,
        body=body,
        url=reverse("feedback:pair_detail", args=[access.mentorship.pk]) + "#agreement",
    )
