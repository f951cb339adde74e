"""Scheduled work of programs: their phases open and close on their dates, with announcements.

- Enrollment opens: once a program taking applications reaches its opening date, every eligible employee
  who has not applied is told once (an enrolling program whose date is still ahead is announced on it).
- Enrollment closes: the day after its closing date the program moves to matching (recorded, by nobody),
  its applicants hear what happens next and its coordinators how many applied.
- Matching is due: on the matching date the coordinators are reminded once if the program has not started.

Each notification goes out once per person and program, however often the dispatcher runs. A program's end
(completing its pairs and asking for closure surveys) is ``feedback.jobs.complete_ended_programs``.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.services import Message, notify_many

from .models import Participant, Program
from .services.eligibility import eligible_people
from .services.lifecycle import program_transition

S = Program.Status


def _day(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else "a date still to be set"


def program_phases(now: datetime.datetime | None = None) -> int:
    """Announce, close and remind as each program's dates come; returns how many notifications went out."""
    today = timezone.localdate(now or timezone.now())
    return _announce_open(today) + _close_enrollment(today) + _remind_matching(today)


def _announce_open(today: datetime.date) -> int:
    messages: list[Message] = []
    programs = Program.objects.filter(status=S.ENROLLING).filter(
        Q(enrollment_opens_on__isnull=True) | Q(enrollment_opens_on__lte=today),
        Q(enrollment_closes_on__isnull=True) | Q(enrollment_closes_on__gte=today),
    )
    for program in programs.order_by("pk"):
        applied = Participant.objects.filter(program=program).values("person")
        until = f" until {_day(program.enrollment_closes_on)}" if program.enrollment_closes_on else ""
        for person in eligible_people(program, on=today).exclude(pk__in=applied).order_by("pk"):
            messages.append(
                Message(
                    recipient=person,
                    kind="program_enrollment_open",
                    key=f"program:{program.pk}",
                    subject=f"{program.name} is open for applications{until}",
                    body=(
                        f"{program.name}: {program.description.strip()[:400]}\n\n"
                        f"You are eligible. Apply as a mentor or as a mentee{until}; the registration "
                        "questions take a few minutes and decide who you are matched with."
                    ),
                    url=program.get_absolute_url(),
                )
            )
    return notify_many(messages)


def _close_enrollment(today: datetime.date) -> int:
    sent = 0
    programs = Program.objects.filter(status=S.ENROLLING, enrollment_closes_on__lt=today)
    for program in programs.order_by("pk"):
        with transaction.atomic():  # the move and its announcements together
            sent += _close_one(program)
    return sent


def _close_one(program: Program) -> int:
    messages: list[Message] = []
    program_transition(
        program=program,
        to=S.MATCHING,
        by=None,
        why=f"Enrollment closed on {_day(program.enrollment_closes_on)}, as planned.",
    )
    applicants = Participant.objects.filter(program=program).exclude(
        status__in=[Participant.Status.WITHDRAWN, Participant.Status.DECLINED]
    )
    for participant in applicants.select_related("person").order_by("pk"):
        messages.append(
            Message(
                recipient=participant.person,
                kind="program_enrollment_closed",
                key=f"program:{program.pk}",
                subject=f"{program.name}: applications have closed",
                body=(
                    f"Thank you for applying to {program.name}. Applications have closed and the "
                    "coordinators now match mentors and mentees (planned for "
                    f"{_day(program.matching_on)}). You will hear from us as soon as your pair is made."
                ),
                url=program.get_absolute_url(),
            )
        )
    counts = {role: applicants.filter(role=role).count() for role in Participant.Role.values}
    for coordinator in program.coordinators.all():
        messages.append(
            Message(
                recipient=coordinator,
                kind="program_enrollment_closed_coordinator",
                key=f"program:{program.pk}",
                subject=f"{program.name}: enrollment closed, time to match",
                body=(
                    f"Enrollment closed with {counts['mentor']} mentor and {counts['mentee']} mentee "
                    f"applications. The program is now in matching; matching is planned for "
                    f"{_day(program.matching_on)}."
                ),
                url=reverse("matching:run_list", args=[program.slug]),
            )
        )
    return notify_many(messages)


def _remind_matching(today: datetime.date) -> int:
    messages: list[Message] = []
    programs = Program.objects.filter(status=S.MATCHING, matching_on__lte=today).prefetch_related(
        "coordinators"
    )
    for program in programs.order_by("pk"):
        for coordinator in program.coordinators.all():
            messages.append(
                Message(
                    recipient=coordinator,
                    kind="program_matching_due",
                    key=f"program:{program.pk}:{program.matching_on}",
                    subject=f"{program.name}: matching is due",
                    body=(
                        f"Matching for {program.name} was planned for {_day(program.matching_on)}. Run it, "
                        "review the proposals and publish the pairs so they can start on "
                        f"{_day(program.starts_on)}."
                    ),
                    url=reverse("matching:run_list", args=[program.slug]),
                )
            )
    return notify_many(messages)
