"""Nominations: managers and directors nominate people in their reporting tree (HR admins anyone) with
structured evidence; several nominations of one person form one candidacy; the candidate accepts with a
motivation statement or declines. Each refusal has a clear message and saves nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cohorts.factories import CandidacyFactory, NominationCycleFactory
from cohorts.models import AuditEntry, Candidacy, Nomination, NominationCycle
from cohorts.services import CohortError
from cohorts.services.nominations import (
    NominationEvidence,
    candidacy_accept,
    candidacy_decline,
    nomination_create,
)
from notifications.models import Notification
from tests.conftest import make_persona
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EVIDENCE = NominationEvidence(
    informal_mentoring="Has guided three new nurses through their first year.",
    sought_out="Residents ask her how to handle difficult conversations with families.",
    sponsoring="Put two colleagues forward for charge-nurse roles; both got them.",
    communication="Listens first, then gives direct and kind feedback.",
)
POST = {
    "informal_mentoring": EVIDENCE.informal_mentoring,
    "sought_out": EVIDENCE.sought_out,
    "sponsoring": EVIDENCE.sponsoring,
    "communication": EVIDENCE.communication,
    "statement": "",
}
AFTER_DEADLINE = datetime.datetime(2026, 12, 16, 9, 0, tzinfo=datetime.UTC)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def nominate_url(cycle) -> str:
    return reverse("cohorts:nominate", args=[cycle.pk])


def candidacy_url(candidacy) -> str:
    return reverse("cohorts:candidacy", args=[candidacy.pk])


@pytest.fixture
def junior(department, employee):
    """Two levels below ``manager``: reports to ``employee``."""
    return make_persona("junior@example.com", department=department, manager=employee.person, level=3)


@pytest.fixture
def stranger(department):
    """An eligible employee outside the manager's reporting line."""
    return make_persona("stranger@example.com", department=department, level=5)


@pytest.fixture
def nominated(cycle, manager, employee):
    return nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)


def nothing_saved() -> bool:
    return not (Candidacy.objects.exists() or Nomination.objects.exists() or AuditEntry.objects.exists())


# --- The service ------------------------------------------------------------------------------------------


def test_a_manager_nominates_someone_in_their_team(cycle, manager, employee):
    nomination = nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)
    candidacy = nomination.candidacy
    assert (candidacy.person, candidacy.number, candidacy.status) == (employee.person, 1, "invited")
    assert nomination.nominator == manager.person and nomination.created_by == manager
    assert nomination.informal_mentoring == EVIDENCE.informal_mentoring
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.candidacy, entry.by) == ("nominated", candidacy, manager)
    invite = Notification.objects.get(kind="candidacy_invited")
    assert invite.recipient == employee.person and invite.url == reverse(
        "cohorts:candidacy", args=[candidacy.pk]
    )
    assert manager.person.full_name not in invite.subject + invite.body


def test_a_director_nominates_anyone_below_them_in_the_chain(cycle, manager, junior):
    nomination = nomination_create(cycle=cycle, person=junior.person, evidence=EVIDENCE, by=manager)
    assert nomination.candidacy.person == junior.person


def test_a_manager_cannot_nominate_outside_their_reporting_line(cycle, manager, employee, stranger, junior):
    for person, by in ((stranger.person, manager), (manager.person, employee), (stranger.person, junior)):
        with pytest.raises(CohortError) as refused:
            nomination_create(cycle=cycle, person=person, evidence=EVIDENCE, by=by)
        assert str(refused.value) == "You can nominate people in your reporting line only."
    assert nothing_saved()


def test_an_hr_admin_nominates_anyone(cycle, hr_admin, stranger):
    nomination = nomination_create(cycle=cycle, person=stranger.person, evidence=EVIDENCE, by=hr_admin)
    assert nomination.nominator == hr_admin.person


def test_nobody_nominates_themself(cycle, hr_admin):
    with pytest.raises(CohortError, match="cannot nominate yourself"):
        nomination_create(cycle=cycle, person=hr_admin.person, evidence=EVIDENCE, by=hr_admin)
    assert nothing_saved()


def test_several_nominations_of_one_person_form_one_candidacy(cycle, manager, hr_admin, employee, stranger):
    first = nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)
    second = nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=hr_admin)
    third = nomination_create(cycle=cycle, person=stranger.person, evidence=EVIDENCE, by=hr_admin)
    assert first.candidacy == second.candidacy
    assert list(Candidacy.objects.values_list("person", "number")) == [
        (employee.person.pk, 1),
        (stranger.person.pk, 2),
    ]
    assert third.candidacy.number == 2
    # The candidate is invited once, on the first nomination.
    assert Notification.objects.filter(kind="candidacy_invited", recipient=employee.person).count() == 1


def test_numbers_continue_in_each_cycle(cycle, hr_admin, stranger):
    CandidacyFactory(cycle=cycle, number=7)
    other = NominationCycleFactory(name="Other", status=NominationCycle.Status.OPEN)
    assert (
        nomination_create(
            cycle=cycle, person=stranger.person, evidence=EVIDENCE, by=hr_admin
        ).candidacy.number
        == 8
    )
    assert (
        nomination_create(
            cycle=other, person=stranger.person, evidence=EVIDENCE, by=hr_admin
        ).candidacy.number
        == 1
    )


def test_a_duplicate_nomination_by_the_same_nominator_is_refused(cycle, nominated, manager, employee):
    with pytest.raises(CohortError) as refused:
        nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)
    assert (
        str(refused.value)
        == f"You have already nominated {employee.person.full_name} in Master Mentors (2027)."
    )
    assert Nomination.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_nominations_are_refused_after_the_deadline(cycle, manager, employee):
    with time_machine.travel(AFTER_DEADLINE), pytest.raises(CohortError) as refused:
        nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)
    assert str(refused.value) == "Nominations for Master Mentors (2027) closed on 15 December 2026."
    assert nothing_saved()


def test_nominations_are_taken_on_the_last_day(cycle, manager, employee):
    with time_machine.travel(datetime.datetime(2026, 12, 15, 23, 30, tzinfo=datetime.UTC)):
        nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)
    assert Candidacy.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (NominationCycle.Status.DRAFT, "Nominations for Master Mentors (2027) are not open yet."),
        (
            NominationCycle.Status.REVIEWING,
            "Nominations for Master Mentors (2027) closed on 15 December 2026.",
        ),
    ],
)
def test_nominations_are_refused_when_the_cycle_is_not_open(cycle, manager, employee, status, message):
    NominationCycle.objects.filter(pk=cycle.pk).update(status=status)
    with pytest.raises(CohortError) as refused:
        nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)
    assert str(refused.value) == message
    assert nothing_saved()


def test_nominations_are_refused_before_the_window_opens(manager, employee):
    cycle = NominationCycleFactory(
        status=NominationCycle.Status.OPEN,
        nominations_open_on=datetime.date(2026, 12, 1),
        nominations_close_on=datetime.date(2026, 12, 20),
        review_due_on=datetime.date(2027, 1, 31),
    )
    with pytest.raises(CohortError, match="open on 1 December 2026"):
        nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=manager)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"job_level": 2}, "job level 3 or above"),
        ({"hire_date": datetime.date(2025, 6, 1)}, "at least 24 months"),
        ({"status": "on_leave"}, "not an active employee"),
    ],
)
def test_the_nominee_must_be_eligible(cycle, hr_admin, changes, message):
    person = PersonFactory(**changes)
    with pytest.raises(CohortError, match=message):
        nomination_create(cycle=cycle, person=person, evidence=EVIDENCE, by=hr_admin)
    assert nothing_saved()


@pytest.mark.parametrize("field", ["informal_mentoring", "sought_out", "sponsoring", "communication"])
def test_each_part_of_the_evidence_is_required(cycle, manager, employee, field):
    evidence = NominationEvidence(**(vars(EVIDENCE) | {field: "  "}))
    with pytest.raises(CohortError, match="Describe"):
        nomination_create(cycle=cycle, person=employee.person, evidence=evidence, by=manager)
    assert nothing_saved()


def test_a_person_who_declined_is_not_nominated_again_in_the_cycle(cycle, nominated, employee, hr_admin):
    candidacy_decline(candidacy=nominated.candidacy, by=employee)
    with pytest.raises(CohortError, match="has declined"):
        nomination_create(cycle=cycle, person=employee.person, evidence=EVIDENCE, by=hr_admin)
    assert Nomination.objects.count() == 1


# --- Consent ----------------------------------------------------------------------------------------------


def test_the_candidate_accepts_with_a_motivation_statement(cycle, nominated, manager, employee):
    candidacy = nominated.candidacy
    with pytest.raises(CohortError, match="motivation statement"):
        candidacy_accept(candidacy=candidacy, motivation="  ", by=employee)
    accepted = candidacy_accept(candidacy=candidacy, motivation="I love helping people grow.", by=employee)
    assert (accepted.status, accepted.motivation) == ("accepted", "I love helping people grow.")
    assert accepted.responded_at is not None
    assert AuditEntry.objects.filter(candidacy=candidacy, action="candidacy_accepted", by=employee).exists()
    told = Notification.objects.get(kind="candidacy_answered")
    assert told.recipient == manager.person and "accepted" in told.subject
    with pytest.raises(CohortError, match="already answered"):
        candidacy_decline(candidacy=candidacy, by=employee)
    candidacy.refresh_from_db()
    assert candidacy.status == "accepted"


def test_the_candidate_declines(cycle, nominated, manager, employee):
    declined = candidacy_decline(candidacy=nominated.candidacy, by=employee)
    assert declined.status == "declined"
    assert AuditEntry.objects.filter(action="candidacy_declined").count() == 1
    assert Notification.objects.get(kind="candidacy_answered").recipient == manager.person


def test_only_the_candidate_answers(cycle, nominated, manager, hr_admin):
    for user in (manager, hr_admin):
        with pytest.raises(CohortError, match="Only the candidate"):
            candidacy_accept(candidacy=nominated.candidacy, motivation="Yes.", by=user)
    nominated.candidacy.refresh_from_db()
    assert nominated.candidacy.status == "invited"


def test_answers_close_once_the_cycle_is_decided(cycle, nominated, employee):
    NominationCycle.objects.filter(pk=cycle.pk).update(status=NominationCycle.Status.DECIDED)
    with pytest.raises(CohortError, match="answers are closed"):
        candidacy_accept(candidacy=nominated.candidacy, motivation="Yes.", by=employee)


# --- Pages ------------------------------------------------------------------------------------------------


def test_a_manager_finds_their_report_and_nominates_them(client, cycle, manager, employee, stranger):
    client.force_login(manager)
    found = client.get(nominate_url(cycle), {"q": "example.com"})
    text = found.content.decode()
    assert f"?person={employee.person.pk}" in text and stranger.person.full_name not in text
    form = client.get(nominate_url(cycle), {"person": employee.person.pk})
    assert f"Nominate {employee.person.full_name}" in form.content.decode()
    done = client.post(nominate_url(cycle), POST | {"person": employee.person.pk}, follow=True)
    assert f"{employee.person.full_name} is nominated" in messages_of(done)
    assert Candidacy.objects.get().person == employee.person
    assert employee.person.full_name in done.content.decode()  # "Your nominations"


def test_a_crafted_post_outside_the_tree_is_refused_with_a_clear_message(
    client, cycle, manager, employee, stranger
):
    client.force_login(manager)
    response = client.post(nominate_url(cycle), POST | {"person": stranger.person.pk})
    assert response.status_code == 200
    assert "You can nominate people in your reporting line only." in response.content.decode()
    assert nothing_saved()


def test_a_duplicate_post_is_refused(client, cycle, nominated, manager, employee):
    client.force_login(manager)
    response = client.post(nominate_url(cycle), POST | {"person": employee.person.pk})
    assert "You have already nominated" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_missing_evidence_is_shown_beside_the_form(client, cycle, manager, employee):
    client.force_login(manager)
    response = client.post(nominate_url(cycle), POST | {"person": employee.person.pk, "sponsoring": ""})
    assert "Describe examples of sponsoring others to success." in response.content.decode()
    assert nothing_saved()


def test_the_page_says_nominations_closed_after_the_deadline(client, cycle, manager, employee):
    with time_machine.travel(AFTER_DEADLINE):
        client.force_login(manager)
        page = client.get(nominate_url(cycle))
        assert "Nominations for Master Mentors (2027) closed on 15 December 2026." in page.content.decode()
        response = client.post(nominate_url(cycle), POST | {"person": employee.person.pk})
    assert "closed on 15 December 2026" in response.content.decode()
    assert nothing_saved()


def test_the_nominate_page_is_for_managers_directors_and_hr_admins(
    client, cycle, employee, outsider, manager, hr_admin
):
    for user in (employee, outsider):
        client.force_login(user)
        assert client.get(nominate_url(cycle)).status_code == 404
        assert client.post(nominate_url(cycle), POST | {"person": manager.person.pk}).status_code == 404
    for user in (manager, hr_admin):
        client.force_login(user)
        assert client.get(nominate_url(cycle)).status_code == 200
    NominationCycle.objects.filter(pk=cycle.pk).update(status=NominationCycle.Status.REVIEWING)
    assert client.get(nominate_url(cycle)).status_code == 404
    assert nothing_saved()


def test_the_candidate_reads_their_invitation_and_accepts(client, cycle, nominated, manager, employee):
    url = candidacy_url(nominated.candidacy)
    client.force_login(employee)
    page = client.get(url)
    text = page.content.decode()
    assert "You have been nominated" in text and "Accept the nomination" in text
    assert manager.person.full_name not in text
    assert url in client.get(reverse("home")).content.decode()
    refused = client.post(url, {"decision": "accept", "motivation": ""})
    assert "Write a short motivation statement to accept." in refused.content.decode()
    done = client.post(url, {"decision": "accept", "motivation": "I want to give back."}, follow=True)
    assert "You accepted the nomination" in messages_of(done)
    assert "I want to give back." in done.content.decode()
    nominated.candidacy.refresh_from_db()
    assert nominated.candidacy.status == "accepted"


def test_the_candidate_declines_in_the_browser(client, cycle, nominated, employee):
    url = candidacy_url(nominated.candidacy)
    client.force_login(employee)
    done = client.post(url, {"decision": "decline"}, follow=True)
    assert "You declined the nomination" in messages_of(done)
    again = client.post(url, {"decision": "accept", "motivation": "Changed my mind."}, follow=True)
    assert "You have already answered: your candidacy is declined." in messages_of(again)
    nominated.candidacy.refresh_from_db()
    assert nominated.candidacy.status == "declined"


def test_only_the_candidate_reaches_their_candidacy(
    client, cycle, nominated, manager, hr_admin, outsider, chair
):
    url = candidacy_url(nominated.candidacy)
    for user in (manager, hr_admin, outsider, chair):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "decline"}).status_code == 404
    nominated.candidacy.refresh_from_db()
    assert nominated.candidacy.status == "invited"


def test_hr_admins_see_the_nominations_of_a_cycle(
    client, cycle, nominated, manager, employee, hr_admin, chair
):
    url = reverse("cohorts:cycle_nominations_hr", args=[cycle.pk])
    client.force_login(hr_admin)
    text = client.get(url).content.decode()
    assert "Candidate 1" in text and employee.person.full_name in text and manager.person.full_name in text
    for user in (manager, chair, employee):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_nomination_pages_run_a_bounded_number_of_queries(
    client, cycle, manager, hr_admin, department, django_assert_max_num_queries
):
    for n in range(6):
        person = make_persona(
            f"report{n}@example.com", department=department, manager=manager.person, level=4
        )
        nomination_create(cycle=cycle, person=person.person, evidence=EVIDENCE, by=manager)
        nomination_create(cycle=cycle, person=person.person, evidence=EVIDENCE, by=hr_admin)
    for user, url in (
        (manager, nominate_url(cycle) + "?q=example"),
        (manager, reverse("cohorts:nominations_home")),
        (hr_admin, reverse("cohorts:cycle_nominations_hr", args=[cycle.pk])),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_the_home_page_prompts_managers_to_nominate(client, cycle, manager, employee):
    client.force_login(manager)
    text = client.get(reverse("home")).content.decode()
    assert nominate_url(cycle) in text and reverse("cohorts:team_advice", args=[cycle.pk]) in text
    client.force_login(employee)
    text = client.get(reverse("home")).content.decode()
    assert reverse("cohorts:endorse", args=[cycle.pk]) in text and nominate_url(cycle) not in text


def test_the_candidate_reads_the_decision_once_it_is_published(client, cycle, nominated, employee):
    candidacy_accept(candidacy=nominated.candidacy, motivation="Yes.", by=employee)
    Candidacy.objects.filter(pk=nominated.candidacy.pk).update(decision=Candidacy.Decision.SELECTED)
    client.force_login(employee)
    assert "Selected" not in client.get(candidacy_url(nominated.candidacy)).content.decode()
    NominationCycle.objects.filter(pk=cycle.pk).update(
        status=NominationCycle.Status.DECIDED,
        decisions_published_at=datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC),
    )
    assert (
        "The committee's decision: <strong>Selected</strong>"
        in client.get(candidacy_url(nominated.candidacy)).content.decode()
    )


def test_after_the_deadline_the_home_page_still_asks_the_candidate_to_answer(
    client, cycle, nominated, employee
):
    with time_machine.travel(AFTER_DEADLINE):
        client.force_login(employee)
        text = client.get(reverse("home")).content.decode()
    assert candidacy_url(nominated.candidacy) in text
    assert reverse("cohorts:endorse", args=[cycle.pk]) not in text


def test_a_certified_master_mentor_or_someone_training_now_cannot_stand_again(cycle, hr_admin, department):
    from cohorts.factories import CohortMemberFactory
    from people.models import PersonnelRecord
    from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE

    certified = make_persona("certified@example.com", department=department, level=5).person
    PersonnelRecord.objects.create(
        person=certified,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        effective_on=datetime.date(2026, 6, 1),
        title=MASTER_MENTOR_CERTIFICATE_TITLE,
    )
    training = make_persona("training@example.com", department=department, level=5).person
    CohortMemberFactory(person=training)
    for person, reason in (
        (certified, "is already a certified Master Mentor."),
        (training, "is training in"),
    ):
        with pytest.raises(CohortError, match=reason):
            nomination_create(cycle=cycle, person=person, evidence=EVIDENCE, by=hr_admin)
    assert not Nomination.objects.exists()
