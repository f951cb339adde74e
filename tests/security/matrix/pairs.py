"""Matrix entries: the life of a pair (agreement, goals, sessions, check-ins, closure, health)."""

from __future__ import annotations

from ..world import (
    MARK_AGENDA,
    MARK_AGREEMENT,
    MARK_CHECKIN,
    MARK_GOAL,
    MARK_GOAL_COMMENT,
    MARK_MILESTONE,
    MARK_PRIVATE_NOTE,
    MARK_SHARED_NOTES,
)
from .base import (
    HR,
    HR_ACTS_ON_PAIRS,
    HR_READS_PAIRS,
    HR_RUNS,
    OWN_LIST,
    SIGNED_IN,
    Entry,
    day,
    goal,
    on_board,
    pair,
    pair_pk,
    session,
    slug,
    when,
)

PAIRS: dict[str, Entry] = {
    # --- feedback: pairs ------------------------------------------------------------------------------------
    "feedback:pair_list": Entry(own=SIGNED_IN, why=OWN_LIST),
    "feedback:pair_detail": Entry(
        kwargs=pair,
        owner="v_mentee",
        owner_sees=(MARK_GOAL, MARK_MILESTONE, MARK_GOAL_COMMENT, MARK_AGREEMENT),
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:agreement_edit": Entry(
        kwargs=pair,
        get=False,
        post=lambda w: {
            "expectations": "Vx changed",
            "cadence_days": 14,
            "meeting_format": "video",
            "confidentiality": "Vx",
            "goals_summary": "Vx",
        },
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:agreement_confirm": Entry(
        kwargs=pair, get=False, post=lambda w: {}, owner="v_mentee", reads=HR, why=HR_READS_PAIRS
    ),
    "feedback:goal_create": Entry(
        kwargs=pair, post=lambda w: {"title": "Vx new goal"}, owner="v_mentee", reads=HR, why=HR_READS_PAIRS
    ),
    "feedback:goal_edit": Entry(
        kwargs=goal,
        post=lambda w: {"title": "Vx edited goal"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:goal_status": Entry(
        kwargs=goal,
        get=False,
        post=lambda w: {"to": "achieved"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:milestone_add": Entry(
        kwargs=goal,
        get=False,
        post=lambda w: {f"milestone-{w.goal.pk}-title": "Vx step"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:milestone_done": Entry(
        kwargs=lambda w: goal(w) | {"milestone_pk": w.milestone.pk},
        get=False,
        post=lambda w: {"done_on": day(w, 0)},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:milestone_undone": Entry(
        kwargs=lambda w: goal(w) | {"milestone_pk": w.milestone_done.pk},
        get=False,
        post=lambda w: {},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:goal_comment": Entry(
        kwargs=goal,
        get=False,
        post=lambda w: {f"comment-{w.goal.pk}-body": "Vx comment"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:pair_end": Entry(
        kwargs=pair,
        get=False,
        post=lambda w: {"category": "schedule", "note": "Vx"},
        owner="v_mentee",
        own=HR,
        why=HR_ACTS_ON_PAIRS,
    ),
    # --- feedback: sessions ---------------------------------------------------------------------------------
    "feedback:session_list": Entry(kwargs=pair_pk, owner="v_mentee", reads=HR, why=HR_READS_PAIRS),
    "feedback:session_schedule": Entry(
        kwargs=pair_pk,
        post=lambda w: when(w, 3) | {"location": "Vx"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:session_log": Entry(
        kwargs=pair_pk,
        post=lambda w: when(w, -4) | {"shared_notes": "Vx"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:session_detail": Entry(
        kwargs=session("session"),
        owner="v_mentor",
        owner_sees=(MARK_PRIVATE_NOTE, MARK_SHARED_NOTES, MARK_AGENDA),
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:session_ics": Entry(
        kwargs=session("session_next"), owner="v_mentee", reads=HR, why=HR_READS_PAIRS
    ),
    "feedback:session_edit": Entry(
        kwargs=session("session_next"),
        post=lambda w: when(w, 8) | {"location": "Vx"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:session_cancel": Entry(
        kwargs=session("session_next"),
        get=False,
        post=lambda w: {"why": "Vx"},
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:session_held": Entry(
        kwargs=session("session_due"),
        get=False,
        post=lambda w: when(w, -1),
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:session_note": Entry(
        kwargs=session("session"),
        get=False,
        post=lambda w: {"body": "Vx overwritten note"},
        owner="v_mentor",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:session_feedback": Entry(
        kwargs=session("session"),
        get=False,
        post=lambda w: {"rating": 5, "useful": "Vx", "fit": "good"},
        owner="v_mentor",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    # --- feedback: check-ins and closure --------------------------------------------------------------------
    "feedback:checkin": Entry(
        kwargs=lambda w: {"pair_pk": w.pair.pk, "pk": w.checkin.pk},
        post=lambda w: {
            "satisfaction": 5,
            "goal_progress": 4,
            "frequency": "right",
            "chemistry_right": "yes",
            "wants_help": "no",
            "comments": "Vx",
        },
        owner="v_mentee",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:closure": Entry(
        kwargs=lambda w: {"pair_pk": w.pair2.pk},
        post=lambda w: {
            "goals_achieved": "some",
            "would_recommend": "yes",
            "what_changed": "Vx",
            "promotion_readiness": "not_yet",
        },
        owner="v_mentor",
        reads=HR,
        why=HR_READS_PAIRS,
    ),
    "feedback:pair_complete": Entry(
        kwargs=pair_pk, post=lambda w: {}, owner="v_mentee", own=HR, why=HR_ACTS_ON_PAIRS
    ),
    "feedback:checkin_answers": Entry(
        kwargs=slug, owner="v_coordinator", owner_sees=(MARK_CHECKIN,), own=HR, why=HR_RUNS
    ),
    "feedback:checkins_open": Entry(
        kwargs=slug, post=lambda w: {}, owner="v_coordinator", own=HR, why=HR_RUNS
    ),
    "feedback:checkin_handled": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.checkin_flagged.pk},
        get=False,
        post=lambda w: {},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "feedback:program_pairs_complete": Entry(
        kwargs=slug,
        post=lambda w: {},
        owner="v_coordinator",
        changes=False,
        note="the program has not ended, so its owner's POST is refused with a message",
        own=HR,
        why=HR_RUNS,
    ),
    # --- feedback: health -----------------------------------------------------------------------------------
    "feedback:health_board": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "feedback:health_nudge": Entry(
        kwargs=on_board, get=False, post=lambda w: {}, owner="v_coordinator", own=HR, why=HR_RUNS
    ),
    "feedback:health_handled": Entry(
        kwargs=on_board,
        get=False,
        post=lambda w: {"risk": "help_wanted", "note": "Vx"},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "feedback:health_end": Entry(
        kwargs=on_board,
        get=False,
        post=lambda w: {"category": "fit", "note": "Vx"},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "feedback:health_mentors": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "feedback:mentor_coach": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "person_pk": w.users["v_mentor3"].person.pk},
        get=False,
        post=lambda w: {"coach": w.users["v_graduate"].person.pk, "note": "Vx"},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "feedback:coaching_end": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.coaching.pk},
        get=False,
        post=lambda w: {},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
}
