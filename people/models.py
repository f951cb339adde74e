"""The HR directory: the one place that knows the org chart.

People exist before they ever log in; a login (``User``) is linked to its ``Person`` by e-mail once the
address is verified (see ``people.services.person_link_user``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from .timezones import validate_time_zone

MIN_JOB_LEVEL = 1
MAX_JOB_LEVEL = 20
HR_ADMINS_GROUP = "HR admins"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. E-mail is the identifier; there are no usernames."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    time_zone = models.CharField(
        "time zone",
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Times on pages, in e-mails and in calendar invites are shown in this zone; empty means "
        "the organization's.",
    )

    objects = UserManager()  # type: ignore[assignment,misc]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_hr_admin(self) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        # Cached per request object: navigation and views ask repeatedly.
        if not hasattr(self, "_is_hr_admin"):
            self._is_hr_admin = self.groups.filter(name=HR_ADMINS_GROUP).exists()
        return self._is_hr_admin


class Division(models.Model):
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="division_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["division__name", "name"]
        constraints = [
            models.UniqueConstraint("division", Lower("name"), name="department_name_unique_in_division_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.division.name})"


class PersonQuerySet(models.QuerySet["Person"]):
    def current(self) -> PersonQuerySet:
        """People still employed (active or on leave)."""
        return self.exclude(status=Person.Status.LEFT)

    def with_org(self) -> PersonQuerySet:
        return self.select_related("department__division", "manager")

    def search(self, text: str) -> PersonQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(full_name__icontains=text)
            | Q(email__icontains=text)
            | Q(employee_id__iexact=text)
            | Q(title__icontains=text)
        )


class Person(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_LEAVE = "on_leave", "On leave"
        LEFT = "left", "Left"

    class LeftReason(models.TextChoices):
        VOLUNTARY = "voluntary", "Voluntary"
        INVOLUNTARY = "involuntary", "Involuntary"
        RETIREMENT = "retirement", "Retirement"
        END_OF_CONTRACT = "end_of_contract", "End of contract"
        OTHER = "other", "Other"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    employee_id = models.CharField("employee ID", max_length=64)
    full_name = models.CharField(max_length=200)
    email = models.EmailField("e-mail address")
    title = models.CharField(max_length=200, blank=True)
    job_level = models.PositiveSmallIntegerField(
        help_text=f"{MIN_JOB_LEVEL} (most junior) to {MAX_JOB_LEVEL}."
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="people")
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    location = models.CharField(max_length=120, blank=True)
    hire_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=32, choices=LeftReason.choices, blank=True)
    # Self-identified, optional, and only ever shown as suppressed aggregates.
    gender = models.CharField(max_length=64, blank=True)
    ethnicity = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee_id"], name="person_employee_id_unique"),
            models.UniqueConstraint(Lower("email"), name="person_email_unique_ci"),
            models.CheckConstraint(condition=~Q(manager=F("pk")), name="person_not_own_manager"),
            models.CheckConstraint(
                condition=Q(job_level__gte=MIN_JOB_LEVEL) & Q(job_level__lte=MAX_JOB_LEVEL),
                name="person_job_level_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | Q(left_on__isnull=False),
                name="person_left_has_date",
            ),
        ]
        indexes = [
            # The directory page and the import's re-read order by name and filter by status.
            models.Index(fields=["status", "full_name"], name="person_status_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.pk])

    @property
    def division(self) -> Division:
        return self.department.division

    def tenure_months(self, on: date | None = None) -> int:
        from django.utils import timezone

        on = on or timezone.localdate()
        months = (on.year - self.hire_date.year) * 12 + (on.month - self.hire_date.month)
        if on.day < self.hire_date.day:
            months -= 1
        return max(months, 0)


class PersonnelRecord(models.Model):
    """An entry in a person's personnel file: promotions, certificates, awards, role changes, training."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", "Promotion"
        CERTIFICATE = "certificate", "Certificate"
        AWARD = "award", "Award"
        ROLE_CHANGE = "role_change", "Role change"
        TRAINING = "training", "Training"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    effective_on = models.DateField()
    title = models.CharField(max_length=200)
    job_level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The new job level, for promotions."
    )
    details = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-effective_on", "-pk"]
        constraints = [
            # Makes promotion imports idempotent: one promotion per person per effective date.
            models.UniqueConstraint(
                fields=["person", "effective_on"],
                condition=Q(kind="promotion"),
                name="personnel_record_one_promotion_per_day",
            ),
            models.CheckConstraint(
                condition=Q(job_level__isnull=True)
                | (Q(job_level__gte=MIN_JOB_LEVEL) & Q(job_level__lte=MAX_JOB_LEVEL)),
                name="personnel_record_job_level_in_range",
            ),
        ]
        indexes = [
            # Outcome dashboards count promotions by kind and date.
            models.Index(fields=["kind", "effective_on"], name="record_kind_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.effective_on})"


class DirectoryImportQuerySet(models.QuerySet["DirectoryImport"]):
    def for_list(self) -> DirectoryImportQuerySet:
        """The imports page: counts are columns, so the bytes and the report stay in the database."""
        return self.defer("content", "report", "history").select_related("uploaded_by")


class DirectoryImport(models.Model):
    """One upload of the HR directory (or of promotions): validated, previewed, then applied or discarded.

    Status changes go through ``people.importing`` (an allowed-transitions map, conditional updates); each
    change is appended to ``history``.
    """

    class Kind(models.TextChoices):
        PEOPLE = "people", "People"
        PROMOTIONS = "promotions", "Promotions"

    class Status(models.TextChoices):
        VALIDATING = "validating", "Validating"
        INVALID = "invalid", "Has errors"
        READY = "ready", "Ready to apply"
        APPLYING = "applying", "Applying"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PEOPLE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALIDATING)
    file_name = models.CharField(max_length=255)
    # The uploaded bytes live in the database so that web and worker containers need no shared disk.
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    # Copied from the report so that the list of imports never loads reports.
    row_count = models.PositiveIntegerField(default=0)
    create_count = models.PositiveIntegerField(default=0)
    update_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # Counts, row-level errors and a sample of the changes, as shown on the preview page.
    report = models.JSONField(default=dict, blank=True)
    # Every status change: [{"from", "to", "by", "at", "why"}], oldest first.
    history = models.JSONField(default=list, blank=True)

    objects = DirectoryImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("people:import_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        """Work is under way in the background; the page keeps polling."""
        return self.status in {self.Status.VALIDATING, self.Status.APPLYING}
