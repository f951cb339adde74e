"""The audit log records role changes, selections, pairs, applications and settings, every read of session
feedback, check-in answers and closure surveys by someone else, and every export, with who did it; it never
records free text, nor anything about private notes."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cohorts.factories import (
    CandidacyFactory,
    CommitteeMemberFactory,
    DivisionQuotaFactory,
    NominationCycleFactory,
)
from cohorts.models import Candidacy, Certificate, NominationCycle
from cohorts.services.selection import candidacy_decide
from feedback.models import CheckIn, ClosureSurvey, PrivateNote, Session, SessionFeedback
from feedback.permissions import get_pair_for_user
from feedback.services.checkins import CheckInAnswers, checkin_submit, checkins_open
from feedback.services.closure import closure_submit
from feedback.services.session_feedback import session_feedback_submit
from feedback.services.sessions import private_note_save, session_log
from matching.models import MatchRun, Mentorship, PairRule, Proposal
from matching.services.mentorships import mentorship_create, mentorship_transition
from matching.services.runs import match_run_publish, proposal_forbid
from outcomes.models import OutcomeSettings
from people.models import User
from programs.factories import ParticipantFactory
from programs.models import Participant, Program
from programs.services.enrollment import participants_decide
from tests.conftest import make_persona
from tests.fixtures.programs import FIXED_TODAY

pytestmark = pytest.mark.django_db
A = LogEntry.Action
SECRET = "Confidential: going through a divorce"


@pytest.fixture(autouse=True)
def _a_fixed_today():
    with time_machine.travel(FIXED_TODAY, tick=True):
        yield


def entries_for(model, **filters) -> list[LogEntry]:
    kind = ContentType.objects.get_for_model(model)
    return list(LogEntry.objects.filter(content_type=kind, **filters).order_by("timestamp", "pk"))


def everything_logged() -> str:
    """Every word the log holds, to check that free text never reaches it."""
    rows = LogEntry.objects.values(
        "object_repr", "changes", "changes_text", "additional_data", "serialized_data"
    )
    return json.dumps(list(rows), default=str)


@pytest.fixture
def running_program(program):
    program.status = Program.Status.RUNNING
    program.save(update_fields=["status"])
    return program


@pytest.fixture
def pair(running_program, mentor, mentee) -> Mentorship:
    approved = Participant.Status.APPROVED
    return mentorship_create(
        mentor=ParticipantFactory(
            program=running_program, person=mentor.person, role="mentor", status=approved, capacity=2
        ),
        mentee=ParticipantFactory(
            program=running_program, person=mentee.person, role="mentee", status=approved
        ),
        by=None,
        source="manual",
    )


@pytest.fixture
def held(pair, mentee) -> Session:
    pair.started_on = datetime.date(2026, 10, 1)
    pair.save(update_fields=["started_on"])
    return session_log(
        access=get_pair_for_user(mentee, pair.pk),
        data={
            "starts_at": datetime.datetime(2026, 11, 10, 10, 0, tzinfo=datetime.UTC),
            "duration_minutes": 60,
            "format": "video",
            "topics": [],
            "shared_notes": "",
        },
        by=mentee,
    )


# --- Changes ------------------------------------------------------------------------------------------------


def test_making_someone_an_hr_admin_is_a_role_change_by_the_admin_who_did_it(client, hr_admin, employee):
    client.force_login(hr_admin)
    client.post(reverse("people:hr_admins"), {"email": employee.email})
    changes = [e.changes for e in entries_for(User, object_id=employee.pk, action=A.UPDATE)]
    assert {"groups": {"type": "m2m", "operation": "add", "objects": ["HR admins"]}} in changes
    assert {"is_staff": ["False", "True"]} in changes
    assert {e.actor for e in entries_for(User, object_id=employee.pk, action=A.UPDATE)} == {hr_admin}


def test_a_login_is_not_a_change_and_passwords_are_never_recorded(client, employee):
    client.post(reverse("account_login"), {"login": employee.email, "password": "wrong"})
    employee.set_password("a new password")
    employee.save()
    assert entries_for(User, object_id=employee.pk, action=A.UPDATE) == []
    assert "password" not in everything_logged()


def test_a_programs_coordinators_and_sponsors_are_recorded(program, employee, sponsor):
    program.coordinators.add(employee.person)
    program.sponsors.clear()
    changes = [e.changes for e in entries_for(Program, object_id=program.pk)]
    added = {"type": "m2m", "operation": "add", "objects": [employee.person.full_name]}
    removed = {"type": "m2m", "operation": "delete", "objects": [sponsor.person.full_name]}
    assert {"coordinators": added} in changes and {"sponsors": removed} in changes


def test_a_change_made_from_the_persons_side_is_recorded_on_the_program(program, employee):
    employee.person.sponsored_programs.add(program)
    employee.person.sponsored_programs.clear()
    changes = [
        e.changes["sponsors"] for e in entries_for(Program, object_id=program.pk) if "sponsors" in e.changes
    ]
    name = employee.person.full_name
    assert changes[-2:] == [
        {"type": "m2m", "operation": "add", "objects": [name]},
        {"type": "m2m", "operation": "delete", "objects": [name]},
    ]


def test_decisions_on_applications_are_recorded_without_the_reason(enrolling_program, coordinator):
    applied = ParticipantFactory(program=enrolling_program)
    participants_decide(
        program=enrolling_program,
        participant_ids=[applied.pk],
        to="waitlisted",
        reason=SECRET,
        by=coordinator,
    )
    [entry] = entries_for(Participant, object_id=applied.pk, action=A.UPDATE)
    assert entry.changes == {"status": ["applied", "waitlisted"]} and entry.actor == coordinator
    assert SECRET not in everything_logged()


def test_a_selection_decision_is_recorded_without_its_rationale(department):
    chair = make_persona("chair@example.com", department=department, level=8)
    cycle = NominationCycleFactory(status=NominationCycle.Status.REVIEWING)
    DivisionQuotaFactory(cycle=cycle, division=department.division, seats=1)
    CommitteeMemberFactory(cycle=cycle, person=chair.person, is_chair=True)
    candidacy = CandidacyFactory(cycle=cycle, person__department=department, motivation=SECRET)
    candidacy_decide(candidacy=candidacy, decision="selected", rationale=SECRET, by=chair)
    [*_, entry] = entries_for(Candidacy, object_id=candidacy.pk)
    assert entry.action == A.UPDATE
    assert entry.changes["decision"] == ["", "selected"]
    assert entry.changes["decided_by"] == ["None", str(chair.pk)]
    assert SECRET not in everything_logged()


def test_pairs_made_and_ended_are_recorded_without_the_reason(pair, coordinator):
    [created] = entries_for(Mentorship, object_id=pair.pk)
    assert created.action == A.CREATE and created.changes["status"] == ["None", "active"]
    mentorship_transition(mentorship=pair, to=Mentorship.Status.ENDED_EARLY, by=coordinator, why=SECRET)
    ended = entries_for(Mentorship, object_id=pair.pk, action=A.UPDATE)[-1]
    assert ended.changes["status"] == ["active", "ended_early"]
    assert SECRET not in everything_logged()


def test_publishing_a_match_run_and_ruling_out_a_pair_are_recorded(program, hr_admin, coordinator):
    program.status = Program.Status.MATCHING
    program.save(update_fields=["status"])
    approved = Participant.Status.APPROVED
    mentor = ParticipantFactory(program=program, role="mentor", status=approved, capacity=2)
    mentee, other = (ParticipantFactory(program=program, status=approved) for _ in range(2))
    run = MatchRun.objects.create(program=program, status=MatchRun.Status.DONE)
    Proposal.objects.create(run=run, mentor=mentor, mentee=mentee, score=80, breakdown=[])
    proposal_forbid(run=run, mentor=mentor, mentee=other, by=coordinator, reason=SECRET)
    match_run_publish(run=run, by=hr_admin)
    published = entries_for(MatchRun, object_id=run.pk, action=A.UPDATE)[-1]
    assert published.changes["status"] == ["done", "published"]
    assert published.changes["published_by"] == ["None", str(hr_admin.pk)]
    [rule] = entries_for(PairRule)
    assert rule.action == A.CREATE and rule.changes["kind"] == ["None", "forbid"]
    assert SECRET not in everything_logged()


def test_outcome_settings_changes_are_recorded(client, hr_admin):
    client.force_login(hr_admin)
    client.post(
        reverse("outcomes:settings"), {"min_group_size": "7", "external_hire_cost": "", "currency": "EUR"}
    )
    entry = entries_for(OutcomeSettings)[-1]
    assert entry.changes == {"min_group_size": ["5", "7"], "currency": ["USD", "EUR"]}
    assert entry.actor == hr_admin


# --- Reads --------------------------------------------------------------------------------------------------


def test_a_coordinator_reading_session_feedback_is_recorded_without_the_answers(
    client, pair, held, mentee, coordinator
):
    session_feedback_submit(
        access=get_pair_for_user(mentee, pair.pk),
        session=held,
        by=mentee,
        rating=2,
        useful=SECRET,
        fit="good",
    )
    client.force_login(coordinator)
    assert client.get(reverse("feedback:session_detail", args=[pair.pk, held.pk])).status_code == 200
    [read] = entries_for(SessionFeedback, action=A.ACCESS)
    feedback = SessionFeedback.objects.get()
    assert (read.object_pk, read.actor, read.additional_data) == (
        str(feedback.pk),
        coordinator,
        {"read": "session feedback"},
    )
    assert read.object_repr == f"Session feedback {feedback.pk}"
    assert SECRET not in everything_logged() and "2/5" not in everything_logged()


def test_the_author_reading_their_own_feedback_is_not_a_read_to_record(client, pair, held, mentee):
    session_feedback_submit(
        access=get_pair_for_user(mentee, pair.pk), session=held, by=mentee, rating=4, fit="good"
    )
    client.force_login(mentee)
    client.get(reverse("feedback:session_detail", args=[pair.pk, held.pk]))
    assert entries_for(SessionFeedback) == []


def test_reading_checkin_answers_and_closure_surveys_is_recorded(client, pair, mentee, hr_admin, coordinator):
    checkins_open(program=pair.program)
    access = get_pair_for_user(mentee, pair.pk)
    own = CheckIn.objects.get(participant=access.participant)
    answers = CheckInAnswers(
        satisfaction=4,
        goal_progress=3,
        frequency="right",
        chemistry_right=True,
        wants_help=True,
        comments=SECRET,
    )
    checkin_submit(access=access, checkin=own, answers=answers, by=mentee)
    client.force_login(hr_admin)
    client.get(reverse("feedback:pair_detail", args=[pair.pk]))
    [read] = entries_for(CheckIn, action=A.ACCESS)
    assert (read.object_pk, read.actor, read.additional_data) == (
        str(own.pk),
        hr_admin,
        {"read": "check-in answers"},
    )
    client.force_login(coordinator)
    client.get(reverse("feedback:checkin_answers", args=[pair.program.slug]))
    assert [e.actor for e in entries_for(CheckIn, action=A.ACCESS)] == [hr_admin, coordinator]
    mentorship_transition(mentorship=pair, to=Mentorship.Status.COMPLETED, by=None)
    closure_submit(
        access=get_pair_for_user(mentee, pair.pk),
        goals_achieved="all",
        would_recommend=True,
        what_changed=SECRET,
        promotion_readiness="",
        by=mentee,
    )
    client.get(reverse("feedback:pair_detail", args=[pair.pk]))
    [survey] = entries_for(ClosureSurvey, action=A.ACCESS)
    assert survey.actor == coordinator and survey.additional_data == {"read": "closure survey"}
    assert SECRET not in everything_logged()


def test_private_notes_are_never_in_the_log(client, pair, held, mentee):
    private_note_save(access=get_pair_for_user(mentee, pair.pk), session=held, body=SECRET, by=mentee)
    client.force_login(mentee)
    client.get(reverse("feedback:session_detail", args=[pair.pk, held.pk]))
    assert entries_for(PrivateNote) == []
    assert SECRET not in everything_logged()


# --- Exports ------------------------------------------------------------------------------------------------


def test_dashboard_exports_are_recorded_with_their_file_and_filters(client, hr_admin, program):
    client.force_login(hr_admin)
    response = client.get(
        reverse("outcomes:program", args=[program.slug]), {"format": "xlsx", "start": "2026-01-01"}
    )
    assert response.status_code == 200
    response = client.get(reverse("outcomes:overview"), {"format": "xlsx"})
    assert response.status_code == 200
    by_program, overview = entries_for(Program, action=A.ACCESS)
    assert by_program.object_pk == str(program.pk) and by_program.actor == hr_admin
    assert by_program.additional_data == {
        "export": "career-mentoring-program.xlsx",
        "filters": "start=2026-01-01",
    }
    assert overview.object_pk == "" and overview.additional_data == {"export": "outcomes-overview.xlsx"}


def test_the_hris_certificate_export_is_recorded(client, hr_admin):
    client.force_login(hr_admin)
    response = client.get(reverse("cohorts:certificate_export"), {"since": "2026-06-01"})
    assert response.status_code == 200
    [entry] = entries_for(Certificate, action=A.ACCESS)
    assert entry.actor == hr_admin and entry.remote_addr == "127.0.0.1"
    assert entry.additional_data == {
        "export": "master-mentor-certificates-since-2026-06-01.csv",
        "filters": "since=2026-06-01",
    }
