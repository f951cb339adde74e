"""Mentoring programs: configuration, eligibility, questionnaire, enrollment, key results, playbook.

A program changes status only through ``programs.services.lifecycle.program_transition``, which checks
the allowed-transitions map and records every change in ``ProgramStatusChange``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from people.models import Department, Division, Person

# The work profile fields a program may show mentees choosing a mentor; the name is always shown.
MENTOR_PROFILE_FIELDS = [
    ("title", "Job title"),
    ("department", "Department"),
    ("division", "Division"),
    ("location", "Location"),
]


def default_mentor_profile_fields() -> list[str]:
    return [key for key, _label in MENTOR_PROFILE_FIELDS]


DEFAULT_SESSION_TOPICS = [
    "Goals and progress",
    "Career planning",
    "Leadership",
    "Feedback and difficult conversations",
    "Skills and learning",
    "Networking and visibility",
    "Work-life balance",
    "Organization and politics",
]


def default_session_topics() -> list[str]:
    return list(DEFAULT_SESSION_TOPICS)


class Program(models.Model):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one"
        GROUP = "group", "Group circle"
        REVERSE = "reverse", "Reverse mentoring"
        FLASH = "flash", "Flash (one-off)"

    class Purpose(models.TextChoices):
        LEADERSHIP = "leadership_pipeline", "Leadership pipeline"
        ONBOARDING = "onboarding", "Onboarding"
        DIVERSITY = "diversity_inclusion", "Diversity and inclusion"
        CAREER = "career_development", "Career development"
        CULTURE = "culture", "Culture"
        RETENTION = "retention", "Retention"
        CUSTOM = "custom", "Custom"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENROLLING = "enrolling", "Enrolling"
        MATCHING = "matching", "Matching"
        RUNNING = "running", "Running"
        CLOSED = "closed", "Closed"

    class MatchingMode(models.TextChoices):
        ADMIN = "admin", "Admin runs matching"
        MENTEE_CHOICE = "mentee_choice", "Mentees choose their mentor"
        BOTH = "both", "Both"

    class MatchingPriority(models.TextChoices):
        BEST_SCORES = "best_scores", "Best scores"
        MOST_MATCHED = "most_matched", "Most people matched"

    class MentorRequirement(models.TextChoices):
        NONE = "none", "None"
        TRAINED = "trained", "Completed mentor training"
        MASTER_MENTOR = "master_mentor", "Certified Master Mentor"
        MASTER_PREFERRED = "master_preferred", "Master Mentors preferred"

    # Identity and purpose
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ONE_TO_ONE)
    purpose = models.CharField(max_length=32, choices=Purpose.choices, default=Purpose.CAREER)
    description = models.TextField(blank=True, help_text="Why the program exists, for participants.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)

    # Timeline (drafts may leave these empty; opening enrollment needs them all)
    enrollment_opens_on = models.DateField(null=True, blank=True)
    enrollment_closes_on = models.DateField(null=True, blank=True)
    matching_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    # Rhythm
    meeting_cadence_days = models.PositiveSmallIntegerField(
        default=14, help_text="Expected days between sessions."
    )
    checkin_cadence_months = models.PositiveSmallIntegerField(
        default=3, help_text="Months between check-ins (3 = quarterly)."
    )

    # Capacity and matching
    default_mentor_capacity = models.PositiveSmallIntegerField(default=2)
    max_mentor_capacity = models.PositiveSmallIntegerField(default=4)
    mentors_per_mentee = models.PositiveSmallIntegerField(default=1)
    matching_mode = models.CharField(max_length=16, choices=MatchingMode.choices, default=MatchingMode.ADMIN)
    matching_priority = models.CharField(
        max_length=16, choices=MatchingPriority.choices, default=MatchingPriority.BEST_SCORES
    )
    min_match_score = models.PositiveSmallIntegerField(
        default=0, help_text="Pairs scoring below this (0-100) are never proposed."
    )
    # Built-in HR criteria, each weighted 0-10 per program.
    weight_different_department = models.PositiveSmallIntegerField(default=3)
    weight_different_division = models.PositiveSmallIntegerField(default=0)
    weight_mentor_senior = models.PositiveSmallIntegerField(
        default=5, help_text="Mentor 1-3 levels more senior (reversed for reverse mentoring)."
    )
    weight_same_location = models.PositiveSmallIntegerField(default=2)
    weight_master_mentor = models.PositiveSmallIntegerField(
        default=3, help_text="Certified Master Mentor; counted when Master Mentors are preferred."
    )
    # The topics pairs pick from when they log a session.
    session_topics = models.JSONField(default=default_session_topics, blank=True)
    # What mentees choosing a mentor see of each mentor besides the name (MENTOR_PROFILE_FIELDS).
    mentor_profile_fields = models.JSONField(default=default_mentor_profile_fields, blank=True)

    # Approvals
    enrollment_approval = models.BooleanField(
        default=True, help_text="Applications wait for a coordinator's approval."
    )
    manager_approval = models.BooleanField(default=False, help_text="The applicant's manager approves first.")
    manager_approval_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days of managerial silence that count as approval."
    )

    # Eligibility (empty means no restriction)
    eligible_divisions = models.ManyToManyField(Division, blank=True, related_name="+")
    eligible_departments = models.ManyToManyField(Department, blank=True, related_name="+")
    min_job_level = models.PositiveSmallIntegerField(null=True, blank=True)
    max_job_level = models.PositiveSmallIntegerField(null=True, blank=True)
    min_tenure_months = models.PositiveSmallIntegerField(default=0)
    eligible_locations = models.JSONField(default=list, blank=True)
    mentor_requirement = models.CharField(
        max_length=20, choices=MentorRequirement.choices, default=MentorRequirement.NONE
    )

    # Governance
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    coordinators = models.ManyToManyField(Person, blank=True, related_name="coordinated_programs")
    sponsors = models.ManyToManyField(Person, blank=True, related_name="sponsored_programs")

    template_key = models.CharField(max_length=40, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_mentor_capacity__gte=1)
                & Q(default_mentor_capacity__lte=F("max_mentor_capacity")),
                name="program_default_capacity_within_max",
            ),
            models.CheckConstraint(
                condition=Q(mentors_per_mentee__gte=1), name="program_mentors_per_mentee_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_match_score__lte=100), name="program_min_score_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(min_job_level__isnull=True)
                | Q(max_job_level__isnull=True)
                | Q(min_job_level__lte=F("max_job_level")),
                name="program_job_level_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(weight_different_department__lte=10)
                & Q(weight_different_division__lte=10)
                & Q(weight_mentor_senior__lte=10)
                & Q(weight_same_location__lte=10),
                name="program_hr_weights_at_most_10",
            ),
            models.CheckConstraint(
                condition=Q(weight_master_mentor__lte=10), name="program_master_weight_at_most_10"
            ),
        ]
        indexes = [
            # Home pages list the programs open for enrollment.
            models.Index(fields=["status", "enrollment_closes_on"], name="program_status_closes_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.slug])


class ProgramStatusChange(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Program.Status.choices)
    to_status = models.CharField(max_length=16, choices=Program.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.program}: {self.from_status} → {self.to_status}"


class KeyResult(models.Model):
    """A measurable objective; the dashboards compute the metric and compare it with baseline and target."""

    class Metric(models.TextChoices):
        PARTICIPATION_RATE = "participation_rate", "Participation rate (%)"
        MATCH_RATE = "match_rate", "Match rate (%)"
        SESSIONS_PER_PAIR_MONTH = "sessions_per_pair_month", "Sessions per pair per month"
        AVERAGE_SESSION_RATING = "average_session_rating", "Average session rating (1-5)"
        GOAL_COMPLETION = "goal_completion", "Goal completion (%)"
        PROMOTION_RATE = "promotion_rate", "Promotion rate (%)"
        RETENTION_RATE = "retention_rate", "Retention rate (%)"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="key_results")
    objective = models.CharField(max_length=200, blank=True, help_text="The objective this result measures.")
    metric = models.CharField(max_length=32, choices=Metric.choices)
    baseline = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=8, decimal_places=2)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "metric"], name="key_result_one_per_metric"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} → {self.target}"


class Question(models.Model):
    """A registration question, worded for mentors and for mentees, that may drive matching."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTI = "multi", "Multiple choice"
        SCALE = "scale", "Scale 1-5"
        NUMBER = "number", "Number"
        TEXT = "text", "Free text"

    class MatchRule(models.TextChoices):
        NONE = "none", "Not used for matching"
        SAME = "same", "Same answer"
        DIFFERENT = "different", "Different answer"
        OVERLAP = "overlap", "Overlap of chosen options"
        MENTOR_HIGHER = "mentor_higher", "Mentor's value higher"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    mentor_text = models.CharField(max_length=300)
    mentee_text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SINGLE)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    match_rule = models.CharField(max_length=16, choices=MatchRule.choices, default=MatchRule.NONE)
    weight = models.PositiveSmallIntegerField(default=5)
    hard = models.BooleanField(default=False, help_text="Must hold for a pair to be made.")
    shown_to_mentees = models.BooleanField(
        default=False, help_text="Mentees choosing a mentor see the mentors' answers to it."
    )
    # A question with answers is archived, never deleted, so no answer is lost.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__lte=10), name="question_weight_at_most_10"),
        ]

    def __str__(self) -> str:
        return self.mentee_text

    def text_for(self, role: str) -> str:
        return self.mentor_text if role == Participant.Role.MENTOR else self.mentee_text


class QuestionRevision(models.Model):
    """What changed in a question once it had answers, and how existing answers were mapped."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="revisions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=32)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.action}"


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def mentors(self) -> ParticipantQuerySet:
        return self.filter(role=Participant.Role.MENTOR)

    def mentees(self) -> ParticipantQuerySet:
        return self.filter(role=Participant.Role.MENTEE)

    def approved(self) -> ParticipantQuerySet:
        return self.filter(status=Participant.Status.APPROVED)

    def active(self) -> ParticipantQuerySet:
        """Still in the program: not declined or withdrawn."""
        return self.exclude(status__in=[Participant.Status.DECLINED, Participant.Status.WITHDRAWN])


class Participant(models.Model):
    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        APPROVED = "approved", "Approved"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class ManagerApproval(models.TextChoices):
        NOT_REQUIRED = "not_required", "Not required"
        PENDING = "pending", "Waiting for the manager"
        APPROVED = "approved", "Approved by the manager"
        APPROVED_BY_SILENCE = "approved_by_silence", "Approved (no answer in time)"
        DECLINED = "declined", "Declined by the manager"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=8, choices=Role.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.APPLIED)
    capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Mentors: how many mentees they can take."
    )
    reason = models.TextField(blank=True, help_text="Why an application was declined or waitlisted.")
    manager_approval = models.CharField(
        max_length=20, choices=ManagerApproval.choices, default=ManagerApproval.NOT_REQUIRED
    )
    manager_decided_at = models.DateTimeField(null=True, blank=True)
    manager_decided_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["program", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person", "role"], name="participant_once_per_role"),
            models.CheckConstraint(
                condition=Q(role="mentee", capacity__isnull=True) | Q(role="mentor", capacity__gte=1),
                name="participant_capacity_for_mentors_only",
            ),
        ]
        indexes = [
            # Funnels and approval queues filter a program's participants by role and status.
            models.Index(fields=["program", "role", "status"], name="participant_funnel_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.program})"


class ParticipantStatusChange(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.from_status} → {self.to_status}"


class Answer(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # str for single/text, list[str] for multi, int for scale/number.
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "question"], name="answer_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} / {self.question_id}: {self.value}"


class Invitation(models.Model):
    """An HR admin or coordinator invited someone to apply; they are notified with a link."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="program_invitations")
    role = models.CharField(max_length=8, choices=Participant.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person", "role"], name="invitation_once_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} invited as {self.role} to {self.program}"


class Resource(models.Model):
    """A playbook entry: global (no program) or for one program, shown to participants by role."""

    class Kind(models.TextChoices):
        PROMPT = "prompt", "Conversation prompt"
        FIRST_MEETING = "first_meeting", "First-meeting questions"
        GOAL_TEMPLATE = "goal_template", "Goal template"
        GUIDE = "guide", "Guide"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Mentors and mentees"
        MENTORS = "mentors", "Mentors"
        MENTEES = "mentees", "Mentees"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MentorTraining(models.Model):
    """A completed mentor training, checked when a program requires trained mentors."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentor_trainings")
    completed_on = models.DateField()
    course = models.CharField(max_length=200, default="Mentor training")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "course", "completed_on"], name="mentor_training_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} ({self.completed_on})"
