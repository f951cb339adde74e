"""Personal calendar feeds: a secret address per login from which a calendar (Outlook, Google Calendar,
Apple Calendar) reads the person's mentoring sessions and Master Mentor cohort events.

The address's token is a ``mentoring.tokens.SecretToken``: shown once, stored as a digest. A login has at
most one working address; replacing or turning it off revokes the old one at once, and the revoked rows stay
for the record (when made, last used, when it stopped working).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentoring.tokens import SecretToken

# The kind of secret at a glance, should an address ever be pasted where it should not be.
TOKEN_PREFIX = "cal"  # noqa: S105 - a label, not a secret


class CalendarFeed(SecretToken):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )

    class Meta(SecretToken.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar address of {self.user_id} (…{self.hint})"
