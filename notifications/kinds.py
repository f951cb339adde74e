"""What each notification kind is about, so people can choose which ones they receive by e-mail.

A kind belongs to the first category that names it, or whose prefix it starts with; anything else is
"Other". Every notification always appears in the notification centre; categories only govern e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    kinds: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def holds(self, kind: str) -> bool:
        return kind in self.kinds or kind.startswith(self.prefixes)


CATEGORIES: tuple[Category, ...] = (
    Category(
        "sessions",
        "Sessions: invites, changes and reminders",
        frozenset({"session_scheduled", "session_rescheduled", "session_cancelled", "session_reminder"}),
    ),
    Category(
        "asks",
        "Requests for your feedback, check-ins and closure surveys",
        frozenset(
            {
                "session_feedback_request",
                "session_feedback_reminder",
                "checkin_open",
                "checkin_reminder",
                "closure_survey",
            }
        ),
    ),
    Category(
        "coordination",
        "Alerts for coordinators: pairs at risk, flags and overdue answers",
        frozenset(
            {
                "fit_alert",
                "checkin_flag",
                "checkin_overdue",
                "cadence_escalation",
                "inactive_close_or_keep",
                "pair_ended_coordinator",
            }
        ),
    ),
    Category(
        "pairs",
        "Your pairs: introductions, agreement, goals and nudges",
        frozenset({"first_meeting", "goal_comment", "goal_template"}),
        ("pair_", "agreement_", "cadence_", "inactive_", "mentor_coaching"),
    ),
    Category(
        "programs",
        "Programs, applications and matching",
        frozenset(),
        ("program_", "application_", "manager_", "mentor_request", "match"),
    ),
    Category(
        "cohorts",
        "Master Mentor nominations, reviews and cohorts",
        frozenset(),
        ("cohort_", "candidacy_", "nomination", "endorsement"),
    ),
)
OTHER = Category("other", "Everything else")
CATEGORY_KEYS = frozenset(c.key for c in (*CATEGORIES, OTHER))


def category_of(kind: str) -> Category:
    for category in CATEGORIES:
        if category.holds(kind):
            return category
    return OTHER


def category_choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in (*CATEGORIES, OTHER)]
