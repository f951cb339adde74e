"""Graduation of a cohort, its certificates, and the certificates' export for the HRIS.

``cohort_graduate`` graduates, in one action, every member in training who meets the threshold (attendance
at or above the cohort's minimum, excused absences not counted against them, every required event attended).
It is idempotent: a second run finds nobody new to graduate and writes nothing. Each graduate gets
- a ``Certificate`` with an unguessable verification code,
- one ``PersonnelRecord`` of kind certificate titled ``MASTER_MENTOR_CERTIFICATE_TITLE`` (written once, so
  programs treat them as certified: ``programs.services.training.is_certified_master_mentor``),
- a notification.
Members who do not meet the threshold stay in training, listed with what they miss.
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.services import notify
from people.models import Person, PersonnelRecord, User
from programs.models import Participant, Program
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE

from ..models import AuditEntry, Certificate, Cohort, CohortEvent, CohortMember
from . import CohortError
from .cohort import MemberProgress, cohort_progress, events_without_attendance, when

M = CohortMember.Status
CSV_COLUMNS = ("employee_id", "name", "email", "title", "issued_on", "verification_url")
# 24 random bytes: 32 URL-safe characters, far beyond guessing.
CODE_BYTES = 24


@dataclass
class GraduationResult:
    graduated: list[CohortMember] = field(default_factory=list)
    not_meeting: list[MemberProgress] = field(default_factory=list)


def new_verification_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def verification_url(certificate: Certificate) -> str:
    return f"{settings.SITE_URL}{reverse('cohorts:certificate_verify', args=[certificate.verification_code])}"


def graduation_preview(cohort: Cohort) -> GraduationResult:
    """Who would graduate now (members in training who meet the threshold) and who would not, and why."""
    result = GraduationResult()
    for progress in cohort_progress(cohort, statuses=[M.ACTIVE]):
        if progress.meets:
            result.graduated.append(progress.member)
        else:
            result.not_meeting.append(progress)
    return result


def _issue_certificate(member: CohortMember, on: datetime.date) -> Certificate:
    existing = Certificate.objects.filter(member=member).first()
    if existing is not None:
        return existing
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    member=member,
                    verification_code=new_verification_code(),
                    title=MASTER_MENTOR_CERTIFICATE_TITLE,
                    issued_on=on,
                )
        except IntegrityError:  # a code collision: practically never; draw again
            continue
    raise CohortError("Could not issue a certificate; try again.")


def _record_in_personnel_file(member: CohortMember, on: datetime.date, by: User | None) -> None:
    """The certificate in the graduate's personnel file, once whatever happens (a re-run, an earlier
    cohort's record of the same title)."""
    already = PersonnelRecord.objects.filter(
        person=member.person,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        title__iexact=MASTER_MENTOR_CERTIFICATE_TITLE,
    ).exists()
    if already:
        return
    PersonnelRecord.objects.create(
        person=member.person,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        effective_on=on,
        title=MASTER_MENTOR_CERTIFICATE_TITLE,
        details=f"Graduated from the {member.cohort.name} Master Mentor cohort.",
        created_by=by,
    )


@transaction.atomic
def training_ahead(cohort: Cohort, *, now: datetime.datetime | None = None) -> list[CohortEvent]:
    """The cohort's training events (not cancelled, not the graduation ceremony) that have not begun yet."""
    now = now or timezone.now()
    return list(
        cohort.events.filter(cancelled=False, starts_at__gt=now)
        .exclude(kind=CohortEvent.Kind.GRADUATION)
        .order_by("starts_at", "pk")
    )


def cohort_graduate(*, cohort: Cohort, by: User | None, on: datetime.date | None = None) -> GraduationResult:
    """Graduate every member in training who meets the threshold; see the module's docstring. Refused, with
    nothing changed, while an event that has begun still has no attendance (nobody is graduated or held back
    on a missing record), and while training events are still ahead."""
    on = on or timezone.localdate()
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    unrecorded = events_without_attendance(locked)
    if unrecorded:
        names = "; ".join(f"{e.title} ({when(e.starts_at)})" for e in unrecorded[:5])
        more = f" and {len(unrecorded) - 5} more" if len(unrecorded) > 5 else ""
        raise CohortError(
            f"Take attendance first for: {names}{more}. Nobody is graduated or held back on a missing "
            "record; nothing was changed."
        )
    ahead = training_ahead(locked)
    if ahead:
        first = ahead[0]
        raise CohortError(
            f"The training is not over: {len(ahead)} event{'s' if len(ahead) != 1 else ''} still ahead "
            f"(next: {first.title}, {when(first.starts_at)}). Members graduate once every training event "
            "has been held; nothing was changed."
        )
    preview = graduation_preview(locked)
    result = GraduationResult(not_meeting=preview.not_meeting)
    for member in preview.graduated:
        # The conditional update claims the member: a concurrent run graduates nobody twice.
        claimed = CohortMember.objects.filter(pk=member.pk, status=M.ACTIVE).update(
            status=M.GRADUATED, graduated_on=on
        )
        if not claimed:
            continue
        member.status, member.graduated_on, member.cohort = M.GRADUATED, on, locked
        certificate = _issue_certificate(member, on)
        _record_in_personnel_file(member, on, by)
        notify(
            recipient=member.person,
            kind="cohort_graduated",
            key=f"cohort_member:{member.pk}",
            subject=f"Congratulations: you are a {MASTER_MENTOR_CERTIFICATE_TITLE}",
            body=(
                f"You graduated from the {locked.name} Master Mentor cohort on {date_format(on, 'j F Y')}. "
                "Your certificate is noted in your personnel file; download it, and share its verification "
                f"link with anyone who asks: {verification_url(certificate)}"
            ),
            url=reverse("cohorts:member_detail", args=[locked.pk, member.pk]),
        )
        result.graduated.append(member)
    if result.graduated:
        AuditEntry.objects.create(
            cycle_id=locked.cycle_id,
            action="cohort_graduated",
            details=f"{len(result.graduated)} graduated on {on:%Y-%m-%d}: "
            + ", ".join(m.person.full_name for m in result.graduated),
            by=by,
        )
    return result


# --- The HRIS export ---------------------------------------------------------------------------------------


def certificates_issued_since(since: datetime.date) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(issued_on__gte=since)
        .select_related("member__person")
        .order_by("issued_on", "pk")
    )


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def certificates_csv(*, since: datetime.date) -> str:
    """Certificates issued on or after ``since`` as CSV for the HRIS: one row per certificate."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for certificate in certificates_issued_since(since).iterator(chunk_size=1000):
        person = certificate.member.person
        writer.writerow(
            [
                _safe_cell(person.employee_id),
                _safe_cell(person.full_name),
                _safe_cell(person.email),
                _safe_cell(certificate.title),
                certificate.issued_on.isoformat(),
                verification_url(certificate),
            ]
        )
    return out.getvalue()


# --- Reading: the Master Mentor roster ---------------------------------------------------------------------


def master_mentor_roster() -> QuerySet[Person]:
    """Every certified Master Mentor (the certificate in their personnel file, or a certificate of a cohort)
    with their latest cohort, division, and current mentoring load across programs: ``active_pairs`` as a
    mentor, against ``capacity``, the sum of their approved mentor places in programs not closed. One query
    per page, whatever the size."""
    certified_record = PersonnelRecord.objects.filter(
        person=OuterRef("pk"),
        kind=PersonnelRecord.Kind.CERTIFICATE,
        title__iexact=MASTER_MENTOR_CERTIFICATE_TITLE,
    )
    certificates = Certificate.objects.filter(member__person=OuterRef("pk")).order_by("-issued_on", "-pk")
    mentor_places = Participant.objects.filter(
        person=OuterRef("pk"), role=Participant.Role.MENTOR, status=Participant.Status.APPROVED
    ).exclude(program__status=Program.Status.CLOSED)
    capacity = mentor_places.order_by().values("person").annotate(total=Sum("capacity")).values("total")[:1]
    # Pairs are counted through the participation's reverse relation, so cohorts need not import matching.
    active_pairs = (
        Participant.objects.filter(person=OuterRef("pk"), role=Participant.Role.MENTOR)
        .order_by()
        .values("person")
        .annotate(total=Count("mentorships_as_mentor", filter=Q(mentorships_as_mentor__status="active")))
        .values("total")[:1]
    )
    return (
        Person.objects.filter(Exists(certified_record) | Exists(certificates))
        .select_related("department__division")
        .annotate(
            cohort_name=Subquery(certificates.values("member__cohort__name")[:1]),
            certified_on=Subquery(certificates.values("issued_on")[:1]),
            record_on=Subquery(certified_record.order_by("effective_on").values("effective_on")[:1]),
            capacity=Coalesce(Subquery(capacity), 0),
            active_pairs=Coalesce(Subquery(active_pairs), 0),
        )
        .order_by("full_name", "pk")
    )
