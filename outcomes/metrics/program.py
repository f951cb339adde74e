"""A program's dashboard: enrollment funnel, matching, engagement, feedback, check-ins, goals, closure and key
results. Every figure is an SQL aggregate over the program's rows; the page runs the same number of queries
whatever the program's size.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Min, Q, QuerySet
from django.db.models.functions import TruncQuarter

from feedback.models import CheckIn, ClosureSurvey, Goal, Milestone, Session, SessionFeedback
from matching.models import Mentorship
from people.models import Person, PersonnelRecord
from programs.models import KeyResult, Participant, Program
from programs.services.eligibility import eligible_people

from ..filters import Filters
from ..tables import Cell, Column, Section, Table, count, mean, percent, plain, text

P = Participant.Status
M = Mentorship.Status
DAYS_PER_MONTH = 30.44
# A pair meets its cadence when it held at least this share of the sessions its cadence asks for.
CADENCE_SHARE = 0.75
SCORE_BANDS = [(0, 40, "Under 40"), (40, 60, "40-59"), (60, 80, "60-79"), (80, 101, "80-100")]
RATE_BANDS = [(0, 0.001, "No session"), (0.001, 0.5, "Under 0.5"), (0.5, 1, "0.5 to 1"), (1, 2, "1 to 2"),
              (2, 10_000, "2 or more")]  # fmt: skip


@dataclass
class Scope:
    """What a program dashboard covers: its participants and pairs matching the filters, in the period."""

    program: Program
    filters: Filters
    today: datetime.date

    @property
    def start(self) -> datetime.date:
        return self.filters.start or self.program.starts_on or datetime.date(2000, 1, 1)

    @property
    def end(self) -> datetime.date:
        return min(self.filters.end or self.today, self.today)

    def days_paired(self, started_on: datetime.date, ended_on: datetime.date | None) -> int:
        """Days a pair ran within the period (0 if it did not)."""
        first = max(started_on, self.start)
        last = min(ended_on or self.end, self.end)
        return (last - first).days + 1

    def held_sessions(self) -> dict[int, int]:
        """Held sessions in the period per covered pair (one query)."""
        return dict(
            Session.objects.held()
            .filter(mentorship__in=self.pairs())
            .filter(self.filters.in_period("starts_at"))
            .values("mentorship")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("mentorship", "n")
        )

    def participants(self) -> QuerySet[Participant]:
        return Participant.objects.filter(program=self.program).filter(self.filters.participant_q())

    def pairs(self) -> QuerySet[Mentorship]:
        """Started pairs of the program matching the filters and running at some time in the period."""
        return pairs_in_period(Mentorship.objects.filter(program=self.program), self.filters)


def pairs_in_period(pairs: QuerySet[Mentorship], filters: Filters) -> QuerySet[Mentorship]:
    """Of ``pairs``, the started ones matching the filters and running at some time in the period."""
    pairs = pairs.filter(started_on__isnull=False).exclude(status=M.PROPOSED).filter(filters.pair_q())
    if filters.start:
        pairs = pairs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=filters.start))
    if filters.end:
        pairs = pairs.filter(started_on__lte=filters.end)
    return pairs


@dataclass
class Engagement:
    pairs: int
    pair_months: float
    sessions: int
    sessions_per_pair_month: float | None
    cadence_pairs: int
    meeting_cadence: int
    rate_bands: list[tuple[str, int]]


def engagement(scope: Scope) -> Engagement:
    """Sessions held per pair per month of pairing in the period, and the pairs meeting their cadence.

    Two queries: the pairs (with their cadence) and the held sessions per pair in the period."""
    pairs = list(
        scope.pairs().values(
            "pk", "started_on", "ended_on", "agreement__cadence_days", "program__meeting_cadence_days"
        )
    )
    held = scope.held_sessions()
    total_months = 0.0
    sessions = 0
    cadence_pairs = meeting = 0
    bands = [0] * len(RATE_BANDS)
    for pair in pairs:
        if pair["started_on"] is None:
            continue
        days = scope.days_paired(pair["started_on"], pair["ended_on"])
        if days <= 0:
            continue
        months = days / DAYS_PER_MONTH
        count_held = held.get(pair["pk"], 0)
        total_months += months
        sessions += count_held
        rate = count_held / months
        for index, (low, high, _label) in enumerate(RATE_BANDS):
            if low <= rate < high:
                bands[index] += 1
        cadence = pair["agreement__cadence_days"] or pair["program__meeting_cadence_days"] or 14
        if days >= cadence:
            cadence_pairs += 1
            expected = days / cadence
            if count_held >= max(1, int(CADENCE_SHARE * expected)):
                meeting += 1
    return Engagement(
        pairs=len(pairs),
        pair_months=total_months,
        sessions=sessions,
        sessions_per_pair_month=(sessions / total_months) if total_months else None,
        cadence_pairs=cadence_pairs,
        meeting_cadence=meeting,
        rate_bands=[(label, bands[i]) for i, (_l, _h, label) in enumerate(RATE_BANDS)],
    )


@dataclass
class Funnel:
    eligible: int
    applied_people: int
    by_role: dict[str, dict[str, int]]


def funnel(scope: Scope) -> Funnel:
    """Eligible → applied → approved → matched → active → completed, by role (three queries)."""
    eligible = eligible_people(scope.program).filter(scope.filters.person_q()).count()
    participants = scope.participants()
    aggregates = {}
    for role in Participant.Role.values:
        aggregates[f"{role}_applied"] = Count("pk", filter=Q(role=role))
        aggregates[f"{role}_approved"] = Count("pk", filter=Q(role=role, status=P.APPROVED))
    aggregates["people"] = Count("person", distinct=True)
    counts = participants.aggregate(**aggregates)
    # Without a period, "active" is a pair running now; with one, any pair that ran in it.
    active_q = Q(status=M.ACTIVE) if not (scope.filters.start or scope.filters.end) else Q(pk__isnull=False)
    completed_q = Q(status=M.COMPLETED) & scope.filters.in_period("ended_on")
    matched = scope.pairs().aggregate(
        mentor_matched=Count("mentor", distinct=True),
        mentee_matched=Count("mentee", distinct=True),
        mentor_active=Count("mentor", distinct=True, filter=active_q),
        mentee_active=Count("mentee", distinct=True, filter=active_q),
        mentor_completed=Count("mentor", distinct=True, filter=completed_q),
        mentee_completed=Count("mentee", distinct=True, filter=completed_q),
    )
    by_role = {
        role: {
            "applied": counts[f"{role}_applied"],
            "approved": counts[f"{role}_approved"],
            "matched": matched[f"{role}_matched"],
            "active": matched[f"{role}_active"],
            "completed": matched[f"{role}_completed"],
        }
        for role in Participant.Role.values
    }
    return Funnel(eligible=eligible, applied_people=counts["people"], by_role=by_role)


def days_to_match(scope: Scope) -> list[int]:
    """Days from each matched mentee's application to their first pair (one query)."""
    rows = (
        scope.participants()
        .filter(role=Participant.Role.MENTEE)
        .annotate(first_pair=Min("mentorships_as_mentee__created_at"))
        .filter(first_pair__isnull=False)
        .values_list("applied_at", "first_pair")
    )
    return [max((paired - applied).days, 0) for applied, paired in rows]


def promotion_and_retention(scope: Scope) -> tuple[int, int, int]:
    """Matched participants (people), those promoted since the program started, and those who left
    voluntarily since then (one query)."""
    since = scope.program.starts_on or scope.start
    pairs = scope.pairs()
    matched = Q(pk__in=pairs.values("mentee__person")) | Q(pk__in=pairs.values("mentor__person"))
    totals = Person.objects.filter(matched).aggregate(
        matched=Count("pk"),
        promoted=Count(
            "pk",
            filter=Q(
                pk__in=PersonnelRecord.objects.filter(
                    kind=PersonnelRecord.Kind.PROMOTION, effective_on__gte=since, effective_on__lte=scope.end
                ).values("person")
            ),
        ),
        left=Count(
            "pk",
            filter=Q(
                status=Person.Status.LEFT,
                left_reason=Person.LeftReason.VOLUNTARY,
                left_on__gte=since,
                left_on__lte=scope.end,
            ),
        ),
    )
    return totals["matched"], totals["promoted"], totals["left"]


def ratings(scope: Scope) -> dict:
    """Answers and raters per rating and per fit answer, in one query grouped by rater (counting distinct
    raters in SQL would sort every answer)."""
    feedback = SessionFeedback.objects.filter(participant__in=scope.participants()).filter(
        scope.filters.in_period("session__starts_at")
    )
    result: dict = {"answers": 0, "total": 0, "average": None}
    for value in range(1, 6):
        result[f"r{value}"] = result[f"p{value}"] = 0
    for fit in SessionFeedback.Fit.values:
        result[f"fit_{fit}"] = result[f"fitp_{fit}"] = 0
    raters: set[int] = set()
    by_rating: set[tuple[int, int]] = set()
    by_fit: set[tuple[int, str]] = set()
    for row in feedback.values("participant__person", "rating", "fit").annotate(n=Count("pk")).order_by():
        person, rating, fit, n = row["participant__person"], row["rating"], row["fit"], row["n"]
        result[f"r{rating}"] += n
        result["answers"] += n
        result["total"] += n * rating
        raters.add(person)
        by_rating.add((person, rating))
        if fit:
            result[f"fit_{fit}"] += n
            by_fit.add((person, fit))
    for _person, rating in by_rating:
        result[f"p{rating}"] += 1
    for _person, fit in by_fit:
        result[f"fitp_{fit}"] += 1
    result["people"] = len(raters)
    result["fit_people"] = len({person for person, _fit in by_fit})
    if result["answers"]:
        result["average"] = result["total"] / result["answers"]
    return result


def checkins_by_quarter(scope: Scope) -> list[dict]:
    return list(
        CheckIn.objects.filter(participant__in=scope.participants(), mentorship__program=scope.program)
        .filter(scope.filters.in_period("period_start"))
        .annotate(quarter=TruncQuarter("period_start"))
        .values("quarter")
        .annotate(
            opened=Count("pk"),
            answered=Count("pk", filter=Q(submitted_at__isnull=False)),
            people=Count("participant__person", distinct=True),
            respondents=Count("participant__person", distinct=True, filter=Q(submitted_at__isnull=False)),
            satisfaction=Avg("satisfaction"),
            progress=Avg("goal_progress"),
        )
        .order_by("quarter")
    )


def goals(scope: Scope) -> tuple[dict, dict]:
    goal_rows = Goal.objects.filter(mentorship__in=scope.pairs()).filter(
        scope.filters.in_period("created_at")
    )
    goal_counts = goal_rows.aggregate(
        total=Count("pk"),
        pairs=Count("mentorship", distinct=True),
        achieved=Count("pk", filter=Q(status=Goal.Status.ACHIEVED)),
        achieved_pairs=Count("mentorship", distinct=True, filter=Q(status=Goal.Status.ACHIEVED)),
        dropped=Count("pk", filter=Q(status=Goal.Status.DROPPED)),
        dropped_pairs=Count("mentorship", distinct=True, filter=Q(status=Goal.Status.DROPPED)),
        open=Count("pk", filter=Q(status=Goal.Status.OPEN)),
        open_pairs=Count("mentorship", distinct=True, filter=Q(status=Goal.Status.OPEN)),
    )
    milestone_counts = Milestone.objects.filter(goal__in=goal_rows).aggregate(
        total=Count("pk"),
        pairs=Count("goal__mentorship", distinct=True),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        done_pairs=Count("goal__mentorship", distinct=True, filter=Q(done_on__isnull=False)),
        open=Count("pk", filter=Q(done_on__isnull=True)),
        open_pairs=Count("goal__mentorship", distinct=True, filter=Q(done_on__isnull=True)),
    )
    return goal_counts, milestone_counts


def closure(scope: Scope) -> dict:
    surveys = ClosureSurvey.objects.filter(
        participant__in=scope.participants(), mentorship__program=scope.program
    ).filter(scope.filters.in_period("submitted_at"))
    aggregates: dict = {"people": Count("participant__person", distinct=True)}
    for value in ClosureSurvey.GoalsAchieved.values:
        aggregates[f"goals_{value}"] = Count(
            "participant__person", distinct=True, filter=Q(goals_achieved=value)
        )
    aggregates["recommend"] = Count("participant__person", distinct=True, filter=Q(would_recommend=True))
    aggregates["assessed"] = Count("participant__person", distinct=True, filter=~Q(promotion_readiness=""))
    for value in ClosureSurvey.Readiness.values:
        aggregates[f"ready_{value}"] = Count(
            "participant__person", distinct=True, filter=Q(promotion_readiness=value)
        )
    return surveys.aggregate(**aggregates)


def score_bands(scope: Scope) -> dict:
    aggregates: dict = {"pairs": Count("pk", filter=Q(score__isnull=False)), "average": Avg("score")}
    for index, (low, high, _label) in enumerate(SCORE_BANDS):
        aggregates[f"band{index}"] = Count("pk", filter=Q(score__gte=low, score__lt=high))
    return scope.pairs().aggregate(**aggregates)


# --- Key results ------------------------------------------------------------------------------------------


def key_result_status(
    key_result: KeyResult, current: float | None, *, start: datetime.date | None, today: datetime.date
) -> str:
    """On track when the share of the way from baseline to target is at least the share of the time
    elapsed; at risk within a quarter of the way behind; off track beyond, or when due and not reached."""
    if current is None:
        return "No data"
    target = float(key_result.target)
    baseline = float(key_result.baseline) if key_result.baseline is not None else 0.0
    rising = target >= baseline
    if (current >= target) if rising else (current <= target):
        return "On track"
    due = key_result.due_on or key_result.program.ends_on
    if due is not None and today >= due:
        return "Off track"
    if start is None or due is None or due <= start:
        elapsed = 1.0
    else:
        elapsed = min(max((today - start).days / (due - start).days, 0.0), 1.0)
    achieved = (current - baseline) / (target - baseline) if target != baseline else 1.0
    if achieved >= elapsed:
        return "On track"
    if achieved >= elapsed - 0.25:
        return "At risk"
    return "Off track"


# --- The dashboard ----------------------------------------------------------------------------------------


def program_sections(scope: Scope) -> list[Section]:
    program = scope.program
    flow = funnel(scope)
    waits = days_to_match(scope)
    engaged = engagement(scope)
    rated = ratings(scope)
    matched_people, promoted, left = promotion_and_retention(scope)
    goal_counts, milestone_counts = goals(scope)
    mentees = flow.by_role[Participant.Role.MENTEE]
    summary = Table(
        "summary",
        "At a glance",
        "Figure",
        [Column("value", "Value")],
        display="tiles",
    )
    summary.add("Eligible employees", count(flow.eligible))
    participation = percent(flow.applied_people, flow.eligible, n=flow.applied_people)
    match_rate = percent(mentees["matched"], mentees["approved"])
    summary.add("Participation rate", participation)
    summary.add("Match rate (mentees)", match_rate)
    summary.add(
        "Median days to match",
        Cell(statistics.median(waits) if waits else None, "days", n=len(waits)),
    )
    period = bool(scope.filters.start or scope.filters.end)
    summary.add("Pairs in the period" if period else "Pairs", Cell(engaged.pairs, "count", n=engaged.pairs))
    sessions_rate = Cell(engaged.sessions_per_pair_month, "ratio", n=engaged.pairs)
    average_rating = mean(rated["average"], rated["people"])
    summary.add("Sessions per pair per month", sessions_rate)
    summary.add("Pairs meeting their cadence", percent(engaged.meeting_cadence, engaged.cadence_pairs))
    summary.add("Average session rating", average_rating)

    funnel_table = Table(
        "funnel",
        "Enrollment funnel",
        "Stage",
        [Column("mentors", "Mentors"), Column("mentees", "Mentees")],
        chart="mentees",
        note="Applied counts every application; matched, active and completed count people with such a pair.",
    )
    labels = {
        "applied": "Applied",
        "approved": "Approved",
        "matched": "Matched",
        "active": "Active" if not (scope.filters.start or scope.filters.end) else "Paired in the period",
        "completed": "Completed",
    }
    for stage, label in labels.items():
        funnel_table.add(
            label,
            count(flow.by_role[Participant.Role.MENTOR][stage]),
            count(flow.by_role[Participant.Role.MENTEE][stage]),
        )

    scores = score_bands(scope)
    score_table = Table(
        "match_scores",
        "Match scores of the pairs",
        "Score",
        [Column("pairs", "Pairs", additive=True)],
        chart="pairs",
        note="The compatibility score (0-100) each pair was matched with.",
    )
    for index, (_low, _high, label) in enumerate(SCORE_BANDS):
        score_table.add(label, count(scores[f"band{index}"]))
    score_table.add("All scored pairs", count(scores["pairs"]), total=True)
    score_table.add("Average score", mean(scores["average"], scores["pairs"], "score"))

    cadence_table = Table(
        "sessions_per_month",
        "Sessions per pair per month",
        "Sessions per month",
        [Column("pairs", "Pairs", additive=True)],
        chart="pairs",
        note=(
            "Held sessions in the period divided by the months each pair ran in it. A pair meets its cadence "
            f"when it held at least {int(CADENCE_SHARE * 100)}% of the sessions its agreed (or the "
            "program's) cadence asks for; pairs younger than one cadence are not judged."
        ),
    )
    for label, value in engaged.rate_bands:
        cadence_table.add(label, count(value))
    cadence_table.add("All pairs", count(engaged.pairs), total=True)

    rating_table = Table(
        "ratings",
        "Session ratings",
        "Rating",
        [Column("answers", "Answers"), Column("people", "People")],
        chart="answers",
        note="Ratings given after sessions in the period, by the participants covered.",
    )
    for value in range(5, 0, -1):
        rating_table.add(
            f"{value} of 5",
            Cell(rated[f"r{value}"], "count", n=rated[f"p{value}"]),
            count(rated[f"p{value}"]),
        )
    rating_table.add("Average", mean(rated["average"], rated["people"]), count(rated["people"]))

    fit_table = Table(
        "fit",
        "Fit check after the first session",
        "Answer",
        [Column("people", "People", additive=True)],
        chart="people",
    )
    for fit, fit_label in SessionFeedback.Fit.choices:
        fit_table.add(fit_label, count(rated[f"fitp_{fit}"]))
    fit_table.add("Answered", count(rated["fit_people"]), total=True)

    checkin_table = Table(
        "checkins",
        "Check-ins by quarter",
        "Quarter",
        [
            Column("opened", "Opened"),
            Column("answered", "Answered (%)", "percent"),
            Column("satisfaction", "Satisfaction (1-5)", "mean"),
            Column("progress", "Goal progress (1-5)", "mean"),
        ],
        chart="satisfaction",
    )
    for row in checkins_by_quarter(scope):
        quarter = row["quarter"]
        label = f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"
        checkin_table.add(
            label,
            Cell(row["opened"], "count", n=row["people"]),
            percent(row["answered"], row["opened"], n=row["people"]),
            mean(row["satisfaction"], row["respondents"]),
            mean(row["progress"], row["respondents"]),
        )

    goal_table = Table(
        "goals",
        "Goals",
        "Status",
        [Column("count", "Goals", additive=True), Column("share", "Share (%)", "percent")],
        chart="share",
        note="Goals set in the period by the pairs covered; each figure describes the pairs with such goals.",
    )
    for status in ("achieved", "open", "dropped"):
        pairs_with = goal_counts[f"{status}_pairs"]
        goal_table.add(
            status.capitalize(),
            Cell(goal_counts[status], n=pairs_with),
            percent(goal_counts[status], goal_counts["total"], n=pairs_with),
        )
    goal_table.add(
        "All goals set",
        Cell(goal_counts["total"], n=goal_counts["pairs"]),
        plain(None, "percent"),
        total=True,
    )
    milestone_table = Table(
        "milestones",
        "Milestones",
        "Status",
        [Column("count", "Milestones", additive=True), Column("share", "Share (%)", "percent")],
        chart="share",
    )
    for key, label in (("done", "Done"), ("open", "Not done yet")):
        pairs_with = milestone_counts[f"{key}_pairs"]
        milestone_table.add(
            label,
            Cell(milestone_counts[key], n=pairs_with),
            percent(milestone_counts[key], milestone_counts["total"], n=pairs_with),
        )
    milestone_table.add(
        "All milestones",
        Cell(milestone_counts["total"], n=milestone_counts["pairs"]),
        plain(None, "percent"),
        total=True,
    )

    closed = closure(scope)
    closure_table = Table(
        "closure",
        "When pairs closed",
        "Answer",
        [Column("people", "People"), Column("share", "Share (%)", "percent")],
        chart="share",
        note="Closure surveys in the period. Promotion readiness is the mentor's assessment of the mentee.",
    )
    for achieved, achieved_label in ClosureSurvey.GoalsAchieved.choices:
        closure_table.add(
            f"Goals achieved: {achieved_label.lower()}",
            count(closed[f"goals_{achieved}"]),
            percent(closed[f"goals_{achieved}"], closed["people"], n=closed[f"goals_{achieved}"]),
        )
    closure_table.add(
        "Would recommend the program",
        count(closed["recommend"]),
        percent(closed["recommend"], closed["people"], n=closed["recommend"]),
    )
    for readiness, readiness_label in ClosureSurvey.Readiness.choices:
        closure_table.add(
            f"Promotion readiness: {readiness_label.lower()}",
            count(closed[f"ready_{readiness}"]),
            percent(closed[f"ready_{readiness}"], closed["assessed"], n=closed[f"ready_{readiness}"]),
        )

    current: dict[str, Cell] = {
        KeyResult.Metric.PARTICIPATION_RATE: participation,
        KeyResult.Metric.MATCH_RATE: match_rate,
        KeyResult.Metric.SESSIONS_PER_PAIR_MONTH: sessions_rate,
        KeyResult.Metric.AVERAGE_SESSION_RATING: average_rating,
        KeyResult.Metric.GOAL_COMPLETION: percent(
            goal_counts["achieved"], goal_counts["total"], n=goal_counts["pairs"]
        ),
        KeyResult.Metric.PROMOTION_RATE: percent(promoted, matched_people),
        KeyResult.Metric.RETENTION_RATE: percent(matched_people - left, matched_people),
    }
    kr_table = Table(
        "key_results",
        "Key results",
        "Key result",
        [
            Column("baseline", "Baseline", "number"),
            Column("target", "Target", "number"),
            Column("current", "Now", "number"),
            Column("due", "Due", "text"),
            Column("status", "Status", "text"),
        ],
        note=(
            "On track: the share of the way from baseline to target is at least the share of the time "
            "elapsed to the due date (the program's end if none). At risk: less than a quarter behind. "
            "Off track: further behind, or due and not reached. Promotion and retention cover matched "
            "participants since the program started."
        ),
    )
    for key_result in program.key_results.all():
        figure = current[key_result.metric]
        kind = figure.kind
        value = figure.value
        status = key_result_status(
            key_result,
            None if value is None else float(value),
            start=program.starts_on,
            today=scope.today,
        )
        kr_row = kr_table.add(
            key_result.objective or key_result.get_metric_display(),
            plain(_number(key_result.baseline), kind),
            plain(_number(key_result.target), kind),
            Cell(value, kind, n=figure.n),
            text(key_result.due_on.isoformat() if key_result.due_on else ""),
            text(status),
        )
        kr_row.cells[4].note = status.lower().replace(" ", "-")
        if figure.n is not None:
            # The status gives the figure away as surely as the figure itself.
            kr_row.cells[4].n = figure.n
    return [
        Section("overview", "At a glance", [summary, kr_table]),
        Section("enrollment", "Enrollment and matching", [funnel_table, score_table]),
        Section("engagement", "Engagement", [cadence_table, rating_table, fit_table]),
        Section(
            "progress",
            "Check-ins, goals and closure",
            [checkin_table, goal_table, milestone_table, closure_table],
        ),
    ]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def program_people(program: Program) -> QuerySet[Participant]:
    """The population filters are checked against: every participant of the program."""
    return Participant.objects.filter(program=program)


__all__ = ["Scope", "engagement", "funnel", "key_result_status", "program_people", "program_sections"]
