"""The cohort in the browser: creating it, events with invites, the attendance grid, progress pages; who may
see what (404 for everyone else), crafted POSTs refused with nothing saved, and bounded query counts."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.factories import (
    CandidacyFactory,
    CohortEventFactory,
    CohortMemberFactory,
    NominationCycleFactory,
)
from cohorts.models import Attendance, Candidacy, Cohort, CohortEvent, NominationCycle
from tests.conftest import make_persona
from tests.factories import PersonFactory

from .test_cohort_services import at, held, running_cohort

pytestmark = pytest.mark.django_db

P, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


@pytest.fixture
def cohort_coordinator(db, department):
    return make_persona("cohort.coordinator@example.com", department=department, level=6)


@pytest.fixture
def member_user(db, department):
    return make_persona("member@example.com", department=department, level=6)


@pytest.fixture
def classmate(db, department):
    return make_persona("classmate@example.com", department=department, level=6, full_name="Cleo Classmate")


@pytest.fixture
def cohort(cohort_coordinator, member_user, classmate):
    return running_cohort(
        coordinator=cohort_coordinator.person, members=[member_user.person, classmate.person]
    )


def url(name: str, *args) -> str:
    return reverse(f"cohorts:{name}", args=args)


def event_post(**changes) -> dict[str, str]:
    return {
        "kind": "workshop",
        "title": "Giving feedback",
        "date": "2026-12-03",
        "time": "10:00",
        "duration_minutes": "90",
        "location": "https://meet.example.com/mm",
        "facilitator": "Dr. Rivera",
        "agenda": "Practice.",
        "required": "on",
    } | changes


# --- Creating ----------------------------------------------------------------------------------------------


def test_an_hr_admin_creates_the_cohort_of_a_decided_cycle(client, hr_admin, cohort_coordinator):
    cycle = NominationCycleFactory(
        status=NominationCycle.Status.DECIDED, decisions_published_at=timezone.now()
    )
    CandidacyFactory(cycle=cycle, decision=Candidacy.Decision.SELECTED)
    client.force_login(hr_admin)
    assert client.get(url("cohort_create", cycle.pk)).status_code == 200
    response = client.post(
        url("cohort_create", cycle.pk),
        {
            "name": "Master Mentors 2027",
            "starts_on": "2027-03-01",
            "ends_on": "",
            "min_attendance_percent": "80",
            "coordinators": "cohort.coordinator@example.com",
        },
    )
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == cohort.get_absolute_url()
    assert cohort.ends_on == datetime.date(2027, 8, 31)
    assert list(cohort.coordinators.all()) == [cohort_coordinator.person]
    assert cohort.members.count() == 1


def test_creating_a_cohort_too_early_is_refused_with_a_message(client, hr_admin):
    cycle = NominationCycleFactory(status=NominationCycle.Status.REVIEWING)
    client.force_login(hr_admin)
    response = client.post(
        url("cohort_create", cycle.pk),
        {"name": "Too early", "starts_on": "2027-03-01", "min_attendance_percent": "80", "coordinators": ""},
    )
    assert response.status_code == 200
    assert "once its decisions are published" in response.content.decode()
    assert not Cohort.objects.exists()


def test_only_hr_admins_create_cohorts(client, cohort_coordinator, employee):
    cycle = NominationCycleFactory(
        status=NominationCycle.Status.DECIDED, decisions_published_at=timezone.now()
    )
    for user in (cohort_coordinator, employee):
        client.force_login(user)
        assert client.get(url("cohort_create", cycle.pk)).status_code == 404
        assert client.post(url("cohort_create", cycle.pk), {"name": "x"}).status_code == 404
    assert not Cohort.objects.exists()


# --- Access ------------------------------------------------------------------------------------------------


def test_members_see_the_cohort_and_their_own_progress_only(client, cohort, member_user, classmate):
    mine, theirs = cohort.members.get(person=member_user.person), cohort.members.get(person=classmate.person)
    held(cohort, {mine: P, theirs: ABSENT})
    client.force_login(member_user)
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "Your progress" in page
    assert "Cleo Classmate" not in page
    assert client.get(url("member_detail", cohort.pk, mine.pk)).status_code == 200
    assert client.get(url("member_detail", cohort.pk, theirs.pk)).status_code == 404
    event = cohort.events.get()
    for name in ("event_add", "cohort_graduation"):
        assert client.get(url(name, cohort.pk)).status_code == 404
    assert client.get(url("attendance_take", cohort.pk, event.pk)).status_code == 404
    assert client.get(url("event_edit", cohort.pk, event.pk)).status_code == 404


def test_everyone_else_gets_404(client, cohort, employee, coordinator, outsider):
    event = CohortEventFactory(cohort=cohort, starts_at=at(12, 2))
    member = cohort.members.first()
    pages = [
        url("cohort_detail", cohort.pk),
        url("event_detail", cohort.pk, event.pk),
        url("event_ics", cohort.pk, event.pk),
        url("member_detail", cohort.pk, member.pk),
        url("attendance_take", cohort.pk, event.pk),
    ]
    for user in (employee, coordinator, outsider):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)


def test_an_event_of_another_cohort_is_404(client, cohort, cohort_coordinator):
    elsewhere = CohortEventFactory(cohort=running_cohort(), starts_at=at(12, 2))
    client.force_login(cohort_coordinator)
    assert client.get(url("event_detail", cohort.pk, elsewhere.pk)).status_code == 404
    assert client.post(url("event_cancel", cohort.pk, elsewhere.pk)).status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.cancelled


# --- Events ------------------------------------------------------------------------------------------------


def test_the_coordinator_adds_an_event_in_their_own_time_zone(client, settings, cohort, cohort_coordinator):
    settings.TIME_ZONE = "UTC"
    cohort_coordinator.time_zone = "Europe/Berlin"
    cohort_coordinator.save(update_fields=["time_zone"])
    client.force_login(cohort_coordinator)
    assert "In your time zone (Europe/Berlin)" in client.get(url("event_add", cohort.pk)).content.decode()
    response = client.post(url("event_add", cohort.pk), event_post())
    event = CohortEvent.objects.get()
    assert response.status_code == 302
    assert event.starts_at == datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
    assert event.required and event.facilitator == "Dr. Rivera"


def test_a_bad_event_is_refused_and_nothing_saved(client, cohort, cohort_coordinator):
    client.force_login(cohort_coordinator)
    response = client.post(url("event_add", cohort.pk), event_post(date="2027-05-01", kind="party"))
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    response = client.post(url("event_add", cohort.pk), event_post(date="2027-05-01"))
    assert "Events take place while the cohort runs" in response.content.decode()
    assert not CohortEvent.objects.exists()


def test_members_download_the_invite_and_it_follows_changes(client, cohort, cohort_coordinator, member_user):
    client.force_login(cohort_coordinator)
    client.post(url("event_add", cohort.pk), event_post())
    event = CohortEvent.objects.get()
    client.post(url("event_edit", cohort.pk, event.pk), event_post(time="11:00"))
    client.post(url("event_cancel", cohort.pk, event.pk), {"why": "Snow."})

    client.force_login(member_user)
    response = client.get(url("event_ics", cohort.pk, event.pk))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert vevent["SEQUENCE"] == 2
    assert vevent.decoded("DTSTART") == datetime.datetime(2026, 12, 3, 11, 0, tzinfo=datetime.UTC)


# --- Attendance --------------------------------------------------------------------------------------------


def test_the_coordinator_saves_the_whole_grid_in_one_post(client, cohort, cohort_coordinator):
    event = CohortEventFactory(cohort=cohort, starts_at=at(11, 3))
    first, second = cohort.members.order_by("pk")
    client.force_login(cohort_coordinator)
    assert client.get(url("attendance_take", cohort.pk, event.pk)).status_code == 200
    response = client.post(
        url("attendance_take", cohort.pk, event.pk), {f"member-{first.pk}": P, f"member-{second.pk}": EXCUSED}
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("member_id", "status")) == {first.pk: P, second.pk: EXCUSED}


@pytest.mark.parametrize("problem", ["bad value", "missing row", "crafted row"])
def test_a_grid_with_one_bad_row_is_refused_whole(client, cohort, cohort_coordinator, problem):
    event = CohortEventFactory(cohort=cohort, starts_at=at(11, 3))
    first, second = cohort.members.order_by("pk")
    data = {f"member-{first.pk}": P, f"member-{second.pk}": ABSENT}
    if problem == "bad value":
        data[f"member-{second.pk}"] = "late"
    elif problem == "missing row":
        del data[f"member-{second.pk}"]
    else:
        data[f"member-{CohortMemberFactory().pk}"] = P
    client.force_login(cohort_coordinator)
    response = client.post(url("attendance_take", cohort.pk, event.pk), data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_member_cannot_post_attendance(client, cohort, member_user):
    event = CohortEventFactory(cohort=cohort, starts_at=at(11, 3))
    client.force_login(member_user)
    data = {f"member-{m.pk}": P for m in cohort.members.all()}
    assert client.post(url("attendance_take", cohort.pk, event.pk), data).status_code == 404
    assert not Attendance.objects.exists()


# --- Bounded queries ---------------------------------------------------------------------------------------


def _grow(cohort, members: int, events: int) -> None:
    people = [CohortMemberFactory(cohort=cohort, person=PersonFactory()) for _ in range(members)]
    everyone = list(cohort.members.all())
    for day in range(events):
        held(cohort, {m: P if i % 2 else EXCUSED for i, m in enumerate(everyone)}, starts_at=at(10, 1 + day))
        CohortEventFactory(cohort=cohort, starts_at=at(12, 1 + day), required=True)
    assert people


def _queries(client, page: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


def test_the_cohort_pages_run_a_bounded_number_of_queries(client, cohort, cohort_coordinator, member_user):
    client.force_login(cohort_coordinator)
    _grow(cohort, 1, 1)
    member = cohort.members.get(person=member_user.person)
    pages = [
        cohort.get_absolute_url(),
        url("member_detail", cohort.pk, member.pk),
        url("cohort_graduation", cohort.pk),
        url("attendance_take", cohort.pk, cohort.events.first().pk),
        url("event_detail", cohort.pk, cohort.events.first().pk),
        url("cohort_list"),
    ]
    small = [_queries(client, page) for page in pages]
    _grow(cohort, 6, 5)
    large = [_queries(client, page) for page in pages]
    assert large == small


def test_a_member_reads_an_event_and_the_list_of_their_cohorts(client, cohort, member_user):
    event = CohortEventFactory(cohort=cohort, starts_at=at(12, 2), title="Lunch with the CMO")
    client.force_login(member_user)
    assert cohort.name in client.get(url("cohort_list")).content.decode()
    page = client.get(url("event_detail", cohort.pk, event.pk)).content.decode()
    assert "Lunch with the CMO" in page
    assert "Download the calendar invite" in page
    assert "Take attendance" not in page and "Change the event" not in page
