"""The dashboards' organization-wide settings. Everything else the dashboards show is read from the other
apps; nothing imports ``outcomes``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

DEFAULT_MIN_GROUP_SIZE = 5
# HR may raise the threshold, never lower it under this: a group of two is one person and their partner.
LOWEST_MIN_GROUP_SIZE = 3


class OutcomeSettings(models.Model):
    """One row (pk=1): the smallest group a dashboard may describe, and the cost HR compares with."""

    min_group_size = models.PositiveSmallIntegerField(
        "smallest group shown",
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(LOWEST_MIN_GROUP_SIZE), MaxValueValidator(100)],
        help_text=f"Figures about fewer people than this are suppressed (at least {LOWEST_MIN_GROUP_SIZE}).",
    )
    external_hire_cost = models.DecimalField(
        "cost of an external hire",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="What filling a role from outside costs (recruiting, onboarding, lost productivity).",
    )
    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. USD or EUR.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "outcome settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=LOWEST_MIN_GROUP_SIZE),
                name="outcome_min_group_size_at_least_3",
            ),
            models.CheckConstraint(
                condition=Q(external_hire_cost__isnull=True) | Q(external_hire_cost__gte=0),
                name="outcome_external_hire_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome settings (groups of at least {self.min_group_size})"

    @classmethod
    def load(cls) -> OutcomeSettings:
        """The saved settings; until HR saves any, the deployment's MIN_GROUP_SIZE (never under 3)."""
        found = cls.objects.filter(pk=1).first()
        if found is not None:
            return found
        return cls(pk=1, min_group_size=max(settings.MIN_GROUP_SIZE, LOWEST_MIN_GROUP_SIZE))
