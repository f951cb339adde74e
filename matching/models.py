"""Match runs and their proposals, pair rules, mentee requests, and the Mentorship (the pair).

States change only through services with allowed-transitions maps, each change recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programs.models import Participant, Program


class MatchRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready for review"
        FAILED = "failed", "Failed"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100, for the progress bar.")
    stage = models.CharField(max_length=120, blank=True, help_text="What the run is doing now.")
    # Priority, minimum score, candidates per mentee, and the pins and forbids in force, as run.
    params = models.JSONField(default=dict, blank=True)
    # The quality report and the unmatched participants with their reasons.
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Match run {self.pk} of {self.program} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("matching:run_detail", args=[self.program.slug, self.pk])


class Proposal(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    # [{"criterion": label, "weight": w, "similarity": s, "points": p}, ...]; points sum to the score.
    breakdown = models.JSONField(default=list, blank=True)
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentor", "mentee"], name="proposal_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} → {self.mentee_id} ({self.score:.0f})"


class PairRule(models.Model):
    """A coordinator's decision about one pair, honoured by every later run."""

    class Kind(models.TextChoices):
        PIN = "pin", "Always pair"
        FORBID = "forbid", "Never pair"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pair_rules")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "mentor", "mentee"], name="pair_rule_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentor_id} / {self.mentee_id}"


class MentorRequest(models.Model):
    """Mentee-choice mode: a mentee's ranked request to a mentor, answered in turn."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for an earlier choice"
        PENDING = "pending", "Waiting for the mentor"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "No answer in time"
        CANCELLED = "cancelled", "Cancelled"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentor_requests")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests_made")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="requests_received")
    rank = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["mentee", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="mentor_request_once_per_pair"),
            models.UniqueConstraint(fields=["mentee", "rank"], name="mentor_request_one_per_rank"),
        ]
        indexes = [
            # The expiry job looks for pending requests past their deadline.
            models.Index(fields=["status", "expires_at"], name="mentor_request_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} asks {self.mentor_id} (#{self.rank}, {self.status})"


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def current(self) -> MentorshipQuerySet:
        return self.filter(status__in=[Mentorship.Status.PROPOSED, Mentorship.Status.ACTIVE])


class Mentorship(models.Model):
    """The pair: a mentor and a mentee of one program."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    class EndCategory(models.TextChoices):
        """Why a pair ended early (seen by coordinators only; no fault is implied)."""

        SCHEDULE = "schedule", "Could not find time"
        FIT = "fit", "Not a good fit"
        ROLE_CHANGE = "role_change", "A change of role or team"
        LEFT = "left", "Left the organization"
        GOALS_MET = "goals_met", "Goals met early"
        OTHER = "other", "Another reason"

    class Source(models.TextChoices):
        RUN = "run", "Match run"
        REQUEST = "request", "Mentee's request"
        REMATCH = "rematch", "Re-match"
        MANUAL = "manual", "Paired by a coordinator"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="mentorships_as_mentor")
    mentee = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="mentorships_as_mentee")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.RUN)
    run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentorships"
    )
    score = models.FloatField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    end_category = models.CharField(max_length=12, choices=EndCategory.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One current pairing of the same two participants.
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status__in=["proposed", "active"]),
                name="mentorship_one_current_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "ended_early"]) | Q(ended_on__isnull=False),
                name="mentorship_ended_has_date",
            ),
        ]
        indexes = [
            # Capacity checks and "my pairs" pages look up current pairs by participant.
            models.Index(fields=["mentor", "status"], name="mentorship_mentor_status_idx"),
            models.Index(fields=["mentee", "status"], name="mentorship_mentee_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} mentors {self.mentee_id} ({self.get_status_display()})"


class MentorshipStatusChange(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.from_status} → {self.to_status}"
