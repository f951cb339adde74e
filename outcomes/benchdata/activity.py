"""The life of the pairs: held sessions with both participants' feedback, agreements, goals with milestones,
check-ins, and closure surveys when a pair ends."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from feedback.models import Agreement, CheckIn, ClosureSurvey, Goal, Milestone, Session, SessionFeedback

from .rows import DAY, EPOCH, NEVER, add_months, at, day, moment, pick
from .shapes import GOALS, MILESTONES, TOPIC_SETS, USEFUL

if TYPE_CHECKING:
    from .seeder import Seeder

# A check-in not (yet) answered.
UNANSWERED: dict[str, Any] = {
    "submitted_at": None,
    "satisfaction": None,
    "goal_progress": None,
    "frequency": "",
    "chemistry_right": None,
}


def seed_sessions(s: Seeder) -> None:
    """Held sessions spread over each pair's life, more for engaged pairs and frequent cadences (some pairs
    never meet), each rated by both; a few cancelled, and the next session of most active pairs."""
    rng, pairs, count, t = s.rng, s.pairs, s.sizes.sessions, s.t
    m = len(pairs.ids)
    days = np.maximum(1, np.minimum(pairs.end, t) - pairs.start)
    weight = days * rng.lognormal(0, 0.45, m) * np.where(pairs.early, 0.6, 1.0) * 14 / pairs.cadence
    weight /= weight.sum()
    pair = np.repeat(np.arange(m), rng.multinomial(count, weight))
    on = pairs.start[pair] + (rng.random(count) * days[pair]).astype(np.int64)
    starts = (on - EPOCH) * DAY + rng.integers(8, 18, count) * 3600 + rng.integers(0, 2, count) * 1800
    order = np.lexsort((starts, pair))  # each pair's sessions in order, so that its first is known
    pair, starts = pair[order], starts[order]
    minutes = rng.choice([30, 45, 60, 60, 90], count)
    logged = np.minimum(starts + minutes * 60 + rng.integers(1800, 72 * 3600, count), s.now_s)

    cancelled = rng.choice(m, count // 50, p=weight)
    cancelled_on = pairs.start[cancelled] + (rng.random(len(cancelled)) * days[cancelled]).astype(np.int64)
    upcoming = np.flatnonzero((pairs.end == NEVER) & (rng.random(m) < 0.6))
    upcoming_on = t + rng.integers(1, 22, len(upcoming))
    other_pairs = np.concatenate([cancelled, upcoming]).tolist()
    others = list(zip(other_pairs, np.concatenate([cancelled_on, upcoming_on]).tolist(), strict=True))
    formats = pick(rng, [("video", 0.5), ("in_person", 0.35), ("phone", 0.15)], count + len(others))
    topics = rng.integers(len(TOPIC_SETS), size=count + len(others)).tolist()
    mentorship = pairs.ids.tolist()
    pair_l, starts_l, minutes_l, logged_l = pair.tolist(), starts.tolist(), minutes.tolist(), logged.tolist()

    def sessions() -> Iterator[dict[str, Any]]:
        for k in range(count):
            done = at(logged_l[k])
            yield {
                "mentorship_id": mentorship[pair_l[k]],
                "status": Session.Status.HELD,
                "starts_at": at(starts_l[k]),
                "duration_minutes": minutes_l[k],
                "format": formats[k],
                "topics": TOPIC_SETS[topics[k]],
                "logged_at": done,
                "created_at": done,
                "updated_at": done,
            }
        for k, (p, on) in enumerate(others, start=count):
            yield {
                "mentorship_id": mentorship[p],
                "status": Session.Status.CANCELLED
                if k < count + len(cancelled)
                else Session.Status.SCHEDULED,
                "starts_at": moment(on, 14),
                "duration_minutes": 60,
                "format": formats[k],
                "topics": TOPIC_SETS[topics[k]],
                "logged_at": None,
                "created_at": moment(on - 7),
                "updated_at": moment(on - 7),
            }

    ids = s.write("sessions", Session, sessions())
    s.counts["held sessions"] = count

    first = np.ones(count, dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    quality = s.pairs.quality[pair]
    # Ratings lean to 4 and 5, lower in pairs that work less well; the first session also asks about fit.
    ratings = np.clip(np.rint(4.1 + quality[:, None] + rng.normal(0, 0.75, (count, 2))), 1, 5).astype(int)
    fit_score = quality + rng.normal(0, 0.35, count)
    fit = np.where(fit_score > -0.35, "good", np.where(fit_score > -1.0, "deciding", "not_good"))
    fit_l = np.where(first, fit, "").tolist()
    texts = ["", *USEFUL]
    useful = np.where(rng.random((count, 2)) < 0.15, rng.integers(1, len(texts), (count, 2)), 0).tolist()
    submitted = np.minimum(logged[:, None] + rng.integers(600, 36 * 3600, (count, 2)), s.now_s).tolist()
    who = list(zip(pairs.mentor[pair].tolist(), pairs.mentee[pair].tolist(), strict=True))
    ratings_l = ratings.tolist()

    def feedback() -> Iterator[dict[str, Any]]:
        for k in range(count):
            for side in (0, 1):
                yield {
                    "session_id": ids[k],
                    "participant_id": who[k][side],
                    "rating": ratings_l[k][side],
                    "useful": texts[useful[k][side]],
                    "fit": fit_l[k],
                    "submitted_at": at(submitted[k][side]),
                }

    s.write("feedback", SessionFeedback, feedback())


def seed_pair_life(s: Seeder) -> None:
    _agreements(s)
    _goals(s)
    _checkins(s)
    _closure_surveys(s)


def _agreements(s: Seeder) -> None:
    pairs, draw = s.pairs, s.draw
    formats = pick(
        s.rng, [("video", 0.45), ("in_person", 0.3), ("mixed", 0.2), ("phone", 0.05)], len(pairs.ids)
    )
    rows = []
    for i, (pair, start) in enumerate(zip(pairs.ids.tolist(), pairs.start.tolist(), strict=True)):
        confirmed = moment(start + 5)
        rows.append(
            {
                "mentorship_id": pair,
                "expectations": "Meet regularly, come prepared, speak openly.",
                "meeting_format": formats[i],
                "mentor_confirmed_at": confirmed,
                "mentee_confirmed_at": confirmed if draw.random() < 0.9 else None,
                "created_at": moment(start + 1),
                "updated_at": confirmed,
            }
        )
    s.write("agreements", Agreement, rows)


def _goals(s: Seeder) -> None:
    """One to three goals a pair, with two to four milestones each; achieved more often in pairs that
    completed, dropped more often in pairs that ended early."""
    pairs, draw, t = s.pairs, s.draw, s.t
    goals, milestones = [], []
    spans = zip(pairs.ids.tolist(), pairs.start.tolist(), pairs.end.tolist(), strict=True)
    for i, (pair, start, end) in enumerate(spans):
        life_end = min(end, t)
        for g in range(draw.choice((1, 2, 2, 3))):
            u = draw.random()
            if pairs.early[i]:
                status = "dropped" if u < 0.4 else "achieved" if u < 0.5 else "open"
            elif pairs.ended[i]:
                status = "achieved" if u < 0.6 else "dropped" if u < 0.75 else "open"
            else:
                status = "achieved" if u < 0.25 else "dropped" if u < 0.3 else "open"
            created = max(start, min(start + draw.randrange(3, 30), life_end - 1, t - 1))
            closed = min(created + draw.randrange(1, max(2, life_end - created)), t - 1)
            closed_at = None if status == "open" else min(moment(closed), s.now)
            goals.append(
                {
                    "mentorship_id": pair,
                    "title": GOALS[(i + g) % len(GOALS)],
                    "target_on": day(created + 180),
                    "status": status,
                    "created_at": moment(created),
                    "updated_at": closed_at or moment(created),
                    "closed_at": closed_at,
                }
            )
            for k in range(draw.randrange(2, 5)):
                due = created + 45 * (k + 1)
                if status == "achieved":
                    done = min(due, closed)
                elif status == "open":
                    done = due - draw.randrange(10) if due < t and draw.random() < 0.6 else None
                else:
                    done = due if due < closed and draw.random() < 0.4 else None
                milestones.append((len(goals) - 1, k, due, done))
    ids = s.write("goals", Goal, goals)
    s.write(
        "milestones",
        Milestone,
        (
            {
                "goal_id": ids[g],
                "title": MILESTONES[k],
                "due_on": day(due),
                "done_on": None if done is None else day(done),
                "order": k,
                "created_at": goals[g]["created_at"],
            }
            for g, k, due, done in milestones
        ),
    )


def _checkins(s: Seeder) -> None:
    """Both participants of every pair active when a check-in period of its program began (every
    ``checkin_cadence_months`` from the program's start); most answered, fewer in pairs that ended early, and
    fewer so far where the check-in is still open."""
    pairs, draw, t = s.pairs, s.draw, s.t
    periods: dict[tuple[int, int], list[int]] = {}
    rows = []
    for i, (pair, program_start, months) in enumerate(
        zip(pairs.ids.tolist(), pairs.program_start.tolist(), pairs.checkin_months.tolist(), strict=True)
    ):
        if (program_start, months) not in periods:
            starts = (add_months(day(program_start), k).toordinal() for k in itertools.count(0, months))
            periods[program_start, months] = list(itertools.takewhile(lambda d: d <= t, starts))
        quality, early = float(pairs.quality[i]), bool(pairs.early[i])
        active = (p for p in periods[program_start, months] if pairs.start[i] <= p < pairs.end[i])
        for number, period in enumerate(active):
            for participant, rate in ((int(pairs.mentor[i]), 0.68), (int(pairs.mentee[i]), 0.76)):
                opened = moment(period, 6)
                answered = draw.random() < (0.4 if period + 14 >= t else rate - 0.2 * early)
                submitted = min(opened + datetime.timedelta(hours=draw.uniform(1, 16 * 24)), s.now)
                helped = answered and draw.random() < 0.05
                answers = {**UNANSWERED}
                if answered:
                    u = draw.random()
                    answers = {
                        "submitted_at": submitted,
                        "satisfaction": _score(3.9 + quality + draw.gauss(0, 0.8)),
                        "goal_progress": _score(2.3 + 0.5 * number + quality + draw.gauss(0, 0.8)),
                        "frequency": "too_rare" if u < 0.2 else "right" if u < 0.92 else "too_often",
                        "chemistry_right": quality + draw.gauss(0, 0.4) > -0.8,
                    }
                rows.append(
                    {
                        "mentorship_id": pair,
                        "participant_id": participant,
                        "period_start": day(period),
                        "opened_at": opened,
                        "due_on": day(period + 14),
                        **answers,
                        "wants_help": helped,
                        "handled_at": min(submitted + datetime.timedelta(days=3), s.now) if helped else None,
                    }
                )
    s.write("check-ins", CheckIn, rows)


def _score(value: float) -> int:
    return max(1, min(5, round(value)))


def _closure_surveys(s: Seeder) -> None:
    pairs, draw = s.pairs, s.draw
    rows = []
    for i in np.flatnonzero(pairs.ended).tolist():
        early = bool(pairs.early[i])
        for participant, rate, mentor in (
            (int(pairs.mentor[i]), 0.75, True),
            (int(pairs.mentee[i]), 0.85, False),
        ):
            if draw.random() >= rate:
                continue
            u = draw.random() + (0.35 if early else 0)
            readiness = draw.choice(("ready_now", "one_two_years", "one_two_years", "not_yet"))
            rows.append(
                {
                    "mentorship_id": int(pairs.ids[i]),
                    "participant_id": participant,
                    "goals_achieved": "all" if u < 0.4 else "some" if u < 0.9 else "none",
                    "would_recommend": draw.random() < (0.6 if early else 0.92),
                    "promotion_readiness": readiness if mentor else "",
                    "submitted_at": min(moment(int(pairs.end[i]) + draw.randrange(14), 12), s.now),
                }
            )
    s.write("closure surveys", ClosureSurvey, rows)
