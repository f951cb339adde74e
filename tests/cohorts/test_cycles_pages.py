"""The HR admin's cycle pages over HTTP: access, the list, creation, the overview with its status buttons,
history, counts and what is missing, the details, seats, committee and rubric pages, and "start next
cycle"; each page runs a bounded number of queries."""

import pytest
from django.urls import reverse

from cohorts.factories import (
    CandidacyFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    DivisionQuotaFactory,
    EndorsementFactory,
    NominationCycleFactory,
    NominationFactory,
    ReviewFactory,
)
from cohorts.models import Candidacy, CommitteeMember, NominationCycle
from tests.factories import DivisionFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = NominationCycle.Status

CREATE = {
    "name": "Master Mentors",
    "year": "2028",
    "nominations_open_on": "2026-11-25",
    "nominations_close_on": "2026-12-20",
    "review_due_on": "2027-01-31",
    "min_job_level": "4",
    "min_tenure_months": "24",
    "min_reviews": "3",
    "near_tie_margin": "0.10",
}


def url(name, cycle, *args):
    return reverse(f"cohorts:{name}", args=[cycle.pk, *args])


def set_status(cycle, status):
    NominationCycle.objects.filter(pk=cycle.pk).update(status=status)
    cycle.refresh_from_db()
    return cycle


# --- access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "outsider", "chair"])
def test_the_list_and_creation_are_for_hr_admins_only(client, request, persona, cycle):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("cohorts:cycle_list")).status_code == 403
    assert client.get(reverse("cohorts:cycle_create")).status_code == 403
    assert client.post(reverse("cohorts:cycle_create"), CREATE).status_code == 403
    assert NominationCycle.objects.count() == 1


@pytest.mark.parametrize("persona", ["employee", "outsider", "chair"])
def test_a_cycles_setup_pages_do_not_exist_for_anyone_but_hr_admins(client, request, persona, cycle):
    client.force_login(request.getfixturevalue(persona))
    member = cycle.committee.first()
    criterion = cycle.criteria.first()
    for name in ("cycle_detail", "cycle_edit", "cycle_seats", "cycle_committee", "cycle_rubric"):
        assert client.get(url(name, cycle)).status_code == 404
        assert client.post(url(name, cycle), {}).status_code == 404
    posts = [
        (url("cycle_transition", cycle), {"to": "reviewing"}),
        (url("cycle_start_next", cycle), {}),
        (url("committee_remove", cycle, member.pk), {}),
        (url("committee_chair", cycle, member.pk), {}),
        (url("criterion_edit", cycle, criterion.pk), {"name": "x", "weight": 1}),
        (url("criterion_remove", cycle, criterion.pk), {}),
        (url("criteria_reorder", cycle), {"ids": []}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code == 404
    cycle.refresh_from_db()
    assert cycle.status == S.OPEN
    assert NominationCycle.objects.count() == 1
    assert cycle.committee.count() == 3 and cycle.criteria.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, cycle):
    response = client.get(url("cycle_detail", cycle))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_objects_of_another_cycle_are_not_found(client, hr_admin, cycle):
    other = NominationCycleFactory(name="Other")
    member = CommitteeMemberFactory(cycle=other)
    criterion = CriterionFactory(cycle=other)
    client.force_login(hr_admin)
    assert client.post(url("committee_remove", cycle, member.pk)).status_code == 404
    assert client.post(url("criterion_remove", cycle, criterion.pk)).status_code == 404
    assert CommitteeMember.objects.filter(pk=member.pk).exists()


def test_hr_admins_find_the_cycles_in_the_hr_menu(client, hr_admin, employee):
    client.force_login(hr_admin)
    content = client.get(reverse("cohorts:cycle_list")).content.decode()
    assert f'href="{reverse("cohorts:cycle_list")}" aria-current="page">Master Mentor cycles' in content
    client.force_login(employee)
    assert "Master Mentor cycles" not in client.get(reverse("home")).content.decode()


# --- list and creation ------------------------------------------------------------------------------------


def test_the_list_shows_each_cycle_with_its_status_seats_and_candidates(client, hr_admin, cycle):
    CandidacyFactory.create_batch(2, cycle=cycle)
    NominationCycleFactory(name="Master Mentors", year=2026, status=S.CLOSED)
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:cycle_list"))
    rows = [(c.name, c.year, c.seat_count, c.candidacy_count) for c in response.context["page"]]
    assert rows == [("Master Mentors", 2027, 2, 2), ("Master Mentors", 2026, 0, 0)]
    content = response.content.decode()
    assert "Open for nominations" in content and "Closed" in content


def test_an_empty_list_explains_cycles_and_offers_the_first_one(client, hr_admin):
    client.force_login(hr_admin)
    content = client.get(reverse("cohorts:cycle_list")).content.decode()
    assert "No cycles yet" in content
    assert "Set up the first cycle" in content


def test_creating_a_cycle_ships_the_default_rubric_and_shows_what_is_missing(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("cohorts:cycle_create"), CREATE, follow=True)
    cycle = NominationCycle.objects.get()
    assert response.redirect_chain[-1][0] == url("cycle_detail", cycle)
    assert cycle.status == S.DRAFT and cycle.criteria.count() == 8
    content = response.content.decode()
    assert "was created as a draft with the default rubric" in content
    assert "Before nominations can open" in content
    assert (
        f'Give at least one division a seat. <a href="{url("cycle_seats", cycle)}">Fix in Seats</a>'
        in content
    )
    assert f'<a href="{url("cycle_committee", cycle)}">Fix in Committee</a>' in content
    assert 'value="open" class="btn btn-primary" disabled aria-describedby="missing-heading"' in content
    assert "Judgement about boundaries and confidentiality" in content


def test_bad_details_are_shown_with_their_messages_and_nothing_is_lost(client, hr_admin):
    client.force_login(hr_admin)
    data = {**CREATE, "nominations_close_on": "2026-11-01", "min_reviews": "0"}
    response = client.post(reverse("cohorts:cycle_create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Reviews needed per candidate must be between 1 and 20." in content
    assert 'value="2026-11-01"' in content and 'value="Master Mentors"' in content
    response = client.post(reverse("cohorts:cycle_create"), {**data, "min_reviews": "3"})
    assert "Nominations cannot close (2026-11-01) before they open (2026-11-25)." in response.content.decode()
    assert not NominationCycle.objects.exists()


# --- overview and status --------------------------------------------------------------------------------


def test_the_overview_shows_status_dates_setup_and_counts(client, hr_admin, cycle, department):
    candidacy = CandidacyFactory(cycle=cycle, status=Candidacy.Status.ACCEPTED)
    CandidacyFactory(cycle=cycle, status=Candidacy.Status.DECLINED)
    NominationFactory(candidacy=candidacy)
    EndorsementFactory.create_batch(3, cycle=cycle, person=candidacy.person)
    ReviewFactory(candidacy=candidacy, reviewer=PersonFactory(), submitted_at="2026-11-19T10:00:00Z")
    client.force_login(hr_admin)
    response = client.get(url("cycle_detail", cycle))
    counts = response.context["counts"]
    assert counts["endorsements"] == 3 and counts["endorsed_people"] == 1 and counts["nominations"] == 1
    assert counts["candidacies"]["accepted"] == 1 and counts["candidacies"]["declined"] == 1
    assert counts["reviews"]["submitted"] == 1
    content = response.content.decode()
    assert "Open: employees endorse colleagues" in content
    assert '<time datetime="2026-12-15">15 Dec 2026</time>' in content
    assert "Clinical Services" in content and "Chair" in content
    assert "Integrity and trustworthiness</strong> (weight 2)" in content
    assert "Close nominations and start the review" in content
    assert response.context["missing"] == []


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        ("draft", {"open"}),
        ("open", {"reviewing"}),
        ("reviewing", set()),
        ("decided", {"closed"}),
        ("closed", set()),
    ],
)
def test_hr_admins_get_buttons_for_their_moves_only(client, hr_admin, cycle, status, buttons):
    set_status(cycle, status)
    client.force_login(hr_admin)
    response = client.get(url("cycle_detail", cycle))
    assert {t["to"] for t in response.context["transitions"]} == buttons


def test_starting_the_review_is_recorded_with_who_and_why(client, hr_admin, cycle):
    client.force_login(hr_admin)
    response = client.post(
        url("cycle_transition", cycle), {"to": "reviewing", "why": "Window done"}, follow=True
    )
    cycle.refresh_from_db()
    assert cycle.status == S.REVIEWING
    content = response.content.decode()
    assert "Nominations to Master Mentors (2027) are closed and the committee review has started." in content
    assert "Open for nominations → Committee reviewing" in content
    assert "Window done" in content and hr_admin.person.full_name in content


def test_hr_admins_cannot_publish_decisions_with_a_crafted_post(client, hr_admin, cycle):
    set_status(cycle, S.REVIEWING)
    client.force_login(hr_admin)
    content = client.post(url("cycle_transition", cycle), {"to": "decided"}, follow=True).content.decode()
    assert "Decisions are published by the chair of the committee" in content
    content = client.post(url("cycle_transition", cycle), {"to": "draft"}, follow=True).content.decode()
    assert "cannot move to “draft”" in content
    content = client.post(url("cycle_transition", cycle), {"to": "sideways"}, follow=True).content.decode()
    assert "Choose one of the status changes offered on this page." in content
    cycle.refresh_from_db()
    assert cycle.status == S.REVIEWING and not cycle.status_changes.exists()


def test_an_incomplete_draft_is_refused_with_the_list_of_what_is_missing(client, hr_admin):
    draft = NominationCycleFactory()
    client.force_login(hr_admin)
    content = client.post(url("cycle_transition", draft), {"to": "open"}, follow=True).content.decode()
    assert "The cycle cannot open yet:" in content and "Choose a chair for the committee." in content
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_start_next_cycle_over_http_and_a_duplicate_is_refused(client, hr_admin, cycle):
    client.force_login(hr_admin)
    response = client.post(url("cycle_start_next", cycle), follow=True)
    new = NominationCycle.objects.get(year=2028)
    assert response.redirect_chain[-1][0] == url("cycle_detail", new)
    assert "with its rubric, seats and committee" in response.content.decode()
    assert new.criteria.count() == 2 and new.quotas.count() == 1 and new.committee.count() == 3
    content = client.get(url("cycle_detail", cycle)).content.decode()
    assert f'href="{url("cycle_detail", new)}">Master Mentors (2028)' in content
    content = client.post(url("cycle_start_next", cycle), follow=True).content.decode()
    assert "There is already a cycle called Master Mentors in 2028" in content
    assert NominationCycle.objects.count() == 2


# --- details, seats, committee, rubric ---------------------------------------------------------------------


def test_editing_the_details_saves_them(client, hr_admin, cycle):
    client.force_login(hr_admin)
    data = {**CREATE, "year": "2027", "review_due_on": "2027-02-15", "near_tie_margin": "0.25"}
    response = client.post(url("cycle_edit", cycle), data)
    assert "the window cannot start later than today." in response.content.decode()
    data["nominations_open_on"] = "2026-11-01"
    response = client.post(url("cycle_edit", cycle), data, follow=True)
    assert "The details were saved." in response.content.decode()
    cycle.refresh_from_db()
    assert str(cycle.review_due_on) == "2027-02-15" and str(cycle.near_tie_margin) == "0.25"


def test_fixed_details_are_disabled_and_a_crafted_post_does_not_change_them(client, hr_admin, cycle):
    set_status(cycle, S.REVIEWING)
    client.force_login(hr_admin)
    content = client.get(url("cycle_edit", cycle)).content.decode()
    assert "Fixed while the cycle is committee reviewing." in content
    data = {**CREATE, "name": "Renamed", "year": "2030", "min_reviews": "2"}
    client.post(url("cycle_edit", cycle), data)
    cycle.refresh_from_db()
    assert (cycle.name, cycle.year, cycle.min_reviews) == ("Master Mentors", 2027, 2)


def test_seats_are_set_per_division_and_bad_values_are_refused(client, hr_admin, cycle, department):
    research = DivisionFactory(name="Research")
    clinical = department.division
    client.force_login(hr_admin)
    content = client.get(url("cycle_seats", cycle)).content.decode()
    assert "Research" in content and f'name="seats_{clinical.pk}" value="2"' in content
    response = client.post(
        url("cycle_seats", cycle), {f"seats_{clinical.pk}": "-2", f"seats_{research.pk}": "1"}
    )
    assert (
        "Seats for Clinical Services must be a whole number between 0 and 500." in response.content.decode()
    )
    assert cycle.quotas.count() == 1
    client.post(url("cycle_seats", cycle), {f"seats_{clinical.pk}": "3", f"seats_{research.pk}": "1"})
    assert dict(cycle.quotas.values_list("division__name", "seats")) == {
        "Clinical Services": 3,
        "Research": 1,
    }


def test_the_committee_is_picked_from_the_directory(client, hr_admin, cycle, reviewer):
    PersonFactory(full_name="Grace Hopper", email="grace@example.com")
    client.force_login(hr_admin)
    response = client.get(
        url("cycle_committee", cycle),
        {"q": "grace"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="committee-candidates",
    )
    assert response.templates[0].name == "cohorts/cycles/_committee_candidates.html"
    grace = response.context["candidates"][0]["person"]
    assert "Grace Hopper" in response.content.decode()
    response = client.post(url("cycle_committee", cycle), {"person": grace.pk, "chair": "on"}, follow=True)
    assert "Grace Hopper is now chair of the committee." in response.content.decode()
    assert cycle.committee.get(is_chair=True).person == grace
    seat = cycle.committee.get(person=reviewer.person)
    client.post(url("committee_chair", cycle, seat.pk))
    assert cycle.committee.get(is_chair=True).person == reviewer.person
    content = client.post(url("committee_remove", cycle, seat.pk), follow=True).content.decode()
    assert "chairs the committee of an open cycle: make someone else chair first." in content
    grace_seat = cycle.committee.get(person=grace)
    content = client.post(url("committee_remove", cycle, grace_seat.pk), follow=True).content.decode()
    assert "Grace Hopper is no longer on the committee." in content


def test_a_crafted_committee_post_is_refused_with_a_message(client, hr_admin, cycle, chair):
    client.force_login(hr_admin)
    response = client.post(url("cycle_committee", cycle), {"person": "999999"})
    assert response.status_code == 400
    assert "That person is no longer in the directory; search again." in response.content.decode()
    response = client.post(url("cycle_committee", cycle), {"person": chair.person.pk})
    assert response.status_code == 400
    assert "is already on the committee." in response.content.decode()
    assert cycle.committee.count() == 3


def test_the_rubric_is_edited_in_a_draft(client, hr_admin):
    draft = NominationCycleFactory()
    a = CriterionFactory(cycle=draft, name="Integrity", order=0)
    b = CriterionFactory(cycle=draft, name="Listening", order=1)
    client.force_login(hr_admin)
    content = client.get(url("cycle_rubric", draft)).content.decode()
    assert "move “Listening” up" in content
    response = client.post(
        url("cycle_rubric", draft),
        {"name": "Inclusion", "description": "Includes.", "weight": "2"},
        follow=True,
    )
    assert "Inclusion was added to the rubric." in response.content.decode()
    response = client.post(url("criterion_edit", draft, a.pk), {"name": "Listening", "weight": "1"})
    assert response.status_code == 400
    assert "The rubric already has a criterion called Listening." in response.content.decode()
    client.post(url("criterion_edit", draft, a.pk), {"name": "Integrity and trust", "weight": "3"})
    response = client.post(
        url("criteria_reorder", draft),
        {"ids": [b.pk, a.pk, draft.criteria.last().pk], "moved": b.pk},
        follow=True,
    )
    assert "Listening is now criterion 1 of 3." in response.content.decode()
    client.post(url("criterion_remove", draft, b.pk))
    assert list(draft.criteria.values_list("name", "weight")) == [
        ("Integrity and trust", 3),
        ("Inclusion", 2),
    ]


def test_the_rubric_of_an_open_cycle_is_read_only_and_a_crafted_post_is_refused(client, hr_admin, cycle):
    client.force_login(hr_admin)
    content = client.get(url("cycle_rubric", cycle)).content.decode()
    assert "The rubric is fixed once nominations open" in content
    assert "Add a criterion" not in content
    response = client.post(url("cycle_rubric", cycle), {"name": "Sneaky", "weight": "1"})
    assert "The rubric is fixed once nominations open" in response.content.decode()
    assert cycle.criteria.count() == 2


# --- query counts ----------------------------------------------------------------------------------------


def test_every_page_runs_a_bounded_number_of_queries(client, hr_admin, cycle, django_assert_max_num_queries):
    for _ in range(10):
        CommitteeMemberFactory(cycle=cycle)
        CriterionFactory(cycle=cycle)
        DivisionQuotaFactory(cycle=cycle)
        CandidacyFactory(cycle=cycle)
        NominationCycleFactory()
    client.force_login(hr_admin)
    pages = [reverse("cohorts:cycle_list"), reverse("cohorts:cycle_create")] + [
        url(name, cycle) for name in ("cycle_detail", "cycle_edit", "cycle_seats", "cycle_rubric")
    ]
    for address in pages:
        with django_assert_max_num_queries(25):
            assert client.get(address).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(url("cycle_committee", cycle), {"q": "example"}).status_code == 200


def test_the_overview_links_to_the_work_of_each_stage(client, hr_admin, cycle):
    client.force_login(hr_admin)
    content = client.get(url("cycle_detail", cycle)).content.decode()
    assert reverse("cohorts:cycle_nominations_hr", args=[cycle.pk]) in content
    assert reverse("cohorts:review_progress", args=[cycle.pk]) not in content
    set_status(cycle, S.DECIDED)
    content = client.get(url("cycle_detail", cycle)).content.decode()
    assert reverse("cohorts:review_progress", args=[cycle.pk]) in content
    assert reverse("cohorts:cohort_create", args=[cycle.pk]) in content


def test_superusers_can_read_a_cycle_in_the_admin_but_not_change_it(client, cycle):
    from tests.factories import UserFactory

    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    address = reverse("admin:cohorts_nominationcycle_change", args=[cycle.pk])
    response = client.get(address)
    assert response.status_code == 200
    assert "Integrity and trustworthiness" in response.content.decode()
    client.post(address, {"name": "Changed"})
    cycle.refresh_from_db()
    assert cycle.name == "Master Mentors"


def test_an_open_cycle_whose_window_starts_later_is_shown_as_announced(client, hr_admin, cycle):
    cycle.nominations_open_on = "2026-11-25"
    cycle.save(update_fields=["nominations_open_on"])
    client.force_login(hr_admin)
    content = client.get(url("cycle_detail", cycle)).content.decode()
    assert "Announced: endorsements and nominations are accepted from 25 November 2026." in content
