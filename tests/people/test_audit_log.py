"""The audit log page: HR admins only, newest first, filtered by action, kind of object, who and when, with
field names and the recorded values, in the same number of queries whatever the page holds."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import strip_tags

from matching.models import MatchRun, Mentorship
from matching.services.mentorships import mentorship_create
from mentoring.audit import log_reads
from programs.factories import ParticipantFactory
from programs.models import Participant, Program
from programs.services.enrollment import participants_decide
from tests.fixtures.programs import FIXED_TODAY

pytestmark = pytest.mark.django_db
URL = reverse("people:audit_log")


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=True):
        yield


def page(client, **query) -> str:
    """The page's text, without tags and with single spaces."""
    response = client.get(URL, query)
    assert response.status_code == 200
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def decided(enrolling_program, coordinator) -> Participant:
    applied = ParticipantFactory(program=enrolling_program, person__full_name="Ada Stone")
    participants_decide(
        program=enrolling_program, participant_ids=[applied.pk], to="approved", reason="", by=coordinator
    )
    return applied


# --- It works -----------------------------------------------------------------------------------------------


def test_an_hr_admin_reads_who_did_what_with_the_recorded_values(client, hr_admin, decided, coordinator):
    client.force_login(hr_admin)
    content = page(client)
    assert "Ada Stone (Mentee, Career mentoring)" in content
    assert "Status: Applied → Approved" in content
    assert coordinator.email in content
    # hr_admin_add ran when the persona was made: a role change by the system.
    assert "Groups: added HR admins" in content


def test_related_objects_are_named_and_times_shown_in_the_readers_zone(client, hr_admin, program, settings):
    settings.TIME_ZONE = "America/New_York"
    program.status = Program.Status.RUNNING
    program.save(update_fields=["status"])
    approved = Participant.Status.APPROVED
    mentor = ParticipantFactory(
        program=program, role="mentor", status=approved, person__full_name="Mo Mentor"
    )
    mentee = ParticipantFactory(program=program, status=approved, person__full_name="Em Mentee")
    pair = mentorship_create(mentor=mentor, mentee=mentee, by=None, source="manual")
    Mentorship.objects.filter(pk=pair.pk).update(started_on=datetime.date(2026, 11, 2))
    run = MatchRun.objects.create(program=program, status=MatchRun.Status.DONE)
    run.status, run.published_by = MatchRun.Status.PUBLISHED, hr_admin
    run.published_at = datetime.datetime(2026, 11, 3, 2, 30, tzinfo=datetime.UTC)
    run.save(update_fields=["status", "published_by", "published_at"])
    client.force_login(hr_admin)
    content = page(client)
    assert "Mentor: — → Mo Mentor (Mentor, Career mentoring)" in content
    assert "Mentee: — → Em Mentee (Mentee, Career mentoring)" in content
    assert f"Published by: — → {hr_admin.email}" in content
    assert "Published at: — → 2 Nov 2026 21:30" in content


def test_reads_and_exports_show_what_was_read_or_exported(client, hr_admin, decided):
    request = client.get(URL).wsgi_request  # a request of the HR admin's session, for the actor
    request.user = hr_admin
    log_reads([decided], request=request, what="check-in answers")
    client.force_login(hr_admin)
    client.get(reverse("cohorts:certificate_export"), {"since": "2026-06-01"})
    content = page(client, action=LogEntry.Action.ACCESS)
    assert "Read: check-in answers" in content
    assert "Exported: master-mentor-certificates-since-2026-06-01.csv" in content
    assert "Filters: since=2026-06-01" in content


def test_entries_are_listed_newest_first_and_paginated(client, hr_admin, enrolling_program, coordinator):
    for n in range(55):
        ParticipantFactory(program=enrolling_program, person__full_name=f"Person {n:02d}")
    client.force_login(hr_admin)
    first = client.get(URL)
    rows = first.context["rows"]
    assert len(rows) == 50 and first.context["page"].paginator.count > 55
    assert [r.entry.timestamp for r in rows] == sorted((r.entry.timestamp for r in rows), reverse=True)
    assert "Person 54" in rows[0].entry.object_repr
    assert client.get(URL, {"page": 2}).context["page"].number == 2


# --- Filters ------------------------------------------------------------------------------------------------


def test_entries_are_filtered_by_action_kind_of_object_and_who(client, hr_admin, decided, coordinator):
    client.force_login(hr_admin)
    by_model = client.get(URL, {"model": "programs.participant"}).context["rows"]
    assert {r.kind for r in by_model} == {"Participant"}
    updates = client.get(URL, {"model": "programs.participant", "action": LogEntry.Action.UPDATE})
    assert [r.entry.object_id for r in updates.context["rows"]] == [decided.pk]
    by_actor = client.get(URL, {"actor": "coordinator@"}).context["rows"]
    assert by_actor and {r.entry.actor for r in by_actor} == {coordinator}
    assert client.get(URL, {"actor": "nobody@"}).context["rows"] == []


def test_entries_are_filtered_by_whole_days_in_the_readers_time_zone(client, hr_admin, decided, settings):
    settings.TIME_ZONE = "America/New_York"
    participants = ContentType.objects.get_for_model(Participant)
    entry = LogEntry.objects.get(
        content_type=participants, object_id=decided.pk, action=LogEntry.Action.UPDATE
    )
    # 21:30 on 2 November in New York.
    entry.timestamp = datetime.datetime(2026, 11, 3, 2, 30, tzinfo=datetime.UTC)
    entry.save(update_fields=["timestamp"])
    client.force_login(hr_admin)
    on_the_day = client.get(URL, {"since": "2026-11-02", "until": "2026-11-02"}).context["rows"]
    assert [r.entry.pk for r in on_the_day] == [entry.pk]
    assert entry.pk not in [r.entry.pk for r in client.get(URL, {"since": "2026-11-03"}).context["rows"]]


def test_a_bad_filter_is_explained_and_the_log_shown_unfiltered(client, hr_admin, decided):
    client.force_login(hr_admin)
    response = client.get(URL, {"since": "2026-11-05", "until": "2026-11-01", "model": "people.secret"})
    content = unescape(response.content.decode())
    assert "The last day comes before the first." in content
    assert "Select a valid choice." in content
    assert response.context["rows"]


# --- It checks access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "sponsor", "employee", "mentor", "outsider"])
def test_only_hr_admins_read_the_audit_log(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_hr_menu_links_to_the_audit_log_for_hr_admins_only(client, hr_admin, employee):
    client.force_login(hr_admin)
    assert URL in client.get(reverse("home")).content.decode()
    client.force_login(employee)
    assert URL not in client.get(reverse("home")).content.decode()


def test_the_page_refuses_anything_but_get(client, hr_admin):
    client.force_login(hr_admin)
    assert client.post(URL).status_code == 405


# --- Bounded queries ----------------------------------------------------------------------------------------


def test_the_page_runs_the_same_number_of_queries_with_one_entry_or_a_full_page(
    client, hr_admin, enrolling_program, django_assert_max_num_queries
):
    client.force_login(hr_admin)
    client.get(URL)
    LogEntry.objects.all().delete()
    ParticipantFactory(program=enrolling_program, person__full_name="Only One")
    with django_assert_max_num_queries(12) as few:
        assert "Person: — → Only One" in page(client)
    for n in range(60):
        ParticipantFactory(program=enrolling_program, person__full_name=f"Applicant {n:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = page(client)
    assert content.count("Program: — → Career mentoring") == 50
    assert "Person: — → Applicant 59" in content
