"""Which active pairs are at risk and why, and which mentors stay low across their pairs: the rules of the
coordinators' health board, as annotations the database computes for a whole queryset at once.

The risks of an active pair:

- ``no_session``: no held session within twice the cadence (the agreement's, else the program's), counted
  from the last held session, or from the start when there is none;
- ``low_rating``: its sessions' feedback averages 2.5 or less (at least one rating);
- ``not_a_fit``: someone answered the fit check "not a good fit";
- ``overdue_checkin``: a member's latest check-in was not submitted by its due date (a check-in missed
  in an earlier period is history once the next one has opened: the check-in answers page still shows it);
- ``help_wanted``: a submitted check-in asks for the coordinator's help (and was not dealt with on the
  check-in answers page).

A coordinator may mark a risk handled (``HealthAction`` HANDLED with that risk). It then leaves the board
until new evidence of it appears after the action:

- ``no_session``: still no held session twice the cadence after the action;
- ``low_rating``: a new rating of 2 or less after the action, the average still 2.5 or less;
- ``not_a_fit``: a new "not a good fit" after the action;
- ``overdue_checkin``: another check-in falling overdue after the action (due on the day of the action or
  later);
- ``help_wanted``: a new check-in asking for help submitted after the action.

Every rule is an ``Exists``, a ``Subquery`` or a comparison of them, so a page of pairs, the board's
summary and the home page's counts per program each cost one query, whatever the pairs' history. Risks
read session feedback and check-in answers: only their coordinators and HR admins see them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.dateformat import format as date_format

from matching.models import Mentorship
from people.models import Person, PersonnelRecord
from programs.models import Participant, Program
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE

from .models import CheckIn, HealthAction, MentorCoaching, Session, SessionFeedback

NO_SESSION = "no_session"
LOW_RATING = "low_rating"
NOT_A_FIT = "not_a_fit"
OVERDUE_CHECKIN = "overdue_checkin"
HELP_WANTED = "help_wanted"

# The risks, in the board's order, with their short labels. HealthAction.risk holds these keys.
RISKS: dict[str, str] = {
    NO_SESSION: "No recent session",
    LOW_RATING: "Low ratings",
    NOT_A_FIT: "Not a good fit",
    OVERDUE_CHECKIN: "Overdue check-in",
    HELP_WANTED: "Asks for help",
}
LOW_RATING_MAX = 2.5
# A rating this low after a "handled" is new evidence of low ratings.
LOW_RATING_EVIDENCE_MAX = 2
# Marginal mentors: at least this many pairs, and at least this share of them faded or ended for fit.
MARGINAL_MIN_PAIRS = 2
MARGINAL_FADED_SHARE = 0.5

HELD = Session.Status.HELD
ACTIVE = Mentorship.Status.ACTIVE


# A pair annotated by ``with_health`` or a person by ``marginal_mentors``: the type checker cannot see the
# annotations, so the functions reading them take this.
Annotated = Any


@dataclass(frozen=True)
class Risk:
    key: str
    label: str
    explanation: str


def _handled_at(risk: str) -> Subquery:
    """When ``risk`` of the outer pair was last marked handled (NULL if never)."""
    actions = HealthAction.objects.filter(
        mentorship=OuterRef("pk"), kind=HealthAction.Kind.HANDLED, risk=risk
    ).order_by("-at", "-pk")
    return Subquery(actions.values("at")[:1], output_field=DateTimeField())


def _cadence() -> Coalesce:
    return Coalesce(
        F("agreement__cadence_days"), F("program__meeting_cadence_days"), output_field=IntegerField()
    )


def _twice_the_cadence() -> ExpressionWrapper:
    return ExpressionWrapper(
        _cadence() * Value(datetime.timedelta(days=2), output_field=DurationField()),
        output_field=DurationField(),
    )


def _feedback_of_pair() -> QuerySet[SessionFeedback]:
    return SessionFeedback.objects.filter(session__mentorship=OuterRef("pk")).order_by()


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def with_health(pairs: QuerySet[Mentorship], *, now: datetime.datetime | None = None) -> QuerySet[Mentorship]:
    """``pairs`` annotated with the facts of their health (``health_*``), a flag per risk (``risk_<key>``,
    handled risks off until new evidence) and ``at_risk`` (any risk). Meant for active pairs."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    feedback = _feedback_of_pair()
    checkins = CheckIn.objects.filter(mentorship=OuterRef("pk")).order_by()
    superseded = CheckIn.objects.filter(
        mentorship=OuterRef("mentorship"),
        participant=OuterRef("participant"),
        period_start__gt=OuterRef("period_start"),
    )
    overdue = checkins.filter(submitted_at__isnull=True, due_on__lt=today).exclude(Exists(superseded))
    help_wanted = checkins.filter(submitted_at__isnull=False, wants_help=True, handled_at__isnull=True)
    pairs = pairs.annotate(
        health_cadence=_cadence(),
        health_agreed_cadence=F("agreement__cadence_days"),
        health_since=ExpressionWrapper(Value(now) - _twice_the_cadence(), output_field=DateTimeField()),
        health_last_held_at=Subquery(
            Session.objects.filter(mentorship=OuterRef("pk"), status=HELD, starts_at__lte=now)
            .order_by("-starts_at")
            .values("starts_at")[:1]
        ),
        health_rating_avg=Subquery(
            feedback.values("session__mentorship")
            .annotate(a=Avg("rating", output_field=FloatField()))
            .values("a"),
            output_field=FloatField(),
        ),
        health_rating_count=Coalesce(
            Subquery(
                feedback.values("session__mentorship").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        health_not_fit_mentor=Exists(
            feedback.filter(fit=SessionFeedback.Fit.NOT_GOOD, participant=OuterRef("mentor"))
        ),
        health_not_fit_mentee=Exists(
            feedback.filter(fit=SessionFeedback.Fit.NOT_GOOD, participant=OuterRef("mentee"))
        ),
        health_overdue_count=Coalesce(
            Subquery(
                overdue.values("mentorship").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
            0,
        ),
        health_overdue_since=Subquery(overdue.values("mentorship").annotate(d=Min("due_on")).values("d")),
        health_help_mentor=Exists(help_wanted.filter(participant=OuterRef("mentor"))),
        health_help_mentee=Exists(help_wanted.filter(participant=OuterRef("mentee"))),
        handled_no_session=_handled_at(NO_SESSION),
        handled_low_rating=_handled_at(LOW_RATING),
        handled_not_a_fit=_handled_at(NOT_A_FIT),
        handled_overdue_checkin=_handled_at(OVERDUE_CHECKIN),
        handled_help_wanted=_handled_at(HELP_WANTED),
    )
    pairs = pairs.annotate(
        health_met_recently=Exists(
            Session.objects.filter(
                mentorship=OuterRef("pk"),
                status=HELD,
                starts_at__gte=OuterRef("health_since"),
                starts_at__lte=now,
            )
        ),
        health_handled_overdue_on=TruncDate("handled_overdue_checkin"),
        health_new_low_rating=Exists(
            feedback.filter(
                rating__lte=LOW_RATING_EVIDENCE_MAX, submitted_at__gt=OuterRef("handled_low_rating")
            )
        ),
        health_new_not_fit=Exists(
            feedback.filter(fit=SessionFeedback.Fit.NOT_GOOD, submitted_at__gt=OuterRef("handled_not_a_fit"))
        ),
        health_new_help=Exists(help_wanted.filter(submitted_at__gt=OuterRef("handled_help_wanted"))),
    )
    pairs = pairs.annotate(
        health_new_overdue=Exists(overdue.filter(due_on__gte=OuterRef("health_handled_overdue_on"))),
    )
    pairs = pairs.annotate(
        risk_no_session=_flag(
            Q(started_on__lte=F("health_since"), health_met_recently=False)
            & (Q(handled_no_session__isnull=True) | Q(handled_no_session__lte=F("health_since")))
        ),
        risk_low_rating=_flag(
            Q(health_rating_count__gte=1, health_rating_avg__lte=LOW_RATING_MAX)
            & (Q(handled_low_rating__isnull=True) | Q(health_new_low_rating=True))
        ),
        risk_not_a_fit=_flag(
            (Q(health_not_fit_mentor=True) | Q(health_not_fit_mentee=True))
            & (Q(handled_not_a_fit__isnull=True) | Q(health_new_not_fit=True))
        ),
        risk_overdue_checkin=_flag(
            Q(health_overdue_count__gte=1)
            & (Q(handled_overdue_checkin__isnull=True) | Q(health_new_overdue=True))
        ),
        risk_help_wanted=_flag(
            (Q(health_help_mentor=True) | Q(health_help_mentee=True))
            & (Q(handled_help_wanted__isnull=True) | Q(health_new_help=True))
        ),
    )
    return pairs.annotate(
        at_risk=_flag(
            Q(risk_no_session=True)
            | Q(risk_low_rating=True)
            | Q(risk_not_a_fit=True)
            | Q(risk_overdue_checkin=True)
            | Q(risk_help_wanted=True)
        )
    )


def _risk_count() -> ExpressionWrapper:
    flags = [Case(When(**{f"risk_{key}": True}, then=1), default=0) for key in RISKS]
    return ExpressionWrapper(sum(flags[1:], start=flags[0]), output_field=IntegerField())


def active_pairs(program: Program) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(program=program, status=ACTIVE)


def pairs_at_risk(program: Program, *, now: datetime.datetime | None = None) -> QuerySet[Mentorship]:
    """The program's active pairs with at least one risk, the most troubled first, ready for a page; with
    ``last_nudged_at``, when a coordinator last nudged them."""
    nudges = HealthAction.objects.filter(mentorship=OuterRef("pk"), kind=HealthAction.Kind.NUDGE)
    return (
        with_health(active_pairs(program), now=now)
        .filter(Q(at_risk=True))
        .annotate(
            risk_count=_risk_count(),
            last_nudged_at=Subquery(nudges.order_by("-at").values("at")[:1]),
        )
        .select_related("mentor__person", "mentee__person", "program")
        .order_by("-risk_count", F("health_last_held_at").asc(nulls_first=True), "started_on", "pk")
    )


def pair_risks(mentorship: Mentorship, *, now: datetime.datetime | None = None) -> list[Risk]:
    """The current risks of one pair (none unless it is active), read fresh from the database."""
    if mentorship.status != ACTIVE:
        return []
    annotated = with_health(Mentorship.objects.filter(pk=mentorship.pk), now=now).first()
    return risks_of(annotated, now=now) if annotated is not None else []


def risks_of(pair: Annotated, *, now: datetime.datetime | None = None) -> list[Risk]:
    """The risks of a pair annotated by ``with_health``, each with a short explanation."""
    today = timezone.localdate(now or timezone.now())
    found = []
    for key, label in RISKS.items():
        if getattr(pair, f"risk_{key}"):
            found.append(Risk(key, label, _EXPLAIN[key](pair, today)))
    return found


def _days(day: datetime.date, today: datetime.date) -> str:
    days = (today - day).days
    return "1 day" if days == 1 else f"{days} days"


def _explain_no_session(pair: Annotated, today: datetime.date) -> str:
    agreed = "agreed " if pair.health_agreed_cadence is not None else ""
    cadence = f"the {agreed}cadence is {pair.health_cadence} days"
    last = pair.health_last_held_at
    if last is not None:
        return f"No session for {_days(timezone.localdate(last), today)}; {cadence}."
    return f"No session since the pair started {_days(pair.started_on, today)} ago; {cadence}."


def _explain_low_rating(pair: Annotated, today: datetime.date) -> str:
    n = pair.health_rating_count
    return (
        f"Sessions are rated {pair.health_rating_avg:.1f} out of 5 on average ({n} rating{'s' * (n != 1)})."
    )


def _who(mentor: bool, mentee: bool) -> str:
    return "The mentor and the mentee" if mentor and mentee else "The mentor" if mentor else "The mentee"


def _explain_not_a_fit(pair: Annotated, today: datetime.date) -> str:
    return f"{_who(pair.health_not_fit_mentor, pair.health_not_fit_mentee)} answered “not a good fit”."


def _explain_overdue(pair: Annotated, today: datetime.date) -> str:
    n, since = pair.health_overdue_count, pair.health_overdue_since
    late = _days(since, today)
    if n == 1:
        return f"A check-in due on {date_format(since, 'j M Y')} is {late} late."
    return f"{n} check-ins are overdue, the oldest by {late} (due on {date_format(since, 'j M Y')})."


def _explain_help(pair: Annotated, today: datetime.date) -> str:
    who = _who(pair.health_help_mentor, pair.health_help_mentee)
    return f"{who} asked for the coordinator's help in a check-in."


_EXPLAIN = {
    NO_SESSION: _explain_no_session,
    LOW_RATING: _explain_low_rating,
    NOT_A_FIT: _explain_not_a_fit,
    OVERDUE_CHECKIN: _explain_overdue,
    HELP_WANTED: _explain_help,
}


@dataclass(frozen=True)
class HealthSummary:
    active: int
    at_risk: int
    by_risk: list[tuple[str, str, int]]  # (key, label, pairs)

    @property
    def present(self) -> list[tuple[str, str, int]]:
        """The risks at least one pair has."""
        return [row for row in self.by_risk if row[2]]


def health_summary(program: Program, *, now: datetime.datetime | None = None) -> HealthSummary:
    """How many active pairs the program has, how many are at risk, and how many have each risk."""
    # The names of the counts must differ from the annotations they count.
    counts = with_health(active_pairs(program), now=now).aggregate(
        n_active=Count("pk"),
        n_at_risk=Count("pk", filter=Q(at_risk=True)),
        **{f"n_{key}": Count("pk", filter=Q(**{f"risk_{key}": True})) for key in RISKS},
    )
    return HealthSummary(
        active=counts["n_active"],
        at_risk=counts["n_at_risk"],
        by_risk=[(key, label, counts[f"n_{key}"]) for key, label in RISKS.items()],
    )


@dataclass(frozen=True)
class ProgramRisk:
    slug: str
    name: str
    active: int
    at_risk: int


def at_risk_by_program(
    programs: QuerySet[Program], *, limit: int, now: datetime.datetime | None = None
) -> list[ProgramRisk]:
    """For the programs of ``programs`` that have active pairs, how many they have and how many are at risk,
    the most at risk first, at most ``limit`` of them; one query."""
    rows = (
        with_health(Mentorship.objects.filter(program__in=programs.values("pk"), status=ACTIVE), now=now)
        .order_by()
        .values("program__slug", "program__name")
        .annotate(n_active=Count("pk"), n_at_risk=Count("pk", filter=Q(at_risk=True)))
        .order_by("-n_at_risk", "program__name")
        .values_list("program__slug", "program__name", "n_active", "n_at_risk")[:limit]
    )
    return [ProgramRisk(*row) for row in rows]


# --- Marginal mentors -------------------------------------------------------------------------------------


def _with_fade(pairs: QuerySet[Mentorship], now: datetime.datetime) -> QuerySet[Mentorship]:
    """``pairs`` with ``pair_faded``: the pair went twice its cadence without a held session by its end (or by
    now, if current) and had lasted that long, or it ended early for fit."""
    until = Case(
        When(ended_on__isnull=False, then=F("ended_on") + Value(datetime.timedelta(days=1))),
        default=Value(now),
        output_field=DateTimeField(),
    )
    pairs = pairs.alias(fade_until=until).alias(
        fade_since=ExpressionWrapper(F("fade_until") - _twice_the_cadence(), output_field=DateTimeField())
    )
    met = Session.objects.filter(
        mentorship=OuterRef("pk"),
        status=HELD,
        starts_at__gte=OuterRef("fade_since"),
        starts_at__lt=OuterRef("fade_until"),
    )
    return pairs.alias(fade_met=Exists(met)).alias(
        pair_faded=_flag(
            Q(started_on__lte=F("fade_since"), fade_met=False)
            | Q(status=Mentorship.Status.ENDED_EARLY, end_category=Mentorship.EndCategory.FIT)
        )
    )


def _count(queryset: QuerySet, group: str) -> Coalesce:
    return Coalesce(
        Subquery(queryset.values(group).annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
    )


def marginal_mentors(program: Program, *, now: datetime.datetime | None = None) -> QuerySet[Person]:
    """The program's approved mentors who have had at least two pairs (current or past, in any program)
    and whose mentees rate their sessions 2.5 or less on average, or at least half of whose pairs faded
    (twice the cadence without a session) or ended early for fit. Annotated with the evidence:
    ``marginal_pairs``, ``marginal_faded``, ``marginal_ended_for_fit``, ``mentee_rating_avg`` and
    ``mentee_rating_count``; each person's current coaching is in ``current_coaching`` (a list)."""
    now = now or timezone.now()
    mentors = Participant.objects.filter(
        program=program, role=Participant.Role.MENTOR, status=Participant.Status.APPROVED
    ).values("person")
    pairs = (
        Mentorship.objects.exclude(status=Mentorship.Status.PROPOSED)
        .filter(mentor__person=OuterRef("pk"))
        .order_by()
    )
    ratings = (
        SessionFeedback.objects.filter(
            session__mentorship__mentor__person=OuterRef("pk"),
            participant=F("session__mentorship__mentee"),
        )
        .exclude(session__mentorship__status=Mentorship.Status.PROPOSED)
        .order_by()
        .values("session__mentorship__mentor__person")
    )
    group = "mentor__person"
    return (
        Person.objects.filter(pk__in=mentors)
        .annotate(
            marginal_pairs=_count(pairs, group),
            marginal_faded=_count(_with_fade(pairs, now).filter(Q(pair_faded=True)), group),
            marginal_ended_for_fit=_count(
                pairs.filter(status=Mentorship.Status.ENDED_EARLY, end_category=Mentorship.EndCategory.FIT),
                group,
            ),
            mentee_rating_avg=Subquery(
                ratings.annotate(a=Avg("rating", output_field=FloatField())).values("a"),
                output_field=FloatField(),
            ),
            mentee_rating_count=Coalesce(
                Subquery(ratings.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            ),
        )
        .filter(marginal_pairs__gte=MARGINAL_MIN_PAIRS)
        .filter(
            Q(mentee_rating_count__gte=1, mentee_rating_avg__lte=LOW_RATING_MAX)
            | Q(marginal_faded__gte=F("marginal_pairs") * MARGINAL_FADED_SHARE)
        )
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "coached_by",
                queryset=MentorCoaching.objects.filter(ended_at__isnull=True).select_related("coach"),
                to_attr="current_coaching",
            )
        )
        .order_by(F("mentee_rating_avg").asc(nulls_last=True), "-marginal_faded", "full_name", "pk")
    )


def marginal_reasons(mentor: Annotated) -> list[str]:
    """Why a mentor annotated by ``marginal_mentors`` is listed, in plain words."""
    reasons = []
    if mentor.mentee_rating_count and mentor.mentee_rating_avg <= LOW_RATING_MAX:
        n = mentor.mentee_rating_count
        reasons.append(
            f"Mentees rate their sessions {mentor.mentee_rating_avg:.1f} out of 5 on average "
            f"({n} rating{'s' * (n != 1)})."
        )
    if mentor.marginal_faded >= mentor.marginal_pairs * MARGINAL_FADED_SHARE:
        fit = mentor.marginal_ended_for_fit
        detail = f" ({fit} ended for fit)" if fit else ""
        reasons.append(
            f"{mentor.marginal_faded} of {mentor.marginal_pairs} pairs went twice their cadence without a "
            f"session or ended early for fit{detail}."
        )
    return reasons


def certified_master_mentors() -> QuerySet[Person]:
    """People at work whose personnel file holds the Master Mentor certificate: who may coach mentors."""
    certified = PersonnelRecord.objects.filter(
        kind=PersonnelRecord.Kind.CERTIFICATE, title__iexact=MASTER_MENTOR_CERTIFICATE_TITLE
    ).values("person")
    return Person.objects.filter(pk__in=certified, status=Person.Status.ACTIVE).order_by("full_name", "pk")


def mentees_to_rematch(program: Program) -> QuerySet[Participant]:
    """Approved mentees of ``program`` whose last pair ended early and who have no current pair yet."""
    pairs = Mentorship.objects.filter(mentee=OuterRef("pk"))
    return (
        Participant.objects.filter(program=program, role=Participant.Role.MENTEE)
        .approved()
        .filter(Exists(pairs.filter(status=Mentorship.Status.ENDED_EARLY)))
        .exclude(Exists(pairs.current()))
        .select_related("person__department")
        .order_by("person__full_name", "pk")
    )
