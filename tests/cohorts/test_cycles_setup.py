"""Setting a cycle up: details, seats per division, the committee (exactly one chair) and the rubric, each
refused with a clear message that changes nothing when a rule is broken; and "start next cycle"."""

import datetime
from decimal import Decimal

import pytest

from cohorts.factories import CommitteeMemberFactory, CriterionFactory, NominationCycleFactory
from cohorts.models import CommitteeMember, Criterion, DivisionQuota, NominationCycle
from cohorts.services import CohortError
from cohorts.services.cycles import (
    CycleInvalid,
    committee_add,
    committee_remove,
    committee_set_chair,
    criteria_reorder,
    criterion_add,
    criterion_remove,
    criterion_update,
    cycle_start_next,
    cycle_update,
    quotas_update,
)
from people.models import Person
from tests.factories import DivisionFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = NominationCycle.Status


@pytest.fixture
def draft(db):
    return NominationCycleFactory(name="Draft cycle", year=2028)


def set_status(cycle, status):
    NominationCycle.objects.filter(pk=cycle.pk).update(status=status)
    cycle.refresh_from_db()
    return cycle


# --- details -------------------------------------------------------------------------------------------


def test_an_open_cycle_keeps_its_dates_set(cycle, hr_admin):
    with pytest.raises(CycleInvalid) as error:
        cycle_update(cycle=cycle, data={"review_due_on": None}, by=hr_admin)
    assert error.value.errors == {
        "review_due_on": ["Reviews due on cannot be left empty once the cycle has opened."]
    }
    cycle.refresh_from_db()
    assert cycle.review_due_on == datetime.date(2027, 1, 31)


def test_while_reviewing_only_the_deadline_and_ranking_settings_change(cycle, hr_admin):
    set_status(cycle, S.REVIEWING)
    cycle_update(
        cycle=cycle,
        data={
            "review_due_on": datetime.date(2027, 2, 14),
            "min_reviews": 2,
            "near_tie_margin": Decimal("0.2"),
        },
        by=hr_admin,
    )
    cycle.refresh_from_db()
    assert (cycle.review_due_on, cycle.min_reviews, cycle.near_tie_margin) == (
        datetime.date(2027, 2, 14),
        2,
        Decimal("0.20"),
    )
    with pytest.raises(
        CycleInvalid, match="Lowest job level cannot change while the cycle is committee reviewing"
    ):
        cycle_update(cycle=cycle, data={"min_job_level": 5}, by=hr_admin)
    set_status(cycle, S.DECIDED)
    with pytest.raises(CohortError, match="its details are fixed now"):
        cycle_update(cycle=cycle, data={"min_reviews": 4}, by=hr_admin)


def test_renaming_into_an_existing_name_and_year_is_refused(cycle, draft, hr_admin):
    with pytest.raises(CycleInvalid, match="already a cycle called Master Mentors in 2027"):
        cycle_update(cycle=draft, data={"name": "Master Mentors", "year": 2027}, by=hr_admin)


# --- seats -----------------------------------------------------------------------------------------------


def test_every_division_can_get_seats_and_an_empty_value_removes_the_quota(draft, hr_admin, department):
    research = DivisionFactory(name="Research")
    quotas_update(cycle=draft, seats={department.division.pk: 3, research.pk: 0}, by=hr_admin)
    assert dict(draft.quotas.values_list("division__name", "seats")) == {
        "Clinical Services": 3,
        "Research": 0,
    }
    quotas_update(cycle=draft, seats={department.division.pk: 4, research.pk: None}, by=hr_admin)
    assert dict(draft.quotas.values_list("division__name", "seats")) == {"Clinical Services": 4}


def test_negative_seats_or_unknown_divisions_are_refused_and_nothing_changes(draft, hr_admin, department):
    division = department.division
    with pytest.raises(CycleInvalid) as error:
        quotas_update(cycle=draft, seats={division.pk: -1}, by=hr_admin)
    assert error.value.errors == {
        f"seats_{division.pk}": ["Seats for Clinical Services must be between 0 and 500; it was -1."]
    }
    with pytest.raises(CycleInvalid, match="Some of the divisions no longer exist"):
        quotas_update(cycle=draft, seats={division.pk: 2, 999999: 1}, by=hr_admin)
    assert not DivisionQuota.objects.filter(cycle=draft).exists()


def test_an_open_cycle_keeps_at_least_one_seat(cycle, hr_admin, department):
    with pytest.raises(CycleInvalid, match="An open cycle needs at least one division with a seat"):
        quotas_update(cycle=cycle, seats={department.division.pk: 0}, by=hr_admin)
    assert cycle.quotas.get().seats == 2


def test_seats_are_fixed_once_the_review_starts(cycle, hr_admin, department):
    set_status(cycle, S.REVIEWING)
    with pytest.raises(CohortError, match="the seats can no longer change once the committee has started"):
        quotas_update(cycle=cycle, seats={department.division.pk: 5}, by=hr_admin)
    assert cycle.quotas.get().seats == 2


# --- committee -------------------------------------------------------------------------------------------


def test_a_committee_has_exactly_one_chair(draft, hr_admin):
    first, second = PersonFactory(), PersonFactory()
    committee_add(cycle=draft, person=first, chair=True, by=hr_admin)
    member = committee_add(cycle=draft, person=second, by=hr_admin)
    committee_set_chair(member=member, by=hr_admin)
    assert list(draft.committee.filter(is_chair=True).values_list("person", flat=True)) == [second.pk]
    third = committee_add(cycle=draft, person=PersonFactory(), chair=True, by=hr_admin)
    assert list(draft.committee.filter(is_chair=True)) == [third]
    assert draft.committee.count() == 3


def test_nobody_sits_twice_and_leavers_cannot_join(draft, hr_admin):
    person = PersonFactory()
    committee_add(cycle=draft, person=person, by=hr_admin)
    with pytest.raises(CohortError, match="is already on the committee"):
        committee_add(cycle=draft, person=person, by=hr_admin)
    leaver = PersonFactory(status=Person.Status.LEFT, left_on=datetime.date(2026, 1, 31))
    with pytest.raises(CohortError, match="Only people who still work here"):
        committee_add(cycle=draft, person=leaver, by=hr_admin)
    assert draft.committee.count() == 1


def test_an_open_cycle_keeps_its_chair_and_its_minimum_size(cycle, hr_admin, chair, reviewer):
    chair_seat = cycle.committee.get(person=chair.person)
    with pytest.raises(
        CohortError, match="chairs the committee of an open cycle: make someone else chair first"
    ):
        committee_remove(member=chair_seat, by=hr_admin)
    seat = cycle.committee.get(person=reviewer.person)
    with pytest.raises(CohortError, match="An open cycle needs a committee of at least 3"):
        committee_remove(member=seat, by=hr_admin)
    committee_add(cycle=cycle, person=PersonFactory(), by=hr_admin)
    committee_remove(member=seat, by=hr_admin)
    assert cycle.committee.count() == 3


def test_a_draft_may_lose_its_chair_and_says_so(draft, hr_admin):
    member = CommitteeMemberFactory(cycle=draft, is_chair=True)
    committee_remove(member=member, by=hr_admin)
    assert not draft.committee.exists()


def test_the_committee_is_fixed_once_the_review_starts(cycle, hr_admin, reviewer):
    set_status(cycle, S.REVIEWING)
    with pytest.raises(CohortError, match="the committee can no longer change"):
        committee_add(cycle=cycle, person=PersonFactory(), by=hr_admin)
    with pytest.raises(CohortError, match="the committee can no longer change"):
        committee_set_chair(member=cycle.committee.get(person=reviewer.person), by=hr_admin)
    assert cycle.committee.count() == 3


def test_only_hr_admins_change_the_committee(draft, employee):
    with pytest.raises(CohortError, match="Only HR admins"):
        committee_add(cycle=draft, person=PersonFactory(), by=employee)
    assert not CommitteeMember.objects.exists()


# --- rubric -----------------------------------------------------------------------------------------------


def test_criteria_are_added_edited_reordered_and_removed_in_a_draft(draft, hr_admin):
    a = criterion_add(
        cycle=draft, data={"name": "Integrity", "description": "Keeps their word.", "weight": 2}, by=hr_admin
    )
    b = criterion_add(cycle=draft, data={"name": "Listening", "description": "", "weight": 1}, by=hr_admin)
    assert (a.order, b.order) == (0, 1)
    criterion_update(
        criterion=b,
        data={"name": "Generous listening", "description": "Listens first.", "weight": 3},
        by=hr_admin,
    )
    criteria_reorder(cycle=draft, ordered_ids=[str(b.pk), str(a.pk)], by=hr_admin)
    assert list(draft.criteria.values_list("name", "weight")) == [("Generous listening", 3), ("Integrity", 2)]
    criterion_remove(criterion=a, by=hr_admin)
    assert list(draft.criteria.values_list("name", flat=True)) == ["Generous listening"]


def test_bad_criteria_are_refused_with_a_message_per_field(draft, hr_admin):
    CriterionFactory(cycle=draft, name="Integrity")
    with pytest.raises(CycleInvalid) as error:
        criterion_add(
            cycle=draft, data={"name": "integrity", "description": "x" * 1001, "weight": 11}, by=hr_admin
        )
    assert error.value.errors == {
        "name": ["The rubric already has a criterion called integrity."],
        "description": ["The description is too long: at most 1000 characters."],
        "weight": ["The weight must be between 1 and 10; it was 11."],
    }
    assert draft.criteria.count() == 1


def test_a_reorder_must_name_every_criterion_once(draft, hr_admin):
    a, b = CriterionFactory(cycle=draft), CriterionFactory(cycle=draft)
    for ids in ([a.pk], [a.pk, a.pk], [a.pk, b.pk, 999], ["x", a.pk]):
        with pytest.raises(CohortError):
            criteria_reorder(cycle=draft, ordered_ids=ids, by=hr_admin)
    assert list(draft.criteria.values_list("pk", flat=True)) == [a.pk, b.pk]


def test_the_rubric_is_fixed_once_nominations_open_and_frozen_during_review(cycle, hr_admin):
    criterion = cycle.criteria.first()
    with pytest.raises(CohortError, match="The rubric is fixed once nominations open"):
        criterion_add(cycle=cycle, data={"name": "New", "description": "", "weight": 1}, by=hr_admin)
    set_status(cycle, S.REVIEWING)
    for attempt in (
        lambda: criterion_update(criterion=criterion, data={"name": "Changed", "weight": 1}, by=hr_admin),
        lambda: criterion_remove(criterion=criterion, by=hr_admin),
        lambda: criteria_reorder(cycle=cycle, ordered_ids=[], by=hr_admin),
    ):
        with pytest.raises(CohortError, match="The rubric is frozen"):
            attempt()
    assert list(Criterion.objects.filter(cycle=cycle).values_list("name", "weight")) == [
        ("Integrity and trustworthiness", 2),
        ("Generous listening and communication", 1),
    ]


# --- start next cycle -------------------------------------------------------------------------------------


def test_start_next_cycle_copies_rubric_seats_and_committee_into_a_draft(cycle, hr_admin, chair, reviewer):
    cycle.min_reviews = 2
    cycle.save(update_fields=["min_reviews"])
    new = cycle_start_next(cycle=cycle, by=hr_admin)
    assert (new.name, new.year, new.status, new.previous) == ("Master Mentors", 2028, S.DRAFT, cycle)
    assert (new.nominations_open_on, new.nominations_close_on, new.review_due_on) == (None, None, None)
    assert (new.min_job_level, new.min_tenure_months, new.min_reviews) == (3, 24, 2)
    assert list(new.criteria.values_list("name", "weight", "description")) == list(
        cycle.criteria.values_list("name", "weight", "description")
    )
    assert list(new.quotas.values_list("division", "seats")) == list(
        cycle.quotas.values_list("division", "seats")
    )
    assert set(new.committee.values_list("person", "is_chair")) == set(
        cycle.committee.values_list("person", "is_chair")
    )
    assert new.committee.get(is_chair=True).person == chair.person
    # The original is untouched.
    assert cycle.criteria.count() == 2 and cycle.committee.count() == 3


def test_start_next_cycle_refuses_a_duplicate(cycle, hr_admin):
    cycle_start_next(cycle=cycle, by=hr_admin)
    with pytest.raises(CohortError, match="There is already a cycle called Master Mentors in 2028"):
        cycle_start_next(cycle=cycle, by=hr_admin)
    assert NominationCycle.objects.filter(year=2028).count() == 1


def test_people_who_have_left_are_not_copied_to_next_years_committee(cycle, hr_admin, reviewer):
    Person.objects.filter(pk=reviewer.person.pk).update(
        status=Person.Status.LEFT, left_on=datetime.date(2026, 10, 31)
    )
    new = cycle_start_next(cycle=cycle, by=hr_admin)
    assert new.committee.count() == 2
    assert not new.committee.filter(person=reviewer.person).exists()


def test_an_open_window_cannot_start_later_or_end_in_the_past(cycle, hr_admin):
    with pytest.raises(CycleInvalid) as error:
        cycle_update(
            cycle=cycle,
            data={
                "nominations_open_on": datetime.date(2026, 11, 25),
                "nominations_close_on": datetime.date(2026, 11, 26),
            },
            by=hr_admin,
        )
    assert error.value.errors == {
        "nominations_open_on": [
            "Nominations are already being accepted: the window cannot start later than today."
        ]
    }
    with pytest.raises(CycleInvalid, match="The window cannot close in the past"):
        cycle_update(cycle=cycle, data={"nominations_close_on": datetime.date(2026, 11, 19)}, by=hr_admin)
    cycle_update(cycle=cycle, data={"nominations_close_on": datetime.date(2026, 12, 31)}, by=hr_admin)
    cycle.refresh_from_db()
    assert (cycle.nominations_open_on, cycle.nominations_close_on) == (
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 31),
    )
