"""Nominations and the candidate's consent.

Managers and directors nominate people in their reporting tree (HR admins anyone) with structured evidence
while a cycle is open and its window runs. Several nominations of one person form one ``Candidacy``,
numbered in the cycle ("Candidate 17") under a lock on the cycle so that numbers stay unique. The candidate
is told, and accepts with a short motivation statement or declines; only accepted candidacies are reviewed.
Nobody is told who endorsed a candidate, and the candidate is not told who nominated them either.

The window's opening and closing are announced by ``nomination_windows_notify``, which beat runs hourly
through ``cohorts.tasks``; the cycle's status is moved by HR admins, never by the clock, but after the last
day of the window every nomination and endorsement is refused whatever the status.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.models import Notification
from notifications.services import notify
from people.models import HR_ADMINS_GROUP, Person, User
from people.permissions import is_hr_admin, manager_chain_ids, person_for_user
from programs.services.training import certified_master_mentors

from ..models import AuditEntry, Candidacy, CohortMember, Nomination, NominationCycle
from . import CohortError

Status = NominationCycle.Status
EVIDENCE_MAX_LENGTH = 4000
MOTIVATION_MAX_LENGTH = 2000
# Managers are reminded this many days before the last day of the window.
CLOSING_REMINDER_DAYS = 7
# The candidate may answer while the cycle is open or under review; decided cycles are final.
ANSWERABLE = (Status.OPEN, Status.REVIEWING)
# The candidate's answer: the only moves of a candidacy's status.
TRANSITIONS: dict[str, set[str]] = {
    Candidacy.Status.INVITED: {Candidacy.Status.ACCEPTED, Candidacy.Status.DECLINED},
    Candidacy.Status.ACCEPTED: set(),
    Candidacy.Status.DECLINED: set(),
}

KIND_INVITED = "candidacy_invited"
KIND_DECIDE = "candidacy_decide"
KIND_ANSWERED = "candidacy_answered"
KIND_WINDOW_OPEN = "cohort_nominations_open"
KIND_WINDOW_CLOSING = "cohort_nominations_closing"
KIND_WINDOW_CLOSED = "cohort_nominations_closed"


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def window_problem(cycle: NominationCycle, today: datetime.date, what: str = "Nominations") -> str | None:
    """Why ``cycle`` takes no nominations (or endorsements: ``what``) on ``today``, or None when it does.
    Open means the status is open and ``today`` falls in the window, its last day included."""
    if cycle.status == Status.DRAFT:
        return f"{what} for {cycle} are not open yet."
    if cycle.status != Status.OPEN:
        if cycle.nominations_close_on is not None:
            return f"{what} for {cycle} closed on {_day(cycle.nominations_close_on)}."
        return f"{what} for {cycle} are closed."
    if cycle.nominations_open_on is not None and today < cycle.nominations_open_on:
        return f"{what} for {cycle} open on {_day(cycle.nominations_open_on)}."
    if cycle.nominations_close_on is not None and today > cycle.nominations_close_on:
        return f"{what} for {cycle} closed on {_day(cycle.nominations_close_on)}."
    return None


def accepting_q(today: datetime.date) -> Q:
    """The condition on a cycle for taking nominations and endorsements on ``today``."""
    return (
        Q(status=Status.OPEN)
        & (Q(nominations_open_on__isnull=True) | Q(nominations_open_on__lte=today))
        & (Q(nominations_close_on__isnull=True) | Q(nominations_close_on__gte=today))
    )


def accepting_cycles(today: datetime.date | None = None):
    """Cycles taking nominations and endorsements on ``today``."""
    return NominationCycle.objects.filter(accepting_q(today or timezone.localdate()))


def standing_problems(person_ids: Iterable[int]) -> dict[int, str]:
    """Who among ``person_ids`` cannot stand because they are a Master Mentor already or training in a cohort
    now, as {person id: "is already ..."}; two queries for any number of people."""
    ids = list(person_ids)
    problems = dict.fromkeys(certified_master_mentors(ids), "is already a certified Master Mentor.")
    training = CohortMember.objects.filter(person_id__in=ids, status=CohortMember.Status.ACTIVE)
    for person_id in training.values_list("person_id", flat=True):
        problems.setdefault(person_id, "is training in a Master Mentor cohort now.")
    return problems


def eligibility_problem(
    cycle: NominationCycle,
    person: Person,
    today: datetime.date,
    *,
    standing: Mapping[int, str] | None = None,
) -> str | None:
    """Why ``person`` cannot be a candidate in ``cycle``, or None when they can. ``standing`` is
    ``standing_problems`` computed once for a list of people."""
    name = person.full_name
    if person.status != Person.Status.ACTIVE:
        return f"{name} is not an active employee, so cannot be nominated."
    if cycle.min_job_level is not None and person.job_level < cycle.min_job_level:
        return f"{name} is not eligible: candidates must be at job level {cycle.min_job_level} or above."
    if cycle.min_tenure_months is not None and person.tenure_months(today) < cycle.min_tenure_months:
        return (
            f"{name} is not eligible: candidates must have been with the organization for at least "
            f"{cycle.min_tenure_months} months."
        )
    standing = standing_problems([person.pk]) if standing is None else standing
    if person.pk in standing:
        return f"{name} {standing[person.pk]}"
    return None


def may_nominate(user: User, nominator: Person | None, person: Person) -> bool:
    """HR admins nominate anyone; managers and directors anyone below them in the management chain."""
    if nominator is None:
        return False
    if is_hr_admin(user):
        return True
    return nominator.pk in manager_chain_ids(person)


@dataclass(frozen=True)
class NominationEvidence:
    informal_mentoring: str
    sought_out: str
    sponsoring: str
    communication: str
    statement: str = ""


EVIDENCE_LABELS = {
    "informal_mentoring": "the record of informal mentoring",
    "sought_out": "who seeks them out, and why",
    "sponsoring": "examples of sponsoring others to success",
    "communication": "communication and emotional intelligence",
}


def _clean_evidence(evidence: NominationEvidence) -> NominationEvidence:
    values = {}
    for name in (*EVIDENCE_LABELS, "statement"):
        value = getattr(evidence, name)
        if not isinstance(value, str):
            raise CohortError("Write the evidence in words.")
        value = value.strip()
        if name in EVIDENCE_LABELS and not value:
            raise CohortError(f"Describe {EVIDENCE_LABELS[name]}.")
        if len(value) > EVIDENCE_MAX_LENGTH:
            raise CohortError(
                f"Keep each part of the evidence to at most {EVIDENCE_MAX_LENGTH:,} characters "
                f"(one has {len(value):,})."
            )
        values[name] = value
    return NominationEvidence(**values)


def candidacy_url(candidacy: Candidacy) -> str:
    return reverse("cohorts:candidacy", args=[candidacy.pk])


@transaction.atomic
def nomination_create(
    *, cycle: NominationCycle, person: Person, evidence: NominationEvidence, by: User
) -> Nomination:
    """``by`` (through their directory entry) nominates ``person`` in ``cycle``. The first nomination of a
    person opens their candidacy, numbered next in the cycle, and asks them to accept or decline. Refused
    with nothing saved when any rule is broken."""
    nominator = person_for_user(by)
    if nominator is None or nominator.status == Person.Status.LEFT:
        raise CohortError("Only people in the directory can nominate; ask HR to link your login.")
    if nominator.pk == person.pk:
        raise CohortError("You cannot nominate yourself; ask your manager to.")
    # The locked row serializes nominations of the cycle (numbers) and a status change by HR.
    locked = NominationCycle.objects.select_for_update().get(pk=cycle.pk)
    problem = window_problem(locked, timezone.localdate())
    if problem:
        raise CohortError(problem)
    if not may_nominate(by, nominator, person):
        raise CohortError("You can nominate people in your reporting line only.")
    problem = eligibility_problem(locked, person, timezone.localdate())
    if problem:
        raise CohortError(problem)
    evidence = _clean_evidence(evidence)
    candidacy = Candidacy.objects.filter(cycle=locked, person=person).first()
    if candidacy is not None and candidacy.status == Candidacy.Status.DECLINED:
        raise CohortError(f"{person.full_name} has declined their candidacy in {locked}.")
    if candidacy is not None and candidacy.nominations.filter(nominator=nominator).exists():
        raise CohortError(f"You have already nominated {person.full_name} in {locked}.")
    opened = candidacy is None
    try:
        with transaction.atomic():
            if candidacy is None:
                last = Candidacy.objects.filter(cycle=locked).aggregate(n=Max("number"))["n"] or 0
                candidacy = Candidacy.objects.create(cycle=locked, person=person, number=last + 1)
            nomination = Nomination.objects.create(
                candidacy=candidacy,
                nominator=nominator,
                informal_mentoring=evidence.informal_mentoring,
                sought_out=evidence.sought_out,
                sponsoring=evidence.sponsoring,
                communication=evidence.communication,
                statement=evidence.statement,
                created_by=by,
            )
    except IntegrityError:
        raise CohortError(f"You have already nominated {person.full_name} in {locked}.") from None
    AuditEntry.objects.create(
        cycle=locked,
        candidacy=candidacy,
        action="nominated",
        details=f"Nominated by {nominator.full_name}"
        + (f"; {candidacy.blind_label} opened." if opened else "."),
        by=by,
    )
    if opened:
        _invite(candidacy, locked)
    return nomination


def _invite(candidacy: Candidacy, cycle: NominationCycle) -> None:
    deadline = f" Please answer by {_day(cycle.nominations_close_on)}." if cycle.nominations_close_on else ""
    notify(
        recipient=candidacy.person,
        kind=KIND_INVITED,
        key=f"candidacy:{candidacy.pk}",
        subject=f"You have been nominated for {cycle}",
        body=(
            "Congratulations: you have been nominated to become a Master Mentor, because colleagues see "
            "in you someone who already mentors well. Accept with a short motivation statement, or "
            f"decline; only candidacies that are accepted go to the selection committee.{deadline}"
        ),
        url=candidacy_url(candidacy),
    )


def _answer(*, candidacy: Candidacy, to: str, motivation: str, by: User) -> Candidacy:
    person = person_for_user(by)
    if person is None or person.pk != candidacy.person_id:
        raise CohortError("Only the candidate answers their candidacy.")
    locked = Candidacy.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=candidacy.pk)
    if locked.cycle.status not in ANSWERABLE:
        raise CohortError(
            f"{locked.cycle} is {locked.cycle.get_status_display().lower()}; answers are closed."
        )
    if to not in TRANSITIONS[locked.status]:
        raise CohortError(
            f"You have already answered: your candidacy is {locked.get_status_display().lower()}."
        )
    locked.status = to
    locked.motivation = motivation
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "motivation", "responded_at"])
    accepted = to == Candidacy.Status.ACCEPTED
    AuditEntry.objects.create(
        cycle=locked.cycle,
        candidacy=locked,
        action="candidacy_accepted" if accepted else "candidacy_declined",
        details="The candidate accepted." if accepted else "The candidate declined.",
        by=by,
    )
    _tell_nominators(locked, accepted=accepted)
    return locked


def _tell_nominators(candidacy: Candidacy, *, accepted: bool) -> None:
    name = candidacy.person.full_name
    for nomination in candidacy.nominations.select_related("nominator"):
        notify(
            recipient=nomination.nominator,
            kind=KIND_ANSWERED,
            key=f"candidacy:{candidacy.pk}",
            subject=f"{name} {'accepted' if accepted else 'declined'} the nomination for {candidacy.cycle}",
            body=(
                f"{name} accepted the nomination; the candidacy goes to the selection committee. Thank you "
                "for nominating them."
                if accepted
                else f"{name} declined the nomination this year. Thank you for nominating them."
            ),
            url=reverse("cohorts:nominations_home"),
        )


@transaction.atomic
def candidacy_accept(*, candidacy: Candidacy, motivation: str, by: User) -> Candidacy:
    """The candidate accepts, with a short motivation statement; the candidacy goes to the committee."""
    motivation = (motivation or "").strip() if isinstance(motivation, str) else ""
    if not motivation:
        raise CohortError("Write a short motivation statement to accept.")
    if len(motivation) > MOTIVATION_MAX_LENGTH:
        raise CohortError(
            f"Keep the motivation statement to at most {MOTIVATION_MAX_LENGTH:,} characters "
            f"(it has {len(motivation):,})."
        )
    return _answer(candidacy=candidacy, to=Candidacy.Status.ACCEPTED, motivation=motivation, by=by)


@transaction.atomic
def candidacy_decline(*, candidacy: Candidacy, by: User) -> Candidacy:
    """The candidate declines; nobody reviews the candidacy."""
    return _answer(candidacy=candidacy, to=Candidacy.Status.DECLINED, motivation="", by=by)


# --- Scheduled: the window opening and closing -------------------------------------------------------------


def _not_yet_told(people, kind: str, key: str):
    """``people`` without a notification of ``kind`` and ``key``: a run after the first finds nobody."""
    told = Notification.objects.filter(recipient=OuterRef("pk"), kind=kind, key=key)
    return people.exclude(Exists(told))


def _managers():
    reports = Person.objects.current().filter(manager=OuterRef("pk"))
    return Person.objects.current().filter(Exists(reports)).order_by("pk")


def _hr_admins():
    return (
        Person.objects.current()
        .filter(Q(user__groups__name=HR_ADMINS_GROUP) | Q(user__is_superuser=True), user__is_active=True)
        .distinct()
        .order_by("pk")
    )


def _sent(result: Notification | None) -> int:
    return 1 if result is not None else 0


def window_openings_notify(*, today: datetime.date) -> int:
    """Tell each manager and director, once per cycle, that the window of an open cycle has opened, and
    remind them once when it closes within ``CLOSING_REMINDER_DAYS``. Returns how many were sent."""
    sent = 0
    home = reverse("cohorts:nominations_home")
    for cycle in accepting_cycles(today).order_by("pk"):
        key = f"cycle:{cycle.pk}"
        close_on = cycle.nominations_close_on
        until = f" until {_day(close_on)}" if close_on else ""
        for manager in _not_yet_told(_managers(), KIND_WINDOW_OPEN, key):
            sent += _sent(
                notify(
                    recipient=manager,
                    kind=KIND_WINDOW_OPEN,
                    key=key,
                    subject=f"Nominations for {cycle} are open{until}",
                    body=(
                        f"Who in your team already mentors well? Nominate them for {cycle}{until}. The page "
                        "“people your team goes to for advice” shows who colleagues name when asked."
                    ),
                    url=home,
                )
            )
        if close_on is not None and (close_on - today).days <= CLOSING_REMINDER_DAYS:
            for manager in _not_yet_told(_managers(), KIND_WINDOW_CLOSING, key):
                sent += _sent(
                    notify(
                        recipient=manager,
                        kind=KIND_WINDOW_CLOSING,
                        key=key,
                        subject=f"Nominations for {cycle} close on {_day(close_on)}",
                        body=(
                            f"The last day to nominate someone in your team for {cycle} is {_day(close_on)}."
                        ),
                        url=home,
                    )
                )
    return sent


def window_closings_notify(*, today: datetime.date) -> int:
    """For open cycles whose window has passed: ask each candidate who has not answered to decide, and tell
    the HR admins the window closed (so they move the cycle to review). Once each; returns how many."""
    sent = 0
    cycles = NominationCycle.objects.filter(status=Status.OPEN, nominations_close_on__lt=today).order_by("pk")
    for cycle in cycles:
        key = f"cycle:{cycle.pk}"
        closed_on = _day(cycle.nominations_close_on) if cycle.nominations_close_on else ""
        invited = Candidacy.objects.filter(cycle=cycle, status=Candidacy.Status.INVITED).select_related(
            "person"
        )
        for candidacy in invited:
            sent += _sent(
                notify(
                    recipient=candidacy.person,
                    kind=KIND_DECIDE,
                    key=f"candidacy:{candidacy.pk}",
                    subject=f"Please answer your nomination for {cycle}",
                    body=(
                        "Nominations have closed and your candidacy is waiting for your answer. Accept "
                        "with a short motivation statement, or decline; only accepted candidacies are "
                        "reviewed."
                    ),
                    url=candidacy_url(candidacy),
                )
            )
        admins = list(_not_yet_told(_hr_admins(), KIND_WINDOW_CLOSED, key))
        if not admins:
            continue
        counts = Candidacy.objects.filter(cycle=cycle).aggregate(
            total=Count("pk"), accepted=Count("pk", filter=Q(status=Candidacy.Status.ACCEPTED))
        )
        for admin in admins:
            sent += _sent(
                notify(
                    recipient=admin,
                    kind=KIND_WINDOW_CLOSED,
                    key=key,
                    subject=f"Nominations for {cycle} closed on {closed_on}",
                    body=(
                        f"{counts['total']} people were nominated and {counts['accepted']} accepted so "
                        "far. "
                        "Move the cycle to committee review when you are ready."
                    ),
                    url=reverse("cohorts:cycle_nominations_hr", args=[cycle.pk]),
                )
            )
    return sent


def nomination_windows_notify(*, today: datetime.date | None = None) -> int:
    """The hourly dispatcher's work: what is due is decided from the database, so runs may repeat."""
    today = today or timezone.localdate()
    return window_openings_notify(today=today) + window_closings_notify(today=today)
