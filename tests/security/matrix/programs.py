"""Matrix entries: programs (management, questionnaire, playbook, training, enrollment) and matching."""

from __future__ import annotations

from ..world import MARK_REQUEST
from .base import HR, HR_RUNS, SIGNED_IN, Entry, csv_file, enrolling, run, slug

PROGRAMS: dict[str, Entry] = {
    # --- programs: management -------------------------------------------------------------------------------
    "programs:manage_list": Entry(
        own=HR | {"other_coordinator"},
        why="HR admins and coordinators list the programs they manage (a coordinator only theirs)",
        markers=("/programs/victim-program/manage/",),
    ),
    "programs:program_create": Entry(
        post=lambda w: {"name": "Vx new program", "template_key": ""}, owner="v_hr", own=HR, why=HR_RUNS
    ),
    "programs:program_overview": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "programs:program_transition": Entry(
        kwargs=slug,
        get=False,
        post=lambda w: {"to": "closed", "why": "Vx"},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:program_duplicate": Entry(
        kwargs=slug, get=False, post=lambda w: {}, owner="v_hr", own=HR, why=HR_RUNS
    ),
    "programs:program_settings": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "programs:program_settings_section": Entry(
        kwargs=lambda w: {"slug": w.enrolling.slug, "section": "basics"},
        get=False,
        post=lambda w: {
            "name": "Vx renamed",
            "kind": "one_to_one",
            "purpose": "culture",
            "description": "Vx",
        },
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:key_result_create": Entry(
        kwargs=enrolling,
        get=False,
        post=lambda w: {"objective": "Vx", "metric": "sessions_per_pair_month", "baseline": 1, "target": 2},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:key_result_update": Entry(
        kwargs=lambda w: {"slug": w.enrolling.slug, "pk": w.enrolling_key_result.pk},
        get=False,
        post=lambda w: {"objective": "Vx changed", "metric": "match_rate", "baseline": 10, "target": 99},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:key_result_delete": Entry(
        kwargs=lambda w: {"slug": w.enrolling.slug, "pk": w.enrolling_key_result.pk},
        get=False,
        post=lambda w: {},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    # --- programs: questionnaire ----------------------------------------------------------------------------
    "programs:question_list": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "programs:question_create": Entry(
        kwargs=enrolling,
        post=lambda w: {
            "mentor_text": "Vx?",
            "mentee_text": "Vx?",
            "kind": "text",
            "match_rule": "none",
            "weight": 1,
        },
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:question_reorder": Entry(
        kwargs=enrolling,
        get=False,
        post=lambda w: {"ids": [w.enrolling_question2.pk, w.enrolling_question.pk]},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:question_preview": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "programs:question_edit": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.question.pk},
        post=lambda w: {
            "mentor_text": "Vx changed?",
            "mentee_text": "Vx changed?",
            "kind": "multi",
            "choices": "\n".join(w.question.choices),
            "match_rule": "overlap",
            "weight": 3,
        },
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:question_delete": Entry(
        kwargs=lambda w: {"slug": w.enrolling.slug, "pk": w.enrolling_question.pk},
        get=False,
        post=lambda w: {},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    # --- programs: playbook and training --------------------------------------------------------------------
    "programs:global_resource_list": Entry(owner="v_hr", own=HR, why=HR_RUNS),
    "programs:global_resource_create": Entry(
        post=lambda w: {
            "title": "Vx guide",
            "kind": "guide",
            "audience": "everyone",
            "body": "Vx",
            "order": 1,
        },
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:global_resource_install_defaults": Entry(
        get=False, post=lambda w: {}, owner="v_hr", own=HR, why=HR_RUNS
    ),
    "programs:global_resource_edit": Entry(
        kwargs=lambda w: {"pk": w.global_resource.pk},
        post=lambda w: {
            "title": "Vx edited",
            "kind": "guide",
            "audience": "everyone",
            "body": "Vx",
            "order": 2,
        },
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:global_resource_delete": Entry(
        kwargs=lambda w: {"pk": w.global_resource.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:training_list": Entry(owner="v_hr", own=HR, why=HR_RUNS),
    "programs:training_import": Entry(
        get=False,
        post=lambda w: {
            "file": csv_file(
                "t.csv", f"employee_id,completed_on\n{w.users['v_mentee'].person.employee_id},2026-10-01\n"
            )
        },
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:training_delete": Entry(
        kwargs=lambda w: {"pk": w.training.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:playbook": Entry(
        kwargs=slug,
        owner="v_mentee",
        own=HR | {"other_mentee", "other_mentor"},
        why="the program's participants (the other pair is one) read its playbook",
    ),
    "programs:resource_list": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "programs:resource_create": Entry(
        kwargs=slug,
        post=lambda w: {
            "title": "Vx prompt",
            "kind": "prompt",
            "audience": "everyone",
            "body": "Vx",
            "order": 3,
        },
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:resource_edit": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.resource.pk},
        post=lambda w: {
            "title": "Vx edited",
            "kind": "prompt",
            "audience": "mentors",
            "body": "Vx",
            "order": 4,
        },
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:resource_delete": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.resource.pk},
        get=False,
        post=lambda w: {},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    # --- programs: enrollment -------------------------------------------------------------------------------
    "programs:program_list": Entry(own=SIGNED_IN, why="open programs and the viewer's own applications"),
    "programs:manager_approvals": Entry(own=SIGNED_IN, why="each manager's own reports' applications"),
    "programs:manager_approval_decide": Entry(
        kwargs=lambda w: {"pk": w.applicant.pk},
        get=False,
        post=lambda w: {"decision": "approve"},
        owner="v_manager",
    ),
    "programs:program_detail": Entry(
        kwargs=slug, own=SIGNED_IN, why="a running program's page is open to every employee"
    ),
    "programs:program_apply": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "role": "mentee"},
        own=SIGNED_IN,
        why="every employee applies to an open program for themself",
    ),
    "programs:participant_answers": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "role": "mentee"},
        post=lambda w: {f"q_{w.question.pk}": ["Leadership", "Communication"]},
        owner="v_mentee",
        changes=False,
        note="answers are locked once the program runs; the page still answers its owner",
        own=frozenset({"other_mentee"}),
        why="the URL names no one: each mentee reaches only their own answers",
    ),
    "programs:participant_withdraw": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "role": "mentee"},
        get=False,
        post=lambda w: {"reason": "Vx"},
        owner="v_mentee",
        own=frozenset({"other_mentee"}),
        why="the URL names no one: each mentee withdraws only their own application",
    ),
    "programs:participant_list": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "programs:participant_bulk": Entry(
        kwargs=enrolling,
        get=False,
        post=lambda w: {"participants": [w.enrolling_applicant.pk], "decision": "declined", "reason": "Vx"},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:participant_invite": Entry(
        kwargs=enrolling,
        get=False,
        post=lambda w: {"source": "paste", "paste-emails": w.users["outsider"].email, "paste-role": "mentor"},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "programs:participant_detail": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.mentee_participant.pk},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    # --- matching -------------------------------------------------------------------------------------------
    "matching:run_list": Entry(kwargs=slug, owner="v_coordinator", own=HR, why=HR_RUNS),
    "matching:run_start": Entry(
        kwargs=slug, get=False, post=lambda w: {}, owner="v_coordinator", own=HR, why=HR_RUNS
    ),
    "matching:run_detail": Entry(kwargs=run, owner="v_coordinator", own=HR, why=HR_RUNS),
    "matching:run_progress": Entry(kwargs=run, owner="v_coordinator", owner_get=302, own=HR, why=HR_RUNS),
    "matching:proposal_pin": Entry(
        kwargs=run,
        get=False,
        post=lambda w: {"mentor": w.mentor3.pk, "mentee": w.mentee3.pk},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "matching:proposal_forbid": Entry(
        kwargs=run,
        get=False,
        post=lambda w: {"mentor": w.mentor3.pk, "mentee": w.mentee3.pk, "reason": "Vx"},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "matching:proposal_swap": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.run.pk, "proposal_pk": w.proposal.pk},
        post=lambda w: {"mentor": w.mentor_participant.pk},
        owner="v_coordinator",
        own=HR,
        why=HR_RUNS,
    ),
    "matching:run_rerun": Entry(
        kwargs=run, get=False, post=lambda w: {}, owner="v_coordinator", own=HR, why=HR_RUNS
    ),
    "matching:run_discard": Entry(
        kwargs=run, get=False, post=lambda w: {}, owner="v_coordinator", own=HR, why=HR_RUNS
    ),
    "matching:run_publish": Entry(kwargs=run, post=lambda w: {}, owner="v_coordinator", own=HR, why=HR_RUNS),
    "matching:mentee_rematch": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "participant_pk": w.mentee3.pk},
        get=False,
        post=lambda w: {},
        owner="v_coordinator",
        changes=False,
        note="a run of the program waits for review (the run pages need one), so re-matching is refused "
        "with a message after the access check",
        own=HR,
        why=HR_RUNS,
    ),
    "matching:my_pairs": Entry(own=SIGNED_IN, why="redirects everyone to their own pairs"),
    "matching:choose": Entry(
        kwargs=slug,
        post=lambda w: {"choice_1": w.mentor3.pk, "message": "Vx"},
        owner="v_mentee3",
        own=frozenset({"other_mentee"}),
        names_ok=True,
        why="the program's mentees choose among its mentors (by name, by design)",
    ),
    "matching:mentor_requests": Entry(
        kwargs=slug,
        owner="v_mentor",
        owner_sees=(MARK_REQUEST,),
        own=frozenset({"other_mentor"}),
        why="each mentor of the program sees the requests made to them",
    ),
    "matching:mentor_request_accept": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.mentor_request.pk},
        get=False,
        post=lambda w: {},
        owner="v_mentor",
    ),
    "matching:mentor_request_decline": Entry(
        kwargs=lambda w: {"slug": w.program.slug, "pk": w.mentor_request.pk},
        get=False,
        post=lambda w: {f"decline-{w.mentor_request.pk}-reason": "Vx"},
        owner="v_mentor",
    ),
}
