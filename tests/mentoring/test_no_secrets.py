"""No secret is committed: every tracked file is scanned for private keys, cloud and service tokens, secret
keys given as literals and passwords in connection URLs. Settings read secrets from the environment; the
only literal keys are the documented development and test keys, which protect nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The patterns are assembled from pieces so that this file does not match them itself.
DASHES = "-" * 5
PATTERNS = {
    "a private key": re.compile(DASHES + r"BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?" + DASHES),
    "an AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "a GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b"),
    "a Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "a Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    "a Stripe secret key": re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}\b"),
    # In code: SECRET_KEY = "literal" (or SECRET_KEY or "literal"); in env files: SECRET_KEY=literal.
    "a secret key literal": re.compile(
        r"""\bSECRET_KEY\s*=\s*(?:\w+\s+or\s+)?["'](?P<value>[^"'\n]{8,})["']"""
        r"""|^\s*(?:export\s+)?SECRET_KEY=(?P<bare>[^\s"'#]{8,})\s*$""",
        re.MULTILINE,
    ),
    "a password setting": re.compile(r"^\s*(?:export\s+)?[A-Z_]*PASSWORD=(?P<bare>\S+)", re.MULTILINE),
    "a password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:(?P<value>[^@\s/'\"]+)@"),
}
# Values that are plainly not secrets: the documented development and test keys, the example file's
# placeholders, and values a shell fills in ($VARIABLE, ${VARIABLE}, $(command): the Dockerfile's
# build-time key is made up on the spot).
NOT_SECRETS = re.compile(
    r"^(?:local-development-only-not-secret|tests-only-not-secret|change-me.*|pass|password|.*\$[({\w].*)$"
)


def _tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607 (git from the PATH, as every developer runs it)
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name]


def secrets_in(text: str) -> list[str]:
    found = []
    for what, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            groups = match.groupdict()
            value = groups.get("value") or groups.get("bare")
            if value is not None and NOT_SECRETS.match(value):
                continue
            found.append(f"{what}: {match.group(0)[:40]}…")
    return found


def test_no_tracked_file_holds_a_secret():
    problems = []
    for path in _tracked_files():
        if not path.is_file():
            continue  # deleted in the working tree, not yet in a commit
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files (images, fonts) hold no text secrets
        problems += [f"{path.relative_to(ROOT)}: {found}" for found in secrets_in(text)]
    assert problems == []


@pytest.mark.parametrize(
    "text",
    [
        DASHES + "BEGIN RSA PRIVATE KEY" + DASHES,
        DASHES + "BEGIN OPENSSH PRIVATE KEY" + DASHES,
        "aws_access_key_id = AKIA" + "ABCDEFGHIJKLMNOP",
        "token: ghp_" + "a1" * 18,
        'SECRET_KEY = "' + "k3y-" * 10 + '"',
        "SECRET_KEY=" + "Zm9vYmFyYmF6cXV4" * 3,
        "DATABASE_URL=postgres://mentoring:" + "hunter2-real@db:5432/mentoring",
        "EMAIL_HOST_PASSWORD=" + "hunter2-real",
    ],
    ids=[
        "RSA key",
        "OpenSSH key",
        "AWS key",
        "GitHub token",
        "settings literal",
        "env file",
        "URL password",
        "password setting",
    ],
)
def test_the_scan_finds_each_kind_of_secret(text):
    assert secrets_in(text)


@pytest.mark.parametrize(
    "text",
    [
        'SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"',
        'SECRET_KEY = "tests-only-not-secret"',
        "SECRET_KEY=change-me-to-a-long-random-value",
        'SECRET_KEY = env.str("SECRET_KEY", default="")',
        "postgres://user:pass@host:5432/db",
        "postgres://mentoring:${POSTGRES_PASSWORD}@postgres:5432/mentoring",
        "postgres://postgres@127.0.0.1:5432/mentoring_ci",
        "RUN SECRET_KEY=\"build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')\" \\",
        "POSTGRES_PASSWORD=change-me",
        'EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")',
    ],
)
def test_the_scan_lets_documented_placeholders_through(text):
    assert secrets_in(text) == []
