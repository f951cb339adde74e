"""Data retention: once a pair has been closed (completed or ended early) for longer than the configured
period, its free text and every private note are purged, and the purge is recorded (``RetentionPurge``) and
logged. Facts stay: dates, durations, ratings, statuses, goal titles and milestones, so dashboards and
history still count. Off unless ``PAIR_TEXT_RETENTION_DAYS`` is set; a purged pair is never purged again.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matching.models import Mentorship

from ..models import (
    Agreement,
    CheckIn,
    ClosureSurvey,
    Goal,
    GoalComment,
    GoalStatusChange,
    PrivateNote,
    RetentionPurge,
    Session,
    SessionFeedback,
    SessionStatusChange,
)

logger = logging.getLogger(__name__)
M = Mentorship.Status


def pairs_due_for_purge(days: int, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Mentorship.objects.filter(
        status__in=(M.COMPLETED, M.ENDED_EARLY),
        ended_on__lt=today - datetime.timedelta(days=days),
        retention_purge__isnull=True,
    ).order_by("pk")


def _clear(queryset, fields: tuple[str, ...]) -> int:
    """Blank ``fields`` on the rows where any of them holds text; returns how many rows changed."""
    has_text = Q()
    for field in fields:
        has_text |= ~Q(**{field: ""})
    return queryset.filter(has_text).update(**dict.fromkeys(fields, ""))


def pair_texts_purge(mentorship: Mentorship, *, days: int) -> RetentionPurge | None:
    """Purge one closed pair's free text and private notes, once; None if it was purged already."""
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if RetentionPurge.objects.filter(mentorship=locked).exists():
            return None
        sessions = Session.objects.filter(mentorship=locked)
        goals = Goal.objects.filter(mentorship=locked)
        counts = {
            "private_notes": PrivateNote.objects.filter(session__mentorship=locked).delete()[0],
            "session_notes": _clear(sessions, ("shared_notes", "agenda", "location")),
            "session_changes": _clear(
                SessionStatusChange.objects.filter(session__mentorship=locked), ("why",)
            ),
            "feedback": _clear(SessionFeedback.objects.filter(session__mentorship=locked), ("useful",)),
            "agreement": _clear(
                Agreement.objects.filter(mentorship=locked),
                ("expectations", "confidentiality", "goals_summary"),
            ),
            "goals": _clear(goals, ("why", "measure")),
            "goal_changes": _clear(GoalStatusChange.objects.filter(goal__mentorship=locked), ("why",)),
            "goal_comments": GoalComment.objects.filter(goal__mentorship=locked).delete()[0],
            "checkins": _clear(CheckIn.objects.filter(mentorship=locked), ("comments",)),
            "closure": _clear(ClosureSurvey.objects.filter(mentorship=locked), ("what_changed",)),
        }
        purge = RetentionPurge.objects.create(mentorship=locked, retention_days=days, counts=counts)
    logger.info(
        "Purged the free text of pair %s (closed on %s) after %s days: %s",
        locked.pk,
        locked.ended_on,
        days,
        ", ".join(f"{key}={n}" for key, n in counts.items()),
    )
    return purge


def closed_pairs_purge(today: datetime.date | None = None) -> int:
    """Purge every pair closed longer ago than ``PAIR_TEXT_RETENTION_DAYS``; returns how many were purged.
    Does nothing while the setting is unset."""
    days = settings.PAIR_TEXT_RETENTION_DAYS
    if not days:
        return 0
    return sum(1 for pair in pairs_due_for_purge(days, today) if pair_texts_purge(pair, days=days))
