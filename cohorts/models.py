"""Master Mentor cohorts: a yearly nomination cycle (endorsements, nominations, blind committee review,
selection per division), the cohort that trains for about six months, and the certificates of its graduates.

Every stateful model changes state only through a service in ``cohorts.services`` with an allowed-transitions
map; cycle moves are recorded in ``CycleStatusChange`` and every decision in ``AuditEntry``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from people.models import MAX_JOB_LEVEL, MIN_JOB_LEVEL, Division, Person

SCORE_MIN, SCORE_MAX = 1, 5
MAX_ENDORSEMENTS = 3


class NominationCycle(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for nominations"
        REVIEWING = "reviewing", "Committee reviewing"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    nominations_open_on = models.DateField(null=True, blank=True)
    nominations_close_on = models.DateField(
        null=True,
        blank=True,
        help_text="Nominations and endorsements are accepted until the end of this day.",
    )
    review_due_on = models.DateField(
        null=True, blank=True, help_text="Committee reviews are due on this day."
    )
    min_job_level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_JOB_LEVEL), MaxValueValidator(MAX_JOB_LEVEL)],
        help_text="Candidates must be at this job level or above.",
    )
    min_tenure_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Candidates must have been with the organization this long."
    )
    min_reviews = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Candidacies with fewer submitted reviews are flagged in the ranking.",
    )
    near_tie_margin = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=0.10,
        validators=[MinValueValidator(0)],
        help_text="Calibrated scores closer than this to the last selected seat are flagged as near ties.",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_cycles"
    )
    decisions_published_at = models.DateTimeField(null=True, blank=True)
    decisions_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="cycle_unique_name_per_year"),
            models.CheckConstraint(
                condition=Q(nominations_open_on__isnull=True)
                | Q(nominations_close_on__isnull=True)
                | Q(nominations_open_on__lte=F("nominations_close_on")),
                name="cycle_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(nominations_close_on__isnull=True)
                | Q(review_due_on__isnull=True)
                | Q(nominations_close_on__lte=F("review_due_on")),
                name="cycle_review_after_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("cohorts:cycle_detail", args=[self.pk])

    @property
    def decisions_published(self) -> bool:
        return self.decisions_published_at is not None


class CycleStatusChange(models.Model):
    cycle = models.ForeignKey(NominationCycle, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=NominationCycle.Status.choices)
    to_status = models.CharField(max_length=12, choices=NominationCycle.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.from_status} → {self.to_status}"


class CommitteeMember(models.Model):
    cycle = models.ForeignKey(NominationCycle, on_delete=models.CASCADE, related_name="committee")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="committee_seats")
    is_chair = models.BooleanField(default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_chair", "person__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="committee_member_once"),
            models.UniqueConstraint(fields=["cycle"], condition=Q(is_chair=True), name="committee_one_chair"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.cycle}{' (chair)' if self.is_chair else ''}"


class DivisionQuota(models.Model):
    cycle = models.ForeignKey(NominationCycle, on_delete=models.CASCADE, related_name="quotas")
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField(validators=[MaxValueValidator(500)])

    class Meta:
        ordering = ["division__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["cycle", "division"], name="quota_once_per_division")]

    def __str__(self) -> str:
        return f"{self.division}: {self.seats} seats"


class Criterion(models.Model):
    """One rubric criterion of a cycle; the weighted mean of the criteria's scores is a review's score."""

    cycle = models.ForeignKey(NominationCycle, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="criterion_name_once")]

    def __str__(self) -> str:
        return self.name


class Endorsement(models.Model):
    """ "Who do you go to for advice?" The endorser is known to HR admins only."""

    cycle = models.ForeignKey(NominationCycle, on_delete=models.CASCADE, related_name="endorsements")
    endorser = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="endorsements_given")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="endorsements_received")
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "endorser", "person"], name="endorsement_once"),
            models.CheckConstraint(condition=~Q(endorser=F("person")), name="endorsement_not_self"),
        ]

    def __str__(self) -> str:
        return f"Endorsement of {self.person_id} in {self.cycle_id}"


class Candidacy(models.Model):
    """A person nominated in a cycle (by one or more nominators); reviewed once the candidate accepts."""

    class Status(models.TextChoices):
        INVITED = "invited", "Waiting for the candidate"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Decision(models.TextChoices):
        PENDING = "", "Not decided"
        SELECTED = "selected", "Selected"
        NOT_SELECTED = "not_selected", "Not selected"

    cycle = models.ForeignKey(NominationCycle, on_delete=models.CASCADE, related_name="candidacies")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    number = models.PositiveIntegerField(help_text='Shown to reviewers as "Candidate <number>".')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    motivation = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True, default=Decision.PENDING)
    decision_rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="candidacy_once_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "number"], name="candidacy_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.number}"

    @property
    def blind_label(self) -> str:
        return f"Candidate {self.number}"


class Nomination(models.Model):
    """One nominator's case for a candidacy, with structured evidence."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="nominations")
    nominator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations_made")
    informal_mentoring = models.TextField("record of informal mentoring")
    sought_out = models.TextField("who seeks them out, and why")
    sponsoring = models.TextField("examples of sponsoring others to success")
    communication = models.TextField("communication and emotional intelligence")
    statement = models.TextField("statement", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["candidacy", "nominator"], name="nomination_once")]

    def __str__(self) -> str:
        return f"Nomination of {self.candidacy} by {self.nominator_id}"


class Review(models.Model):
    """A committee member's review of a candidacy: one score per criterion, or a recusal."""

    class Recusal(models.TextChoices):
        NONE = "", "Not recused"
        SELF = "self", "The reviewer is the candidate"
        CHAIN = "chain", "In the candidate's management chain"
        NOMINATOR = "nominator", "Nominated the candidate"
        DECLARED = "declared", "Declared a conflict of interest"

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cohort_reviews")
    recusal = models.CharField(max_length=10, choices=Recusal.choices, blank=True, default=Recusal.NONE)
    recusal_note = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["candidacy__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "reviewer"], name="review_once_per_reviewer"),
            models.CheckConstraint(
                condition=Q(recusal="") | Q(submitted_at__isnull=True), name="review_recused_not_submitted"
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.candidacy} by {self.reviewer_id}"

    @property
    def recused(self) -> bool:
        return bool(self.recusal)


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class AuditEntry(models.Model):
    """Every decision of a cycle and every change to one, with who made it and why."""

    cycle = models.ForeignKey(NominationCycle, on_delete=models.CASCADE, related_name="audit")
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    action = models.CharField(max_length=40)
    details = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.action}"


class Cohort(models.Model):
    """The selected candidates of a cycle, training together for about six months."""

    cycle = models.OneToOneField(NominationCycle, on_delete=models.PROTECT, related_name="cohort")
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()
    min_attendance_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Members graduate with at least this share of events attended (excused absences aside).",
    )
    coordinators = models.ManyToManyField(Person, blank=True, related_name="cohorts_coordinated")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="cohort_dates_in_order")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:cohort_detail", args=[self.pk])


class CohortMember(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "In training"
        GRADUATED = "graduated", "Graduated"
        WITHDRAWN = "withdrawn", "Withdrawn"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cohort_memberships")
    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.SET_NULL, null=True, blank=True, related_name="cohort_member"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    graduated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="cohort_member_once")]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort}"


class CohortEvent(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Skill-building workshop"
        CASE_DISCUSSION = "case_discussion", "Case discussion"
        EXPERT_LUNCH = "expert_lunch", "Lunch with a subject-matter expert"
        LEADER_VISIT = "leader_visit", "Senior leader visit"
        INCLUSION = "inclusion", "Inclusion session"
        GRADUATION = "graduation", "Graduation ceremony"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    location = models.CharField("place or link", max_length=500, blank=True)
    facilitator = models.CharField(max_length=200, blank=True)
    agenda = models.TextField(blank=True)
    required = models.BooleanField(default=False, help_text="Members must attend this event to graduate.")
    cancelled = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0, help_text="Revision of the calendar invite.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    event = models.ForeignKey(CohortEvent, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event__starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.member_id} at {self.event_id}: {self.status}"


class Certificate(models.Model):
    """A graduate's Master Mentor certificate, verifiable by anyone who has its code."""

    member = models.OneToOneField(CohortMember, on_delete=models.PROTECT, related_name="certificate")
    verification_code = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    issued_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.issued_on})"

    def get_absolute_url(self) -> str:
        return reverse("cohorts:certificate_verify", args=[self.verification_code])
