"""Objectives and key results: added, edited and removed on the settings page, one per metric, with
numbers that make sense for the metric."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.factories import KeyResultFactory
from programs.models import KeyResult, Program
from programs.services import ProgramError
from programs.services.config import SectionInvalid
from programs.services.key_results import key_result_create, key_result_delete

pytestmark = pytest.mark.django_db


def create_url(program):
    return reverse("programs:key_result_create", args=[program.slug])


def update_url(key_result):
    return reverse("programs:key_result_update", args=[key_result.program.slug, key_result.pk])


def delete_url(key_result):
    return reverse("programs:key_result_delete", args=[key_result.program.slug, key_result.pk])


def kr_data(**changes):
    data = {"objective": "People stay", "metric": "retention_rate", "baseline": "80", "target": "90",
            "due_on": "2027-12-15"}  # fmt: skip
    data.update(changes)
    return data


def rows(program):
    return list(program.key_results.values_list("metric", "baseline", "target"))


def test_a_key_result_is_added_in_place(client, hr_admin, program):
    client.force_login(hr_admin)
    response = client.post(create_url(program), kr_data(), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert "Key result for retention rate (%) saved." in content
    assert 'id="section-key-results"' in content
    key_result = program.key_results.get(metric="retention_rate")
    assert (key_result.objective, key_result.baseline, key_result.target) == ("People stay", 80, 90)
    assert key_result.due_on == datetime.date(2027, 12, 15)


def test_a_key_result_is_added_without_javascript(client, hr_admin, program):
    client.force_login(hr_admin)
    response = client.post(
        create_url(program), kr_data(metric="average_session_rating", baseline="3.9", target="4.5")
    )
    assert response.status_code == 302
    assert response.url.endswith("#section-key-results")
    assert "Key result for average session rating (1-5) saved." in client.get(response.url).content.decode()
    assert program.key_results.filter(metric="average_session_rating", target=Decimal("4.5")).exists()


def test_a_key_result_is_edited(client, coordinator, program):
    key_result = program.key_results.get()
    client.force_login(coordinator)
    response = client.post(
        update_url(key_result), kr_data(metric="match_rate", target="95", baseline=""), HTTP_HX_REQUEST="true"
    )
    assert "saved" in response.content.decode()
    key_result.refresh_from_db()
    assert (key_result.target, key_result.baseline) == (95, None)


def test_a_key_result_is_removed(client, hr_admin, program):
    key_result = program.key_results.get()
    client.force_login(hr_admin)
    response = client.post(delete_url(key_result), HTTP_HX_REQUEST="true")
    assert "Key result for match rate (%) removed." in response.content.decode()
    assert not program.key_results.exists()
    # The checklist is updated in the same answer.
    assert "At least one key result" in response.content.decode()


def test_only_metrics_still_free_are_offered_for_a_new_key_result(client, hr_admin, program):
    client.force_login(hr_admin)
    response = client.get(reverse("programs:program_settings", args=[program.slug]))
    add_form = response.context["kr"]["add_form"]
    offered = [value for value, _ in add_form.fields["metric"].widget.choices]
    assert "match_rate" not in offered and "retention_rate" in offered


BAD = [
    ({"metric": "match_rate"}, "already has a key result for match rate"),
    ({"target": "150"}, "The target is a percentage: between 0 and 100."),
    ({"baseline": "-5"}, "The baseline is a percentage: between 0 and 100."),
    ({"metric": "average_session_rating", "baseline": "", "target": "6"}, "The target is a rating"),
    ({"metric": "average_session_rating", "baseline": "0.5", "target": "4"}, "The baseline is a rating"),
    ({"metric": "sessions_per_pair_month", "baseline": "", "target": "-1"}, "number of sessions: 0 or more"),
    ({"target": ""}, "Set a target."),
    ({"target": "ten"}, "Enter a number."),
    ({"metric": "happiness"}, "Select a valid choice."),
    ({"due_on": "someday"}, "Enter a valid date."),
]  # fmt: skip


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
@pytest.mark.parametrize(("changes", "message"), BAD, ids=[m[:25] for _, m in BAD])
def test_bad_key_results_are_refused_with_a_message_and_nothing_is_saved(
    client, hr_admin, program, changes, message, htmx
):
    before = rows(program)
    client.force_login(hr_admin)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(create_url(program), kr_data(**changes), **headers)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Nothing was saved" in content
    assert rows(program) == before


def test_an_edit_that_breaks_the_rules_is_refused_and_shown_open(client, hr_admin, program):
    key_result = program.key_results.get()
    client.force_login(hr_admin)
    content = client.post(
        update_url(key_result), kr_data(metric="match_rate", target="101"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "The target is a percentage" in content
    assert '<details class="mt-2" open>' in content
    key_result.refresh_from_db()
    assert key_result.target == 90


def test_the_last_key_result_of_an_open_program_cannot_be_removed(client, hr_admin, enrolling_program):
    key_result = enrolling_program.key_results.get()
    client.force_login(hr_admin)
    response = client.post(delete_url(key_result), HTTP_HX_REQUEST="true")
    assert "needs at least one key result" in response.content.decode()
    assert enrolling_program.key_results.exists()
    response = client.post(delete_url(key_result))
    assert response.status_code == 302
    assert "needs at least one key result" in client.get(response.url).content.decode()


def test_the_key_results_of_a_closed_program_stay_as_they_were(client, hr_admin, program):
    program.status = Program.Status.CLOSED
    program.save()
    key_result = program.key_results.get()
    client.force_login(hr_admin)
    content = client.get(reverse("programs:program_settings", args=[program.slug])).content.decode()
    assert "its key results stay as they were" in content
    assert delete_url(key_result) not in content
    client.post(update_url(key_result), kr_data(metric="match_rate", target="50"))
    client.post(delete_url(key_result))
    client.post(create_url(program), kr_data())
    assert rows(program) == [("match_rate", 60, 90)]
    with pytest.raises(ProgramError):
        key_result_delete(key_result=key_result, by=hr_admin)
    with pytest.raises(SectionInvalid):
        key_result_create(program=program, data=kr_data(), by=hr_admin)


def test_the_service_checks_the_numbers_itself(hr_admin, program):
    data = {
        "metric": "promotion_rate",
        "target": Decimal("100.01"),
        "baseline": None,
        "objective": "",
        "due_on": None,
    }
    with pytest.raises(SectionInvalid) as error:
        key_result_create(program=program, data=data, by=hr_admin)
    assert "percentage" in str(error.value)
    data = {**data, "target": Decimal("Infinity")}
    with pytest.raises(SectionInvalid):
        key_result_create(program=program, data=data, by=hr_admin)
    assert program.key_results.count() == 1


@pytest.mark.parametrize("persona", ["other_coordinator", "sponsor", "employee", "mentee", "outsider"])
def test_people_who_do_not_manage_the_program_cannot_touch_its_key_results(client, request, program, persona):
    key_result = program.key_results.get()
    before = rows(program)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(create_url(program), kr_data()).status_code == 404
    assert client.post(update_url(key_result), kr_data(metric="match_rate", target="1")).status_code == 404
    assert client.post(delete_url(key_result)).status_code == 404
    assert rows(program) == before


def test_a_key_result_of_another_program_is_not_found_through_this_one(
    client, coordinator, program, other_program
):
    foreign = KeyResultFactory(program=other_program)
    client.force_login(coordinator)
    url = reverse("programs:key_result_delete", args=[program.slug, foreign.pk])
    assert client.post(url).status_code == 404
    assert KeyResult.objects.filter(pk=foreign.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, program):
    response = client.post(create_url(program), kr_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
