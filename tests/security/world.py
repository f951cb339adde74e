"""The "victim world" of the authorization matrix: objects that belong to someone else, and the personas who
try to reach them.

Everything here belongs to the *victims* (``v_*`` logins): a running program with its coordinator, sponsor,
pairs, sessions, private note, feedback, check-ins, goals, match run, mentor request and closure survey; a
second program still enrolling (its questionnaire and key results can still change); a Master Mentor cycle
under review with its committee, candidacy, nomination, endorsement and review; an open cycle, a draft
cycle and a decided one; a past cycle's cohort with its events and a certificate; an HR import; a
notification. The *personas* hold roles elsewhere: their own pair in the same program, their own program,
their own cycle, their own report.

Every secret is a distinctive string (``MARK_*``), so a test can say "this answer never shows it".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from allauth.account.utils import user_pk_to_url_str
from django.utils import timezone

from cohorts.factories import (
    AttendanceFactory,
    CandidacyFactory,
    CohortEventFactory,
    CohortFactory,
    CohortMemberFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    DivisionQuotaFactory,
    EndorsementFactory,
    NominationCycleFactory,
    NominationFactory,
    ReviewFactory,
    ReviewScoreFactory,
)
from cohorts.models import Candidacy, Certificate, CohortMember, NominationCycle
from feedback.models import (
    Agreement,
    CheckIn,
    ClosureSurvey,
    Goal,
    GoalComment,
    MentorCoaching,
    Milestone,
    PrivateNote,
    Session,
    SessionFeedback,
)
from matching.models import MatchRun, MentorRequest, Mentorship, Proposal
from matching.services.mentorships import mentorship_create
from notifications.models import Notification
from people.models import DirectoryImport, PersonnelRecord, User
from people.services import hr_admin_add, person_link_user
from programs.factories import (
    KeyResultFactory,
    MentorTrainingFactory,
    ParticipantFactory,
    ProgramFactory,
    QuestionFactory,
    ResourceFactory,
)
from programs.models import KeyResult, Participant, Program, Resource
from programs.services.training import MASTER_MENTOR_CERTIFICATE_TITLE
from tests.factories import DepartmentFactory, PersonFactory, UserFactory

# The personas who try to reach what is not theirs.
PERSONAS = (
    "anonymous",
    "outsider",
    "other_mentee",
    "other_mentor",
    "other_coordinator",
    "other_sponsor",
    "other_committee",
    "manager",
    "hr_admin",
)

# Secrets of the victims: no persona may ever read them (HR admins excepted where noted in HR_MAY_READ).
MARK_PRIVATE_NOTE = "Vx-private-note-7Q2"
MARK_NOTIFICATION = "Vx-notification-subject-4K9"
MARK_NOTIFICATION_BODY = "Vx-notification-body-3J8"
MARK_SHARED_NOTES = "Vx-shared-notes-9L1"
MARK_AGENDA = "Vx-session-agenda-2H5"
MARK_FEEDBACK = "Vx-feedback-useful-5T3"
MARK_GOAL = "Vx-goal-title-8M4"
MARK_MILESTONE = "Vx-milestone-title-1C7"
MARK_GOAL_COMMENT = "Vx-goal-comment-6R2"
MARK_AGREEMENT = "Vx-agreement-expectations-3N6"
MARK_CHECKIN = "Vx-checkin-comments-4P8"
MARK_CLOSURE = "Vx-closure-what-changed-7W1"
MARK_REQUEST = "Vx-mentor-request-message-2B9"
MARK_MOTIVATION = "Vx-candidacy-motivation-5D3"
MARK_NOMINATION = "Vx-nomination-evidence-8F2"
MARK_ENDORSEMENT = "Vx-endorsement-reason-6G4"
MARK_REVIEW = "Vx-review-comment-9S5"
MARK_RECORD = "Vx-personnel-record-details-1X3"
MARK_DEMOGRAPHICS = "Vx-self-identified-gender-2Y6"
MARK_IMPORT = "vx-directory-import-4Z8.csv"
MARK_EVENT_AGENDA = "Vx-cohort-event-agenda-3U7"
MARK_COACHING = "Vx-coaching-note-5E1"
MARK_END_REASON = "Vx-end-reason-6A2"

SECRETS = (
    MARK_PRIVATE_NOTE,
    MARK_NOTIFICATION,
    MARK_NOTIFICATION_BODY,
    MARK_SHARED_NOTES,
    MARK_AGENDA,
    MARK_FEEDBACK,
    MARK_GOAL,
    MARK_MILESTONE,
    MARK_GOAL_COMMENT,
    MARK_AGREEMENT,
    MARK_CHECKIN,
    MARK_CLOSURE,
    MARK_REQUEST,
    MARK_MOTIVATION,
    MARK_NOMINATION,
    MARK_ENDORSEMENT,
    MARK_REVIEW,
    MARK_RECORD,
    MARK_DEMOGRAPHICS,
    MARK_IMPORT,
    MARK_EVENT_AGENDA,
    MARK_COACHING,
    MARK_END_REASON,
)
# What HR admins must never read, whatever page they open: other people's private notes and notifications.
HR_NEVER = (MARK_PRIVATE_NOTE, MARK_NOTIFICATION, MARK_NOTIFICATION_BODY)

# The victims' names and e-mail addresses: shown only where the product shows colleagues by design (the
# directory, the Master Mentor roster, a certificate's public page), see ``Entry.names_ok``.
VICTIM_NAMES = {
    "v_mentor": "Valentina Vexmentor",
    "v_mentee": "Victor Vexmentee",
    "v_mentee2": "Wanda Vexmentee",
    "v_mentee3": "Walter Vexunpaired",
    "v_mentor3": "Vivian Vexspare",
    "v_applicant": "Ursula Vexapplicant",
    "v_candidate": "Vikram Vexcandidate",
    "v_graduate": "Greta Vexgraduate",
}


def victim_email(key: str) -> str:
    return f"{key.replace('_', '.')}.vx@example.com"


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _login(email: str, **person: Any) -> User:
    user = UserFactory(email=email)
    person.setdefault("email", email)
    PersonFactory(**person)
    person_link_user(user=user)
    return User.objects.get(pk=user.pk)


def build_world(today: datetime.date) -> World:
    """Build the victims' objects and the personas; ``today`` is the (frozen) day of the test run."""
    w = World()
    users, o = w.users, w.objects
    o["today"] = today
    home = DepartmentFactory(name="Cardiology", division__name="Clinical Services")
    elsewhere = DepartmentFactory(name="Finance", division__name="Corporate Services")

    def victim(key: str, **person: Any) -> User:
        person.setdefault("full_name", VICTIM_NAMES.get(key, f"{key} Vexperson"))
        person.setdefault("department", home)
        users[key] = _login(victim_email(key), **person)
        return users[key]

    # --- The personas ----------------------------------------------------------------------------------
    users["manager"] = _login(
        "persona.manager@example.org", full_name="Pat Personamanager", job_level=6, department=elsewhere
    )
    users["outsider"] = _login(
        "persona.outsider@example.org",
        full_name="Oscar Personaoutsider",
        department=elsewhere,
        manager=users["manager"].person,
    )
    users["other_mentor"] = _login("persona.mentor@example.org", full_name="Otto Personamentor", job_level=6)
    users["other_mentee"] = _login("persona.mentee@example.org", full_name="Olga Personamentee", job_level=2)
    users["other_coordinator"] = _login("persona.coordinator@example.org", full_name="Cora Personacoord")
    users["other_sponsor"] = _login(
        "persona.sponsor@example.org", full_name="Sam Personasponsor", job_level=8
    )
    users["other_committee"] = _login("persona.committee@example.org", full_name="Cleo Personachair")
    users["hr_admin"] = _login("persona.hr@example.org", full_name="Hana Personahr", job_level=6)
    hr_admin_add(user=users["hr_admin"], by=None)

    # --- The victims -----------------------------------------------------------------------------------
    victim("v_manager", full_name="Vera Vexmanager", job_level=6)
    victim("v_mentor", job_level=6, gender=MARK_DEMOGRAPHICS)
    victim("v_mentee", job_level=2, manager=users["v_manager"].person)
    victim("v_mentee2", job_level=2)
    victim("v_mentee3", job_level=2)
    victim("v_mentor3", job_level=6)
    victim("v_applicant", job_level=2, manager=users["v_manager"].person)
    victim("v_coordinator", full_name="Viola Vexcoordinator")
    victim("v_sponsor", full_name="Vance Vexsponsor", job_level=8)
    victim("v_chair", full_name="Valerie Vexchair", job_level=8)
    victim("v_reviewer", full_name="Vito Vexreviewer", job_level=7)
    victim("v_candidate", job_level=5, manager=users["v_manager"].person)
    victim("v_report", full_name="Ramon Vexreport", job_level=4, manager=users["v_manager"].person)
    victim("v_mentee4", job_level=2)
    victim("v_endorser", full_name="Vanessa Vexendorser")
    victim("v_graduate", job_level=6)
    victim("v_cohort_coordinator", full_name="Viktor Vexcohortcoord")
    victim("v_hr", full_name="Vilma Vexhr", job_level=6)
    hr_admin_add(user=users["v_hr"], by=None)
    o["record"] = PersonnelRecord.objects.create(
        person=users["v_mentor"].person,
        kind=PersonnelRecord.Kind.AWARD,
        effective_on=datetime.date(2025, 6, 1),
        title="Team award",
        job_level=6,
        details=MARK_RECORD,
    )

    # --- The victim program ----------------------------------------------------------------------------
    program = ProgramFactory(
        name="Victim program",
        slug="victim-program",
        status=Program.Status.RUNNING,
        matching_mode=Program.MatchingMode.BOTH,
        enrollment_opens_on=datetime.date(2026, 6, 1),
        enrollment_closes_on=datetime.date(2026, 7, 15),
        matching_on=datetime.date(2026, 7, 20),
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 6, 30),
        coordinators=[users["v_coordinator"].person],
        sponsors=[users["v_sponsor"].person],
    )
    o["program"] = program
    o["key_result"] = KeyResultFactory(program=program)
    o["question"] = QuestionFactory(program=program)
    o["resource"] = ResourceFactory(program=program, title="Victim prompt")
    o["goal_template"] = ResourceFactory(program=program, kind=Resource.Kind.GOAL_TEMPLATE, title="Template")
    o["global_resource"] = ResourceFactory(program=None, title="Global guide")
    o["training"] = MentorTrainingFactory(person=users["v_mentor"].person)

    def approved(key: str, role: str, **extra: Any) -> Participant:
        return ParticipantFactory(
            program=program, person=users[key].person, role=role, status=Participant.Status.APPROVED, **extra
        )

    mentor = approved("v_mentor", "mentor", capacity=4)
    mentee = approved("v_mentee", "mentee")
    o["mentor_participant"], o["mentee_participant"] = mentor, mentee
    o["pair"] = mentorship_create(mentor=mentor, mentee=mentee, by=None, source="manual")
    o["pair2"] = mentorship_create(
        mentor=mentor, mentee=approved("v_mentee2", "mentee"), by=None, source="manual"
    )
    o["mentee3"] = approved("v_mentee3", "mentee")  # unpaired: re-matched, requests a mentor
    o["mentor3"] = approved("v_mentor3", "mentor", capacity=2)  # unpaired
    o["applicant"] = ParticipantFactory(
        program=program,
        person=users["v_applicant"].person,
        role="mentee",
        status=Participant.Status.APPLIED,
        manager_approval=Participant.ManagerApproval.PENDING,
    )
    # The personas' own pair, in the same program.
    o["other_pair"] = mentorship_create(
        mentor=ParticipantFactory(
            program=program, person=users["other_mentor"].person, role="mentor", status="approved"
        ),
        mentee=ParticipantFactory(
            program=program, person=users["other_mentee"].person, role="mentee", status="approved"
        ),
        by=None,
        source="manual",
    )
    started = datetime.date(2026, 9, 1)
    Mentorship.objects.filter(program=program).update(started_on=started)
    for key in ("pair", "pair2", "other_pair"):
        o[key].refresh_from_db()

    pair = o["pair"]
    o["agreement"] = Agreement.objects.create(mentorship=pair, expectations=MARK_AGREEMENT, cadence_days=30)
    o["goal"] = Goal.objects.create(mentorship=pair, title=MARK_GOAL, created_by=users["v_mentee"])
    o["milestone"] = Milestone.objects.create(goal=o["goal"], title=MARK_MILESTONE)
    o["milestone_done"] = Milestone.objects.create(
        goal=o["goal"], title="Done step", done_on=started, order=1
    )
    o["goal_comment"] = GoalComment.objects.create(
        goal=o["goal"], author=users["v_mentor"], body=MARK_GOAL_COMMENT
    )
    o["session"] = Session.objects.create(
        mentorship=pair,
        status=Session.Status.HELD,
        starts_at=_at(datetime.date(2026, 10, 1)),
        duration_minutes=60,
        format="video",
        agenda=MARK_AGENDA,
        shared_notes=MARK_SHARED_NOTES,
        logged_by=users["v_mentor"],
        logged_at=_at(datetime.date(2026, 10, 1), 12),
    )
    o["note"] = PrivateNote.objects.create(
        session=o["session"], author=users["v_mentor"], body=MARK_PRIVATE_NOTE
    )
    o["feedback"] = SessionFeedback.objects.create(
        session=o["session"], participant=mentee, rating=2, useful=MARK_FEEDBACK, fit="not_good"
    )
    o["session_due"] = Session.objects.create(  # scheduled, started yesterday: to be logged as held
        mentorship=pair,
        starts_at=_at(today - datetime.timedelta(days=1)),
        duration_minutes=60,
        format="video",
        scheduled_by=users["v_mentee"],
    )
    o["session_next"] = Session.objects.create(  # scheduled next week: changed, cancelled, invited
        mentorship=pair,
        starts_at=_at(today + datetime.timedelta(days=7)),
        duration_minutes=60,
        format="in_person",
        location="Room 5",
        scheduled_by=users["v_mentee"],
    )
    period = datetime.date(2026, 10, 1)
    o["checkin"] = CheckIn.objects.create(  # the mentee's, waiting for an answer
        mentorship=pair, participant=mentee, period_start=period, due_on=today + datetime.timedelta(days=10)
    )
    o["checkin_flagged"] = CheckIn.objects.create(  # the mentor's, answered, asking for help
        mentorship=pair,
        participant=mentor,
        period_start=period,
        due_on=today + datetime.timedelta(days=10),
        submitted_at=_at(today - datetime.timedelta(days=2)),
        satisfaction=1,
        goal_progress=1,
        frequency="too_rare",
        chemistry_right=False,
        wants_help=True,
        comments=MARK_CHECKIN,
    )
    pair2 = o["pair2"]
    Mentorship.objects.filter(pk=pair2.pk).update(
        status=Mentorship.Status.COMPLETED, ended_on=datetime.date(2026, 11, 1), end_reason=MARK_END_REASON
    )
    o["closure"] = ClosureSurvey.objects.create(
        mentorship=pair2,
        participant=pair2.mentee,
        goals_achieved="all",
        would_recommend=True,
        what_changed=MARK_CLOSURE,
    )
    o["run"] = MatchRun.objects.create(
        program=program, status=MatchRun.Status.DONE, progress=100, finished_at=_at(today), started_by=None
    )
    o["mentee4"] = approved("v_mentee4", "mentee")  # unpaired, proposed in the run
    o["proposal"] = Proposal.objects.create(
        run=o["run"], mentor=o["mentor3"], mentee=o["mentee4"], score=71.5
    )
    o["mentor_request"] = MentorRequest.objects.create(
        program=program,
        mentee=o["mentee3"],
        mentor=mentor,
        rank=1,
        status=MentorRequest.Status.PENDING,
        message=MARK_REQUEST,
        expires_at=_at(today + datetime.timedelta(days=5)),
    )

    # --- Master Mentors: a past cycle's cohort, a cycle under review, an open cycle ----------------------
    past = NominationCycleFactory(
        name="Victim past cycle",
        year=2026,
        status=NominationCycle.Status.CLOSED,
        nominations_open_on=datetime.date(2025, 11, 1),
        nominations_close_on=datetime.date(2025, 12, 15),
        review_due_on=datetime.date(2026, 1, 31),
        decisions_published_at=_at(datetime.date(2026, 2, 1)),
    )
    cohort = CohortFactory(
        cycle=past,
        name="Victim cohort",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2027, 2, 28),
        coordinators=[users["v_cohort_coordinator"].person],
    )
    o["cohort_cycle"], o["cohort"] = past, cohort
    o["member"] = CohortMemberFactory(
        cohort=cohort,
        person=users["v_graduate"].person,
        status=CohortMember.Status.GRADUATED,
        graduated_on=datetime.date(2026, 9, 1),
    )
    o["event"] = CohortEventFactory(
        cohort=cohort,
        title="Victim workshop",
        agenda=MARK_EVENT_AGENDA,
        starts_at=_at(today + datetime.timedelta(days=3)),
    )
    o["past_event"] = CohortEventFactory(
        cohort=cohort, title="Past workshop", starts_at=_at(datetime.date(2026, 4, 1))
    )
    AttendanceFactory(event=o["past_event"], member=o["member"])
    o["certificate"] = Certificate.objects.create(
        member=o["member"],
        verification_code="vx7c0d3vx7c0d3vx7c0d3vx7c0d3",
        title="Certified Master Mentor",
        issued_on=datetime.date(2026, 9, 1),
    )

    cycle = NominationCycleFactory(
        name="Victim cycle",
        year=2027,
        status=NominationCycle.Status.REVIEWING,
        nominations_open_on=datetime.date(2026, 9, 1),
        nominations_close_on=datetime.date(2026, 10, 15),
        review_due_on=today + datetime.timedelta(days=30),
    )
    o["cycle"] = cycle
    DivisionQuotaFactory(cycle=cycle, division=home.division, seats=2)
    o["criterion"] = CriterionFactory(cycle=cycle, name="Integrity", weight=2, order=1)
    o["criterion2"] = CriterionFactory(cycle=cycle, name="Listening", weight=1, order=2)
    o["chair_seat"] = CommitteeMemberFactory(cycle=cycle, person=users["v_chair"].person, is_chair=True)
    o["seat"] = CommitteeMemberFactory(cycle=cycle, person=users["v_reviewer"].person)
    o["candidacy"] = CandidacyFactory(
        cycle=cycle,
        person=users["v_candidate"].person,
        number=17,
        status=Candidacy.Status.ACCEPTED,
        motivation=MARK_MOTIVATION,
        decision=Candidacy.Decision.SELECTED,
        decided_by=users["v_chair"],
        decided_at=_at(today - datetime.timedelta(days=1)),
        decision_rationale="Vx",
    )
    NominationFactory(
        candidacy=o["candidacy"], nominator=users["v_manager"].person, informal_mentoring=MARK_NOMINATION
    )
    review = ReviewFactory(
        candidacy=o["candidacy"],
        reviewer=users["v_reviewer"].person,
        comment=MARK_REVIEW,
        submitted_at=_at(today - datetime.timedelta(days=1)),
    )
    ReviewScoreFactory(review=review, criterion=o["criterion"], score=4)
    ReviewScoreFactory(review=review, criterion=o["criterion2"], score=3)
    EndorsementFactory(
        cycle=cycle,
        endorser=users["v_endorser"].person,
        person=users["v_candidate"].person,
        reason=MARK_ENDORSEMENT,
    )

    open_cycle = NominationCycleFactory(
        name="Victim open cycle",
        year=2028,
        status=NominationCycle.Status.OPEN,
        nominations_open_on=today - datetime.timedelta(days=10),
        nominations_close_on=today + datetime.timedelta(days=20),
        review_due_on=today + datetime.timedelta(days=60),
    )
    o["open_cycle"] = open_cycle
    DivisionQuotaFactory(cycle=open_cycle, division=home.division, seats=2)
    o["open_criterion"] = CriterionFactory(cycle=open_cycle, name="Integrity", weight=1, order=1)
    CommitteeMemberFactory(cycle=open_cycle, person=users["v_chair"].person, is_chair=True)
    o["open_seat"] = CommitteeMemberFactory(cycle=open_cycle, person=users["v_reviewer"].person)
    o["endorsement"] = EndorsementFactory(
        cycle=open_cycle,
        endorser=users["v_endorser"].person,
        person=users["v_candidate"].person,
        reason=MARK_ENDORSEMENT,
    )
    o["invited_candidacy"] = CandidacyFactory(
        cycle=open_cycle, person=users["v_candidate"].person, number=3, status=Candidacy.Status.INVITED
    )
    NominationFactory(
        candidacy=o["invited_candidacy"],
        nominator=users["v_manager"].person,
        informal_mentoring=MARK_NOMINATION,
    )

    # The certified graduate coaches the victim mentor in the victim program.
    o["coaching"] = MentorCoaching.objects.create(
        mentor=users["v_mentor"].person, coach=users["v_graduate"].person, program=program, note=MARK_COACHING
    )

    # A cycle being set up (its rubric and committee can still change) and one decided without a cohort yet.
    draft = NominationCycleFactory(name="Victim draft cycle", year=2029, status=NominationCycle.Status.DRAFT)
    o["draft_cycle"] = draft
    DivisionQuotaFactory(cycle=draft, division=home.division, seats=2)
    o["draft_criterion"] = CriterionFactory(cycle=draft, name="Integrity", weight=1, order=1)
    o["draft_criterion2"] = CriterionFactory(cycle=draft, name="Listening", weight=1, order=2)
    CommitteeMemberFactory(cycle=draft, person=users["v_chair"].person, is_chair=True)
    o["draft_seat"] = CommitteeMemberFactory(cycle=draft, person=users["v_reviewer"].person)
    for key in ("v_coordinator", "v_cohort_coordinator", "v_sponsor"):
        CommitteeMemberFactory(cycle=draft, person=users[key].person)
    o["decided_cycle"] = NominationCycleFactory(
        name="Victim decided cycle",
        year=2025,
        status=NominationCycle.Status.DECIDED,
        decisions_published_at=_at(today - datetime.timedelta(days=20)),
    )
    CandidacyFactory(
        cycle=o["decided_cycle"],
        person=users["v_report"].person,
        status=Candidacy.Status.ACCEPTED,
        decision=Candidacy.Decision.SELECTED,
    )
    PersonnelRecord.objects.create(
        person=users["v_graduate"].person,
        kind=PersonnelRecord.Kind.CERTIFICATE,
        effective_on=datetime.date(2026, 9, 1),
        title=MASTER_MENTOR_CERTIFICATE_TITLE,
        job_level=6,
    )

    # A second victim program, still enrolling: its questionnaire, key results and invitations can change.
    enrolling = ProgramFactory(
        name="Victim enrolling program",
        slug="victim-enrolling",
        status=Program.Status.ENROLLING,
        coordinators=[users["v_coordinator"].person],
        sponsors=[users["v_sponsor"].person],
    )
    o["enrolling"] = enrolling
    o["enrolling_key_result"] = KeyResultFactory(program=enrolling)
    KeyResultFactory(program=enrolling, metric=KeyResult.Metric.PARTICIPATION_RATE)
    o["enrolling_question"] = QuestionFactory(program=enrolling)
    o["enrolling_question2"] = QuestionFactory(
        program=enrolling, mentor_text="Where?", mentee_text="Where?", kind="text", choices=[]
    )
    o["enrolling_applicant"] = ParticipantFactory(
        program=enrolling, person=users["v_report"].person, role="mentee", status=Participant.Status.APPLIED
    )

    # --- What the personas own elsewhere ---------------------------------------------------------------
    o["persona_program"] = ProgramFactory(
        name="Persona program",
        slug="persona-program",
        status=Program.Status.RUNNING,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 6, 30),
        coordinators=[users["other_coordinator"].person],
        sponsors=[users["other_sponsor"].person],
    )
    persona_cycle = NominationCycleFactory(
        name="Persona cycle", year=2027, status=NominationCycle.Status.REVIEWING
    )
    CommitteeMemberFactory(cycle=persona_cycle, person=users["other_committee"].person, is_chair=True)
    o["persona_cycle"] = persona_cycle

    # --- HR and notifications --------------------------------------------------------------------------
    o["directory_import"] = DirectoryImport.objects.create(
        kind=DirectoryImport.Kind.PEOPLE,
        status=DirectoryImport.Status.READY,
        file_name=MARK_IMPORT,
        content=b"employee_id,full_name\n",
        uploaded_by=users["v_hr"],
    )
    o["notification"] = Notification.objects.create(
        recipient=users["v_mentee"].person,
        kind="feedback.session_reminder",
        key="vx-1",
        subject=MARK_NOTIFICATION,
        body=MARK_NOTIFICATION_BODY,
        url="/pairs/",
    )
    o["v_mentor_uidb36"] = user_pk_to_url_str(users["v_mentor"])
    from .world_parts import EXTENSIONS

    for extend in EXTENSIONS:
        extend(w)
    return w
