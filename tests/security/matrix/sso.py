"""Matrix entries: company sign-in and HR's single sign-on pages."""

from __future__ import annotations

from .base import EVERYONE, HR, HR_RUNS, SIGN_IN, Entry

OIDC_POST = {
    "name": "Vx Changed",
    "slug": "vx-company",
    "domains": "vx.test",
    "enabled": "on",
    "server_url": "https://idp.vx.test/v2.0",
    "client_id": "vx-client-2",
    "secret": "",
}

SSO: dict[str, Entry] = {
    "sso:start": Entry(
        post=lambda w: {"email": "nobody@unknown.test"},
        own=EVERYONE,
        why=SIGN_IN,
        changes=False,
        note="an address of no provider's domain: the form answers with a message and changes nothing",
    ),
    "sso:provider_list": Entry(owner="v_hr", own=HR, why=HR_RUNS, markers=("Vx-client-secret-8Q1",)),
    "sso:provider_create": Entry(
        kwargs=lambda w: {"protocol": "oidc"},
        post=lambda w: {**OIDC_POST, "slug": "vx-new", "domains": "vx-new.test", "secret": "s"},
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
    ),
    "sso:provider_edit": Entry(
        kwargs=lambda w: {"pk": w.sso_app.pk},
        post=lambda w: OIDC_POST,
        owner="v_hr",
        own=HR,
        why=HR_RUNS,
        markers=("Vx-client-secret-8Q1",),
    ),
    "sso:provider_delete": Entry(
        kwargs=lambda w: {"pk": w.sso_app.pk}, post=lambda w: {}, owner="v_hr", own=HR, why=HR_RUNS
    ),
}
