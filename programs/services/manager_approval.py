"""Manager approval: when a program asks for it, the applicant's direct manager approves or declines an
application before the coordinators decide; silence for the program's number of days counts as approval.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mentoring.audit import log_changes
from notifications.services import notify
from people.models import Person, User
from programs.models import Participant, Program
from programs.text import plural

from . import ProgramError
from .enrollment import notify_decision, program_url, record_status_change

P = Participant.Status
M = Participant.ManagerApproval


def _after_manager_approval(program: Program) -> str:
    return P.APPLIED if program.enrollment_approval else P.APPROVED


@transaction.atomic
def manager_approval_decide(
    *, participant: Participant, manager: Person, approve: bool, reason: str, by: User | None
) -> Participant:
    """The applicant's direct manager approves or declines their application."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("program", "person")
        .get(pk=participant.pk)
    )
    if participant.person.manager_id != manager.pk:
        raise ProgramError("Only the applicant's manager decides on this application.")
    if participant.manager_approval != M.PENDING or participant.status != P.APPLIED:
        raise ProgramError(
            f"This application no longer waits for you: {participant.get_manager_approval_display().lower()}."
        )
    reason = reason.strip()
    if not approve and not reason:
        raise ProgramError("Say why you decline: your report sees the reason.")
    if len(reason) > 1000:
        raise ProgramError("Keep the reason under 1,000 characters.")
    program = participant.program
    participant.manager_decided_at = timezone.now()
    participant.manager_decided_by = manager
    if approve:
        participant.manager_approval = M.APPROVED
        participant.status = _after_manager_approval(program)
        why = f"Approved by their manager, {manager.full_name}."
    else:
        participant.manager_approval = M.DECLINED
        participant.status = P.DECLINED
        participant.reason = f"Your manager declined: {reason}"
        why = f"Declined by their manager, {manager.full_name}: {reason}"
    participant.save(
        update_fields=[
            "manager_approval",
            "manager_decided_at",
            "manager_decided_by",
            "status",
            "reason",
            "updated_at",
        ]
    )
    record_status_change(participant, from_status=P.APPLIED, by=by, why=why)
    _notify_manager_answer(participant)
    return participant


def _notify_manager_answer(participant: Participant) -> None:
    """Tell the applicant what their manager's answer (or silence) means for them."""
    if participant.status != P.APPLIED:
        notify_decision(participant, participant.reason)
        return
    program = participant.program
    role = participant.get_role_display().lower()
    notify(
        recipient=participant.person,
        kind="manager_approved",
        key=f"participant:{participant.pk}",
        subject=f"Your manager's approval for {program.name}",
        body=(
            f"Your application to {program.name} as a {role} has your manager's approval "
            f"({participant.get_manager_approval_display().lower()}). The program's coordinators decide next."
        ),
        url=program_url(program),
    )


def manager_approvals_expire(*, now: datetime.datetime) -> int:
    """Approve by silence every manager approval left unanswered for the program's number of days.

    Idempotent: a conditional UPDATE claims each application, so a second run (or a manager answering at
    the same moment) changes nothing twice. Returns how many were approved.
    """
    pending = Participant.objects.filter(manager_approval=M.PENDING, status=P.APPLIED)
    day_counts = set(pending.values_list("program__manager_approval_days", flat=True).distinct())
    approved = 0
    for days in sorted(day_counts):
        due = pending.filter(
            program__manager_approval_days=days, applied_at__lte=now - datetime.timedelta(days=days)
        ).select_related("program", "person")
        for participant in due:
            approved += _approve_by_silence(participant, days=days, now=now)
    return approved


@transaction.atomic
def _approve_by_silence(participant: Participant, *, days: int, now: datetime.datetime) -> int:
    to = _after_manager_approval(participant.program)
    claimed = Participant.objects.filter(
        pk=participant.pk, manager_approval=M.PENDING, status=P.APPLIED
    ).update(manager_approval=M.APPROVED_BY_SILENCE, manager_decided_at=now, status=to, updated_at=now)
    if not claimed:
        return 0
    log_changes([(participant, {"status": (P.APPLIED, to)})])
    participant.manager_approval, participant.manager_decided_at, participant.status = (
        M.APPROVED_BY_SILENCE,
        now,
        to,
    )
    record_status_change(
        participant,
        from_status=P.APPLIED,
        by=None,
        why=f"No answer from the manager within {days} {plural(days, 'day', 'days')}.",
    )
    _notify_manager_answer(participant)
    return 1
