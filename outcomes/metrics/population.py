"""The people a dashboard covers, and whether a filtered selection may be shown at all.

A selection (say, one division) is withheld when it covers fewer than K people, or when, among the sibling
selections of the same filter (the other divisions), complementary suppression would hide it: otherwise
its figures could be worked out by subtracting the shown siblings from the unfiltered view. The equity
tables hide rows by the same function over the same counts, so pages and filters always agree.
"""

from __future__ import annotations

from django.db.models import Case, CharField, Count, F, QuerySet, Value, When

from programs.models import Participant

from ..filters import LEVEL_BANDS, Filters
from ..tables import complementary

NOT_IN_COHORT = "rest"


def people_count(participants: QuerySet[Participant]) -> int:
    return participants.values("person").distinct().count()


def level_band_expression(field: str = "person__job_level") -> Case:
    return Case(
        *[
            When(**{f"{field}__gte": low, f"{field}__lte": high}, then=Value(key))
            for key, _l, low, high in LEVEL_BANDS
        ],
        default=Value(""),
        output_field=CharField(),
    )


def sizes_by(participants: QuerySet[Participant], dimension: str) -> dict[str, int]:
    """People per value of ``dimension`` (division, level, department, gender, ethnicity)."""
    rows: QuerySet
    if dimension == "level":
        rows = participants.annotate(key=level_band_expression()).values("key")
    else:
        field = {
            "division": "person__department__division",
            "department": "person__department",
            "gender": "person__gender",
            "ethnicity": "person__ethnicity",
        }[dimension]
        rows = participants.values(key=F(field))
    return {
        str(row["key"] if row["key"] is not None else ""): row["n"]
        for row in rows.annotate(n=Count("person", distinct=True)).order_by()
    }


def hidden_members(sizes: dict[str, int], k: int) -> set[str]:
    """The members of a partition that complementary suppression hides."""
    keys = list(sizes)
    values = [sizes[key] for key in keys]
    hidden = complementary(list[int | None](values), [0 < value < k for value in values], k)
    return {key for key, flag in zip(keys, hidden, strict=True) if flag}


def withheld_reason(base: QuerySet[Participant], filters: Filters, k: int) -> str:
    """Why the filtered selection of ``base`` (participants before people filters) cannot be shown, or ""."""
    if not filters.people_filters:
        return ""
    selected = people_count(base.filter(filters.participant_q()))
    if 0 < selected < k:
        return f"This selection covers fewer than {k} people, so its figures are not shown."
    for dimension in filters.people_filters:
        relaxed = base.filter(filters.without(dimension).participant_q())
        if dimension == "cohort":
            rest = people_count(relaxed) - selected
            sizes = {"selected": selected, NOT_IN_COHORT: rest}
            chosen = "selected"
        else:
            sizes = sizes_by(relaxed, dimension)
            value = filters.division.pk if dimension == "division" and filters.division else filters.level
            chosen = str(value)
            sizes.setdefault(chosen, 0)
        if chosen in hidden_members(sizes, k):
            return (
                f"This selection could be worked out from other {dimension} selections and would then show "
                f"a group of fewer than {k} people, so its figures are not shown. Widen the selection."
            )
    return ""
