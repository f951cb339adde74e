"""The coordinators' health actions: nudge both members of a pair, mark one of its risks handled, and
assign (or end) a certified Master Mentor's coaching of a mentor whose pairs keep struggling.

Ending a pair early and re-matching its mentee are ``feedback.services.ending.pair_end_early`` and
``matching.services.runs.mentee_rematch``. Every function here checks its rules itself, so a crafted POST
is refused as clearly as a click on the board, and nothing is saved when it is refused.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from matching.models import Mentorship
from notifications.services import notify
from people.models import Person, User
from programs.models import Participant, Program
from programs.services.training import is_certified_master_mentor

from ..health import RISKS, pair_risks
from ..models import HealthAction, MentorCoaching
from ..permissions import COORDINATOR, PairAccess
from . import FeedbackError

NOTE_MAX_LENGTH = 2000


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise FeedbackError(f"Keep the note to at most {NOTE_MAX_LENGTH} characters (it has {len(note)}).")
    return note


def _active_pair_for_coordinator(access: PairAccess) -> Mentorship:
    if access.role != COORDINATOR:
        raise FeedbackError("Only the program's coordinators and HR admins act on a pair's health.")
    locked = Mentorship.objects.select_for_update().get(pk=access.mentorship.pk)
    if locked.status != Mentorship.Status.ACTIVE:
        raise FeedbackError(f"This pair is {locked.get_status_display().lower()}, not active.")
    return locked


def _start_of_today(now: datetime.datetime) -> datetime.datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


@transaction.atomic
def pair_nudge(*, access: PairAccess, by: User, now: datetime.datetime | None = None) -> HealthAction:
    """Remind both members of an active pair to meet, at most once a day per pair; recorded as a NUDGE."""
    now = now or timezone.now()
    _active_pair_for_coordinator(access)  # the row lock makes two nudges at once wait for each other
    mentorship = access.mentorship
    nudged = HealthAction.objects.filter(
        mentorship=mentorship, kind=HealthAction.Kind.NUDGE, at__gte=_start_of_today(now)
    ).exists()
    if nudged:
        raise FeedbackError(
            f"{mentorship.mentor.person.full_name} and {mentorship.mentee.person.full_name} were already "
            "nudged today; one nudge a day is enough."
        )
    action = HealthAction.objects.create(mentorship=mentorship, kind=HealthAction.Kind.NUDGE, by=by)
    program = mentorship.program
    key = f"pair:{mentorship.pk}:{timezone.localdate(now).isoformat()}"
    url = reverse("feedback:pair_detail", args=[mentorship.pk])
    for member, partner in (
        (mentorship.mentor.person, mentorship.mentee.person),
        (mentorship.mentee.person, mentorship.mentor.person),
    ):
        notify(
            recipient=member,
            kind="pair_nudge",
            key=key,
            subject=f"Time to meet {partner.full_name} again ({program.name})",
            body=(
                f"Your coordinator in {program.name} is checking in on your pair with {partner.full_name}. "
                "Pairs that meet regularly get the most out of mentoring: plan your next session, and log "
                "the ones you held and say how they went.\n\n"
                "If something is not working, tell your coordinator; a pair can also end with no fault "
                "implied."
            ),
            url=url,
        )
    return action


@transaction.atomic
def pair_risk_handle(*, access: PairAccess, risk: str, note: str, by: User) -> HealthAction:
    """Mark one current risk of an active pair handled: it leaves the board until new evidence of it
    appears (see ``feedback.health``)."""
    if risk not in RISKS:
        raise FeedbackError("Choose which risk was handled from the list.")
    note = _note(note)
    mentorship = _active_pair_for_coordinator(access)
    if risk not in {r.key for r in pair_risks(mentorship)}:
        raise FeedbackError(
            f"This pair shows no “{RISKS[risk].lower()}” risk now, so there is nothing to mark handled."
        )
    return HealthAction.objects.create(
        mentorship=mentorship, kind=HealthAction.Kind.HANDLED, risk=risk, note=note, by=by
    )


# --- Coaching of mentors ----------------------------------------------------------------------------------


def current_coaching(mentor: Person) -> MentorCoaching | None:
    return MentorCoaching.objects.filter(mentor=mentor, ended_at__isnull=True).select_related("coach").first()


def coaching_problems(*, program: Program, mentor: Person, coach: Person) -> list[str]:
    """Why ``coach`` cannot be assigned to coach ``mentor`` of ``program``, in plain words."""
    if coach.pk == mentor.pk:
        return [f"{mentor.full_name} cannot coach themself; choose another certified Master Mentor."]
    problems = []
    is_mentor = Participant.objects.filter(
        program=program, person=mentor, role=Participant.Role.MENTOR, status=Participant.Status.APPROVED
    ).exists()
    if not is_mentor:
        problems.append(f"{mentor.full_name} is not an approved mentor of {program.name}.")
    if coach.status != Person.Status.ACTIVE:
        away = "has left the organization" if coach.status == Person.Status.LEFT else "is on leave"
        problems.append(f"{coach.full_name} {away}; choose a Master Mentor who is at work.")
    if not is_certified_master_mentor(coach):
        problems.append(
            f"{coach.full_name} is not a certified Master Mentor: their personnel file has no Master Mentor "
            "certificate."
        )
    existing = current_coaching(mentor)
    if existing is not None:
        problems.append(
            f"{mentor.full_name} is already coached by {existing.coach.full_name} (since "
            f"{date_format(timezone.localtime(existing.assigned_at), 'j M Y')}); end that coaching first."
        )
    return problems


@transaction.atomic
def mentor_coaching_assign(
    *, program: Program, mentor: Person, coach: Person, note: str, by: User
) -> MentorCoaching:
    """Ask a certified Master Mentor to coach a mentor of ``program``; both are told. One current coaching
    per mentor; never the mentor themself."""
    note = _note(note)
    Person.objects.select_for_update().filter(pk=mentor.pk).first()  # one assignment at a time per mentor
    problems = coaching_problems(program=program, mentor=mentor, coach=coach)
    if problems:
        raise FeedbackError(" ".join(problems))
    try:
        with transaction.atomic():
            coaching = MentorCoaching.objects.create(
                mentor=mentor, coach=coach, program=program, note=note, assigned_by=by
            )
    except IntegrityError as error:  # assigned at the same moment by someone else
        raise FeedbackError(f"{mentor.full_name} already has a coach; end that coaching first.") from error
    key = f"coaching:{coaching.pk}"
    notify(
        recipient=mentor,
        kind="mentor_coaching",
        key=key,
        subject=f"{coach.full_name} will be your mentoring coach",
        body=(
            f"The coordinators of {program.name} asked {coach.full_name}, a certified Master Mentor, to "
            "coach you as a mentor: someone experienced to talk your pairs through with, who shares what "
            f"works and helps when a pair is hard going. {coach.full_name} will get in touch."
        ),
        url=reverse("feedback:pair_list"),
    )
    notify(
        recipient=coach,
        kind="mentor_coaching",
        key=key,
        subject=f"Please coach {mentor.full_name} as a mentor",
        body=(
            f"The coordinators of {program.name} ask you, as a certified Master Mentor, to coach "
            f"{mentor.full_name} ({mentor.email}) in their mentoring. Their pairs have found it hard to "
            "get going; a conversation about what works would help."
            + (f"\n\nA note from the coordinator: {note}" if note else "")
        ),
        url=reverse("people:person_detail", args=[mentor.pk]),
    )
    return coaching


@transaction.atomic
def mentor_coaching_end(*, coaching: MentorCoaching, by: User) -> MentorCoaching:
    """End a current coaching (so that another coach can be assigned)."""
    updated = MentorCoaching.objects.filter(pk=coaching.pk, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if not updated:
        raise FeedbackError("This coaching has already ended.")
    coaching.refresh_from_db(fields=["ended_at"])
    return coaching
