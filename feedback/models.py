"""The life of a pair: agreement, goals and milestones, sessions with private notes, feedback after each
session, quarterly check-ins, closure surveys, and the coordinators' health actions.

Everything hangs off a ``matching.Mentorship``. States change only through ``feedback.services``, each
change recorded. Who may read what is decided in ``feedback.permissions``; in particular a ``PrivateNote``
is readable by its author alone, and session feedback and check-in answers by the program's coordinators
and HR admins, never by the partner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from matching.models import Mentorship
from people.models import Person
from programs.models import Participant, Resource

RATING_RANGE = (1, 5)
MAX_SESSION_MINUTES = 8 * 60


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


# --- Agreement ---------------------------------------------------------------------------------------------


class Agreement(models.Model):
    """What the pair agreed at kick-off. Both confirm; a change after a confirmation asks for it again."""

    class MeetingFormat(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"
        MIXED = "mixed", "A mix"

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="agreement")
    expectations = models.TextField(blank=True, help_text="What each expects of the other.")
    cadence_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days between sessions, as agreed (the program's cadence if empty)."
    )
    meeting_format = models.CharField(max_length=10, choices=MeetingFormat.choices, blank=True)
    confidentiality = models.TextField(blank=True, help_text="What stays between the two of them.")
    goals_summary = models.TextField(blank=True)
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_days__isnull=True) | Q(cadence_days__gte=1, cadence_days__lte=365),
                name="agreement_cadence_1_to_365",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement of pair {self.mentorship_id}"

    @property
    def confirmed(self) -> bool:
        return self.mentor_confirmed_at is not None and self.mentee_confirmed_at is not None


# --- Goals and milestones ----------------------------------------------------------------------------------


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    why = models.TextField(blank=True, help_text="Why it matters.")
    measure = models.TextField(blank=True, help_text="How progress is measured.")
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    template = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The program's goal template it started from.",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalStatusChange(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.from_status} → {self.to_status}"


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalComment(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on goal {self.goal_id}"


# --- Sessions ----------------------------------------------------------------------------------------------


class SessionQuerySet(models.QuerySet["Session"]):
    def held(self) -> SessionQuerySet:
        return self.filter(status=Session.Status.HELD)

    def upcoming(self, now) -> SessionQuerySet:
        return self.filter(status=Session.Status.SCHEDULED, starts_at__gte=now)


class Session(models.Model):
    """A meeting of the pair: scheduled ahead (with an invite), then logged as held, or logged afterwards.

    ``shared_notes`` are read by both; each person's private note is a separate ``PrivateNote``.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    Format = Format

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=10, choices=Format.choices)
    location = models.CharField(max_length=500, blank=True, help_text="A place or a meeting link.")
    agenda = models.TextField(blank=True)
    topics = models.JSONField(default=list, blank=True, help_text="From the program's list of topics.")
    shared_notes = models.TextField(blank=True)
    # An invite's revision: each change to a scheduled session sends an updated invite.
    sequence = models.PositiveIntegerField(default=0)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_SESSION_MINUTES),
                name="session_duration_1_to_480",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(logged_at__isnull=False), name="session_held_is_logged"
            ),
        ]
        indexes = [
            # Reminders and the health board look up each pair's sessions by status and time.
            models.Index(fields=["mentorship", "status", "starts_at"], name="session_pair_status_idx"),
            models.Index(fields=["status", "starts_at"], name="session_status_start_idx"),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} of pair {self.mentorship_id} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("feedback:session_detail", args=[self.mentorship_id, self.pk])


class SessionStatusChange(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.from_status} → {self.to_status}"


class PrivateNote(models.Model):
    """One person's own note on a session. Readable by its author only: never by the partner, coordinators,
    HR admins or sponsors, and never in exports, the Django admin or an API."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="private_note_one_per_author"),
        ]

    def __str__(self) -> str:
        return f"Private note on session {self.session_id}"


class SessionFeedback(models.Model):
    """A participant's word on a session: a rating, what was useful, and after the first session a fit
    check. Read by the program's coordinators and HR admins, never by the partner."""

    class Fit(models.TextChoices):
        GOOD = "good", "Good fit"
        DECIDING = "deciding", "Still deciding"
        NOT_GOOD = "not_good", "Not a good fit"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="session_feedback")
    rating = models.PositiveSmallIntegerField()
    useful = models.TextField(blank=True, help_text="What was useful.")
    fit = models.CharField(max_length=10, choices=Fit.choices, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="session_feedback_once"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="session_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Feedback on session {self.session_id} ({self.rating}/5)"


# --- Check-ins and closure ---------------------------------------------------------------------------------


class CheckIn(models.Model):
    """One participant's periodic check-in on one pair: opened for a period, due 14 days later."""

    class Frequency(models.TextChoices):
        TOO_RARE = "too_rare", "We should meet more often"
        RIGHT = "right", "About right"
        TOO_OFTEN = "too_often", "We meet too often"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="checkins")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="checkins")
    # The first day of the period the check-in covers (periods follow the program's check-in cadence).
    period_start = models.DateField()
    opened_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    goal_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    chemistry_right = models.BooleanField(null=True, blank=True)
    wants_help = models.BooleanField(default=False)
    comments = models.TextField(blank=True)
    # A coordinator dealt with what the answers flagged.
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "participant", "period_start"], name="checkin_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="checkin_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(goal_progress__isnull=True) | Q(goal_progress__gte=1, goal_progress__lte=5),
                name="checkin_progress_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["submitted_at", "due_on"], name="checkin_due_idx")]

    def __str__(self) -> str:
        return f"Check-in of {self.participant_id} on pair {self.mentorship_id} from {self.period_start}"


class ClosureSurvey(models.Model):
    """Each participant's look back when a pair completes or ends early; the mentor also assesses the
    mentee's promotion readiness."""

    class GoalsAchieved(models.TextChoices):
        ALL = "all", "All of them"
        SOME = "some", "Some of them"
        NONE = "none", "None of them"

    class Readiness(models.TextChoices):
        READY_NOW = "ready_now", "Ready now"
        ONE_TWO_YEARS = "one_two_years", "Ready in 1-2 years"
        NOT_YET = "not_yet", "Not yet"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="closure_surveys")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="closure_surveys")
    goals_achieved = models.CharField(max_length=6, choices=GoalsAchieved.choices)
    would_recommend = models.BooleanField()
    what_changed = models.TextField(blank=True)
    promotion_readiness = models.CharField(max_length=14, choices=Readiness.choices, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "participant"], name="closure_survey_once"),
        ]

    def __str__(self) -> str:
        return f"Closure survey of {self.participant_id} on pair {self.mentorship_id}"


# --- Coordinators' health actions --------------------------------------------------------------------------


class HealthAction(models.Model):
    """What a coordinator did about a pair at risk: nudged both, ended it, or marked a risk handled. A
    handled risk leaves the board until new evidence of it appears after ``at``."""

    class Kind(models.TextChoices):
        NUDGE = "nudge", "Nudged both"
        HANDLED = "handled", "Marked handled"
        ENDED = "ended", "Ended and offered re-matching"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="health_actions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Which risk it answers (feedback.health.RISKS keys), or blank for the pair as a whole.
    risk = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["mentorship", "kind", "risk"], name="health_action_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on pair {self.mentorship_id}"


class MentorCoaching(models.Model):
    """A certified Master Mentor coaching a mentor whose mentees' ratings or engagement stay low."""

    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coached_by")
    coach = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coaching")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor"], condition=Q(ended_at__isnull=True), name="mentor_coaching_one_current"
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("coach")), name="mentor_coaching_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.coach_id} coaches {self.mentor_id}"


class RetentionPurge(models.Model):
    """The record that a closed pair's free text and private notes were purged under the retention policy:
    when, under which period, and how much was removed (the text itself is gone)."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="retention_purge")
    purged_at = models.DateTimeField(auto_now_add=True)
    retention_days = models.PositiveIntegerField()
    counts = models.JSONField(default=dict, help_text="How many texts of each kind were cleared.")

    class Meta:
        ordering = ["-purged_at", "-pk"]

    def __str__(self) -> str:
        return f"Pair {self.mentorship_id} purged on {self.purged_at:%Y-%m-%d}"
