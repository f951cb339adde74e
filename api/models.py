"""Tokens of the read API: what a BI tool presents to read a program's suppressed aggregates."""

from __future__ import annotations

from django.db import models

from mentoring.tokens import SecretToken
from programs.models import Program

# A leaked token says what it is at a glance (and secret scanners can look for the prefix).
TOKEN_PREFIX = "mapi"  # noqa: S105 - a prefix, not a secret


class ApiToken(SecretToken):
    """A bearer token for the read API. It reads the aggregates of ``programs`` only, and the Master Mentor
    cycles and cohorts when ``master_mentors`` is set; never anything about one person."""

    programs = models.ManyToManyField(
        Program,
        blank=True,
        related_name="api_tokens",
        help_text="The programs whose configuration and aggregate figures the token may read.",
    )
    master_mentors = models.BooleanField(
        "Master Mentor results",
        default=False,
        help_text="Also read the Master Mentor cycles and cohorts (aggregate figures only).",
    )

    class Meta(SecretToken.Meta):
        verbose_name = "API token"
        verbose_name_plural = "API tokens"
