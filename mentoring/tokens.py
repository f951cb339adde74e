"""Secret tokens for machines and feeds (SCIM clients, the read API, calendar subscriptions).

A token is shown once, when it is made; the database keeps only its SHA-256 digest and its last four
characters (so a list can tell tokens apart). Tokens are 256 random bits, so a fast digest is enough: there
is nothing to guess from it. Revoking keeps the row (who made it, when, last used) for the record.

Each app subclasses ``SecretToken`` with what its tokens grant (programs, a user) and finds a presented
token with ``Model.objects.find(plaintext)``.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

# A used token's ``last_used_at`` is written at most this often, so busy clients do not write on each call.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``plaintext`` is given to its holder once and never stored."""

    plaintext: str
    digest: str
    hint: str


def issue(prefix: str) -> IssuedToken:
    """A new random token such as ``scim_Xr3…``; the prefix tells a leaked token's kind at a glance."""
    plaintext = f"{prefix}_{secrets.token_urlsafe(32)}"
    return IssuedToken(plaintext=plaintext, digest=digest(plaintext), hint=plaintext[-4:])


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class SecretTokenQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)

    def find(self, plaintext: str | None) -> Any:
        """The active token whose digest matches ``plaintext``, or None (never says which part was wrong)."""
        if not plaintext or len(plaintext) > 200:
            return None
        wanted = digest(plaintext)
        token = self.active().filter(digest=wanted).first()
        # The lookup is by digest; compare again in constant time so a timing difference says nothing.
        if token is None or not hmac.compare_digest(token.digest, wanted):
            return None
        return token


class SecretToken(models.Model):
    name = models.CharField(max_length=120, help_text="What the token is for, e.g. “Okta provisioning”.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=4, editable=False, help_text="The token's last four characters.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SecretTokenQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (…{self.hint})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def set_secret(self, issued: IssuedToken) -> None:
        self.digest = issued.digest
        self.hint = issued.hint

    def revoke(self, *, by: Any = None) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self.save(update_fields=["revoked_at", "revoked_by"])

    def mark_used(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
