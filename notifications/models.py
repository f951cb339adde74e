"""Notifications, in the app and by e-mail. Each is recorded once per (recipient, kind, key), so a job that
runs twice, or a button pressed twice, never sends the same reminder twice."""

from __future__ import annotations

from django.db import models

from people.models import Person


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200, help_text="What makes this notification unique for its kind.")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True, help_text="Where the recipient acts on it.")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            # The bell counts a person's unread notifications on every page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient}: {self.subject}"


class NotificationSettings(models.Model):
    """How a person wants their notifications e-mailed: each as it happens, in a weekly digest, or not at
    all; and which categories (``notifications.kinds``) they do not want by e-mail. Without a row, each
    notification is e-mailed as it happens."""

    class Email(models.TextChoices):
        EACH = "each", "Each one as it happens"
        DIGEST = "digest", "A weekly digest (Monday morning)"
        OFF = "off", "No e-mail: the notification centre only"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="notification_settings")
    email = models.CharField(max_length=8, choices=Email.choices, default=Email.EACH)
    muted = models.JSONField(default=list, blank=True, help_text="Categories never e-mailed.")
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"{self.person}: {self.get_email_display()}"


class JobRun(models.Model):
    """One run of a scheduled job (a task of the beat schedule), for the HR admins' operations page."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    name = models.CharField(max_length=100)
    task_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(null=True, blank=True, help_text="What the job reported sending.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started_idx")]

    def __str__(self) -> str:
        return f"{self.name} at {self.started_at:%Y-%m-%d %H:%M}: {self.status}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
