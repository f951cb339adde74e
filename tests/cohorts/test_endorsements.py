"""Endorsements, "who do you go to for advice?": any employee names up to three colleagues with a reason
while the window runs. The endorser is known to HR admins only: never shown to the endorsed person, their
manager, or in what the committee reads."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cohorts.factories import EndorsementFactory, NominationCycleFactory
from cohorts.models import Endorsement, NominationCycle
from cohorts.selectors.endorsements import (
    EndorsementEvidence,
    endorsement_evidence,
    endorsement_evidence_by_person,
    reporting_tree_ids,
    team_advice,
)
from cohorts.services import CohortError
from cohorts.services.endorsements import endorsement_create, endorsement_withdraw
from tests.conftest import make_persona
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

REASON = "She always makes time to think a hard problem through with me."
AFTER_DEADLINE = datetime.datetime(2026, 12, 16, 9, 0, tzinfo=datetime.UTC)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def endorse_url(cycle) -> str:
    return reverse("cohorts:endorse", args=[cycle.pk])


@pytest.fixture
def colleague(department):
    """An employee outside the manager's reporting line: the endorser in most tests."""
    return make_persona("colleague.endorser@example.com", department=department, level=4)


@pytest.fixture
def endorsed(cycle, colleague, employee):
    """``colleague`` names ``employee`` (who reports to ``manager``)."""
    return endorsement_create(cycle=cycle, person=employee.person, reason=REASON, by=colleague)


# --- The service ------------------------------------------------------------------------------------------


def test_an_employee_endorses_a_colleague_with_a_reason(cycle, colleague, employee):
    endorsement = endorsement_create(cycle=cycle, person=employee.person, reason=f"  {REASON} ", by=colleague)
    assert endorsement.endorser == colleague.person
    assert endorsement.person == employee.person
    assert endorsement.reason == REASON


def test_up_to_three_colleagues_may_be_endorsed_in_a_cycle(cycle, colleague):
    for _ in range(3):
        endorsement_create(cycle=cycle, person=PersonFactory(), reason=REASON, by=colleague)
    with pytest.raises(CohortError, match="up to 3 colleagues"):
        endorsement_create(cycle=cycle, person=PersonFactory(), reason=REASON, by=colleague)
    assert Endorsement.objects.filter(endorser=colleague.person).count() == 3


def test_the_limit_counts_per_cycle(cycle, colleague):
    for _ in range(3):
        endorsement_create(cycle=cycle, person=PersonFactory(), reason=REASON, by=colleague)
    other = NominationCycleFactory(name="Nursing Master Mentors", status=NominationCycle.Status.OPEN)
    endorsement_create(cycle=other, person=PersonFactory(), reason=REASON, by=colleague)
    assert Endorsement.objects.filter(endorser=colleague.person).count() == 4


def test_nobody_endorses_themself(cycle, colleague):
    with pytest.raises(CohortError, match="cannot endorse yourself"):
        endorsement_create(cycle=cycle, person=colleague.person, reason=REASON, by=colleague)
    assert not Endorsement.objects.exists()


def test_a_colleague_is_endorsed_once_by_the_same_person(cycle, endorsed, colleague, employee):
    with pytest.raises(CohortError, match="already endorsed"):
        endorsement_create(cycle=cycle, person=employee.person, reason="Again.", by=colleague)
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 501])
def test_a_reason_is_required_and_short(cycle, colleague, employee, reason):
    with pytest.raises(CohortError, match=r"reason|why you go to them"):
        endorsement_create(cycle=cycle, person=employee.person, reason=reason, by=colleague)
    assert not Endorsement.objects.exists()


def test_a_former_employee_is_not_endorsed(cycle, colleague):
    gone = PersonFactory(status="left", left_on=datetime.date(2026, 6, 30))
    with pytest.raises(CohortError, match="no longer works here"):
        endorsement_create(cycle=cycle, person=gone, reason=REASON, by=colleague)


def test_a_login_without_a_person_cannot_endorse(cycle, outsider, employee):
    with pytest.raises(CohortError, match="people in the directory"):
        endorsement_create(cycle=cycle, person=employee.person, reason=REASON, by=outsider)


def test_endorsements_are_refused_after_the_last_day_of_the_window(cycle, colleague, employee):
    with time_machine.travel(datetime.datetime(2026, 12, 15, 22, 0, tzinfo=datetime.UTC)):
        endorsement_create(cycle=cycle, person=employee.person, reason=REASON, by=colleague)
    with time_machine.travel(AFTER_DEADLINE), pytest.raises(CohortError) as refused:
        endorsement_create(cycle=cycle, person=PersonFactory(), reason=REASON, by=colleague)
    assert str(refused.value) == "Endorsements for Master Mentors (2027) closed on 15 December 2026."
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (NominationCycle.Status.DRAFT, "are not open yet"),
        (NominationCycle.Status.REVIEWING, "closed on 15 December 2026"),
    ],
)
def test_endorsements_are_refused_when_the_cycle_is_not_open(cycle, colleague, employee, status, message):
    NominationCycle.objects.filter(pk=cycle.pk).update(status=status)
    with pytest.raises(CohortError, match=message):
        endorsement_create(cycle=cycle, person=employee.person, reason=REASON, by=colleague)


def test_the_endorser_withdraws_their_own_endorsement_while_the_window_runs(
    cycle, endorsed, colleague, employee
):
    with pytest.raises(CohortError, match="your own"):
        endorsement_withdraw(endorsement=endorsed, by=employee)
    with time_machine.travel(AFTER_DEADLINE), pytest.raises(CohortError, match="closed on"):
        endorsement_withdraw(endorsement=endorsed, by=colleague)
    endorsement_withdraw(endorsement=endorsed, by=colleague)
    assert not Endorsement.objects.exists()


# --- Anonymity: what the person, their manager and the committee read --------------------------------------


def test_the_committee_evidence_is_a_count_and_reasons_without_endorsers(
    cycle, endorsed, colleague, employee
):
    EndorsementFactory(cycle=cycle, person=employee.person, reason="Explains things calmly.")
    evidence = endorsement_evidence(employee.person, cycle)
    assert evidence == EndorsementEvidence(count=2, reasons=["Explains things calmly.", REASON])
    assert set(vars(evidence)) == {"count", "reasons"}
    assert colleague.person.full_name not in repr(evidence)
    assert endorsement_evidence_by_person(cycle, [employee.person.pk]) == {employee.person.pk: evidence}


def test_the_committee_evidence_accepts_a_candidacy(cycle, endorsed, employee):
    from cohorts.factories import CandidacyFactory

    candidacy = CandidacyFactory(cycle=cycle, person=employee.person)
    assert endorsement_evidence(candidacy, cycle).count == 1
    other = NominationCycleFactory(name="Other", status=NominationCycle.Status.OPEN)
    assert endorsement_evidence(candidacy, other) == EndorsementEvidence()


def test_the_manager_sees_whom_their_team_goes_to_for_advice_but_never_who_said_so(
    client, cycle, endorsed, colleague, manager, employee
):
    rows = team_advice(cycle, manager.person)
    assert [(row.person, row.evidence.count) for row in rows] == [(employee.person, 1)]
    client.force_login(manager)
    page = client.get(reverse("cohorts:team_advice", args=[cycle.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert employee.person.full_name in text and REASON in text and "1 endorsement" in text
    assert reverse("cohorts:nominate", args=[cycle.pk]) + f"?person={employee.person.pk}" in text
    assert colleague.person.full_name not in text and colleague.email not in text


def test_the_endorsed_person_never_sees_who_endorsed_them(client, cycle, endorsed, colleague, employee):
    client.force_login(employee)
    for url in (reverse("home"), reverse("cohorts:nominations_home"), endorse_url(cycle)):
        text = client.get(url).content.decode()
        assert colleague.person.full_name not in text and colleague.email not in text


def test_only_hr_admins_see_who_endorsed_whom(
    client, cycle, endorsed, colleague, employee, hr_admin, chair, manager
):
    url = reverse("cohorts:cycle_nominations_hr", args=[cycle.pk])
    client.force_login(hr_admin)
    text = client.get(url).content.decode()
    assert colleague.person.full_name in text and employee.person.full_name in text and REASON in text
    for user in (chair, manager, employee, colleague):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_team_is_the_whole_reporting_tree(cycle, colleague, manager, employee, department):
    junior = make_persona("junior@example.com", department=department, manager=employee.person, level=2)
    endorsement_create(cycle=cycle, person=junior.person, reason=REASON, by=colleague)
    assert reporting_tree_ids(manager.person) == {employee.person.pk, junior.person.pk}
    assert [row.person for row in team_advice(cycle, manager.person)] == [junior.person]
    assert team_advice(cycle, employee.person)[0].person == junior.person
    assert team_advice(cycle, colleague.person) == []


def test_people_without_reports_have_no_team_advice_page(client, cycle, employee, outsider):
    for user in (employee, outsider):
        client.force_login(user)
        assert client.get(reverse("cohorts:team_advice", args=[cycle.pk])).status_code == 404


# --- Pages ------------------------------------------------------------------------------------------------


def test_an_employee_finds_a_colleague_and_endorses_them(client, cycle, colleague, employee):
    client.force_login(colleague)
    found = client.get(endorse_url(cycle), {"q": employee.person.full_name})
    assert found.status_code == 200
    assert f"?person={employee.person.pk}" in found.content.decode()
    form = client.get(endorse_url(cycle), {"person": employee.person.pk})
    assert f"Endorse {employee.person.full_name}" in form.content.decode()
    done = client.post(endorse_url(cycle), {"person": employee.person.pk, "reason": REASON}, follow=True)
    assert "Nobody but HR will know it came from you" in messages_of(done)
    assert Endorsement.objects.get().person == employee.person


def test_a_crafted_post_is_refused_as_clearly_as_the_form(client, cycle, colleague, employee):
    client.force_login(colleague)
    response = client.post(endorse_url(cycle), {"person": colleague.person.pk, "reason": REASON})
    assert response.status_code == 200
    assert "You cannot endorse yourself" in response.content.decode()
    response = client.post(endorse_url(cycle), {"person": 999999, "reason": REASON})
    assert "Choose a colleague from the search results." in response.content.decode()
    response = client.post(endorse_url(cycle), {"person": employee.person.pk, "reason": ""})
    assert "Say in a sentence why you go to them for advice." in response.content.decode()
    assert not Endorsement.objects.exists()


def test_the_page_says_the_window_closed_after_the_deadline(client, cycle, colleague, employee):
    with time_machine.travel(AFTER_DEADLINE):
        client.force_login(colleague)
        page = client.get(endorse_url(cycle))
        assert "Endorsements for Master Mentors (2027) closed on 15 December 2026." in page.content.decode()
        response = client.post(endorse_url(cycle), {"person": employee.person.pk, "reason": REASON})
    assert "closed on 15 December 2026" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_the_endorse_page_is_for_employees_and_open_cycles(client, cycle, outsider, colleague):
    client.force_login(outsider)
    assert client.get(endorse_url(cycle)).status_code == 404
    assert client.get(reverse("cohorts:nominations_home")).status_code == 404
    draft = NominationCycleFactory(name="Next year")
    client.force_login(colleague)
    assert client.get(endorse_url(draft)).status_code == 404
    assert client.get(endorse_url(cycle)).status_code == 200
    client.logout()
    assert client.get(endorse_url(cycle)).status_code == 302


def test_an_endorsement_is_withdrawn_from_the_master_mentors_page(
    client, cycle, endorsed, colleague, employee
):
    url = reverse("cohorts:endorsement_withdraw", args=[endorsed.pk])
    client.force_login(employee)
    assert client.post(url).status_code == 404
    client.force_login(colleague)
    assert client.get(url).status_code == 405
    page = client.get(reverse("cohorts:nominations_home"))
    assert url in page.content.decode() and REASON in page.content.decode()
    done = client.post(url, follow=True)
    assert "is withdrawn" in messages_of(done)
    assert not Endorsement.objects.exists()


def test_the_home_page_invites_employees_to_endorse(client, cycle, colleague):
    client.force_login(colleague)
    text = client.get(reverse("home")).content.decode()
    assert "Master Mentors" in text and endorse_url(cycle) in text
    with time_machine.travel(AFTER_DEADLINE):
        client.force_login(colleague)
        assert endorse_url(cycle) not in client.get(reverse("home")).content.decode()


def test_pages_run_a_bounded_number_of_queries(
    client, cycle, colleague, manager, hr_admin, department, django_assert_max_num_queries
):
    people = [PersonFactory(manager=manager.person, department=department) for _ in range(6)]
    for person in people:
        for _ in range(3):
            EndorsementFactory(cycle=cycle, person=person)
    for person in people[:3]:
        endorsement_create(cycle=cycle, person=person, reason=REASON, by=colleague)
    checks = [
        (manager, reverse("cohorts:team_advice", args=[cycle.pk]), 15),
        (colleague, reverse("cohorts:nominations_home"), 15),
        (colleague, endorse_url(cycle) + "?q=a", 15),
        (hr_admin, reverse("cohorts:cycle_nominations_hr", args=[cycle.pk]), 15),
        # The home page also asks every other app's panels.
        (colleague, reverse("home"), 30),
    ]
    for user, url, most in checks:
        client.force_login(user)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
