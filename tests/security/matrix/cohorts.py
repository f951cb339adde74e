"""Matrix entries: Master Mentor cycles, nominations, blind review, the cohort and certificates."""

from __future__ import annotations

from ..world import MARK_ENDORSEMENT, MARK_EVENT_AGENDA, MARK_REVIEW
from .base import (
    EVERYONE,
    HR,
    HR_RUNS,
    OWN_LIST,
    SIGNED_IN,
    Entry,
    candidacy,
    cohort,
    day,
    draft_cycle,
    event,
    open_cycle,
    review_cycle,
)

COHORTS: dict[str, Entry] = {
    # --- cohorts: cycles (HR admins) ------------------------------------------------------------------------
    "cohorts:cycle_list": Entry(owner="v_hr", own=HR, why=HR_RUNS),
    "cohorts:cycle_create": Entry(
        post=lambda w: {
            "name": "Vx cycle",
            "year": 2029,
            "min_job_level": 3,
            "min_tenure_months": 12,
            "min_reviews": 2,
            "near_tie_margin": "0.2",
        },
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cycle_detail": Entry(kwargs=open_cycle, owner="v_hr", own=HR, why=HR_RUNS),
    "cohorts:cycle_edit": Entry(
        kwargs=open_cycle,
        post=lambda w: {
            "name": "Vx renamed cycle",
            "year": 2028,
            "nominations_open_on": day(w, -10),
            "nominations_close_on": day(w, 25),
            "review_due_on": day(w, 60),
            "min_job_level": 3,
            "min_tenure_months": 24,
            "min_reviews": 2,
            "near_tie_margin": "0.2",
        },
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cycle_transition": Entry(
        kwargs=open_cycle,
        get=False,
        post=lambda w: {"to": "reviewing", "why": "Vx"},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cycle_start_next": Entry(
        kwargs=lambda w: {"pk": w.cohort_cycle.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cycle_seats": Entry(
        kwargs=open_cycle,
        post=lambda w: {f"seats_{w.users['v_mentor'].person.department.division_id}": 5},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cycle_committee": Entry(
        kwargs=draft_cycle,
        post=lambda w: {"person": w.users["v_mentee"].person.pk},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:committee_remove": Entry(
        kwargs=lambda w: {"pk": w.draft_cycle.pk, "member_pk": w.draft_seat.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:committee_chair": Entry(
        kwargs=lambda w: {"pk": w.draft_cycle.pk, "member_pk": w.draft_seat.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cycle_rubric": Entry(
        kwargs=draft_cycle,
        post=lambda w: {"name": "Vx criterion", "description": "Vx", "weight": 2},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:criteria_reorder": Entry(
        kwargs=draft_cycle,
        get=False,
        post=lambda w: {"ids": [w.draft_criterion2.pk, w.draft_criterion.pk]},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:criterion_edit": Entry(
        kwargs=lambda w: {"pk": w.draft_cycle.pk, "criterion_pk": w.draft_criterion.pk},
        get=False,
        post=lambda w: {"name": "Vx renamed", "description": "Vx", "weight": 3},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:criterion_remove": Entry(
        kwargs=lambda w: {"pk": w.draft_cycle.pk, "criterion_pk": w.draft_criterion.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    # --- cohorts: nominations -------------------------------------------------------------------------------
    "cohorts:nominations_home": Entry(
        own=SIGNED_IN, why="each employee's own endorsements, nominations and candidacies"
    ),
    "cohorts:endorse": Entry(
        kwargs=lambda w: {"cycle_pk": w.open_cycle.pk},
        post=lambda w: {"person": w.users["v_mentor"].person.pk, "reason": "Vx always helps"},
        owner="v_mentee",
        own=SIGNED_IN,
        names_ok=True,
        why="every employee endorses colleagues in an open cycle, for themself",
    ),
    "cohorts:endorsement_withdraw": Entry(
        kwargs=lambda w: {"pk": w.endorsement.pk}, get=False, post=lambda w: {}, owner="v_endorser"
    ),
    "cohorts:nominate": Entry(
        kwargs=lambda w: {"cycle_pk": w.open_cycle.pk},
        post=lambda w: {
            "person": w.users["v_report"].person.pk,
            "informal_mentoring": "Vx",
            "sought_out": "Vx",
            "sponsoring": "Vx",
            "communication": "Vx",
        },
        owner="v_manager",
        own=frozenset({"manager", "hr_admin"}),
        names_ok=True,
        why="managers nominate within their reporting tree, HR admins anyone",
    ),
    "cohorts:team_advice": Entry(
        kwargs=lambda w: {"cycle_pk": w.open_cycle.pk},
        owner="v_manager",
        own=frozenset({"manager"}),
        why="a manager sees whom their own team goes to for advice",
    ),
    "cohorts:cycle_nominations_hr": Entry(
        kwargs=lambda w: {"cycle_pk": w.cycle.pk},
        owner="v_hr",
        owner_sees=(MARK_ENDORSEMENT,),
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:candidacy": Entry(
        kwargs=lambda w: {"pk": w.invited_candidacy.pk},
        post=lambda w: {"decision": "decline"},
        owner="v_candidate",
    ),
    # --- cohorts: review and selection ----------------------------------------------------------------------
    "cohorts:review_list": Entry(kwargs=review_cycle, owner="v_reviewer"),
    "cohorts:review_candidacy": Entry(
        kwargs=candidacy,
        post=lambda w: {
            f"score_{w.criterion.pk}": 1,
            f"score_{w.criterion2.pk}": 1,
            "comment": "Vx overwritten",
            "action": "submit",
        },
        owner="v_reviewer",
        owner_sees=(MARK_REVIEW,),
    ),
    "cohorts:review_conflict": Entry(
        kwargs=candidacy, get=False, post=lambda w: {"note": "Vx conflict"}, owner="v_chair"
    ),
    "cohorts:review_progress": Entry(kwargs=review_cycle, owner="v_chair", own=HR, why=HR_RUNS),
    "cohorts:ranking": Entry(kwargs=review_cycle, owner="v_chair"),
    "cohorts:selection_decide": Entry(
        kwargs=candidacy,
        get=False,
        post=lambda w: {"decision": "not_selected", "rationale": "Vx"},
        owner="v_chair",
    ),
    "cohorts:publish_decisions": Entry(
        kwargs=review_cycle, post=lambda w: {"justification": "Vx"}, owner="v_chair"
    ),
    "cohorts:person_history": Entry(
        kwargs=lambda w: {"person_pk": w.users["v_candidate"].person.pk}, owner="v_hr", own=HR, why=HR_RUNS
    ),
    # --- cohorts: the cohort --------------------------------------------------------------------------------
    "cohorts:cohort_list": Entry(own=SIGNED_IN, why=OWN_LIST, markers=("Victim cohort",)),
    "cohorts:cohort_create": Entry(
        kwargs=lambda w: {"cycle_pk": w.decided_cycle.pk},
        post=lambda w: {
            "name": "Vx cohort",
            "starts_on": day(w, 100),
            "ends_on": day(w, 280),
            "min_attendance_percent": 75,
        },
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cohort_detail": Entry(kwargs=cohort, owner="v_graduate", own=HR, why=HR_RUNS),
    "cohorts:event_add": Entry(
        kwargs=cohort,
        post=lambda w: {
            "kind": "workshop",
            "title": "Vx workshop",
            "date": day(w, 20),
            "time": "14:00",
            "duration_minutes": 90,
        },
        owner="v_cohort_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:event_detail": Entry(
        kwargs=event, owner="v_graduate", owner_sees=(MARK_EVENT_AGENDA,), own=HR, why=HR_RUNS
    ),
    "cohorts:event_edit": Entry(
        kwargs=event,
        post=lambda w: {
            "kind": "workshop",
            "title": "Vx moved",
            "date": day(w, 21),
            "time": "15:00",
            "duration_minutes": 60,
        },
        owner="v_cohort_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:event_cancel": Entry(
        kwargs=event,
        get=False,
        post=lambda w: {"why": "Vx"},
        owner="v_cohort_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:event_ics": Entry(kwargs=event, owner="v_graduate", own=HR, why=HR_RUNS),
    "cohorts:attendance_take": Entry(
        kwargs=lambda w: {"pk": w.cohort.pk, "event_pk": w.past_event.pk},
        post=lambda w: {f"member-{w.member.pk}": "excused"},
        owner="v_cohort_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:member_detail": Entry(
        kwargs=lambda w: {"pk": w.cohort.pk, "member_pk": w.member.pk},
        owner="v_graduate",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:cohort_graduation": Entry(
        kwargs=cohort,
        post=lambda w: {},
        owner="v_cohort_coordinator",
        changes=False,
        note="everyone of the cohort has graduated already: nothing is left to change",
        own=HR,
        why=HR_RUNS,
    ),
    "cohorts:certificate_download": Entry(
        kwargs=lambda w: {"pk": w.certificate.pk}, owner="v_graduate", own=HR, why=HR_RUNS
    ),
    "cohorts:certificate_export": Entry(owner="v_hr", own=HR, why=HR_RUNS),
    "cohorts:certificate_verify": Entry(
        kwargs=lambda w: {"code": w.certificate.verification_code},
        own=EVERYONE,
        names_ok=True,
        why="whoever holds a certificate's code verifies it: the name, title and date, nothing else",
    ),
    "cohorts:roster": Entry(
        own=HR | {"other_coordinator"},
        names_ok=True,
        why="program coordinators read the roster of Master Mentors to pick mentors",
    ),
}
