"""A cycle is created with the default rubric, moves only along the allowed transitions, every move is
recorded, and it cannot open until its setup is complete."""

import datetime

import pytest

from cohorts.factories import CommitteeMemberFactory, DivisionQuotaFactory, NominationCycleFactory
from cohorts.models import CycleStatusChange, NominationCycle
from cohorts.services import CohortError
from cohorts.services.cycles import (
    ALLOWED_TRANSITIONS,
    DEFAULT_RUBRIC,
    CycleInvalid,
    cycle_create,
    cycle_missing,
    cycle_transition,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
S = NominationCycle.Status

DETAILS = {
    "name": "Master Mentors",
    "year": 2028,
    "nominations_open_on": datetime.date(2026, 11, 25),
    "nominations_close_on": datetime.date(2026, 12, 20),
    "review_due_on": datetime.date(2027, 1, 31),
    "min_job_level": 4,
    "min_tenure_months": 24,
    "min_reviews": 3,
    "near_tie_margin": "0.10",
}


def complete(cycle, department, committee=3):
    DivisionQuotaFactory(cycle=cycle, division=department.division, seats=2)
    for n in range(committee):
        CommitteeMemberFactory(cycle=cycle, person=PersonFactory(department=department), is_chair=n == 0)
    return cycle


def test_a_new_cycle_is_a_draft_with_the_default_rubric_of_eight_weighted_criteria(hr_admin):
    cycle = cycle_create(data=DETAILS, by=hr_admin)
    assert cycle.status == S.DRAFT
    assert cycle.created_by == hr_admin
    criteria = list(cycle.criteria.all())
    assert [c.name for c in criteria] == [name for name, _ in DEFAULT_RUBRIC]
    assert len(criteria) == 8
    assert all(c.weight == 1 and c.description.endswith(".") for c in criteria)
    assert criteria[0].name == "Integrity and trustworthiness"
    assert criteria[-1].name == "Commitment to inclusion"


def test_creating_refuses_bad_details_with_a_message_per_field_and_saves_nothing(hr_admin):
    bad = {
        **DETAILS,
        "name": "  ",
        "year": 1999,
        "min_reviews": 0,
        "near_tie_margin": "-1",
    }
    with pytest.raises(CycleInvalid) as error:
        cycle_create(data=bad, by=hr_admin)
    assert set(error.value.errors) == {"name", "year", "min_reviews", "near_tie_margin"}
    assert not NominationCycle.objects.exists()


def test_dates_out_of_order_are_refused(hr_admin):
    window_backwards = {**DETAILS, "nominations_close_on": datetime.date(2026, 11, 1)}
    with pytest.raises(CycleInvalid, match=r"cannot close .* before they open"):
        cycle_create(data=window_backwards, by=hr_admin)
    review_in_window = {**DETAILS, "review_due_on": datetime.date(2026, 12, 20)}
    with pytest.raises(CycleInvalid, match=r"Reviews must be due .* after the nomination window closes"):
        cycle_create(data=review_in_window, by=hr_admin)
    assert not NominationCycle.objects.exists()


def test_a_second_cycle_with_the_same_name_and_year_is_refused(hr_admin):
    cycle_create(data=DETAILS, by=hr_admin)
    with pytest.raises(CycleInvalid, match="already a cycle called master mentors in 2028"):
        cycle_create(data={**DETAILS, "name": "master mentors"}, by=hr_admin)


def test_only_hr_admins_create_cycles(employee):
    with pytest.raises(CohortError, match="Only HR admins"):
        cycle_create(data=DETAILS, by=employee)


def test_a_blank_draft_lists_everything_it_needs_before_it_can_open(hr_admin):
    cycle = NominationCycleFactory(nominations_open_on=None, nominations_close_on=None, review_due_on=None)
    missing = cycle_missing(cycle)
    assert [m.area for m in missing] == ["details"] * 3 + ["seats", "committee", "committee", "rubric"]
    messages = " ".join(m.message for m in missing)
    assert "Set the day nominations open." in messages
    assert "Give at least one division a seat." in messages
    assert "Choose a chair for the committee." in messages
    assert "at least 3 people, the chair included; it has 0" in messages
    assert "Add at least one criterion to the rubric." in messages


def test_a_committee_without_enough_members_or_seats_of_zero_is_not_enough(hr_admin, department):
    cycle = cycle_create(data=DETAILS, by=hr_admin)
    complete(cycle, department, committee=2)
    cycle.quotas.update(seats=0)
    messages = [m.message for m in cycle_missing(cycle)]
    assert messages == [
        "Give at least one division a seat.",
        "The committee needs at least 3 people, the chair included; it has 2.",
    ]


def test_an_incomplete_draft_cannot_open_and_nothing_is_recorded(hr_admin):
    cycle = cycle_create(data={**DETAILS, "review_due_on": None}, by=hr_admin)
    with pytest.raises(CohortError) as error:
        cycle_transition(cycle=cycle, to=S.OPEN, by=hr_admin)
    message = str(error.value)
    assert message.startswith("The cycle cannot open yet:")
    assert "Set the day reviews are due." in message and "seat" in message and "chair" in message
    assert NominationCycle.objects.get(pk=cycle.pk).status == S.DRAFT
    assert not CycleStatusChange.objects.exists()


def test_a_complete_draft_opens_and_the_move_is_recorded(hr_admin, department):
    cycle = complete(cycle_create(data=DETAILS, by=hr_admin), department)
    cycle_transition(cycle=cycle, to=S.OPEN, by=hr_admin, why="Announced at the town hall")
    cycle.refresh_from_db()
    assert cycle.status == S.OPEN
    change = CycleStatusChange.objects.get(cycle=cycle)
    assert (change.from_status, change.to_status, change.by) == ("draft", "open", hr_admin)
    # Opened before the window starts: the cycle is announced, and the planned dates stand.
    assert cycle.nominations_open_on == datetime.date(2026, 11, 25)
    assert change.why == "Announced at the town hall"


def test_a_window_that_has_already_ended_cannot_open(hr_admin, department):
    past = {
        **DETAILS,
        "nominations_open_on": datetime.date(2026, 10, 1),
        "nominations_close_on": datetime.date(2026, 10, 31),
    }
    cycle = complete(cycle_create(data=past, by=hr_admin), department)
    with pytest.raises(
        CohortError, match="Nominations were to close on 31 October 2026; move that date first"
    ):
        cycle_transition(cycle=cycle, to=S.OPEN, by=hr_admin)


def test_starting_the_review_early_ends_the_window_today(cycle, hr_admin):
    cycle_transition(cycle=cycle, to=S.REVIEWING, by=hr_admin)
    cycle.refresh_from_db()
    assert cycle.status == S.REVIEWING
    assert cycle.nominations_close_on == datetime.date(2026, 11, 20)
    assert "instead of the planned 15 December 2026" in cycle.status_changes.get().why


def test_the_whole_life_is_recorded_in_order(cycle, hr_admin, chair):
    cycle_transition(cycle=cycle, to=S.REVIEWING, by=hr_admin)
    cycle_transition(cycle=cycle, to=S.DECIDED, by=chair, why="Decisions published")
    cycle_transition(cycle=cycle, to=S.CLOSED, by=None)
    changes = list(cycle.status_changes.values_list("from_status", "to_status", "by"))
    assert changes == [
        ("open", "reviewing", hr_admin.pk),
        ("reviewing", "decided", chair.pk),
        ("decided", "closed", None),
    ]


@pytest.mark.parametrize("current", list(S.values))
@pytest.mark.parametrize("target", list(S.values))
def test_only_allowed_transitions_happen(cycle, hr_admin, current, target):
    NominationCycle.objects.filter(pk=cycle.pk).update(status=current)
    cycle.refresh_from_db()
    if target in ALLOWED_TRANSITIONS[current]:
        cycle_transition(cycle=cycle, to=target, by=hr_admin)
        assert NominationCycle.objects.get(pk=cycle.pk).status == target
        assert cycle.status_changes.count() == 1
    else:
        with pytest.raises(CohortError, match="cannot move to"):
            cycle_transition(cycle=cycle, to=target, by=hr_admin)
        assert NominationCycle.objects.get(pk=cycle.pk).status == current
        assert not cycle.status_changes.exists()


def test_an_unknown_status_is_refused(cycle, hr_admin):
    with pytest.raises(CohortError, match="Choose one of the status changes"):
        cycle_transition(cycle=cycle, to="sideways", by=hr_admin)


def test_a_committee_member_who_has_left_must_be_replaced_before_opening(hr_admin, department):
    cycle = complete(cycle_create(data=DETAILS, by=hr_admin), department)
    member = cycle.committee.filter(is_chair=False).first().person
    type(member).objects.filter(pk=member.pk).update(status="left", left_on=datetime.date(2026, 10, 31))
    messages = [m.message for m in cycle_missing(cycle)]
    assert messages == [f"{member.full_name} has left the organization: take them off the committee."]
    with pytest.raises(CohortError, match="has left the organization"):
        cycle_transition(cycle=cycle, to=S.OPEN, by=hr_admin)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_status_change_holds_its_own_transaction_outside_any_request_transaction(hr_admin, department):
    """Views do not run in a transaction; the move locks the cycle (SELECT ... FOR UPDATE), which
    PostgreSQL allows only inside one."""
    cycle = complete(cycle_create(data=DETAILS, by=hr_admin), department)
    cycle_transition(cycle=cycle, to=S.OPEN, by=hr_admin)
    assert NominationCycle.objects.get(pk=cycle.pk).status == S.OPEN
