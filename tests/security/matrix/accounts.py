"""Matrix entries: the home page, sign-in (allauth), the directory, notifications and outcome dashboards."""

from __future__ import annotations

from ..world import MARK_DEMOGRAPHICS, MARK_IMPORT, MARK_RECORD
from .base import EVERYONE, HR, HR_RUNS, OWN_LIST, OWN_LOGIN, SIGN_IN, SIGNED_IN, Entry, csv_file, day, slug

_ALLAUTH_PUBLIC = (
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "mfa_authenticate",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "accounts/social/login/cancelled/",
    "accounts/social/login/error/",
    "accounts/social/signup/",
    "accounts/social/connections/",  # a permanent redirect to the new address, which asks for the login
)
_ALLAUTH_OWN = (
    "account_reauthenticate",
    "account_email",
    "account_change_password",
    "account_set_password",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "socialaccount_connections",
    "usersessions_list",
)
PEOPLE_CSV = (
    "employee_id,full_name,email,title,job_level,division,department,manager_employee_id,location,hire_date,"
    "status,left_on,left_reason\n"
    "VX900,Vx Newcomer,vx.newcomer@example.com,Analyst,3,Clinical Services,Cardiology,,Baltimore,2024-01-02,"
    "active,,\n"
)

ACCOUNTS: dict[str, Entry] = {
    # --- mentoring ------------------------------------------------------------------------------------------
    "home": Entry(own=EVERYONE, why="the home page shows each viewer their own panels"),
    "health": Entry(own=EVERYONE, why="for load balancers: says only whether the database answers"),
    # --- allauth --------------------------------------------------------------------------------------------
    **{name: Entry(own=EVERYONE, why=SIGN_IN) for name in _ALLAUTH_PUBLIC},
    **{name: Entry(own=SIGNED_IN, why=OWN_LOGIN) for name in _ALLAUTH_OWN},
    # Company sign-in (allauth's providers): an unknown provider or organization is a 404.
    **{
        name: Entry(kwargs=lambda w: {"provider_id": "vx-none"}, own=EVERYONE, why=SIGN_IN)
        for name in ("openid_connect_login", "openid_connect_callback")
    },
    **{
        name: Entry(kwargs=lambda w: {"organization_slug": "vx-none"}, own=EVERYONE, why=SIGN_IN)
        for name in ("saml_acs", "saml_finish_acs", "saml_login", "saml_metadata", "saml_sls")
    },
    "account_confirm_email": Entry(
        kwargs=lambda w: {"key": "vx-not-a-real-key"},
        own=EVERYONE,
        why="a confirmation link is its own credential; a wrong key reveals nothing",
    ),
    "account_reset_password_from_key": Entry(
        kwargs=lambda w: {"uidb36": w.v_mentor_uidb36, "key": "vx-not-a-real-key"},
        own=EVERYONE,
        why="a reset link is its own credential; a victim's uid with a wrong key reveals nothing",
    ),
    # --- people ---------------------------------------------------------------------------------------------
    "people:person_list": Entry(
        own=SIGNED_IN,
        names_ok=True,
        why="every employee looks colleagues up (name, title, department, manager)",
    ),
    "people:person_detail": Entry(
        kwargs=lambda w: {"pk": w.users["v_mentor"].person.pk},
        post=lambda w: {"kind": "award", "effective_on": day(w, -3), "title": "Vx award", "job_level": 6},
        owner="v_hr",
        owner_sees=(MARK_RECORD, MARK_DEMOGRAPHICS),
        own=HR,
        reads=SIGNED_IN - HR,
        names_ok=True,
        why="every employee looks a colleague up, never their personnel file or demographics; HR admins add "
        "records",
    ),
    "people:account_settings": Entry(
        post=lambda w: {"time_zone": "Asia/Tokyo"},
        owner="v_mentor",
        own=SIGNED_IN,
        why="each login's own time zone; nobody reaches another's",
    ),
    "people:hr_admins": Entry(
        post=lambda w: {"email": w.users["v_mentee"].email}, owner="v_hr", own=HR, why=HR_RUNS
    ),
    "people:hr_admin_remove": Entry(
        kwargs=lambda w: {"user_id": w.users["v_hr"].pk},
        get=False,
        post=lambda w: {},
        owner="hr_admin",
        own=HR,
        why=HR_RUNS,
    ),
    "people:import_list": Entry(
        post=lambda w: {"kind": "people", "file": csv_file("vx.csv", PEOPLE_CSV)},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "people:audit_log": Entry(owner="v_hr", own=HR, why="HR admins read who did what; nobody else"),
    "people:import_template": Entry(kwargs=lambda w: {"kind": "people"}, owner="v_hr", own=HR, why=HR_RUNS),
    "people:import_detail": Entry(
        kwargs=lambda w: {"pk": w.directory_import.pk},
        owner="v_hr",
        owner_sees=(MARK_IMPORT,),
        own=HR,
        why=HR_RUNS,
    ),
    "people:import_apply": Entry(
        kwargs=lambda w: {"pk": w.directory_import.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "people:import_discard": Entry(
        kwargs=lambda w: {"pk": w.directory_import.pk},
        get=False,
        post=lambda w: {},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    # --- notifications --------------------------------------------------------------------------------------
    "notifications:list": Entry(own=SIGNED_IN, why=OWN_LIST),
    "notifications:operations": Entry(owner="v_hr", own=HR, why=HR_RUNS),
    "notifications:settings": Entry(
        post=lambda w: {"email": "off"}, owner="v_mentee", own=SIGNED_IN, why="each person's own settings"
    ),
    "notifications:read_all": Entry(
        get=False,
        post=lambda w: {},
        owner="v_mentee",
        own=SIGNED_IN,
        post_as_own=True,
        why="marks the viewer's own notifications read (the personas have none: nothing may change)",
    ),
    "notifications:open": Entry(
        kwargs=lambda w: {"pk": w.notification.pk}, get=False, post=lambda w: {}, owner="v_mentee"
    ),
    # --- outcomes -------------------------------------------------------------------------------------------
    "outcomes:overview": Entry(
        own=HR | {"other_sponsor", "other_coordinator"},
        why="sponsors and coordinators read the dashboards of their own programs",
        markers=("Victim program", "victim-program"),
    ),
    "outcomes:program": Entry(kwargs=slug, owner="v_sponsor", own=HR, why=HR_RUNS),
    "outcomes:impact": Entry(kwargs=slug, owner="v_sponsor", own=HR, why=HR_RUNS),
    "outcomes:equity": Entry(kwargs=slug, owner="v_sponsor", own=HR, why=HR_RUNS),
    "outcomes:master_mentors": Entry(owner="v_hr", own=HR, why=HR_RUNS),
    "outcomes:settings": Entry(
        post=lambda w: {"min_group_size": 7, "external_hire_cost": "50000", "currency": "EUR"},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
}
