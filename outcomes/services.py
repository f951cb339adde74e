"""The one write the outcomes app makes: its organization-wide settings."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from people.models import User

from .models import LOWEST_MIN_GROUP_SIZE, OutcomeSettings


class OutcomeSettingsError(ValueError):
    pass


@transaction.atomic
def outcome_settings_update(
    *, by: User, min_group_size: int, external_hire_cost: Decimal | None, currency: str
) -> OutcomeSettings:
    if min_group_size < LOWEST_MIN_GROUP_SIZE:
        raise OutcomeSettingsError(
            f"The smallest group shown cannot be under {LOWEST_MIN_GROUP_SIZE}: "
            "smaller groups single people out."
        )
    if external_hire_cost is not None and external_hire_cost < 0:
        raise OutcomeSettingsError("The cost of an external hire cannot be negative.")
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise OutcomeSettingsError("Give the currency as a three-letter code, such as USD or EUR.")
    found, _created = OutcomeSettings.objects.select_for_update().get_or_create(pk=1)
    found.min_group_size = min_group_size
    found.external_hire_cost = external_hire_cost
    found.currency = currency
    found.updated_by = by
    found.save()
    return found
