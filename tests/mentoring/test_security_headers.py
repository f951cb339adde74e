"""The Content Security Policy allows no inline script, event handler or style, and idle logins end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from mentoring.middleware import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; style-src 'self'; font-src 'self'; "
    "img-src 'self' data:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; connect-src 'self'"
)
# E-mails are not governed by the policy (mail clients need inline styles), so their templates are skipped.
NOT_WEB_PAGES = ("notifications/email/",)

# A data block (type="application/json", as json_script and allauth write) is never run, so it is allowed.
INLINE_SCRIPT = re.compile(r'<script\b(?![^>]*\bsrc=)(?![^>]*\btype="application/json")[^>]*>', re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def _inline_code(text: str) -> list[str]:
    found = []
    for name, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("event handler", EVENT_HANDLER),
        ("style attribute", STYLE_ATTRIBUTE),
        ("style element", STYLE_ELEMENT),
    ):
        found += [f"{name}: {match.group(0)[:80]}" for match in pattern.finditer(text)]
    return found


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_pages_carry_the_content_security_policy(client):
    response = client.get(reverse("account_login"))
    assert _directives(response["Content-Security-Policy"]) == _directives(POLICY)
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_policy_never_allows_inline_or_evaluated_code(client):
    header = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get(reverse("account_login"))
    assert "Content-Security-Policy" not in response
    assert _directives(response["Content-Security-Policy-Report-Only"]) == _directives(POLICY)


def _settings_under(settings_module: str, expression: str, **env: str) -> str:
    """``expression`` evaluated on the settings loaded in a fresh process with ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    code = f"import django; django.setup(); from django.conf import settings; print(*({expression},))"
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(("value", "shown"), [("true", "True False"), ("false", "False True")])
def test_csp_report_only_is_read_from_the_environment(value, shown):
    expression = "bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY), bool(settings.CONTENT_SECURITY_POLICY)"
    assert _settings_under("mentoring.settings.local", expression, CSP_REPORT_ONLY=value) == shown


def test_no_template_holds_an_inline_script_handler_or_style():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT / "templates").as_posix()
        if relative.startswith(NOT_WEB_PAGES):
            continue
        offenders += [f"{relative}: {found}" for found in _inline_code(path.read_text())]
    assert offenders == []


def test_the_scan_finds_what_it_looks_for():
    assert len(_inline_code('<script>alert(1)</script><p style="x"><a onclick="f()"><style>')) == 4
    assert _inline_code('<script src="/static/js/x.js" defer></script><p class="style">on</p>') == []
    assert _inline_code('<script id="data" type="application/json">{"a": 1}</script>') == []


def test_rendered_pages_with_htmx_and_third_party_forms_hold_no_inline_code(client, hr_admin):
    pages = [reverse("account_login"), reverse("account_signup")]
    assert all(not _inline_code(client.get(url).content.decode()) for url in pages)
    client.force_login(hr_admin)
    for url in (
        reverse("home"),
        reverse("people:person_list"),
        reverse("people:import_list"),
        reverse("account_email"),
        reverse("mfa_index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(response.content.decode()) == [], url


def test_htmx_is_told_not_to_inject_its_indicator_styles(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in html


# --- Sessions -----------------------------------------------------------------------------------------------


def test_an_idle_login_is_signed_out(client, employee, settings):
    settings.SESSION_IDLE_TIMEOUT = 15 * 60
    with time_machine.travel("2025-03-03 09:00", tick=False) as traveller:
        client.force_login(employee)
        assert client.get(reverse("home")).wsgi_request.user.is_authenticated
        traveller.shift(14 * 60)
        assert client.get(reverse("home")).wsgi_request.user.is_authenticated
        traveller.shift(14 * 60)
        assert client.get(reverse("home")).wsgi_request.user.is_authenticated
        traveller.shift(16 * 60)
        response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated
    assert LAST_SEEN_KEY not in client.session


def test_without_an_idle_timeout_nothing_is_written_to_the_session(client, employee, settings):
    settings.SESSION_IDLE_TIMEOUT = None
    client.force_login(employee)
    client.get(reverse("home"))
    assert LAST_SEEN_KEY not in client.session


# --- Production settings ------------------------------------------------------------------------------------

REAL_KEY = "x" * 20 + "abcdefghij" * 4


def test_production_refuses_the_placeholder_key_of_the_example_env_file():
    placeholder = next(
        line.split("=", 1)[1]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line.startswith("SECRET_KEY=")
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean |= {"SECRET_KEY": placeholder, "DJANGO_SETTINGS_MODULE": "mentoring.settings.production"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_and_same_site():
    expression = (
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_SAMESITE, "
        "settings.SECURE_HSTS_SECONDS, settings.X_FRAME_OPTIONS, settings.SECURE_PROXY_SSL_HEADER"
    )
    shown = _settings_under("mentoring.settings.production", expression, SECRET_KEY=REAL_KEY)
    assert shown == "True True Lax 31536000 DENY ('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize(
    ("value", "shown"), [("X-Forwarded-Proto", "('HTTP_X_FORWARDED_PROTO', 'https')"), ("", "None")]
)
def test_the_proxy_header_is_trusted_only_when_configured(value, shown):
    expression = "settings.SECURE_PROXY_SSL_HEADER"
    env = {"SECRET_KEY": REAL_KEY, "SECURE_PROXY_SSL_HEADER": value}
    assert _settings_under("mentoring.settings.production", expression, **env) == shown


def test_session_lifetime_comes_from_the_environment():
    expression = (
        "settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, settings.SESSION_IDLE_TIMEOUT"
    )
    env = {
        "SESSION_COOKIE_AGE": "3600",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": "true",
        "SESSION_IDLE_TIMEOUT": "900",
    }
    assert _settings_under("mentoring.settings.local", expression, **env) == "3600 True 900"


def test_the_production_deployment_checks_pass():
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean |= {"SECRET_KEY": REAL_KEY + "klmnopqrst", "ALLOWED_HOSTS": "mentoring.example.com"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=mentoring.settings.production",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
