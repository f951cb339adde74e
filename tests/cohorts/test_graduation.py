"""Graduation: one idempotent action graduates every member in training who meets the threshold (excused
absences not counted against them, every required event attended), with a certificate and one personnel
record each; the others are listed with what they miss."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cohorts.factories import CohortEventFactory
from cohorts.models import Attendance, AuditEntry, Certificate, CohortMember
from cohorts.services import CohortError
from cohorts.services.graduation import cohort_graduate
from notifications.models import Notification
from people.models import PersonnelRecord
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE, is_certified_master_mentor
from tests.conftest import make_persona
from tests.factories import PersonFactory

from .test_cohort_services import at, held, running_cohort

pytestmark = pytest.mark.django_db

P, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED
M = CohortMember.Status


@pytest.fixture
def cohort(cohort_coordinator, member_user):
    return running_cohort(coordinator=cohort_coordinator.person, members=[member_user.person])


@pytest.fixture
def cohort_coordinator(db, department):
    return make_persona("cohort.coordinator@example.com", department=department, level=6)


@pytest.fixture
def member_user(db, department):
    return make_persona("member@example.com", department=department, level=6)


def _members(cohort, count: int) -> list[CohortMember]:
    return [CohortMember.objects.create(cohort=cohort, person=PersonFactory()) for _ in range(count)]


def _attend(cohort, rows: dict[CohortMember, list[str]], *, required: int | None = None) -> None:
    """Five held events; ``rows`` gives each member's status at each; event ``required`` is required."""
    for index in range(5):
        held(
            cohort,
            {member: statuses[index] for member, statuses in rows.items()},
            required=index == required,
            starts_at=at(9, 1 + index),
        )


def test_the_threshold_counts_excused_absences_out_and_required_events_in(cohort, cohort_coordinator):
    cohort.members.all().delete()
    exactly, excused, short, skipped_required = _members(cohort, 4)
    _attend(
        cohort,
        {
            exactly: [P, P, P, P, ABSENT],  # 80%
            excused: [P, P, EXCUSED, EXCUSED, P],  # 3 of 3: 100%
            short: [P, P, P, EXCUSED, ABSENT],  # 3 of 4: 75%
            skipped_required: [EXCUSED, P, P, P, P],  # 100%, but excused from the required event
        },
        required=0,
    )

    result = cohort_graduate(cohort=cohort, by=cohort_coordinator)

    assert set(result.graduated) == {exactly, excused}
    reasons = {p.member: p.missing() for p in result.not_meeting}
    assert reasons[short] == ["Attendance 75% (3 of 4); 80% is needed."]
    assert reasons[skipped_required] == [f"Was excused from the required event “{held_title(cohort, 0)}”."]
    assert set(CohortMember.objects.filter(status=M.GRADUATED)) == {exactly, excused}
    assert CohortMember.objects.get(pk=short.pk).status == M.ACTIVE


def held_title(cohort, index: int) -> str:
    return cohort.events.order_by("starts_at", "pk")[index].title


def test_graduating_twice_writes_one_certificate_and_one_personnel_record(
    cohort, cohort_coordinator, member_user
):
    member = cohort.members.get()
    _attend(cohort, {member: [P] * 5})

    first = cohort_graduate(cohort=cohort, by=cohort_coordinator)
    second = cohort_graduate(cohort=cohort, by=cohort_coordinator)

    assert first.graduated == [member] and second.graduated == []
    member.refresh_from_db()
    assert member.status == M.GRADUATED and member.graduated_on is not None
    certificate = Certificate.objects.get()
    assert certificate.member == member and certificate.title == MASTER_MENTOR_CERTIFICATE_TITLE
    assert len(certificate.verification_code) >= 32
    records = PersonnelRecord.objects.filter(person=member_user.person, kind=PersonnelRecord.Kind.CERTIFICATE)
    assert records.count() == 1
    assert records.get().title == MASTER_MENTOR_CERTIFICATE_TITLE
    assert is_certified_master_mentor(member_user.person)
    assert Notification.objects.filter(kind="cohort_graduated", recipient=member_user.person).count() == 1
    assert AuditEntry.objects.filter(cycle=cohort.cycle, action="cohort_graduated").count() == 1


def test_an_earlier_personnel_record_is_not_written_twice(cohort, cohort_coordinator, member_user):
    PersonnelRecord.objects.create(
        person=member_user.person,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        effective_on=at(1, 1).date(),
        title=MASTER_MENTOR_CERTIFICATE_TITLE.upper(),
    )
    _attend(cohort, {cohort.members.get(): [P] * 5})
    cohort_graduate(cohort=cohort, by=cohort_coordinator)
    assert PersonnelRecord.objects.filter(person=member_user.person).count() == 1
    assert Certificate.objects.count() == 1


def test_graduation_waits_for_missing_attendance_and_changes_nothing(cohort, cohort_coordinator):
    _attend(cohort, {cohort.members.get(): [P] * 5})
    CohortEventFactory(cohort=cohort, starts_at=at(11, 10), title="Case discussion 3")
    with pytest.raises(CohortError, match="Take attendance first for: Case discussion 3"):
        cohort_graduate(cohort=cohort, by=cohort_coordinator)
    assert not Certificate.objects.exists()
    assert not CohortMember.objects.filter(status=M.GRADUATED).exists()
    assert not PersonnelRecord.objects.exists()


# --- In the browser ----------------------------------------------------------------------------------------


def test_the_coordinator_graduates_in_one_action_and_sees_who_misses_what(
    client, cohort, cohort_coordinator, member_user
):
    member = cohort.members.get()
    behind = _members(cohort, 1)[0]
    _attend(cohort, {member: [P] * 5, behind: [ABSENT] * 5})
    client.force_login(cohort_coordinator)
    url = reverse("cohorts:cohort_graduation", args=[cohort.pk])

    page = client.get(url).content.decode()
    assert "Ready to graduate (1)" in page
    assert "Attendance 0% (0 of 5); 80% is needed." in page

    response = client.post(url, follow=True)
    assert "1 graduated" in response.content.decode()
    assert CohortMember.objects.get(pk=member.pk).status == M.GRADUATED
    assert client.post(url, follow=True).status_code == 200
    assert Certificate.objects.count() == 1


def test_graduation_is_not_for_members_nor_outsiders(client, cohort, member_user, employee, hr_admin):
    _attend(cohort, {cohort.members.get(): [P] * 5})
    url = reverse("cohorts:cohort_graduation", args=[cohort.pk])
    for user in (member_user, employee):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not Certificate.objects.exists()
    client.force_login(hr_admin)
    client.post(url)
    assert Certificate.objects.count() == 1
