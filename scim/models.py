"""SCIM provisioning: the identity provider's tokens, its record of each provisioned person, and a log of
what it changed.

A ``ScimUser`` is SCIM's view of a ``people.Person``: the id the identity provider knows (a UUID, new each
time a person is provisioned again after a DELETE), its ``externalId``, the name parts it sent, and whether
it has been deprovisioned. The person and their history stay in the directory whatever SCIM does.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from mentoring.tokens import SecretToken
from people.models import Person


class ScimToken(SecretToken):
    """A bearer token an identity provider (Okta, Microsoft Entra ID) provisions users with."""

    class Meta(SecretToken.Meta):
        verbose_name = "SCIM token"


class ScimUserQuerySet(models.QuerySet["ScimUser"]):
    def provisioned(self) -> ScimUserQuerySet:
        """Users SCIM still serves: not deprovisioned by a DELETE."""
        return self.filter(deprovisioned_at__isnull=True)

    def with_person(self) -> ScimUserQuerySet:
        return self.select_related("person__user", "person__department__division", "person__manager__scim")


class ScimUser(models.Model):
    scim_id = models.UUIDField("SCIM id", default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="scim")
    user_name = models.CharField("userName", max_length=254)
    external_id = models.CharField("externalId", max_length=255, blank=True)
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    # name.formatted as sent (returned as sent); the person's full name is displayName, else this.
    formatted_name = models.CharField("name.formatted", max_length=200, blank=True)
    # displayName as sent (returned as sent); the person's full name comes from it when given.
    display_name = models.CharField("displayName", max_length=200, blank=True)
    # The e-mail addresses as the identity provider sent them ([{"value", "type", "primary"}]), as
    # returned; ``ScimEmail`` rows hold the same addresses for filters. The sign-in address is the
    # person's e-mail (see ``services.sign_in_address``).
    emails = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    # Incremented on every change; meta.version is the weak ETag W/"<version>".
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    provisioned_at = models.DateTimeField(help_text="When this SCIM id was issued.")
    deprovisioned_at = models.DateTimeField(null=True, blank=True)

    objects = ScimUserQuerySet.as_manager()

    class Meta:
        ordering = ["provisioned_at", "pk"]
        verbose_name = "SCIM user"
        constraints = [
            # One provisioned user per sign-in address; a deprovisioned one may come back.
            models.UniqueConstraint(
                Lower("user_name"),
                condition=Q(deprovisioned_at__isnull=True),
                name="scim_user_user_name_unique_ci",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_name} ({self.scim_id})"

    @property
    def etag(self) -> str:
        return f'W/"{self.version}"'


class ScimEmail(models.Model):
    """One of a provisioned user's e-mail addresses, as a row, so filters such as
    ``emails[type eq "work" and value co "@example.com"]`` select on it (any address of the user matches)."""

    scim_user = models.ForeignKey(ScimUser, on_delete=models.CASCADE, related_name="email_rows")
    value = models.CharField(max_length=254)
    type = models.CharField(max_length=32, blank=True)
    primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["scim_user", "pk"]
        verbose_name = "SCIM e-mail address"
        indexes = [models.Index(Lower("value"), name="scim_email_value_ci_idx")]

    def __str__(self) -> str:
        return self.value


class ScimEvent(models.Model):
    """What the identity provider changed, for HR to read: when, with which token, what, on whom.

    Only attribute names are recorded, never values or other free text.
    """

    class Operation(models.TextChoices):
        CREATE = "create", "Provisioned"
        ADOPT = "adopt", "Linked to an existing person"
        RESTORE = "restore", "Provisioned again"
        REPLACE = "replace", "Replaced (PUT)"
        PATCH = "patch", "Updated (PATCH)"
        DEACTIVATE = "deactivate", "Deactivated"
        REACTIVATE = "reactivate", "Reactivated"
        DELETE = "delete", "Deprovisioned (DELETE)"

    at = models.DateTimeField(auto_now_add=True)
    token = models.ForeignKey(ScimToken, on_delete=models.SET_NULL, null=True, related_name="events")
    operation = models.CharField(max_length=16, choices=Operation.choices)
    scim_id = models.UUIDField("SCIM id")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    fields = models.JSONField(default=list, blank=True, help_text="Names of the attributes changed.")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # The token list page shows the latest events.
            models.Index(fields=["-at"], name="scim_event_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.scim_id} at {self.at:%Y-%m-%d %H:%M}"
