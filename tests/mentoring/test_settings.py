"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from mentoring.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def _load(settings_module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _load("mentoring.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _load("mentoring.settings.production", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = _load("mentoring.settings.production", SECRET_KEY="x" * 20 + "abcdefghij" * 4)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TIME_ZONE", "Mars/Olympus", "not a known time zone"),
        ("ACCOUNT_EMAIL_VERIFICATION", "sometimes", "must be one of"),
        ("MFA_REQUIRED_FOR_HR_ADMINS", "perhaps", "must be true or false"),
        ("MIN_GROUP_SIZE", "0", "must be at least 1"),
        ("MIN_GROUP_SIZE", "five", "must be a whole number"),
        ("DATABASE_URL", "nosuchdb://x", "nosuchdb"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_problem(variable, value, message):
    result = _load("mentoring.settings.local", **{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_local_default_is_sqlite_under_var():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        | {"DJANGO_SETTINGS_MODULE": "mentoring.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name.endswith("var/mentoring.sqlite3")


def test_celery_is_configured_for_safe_delivery():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert "mentoring.clear_expired_sessions" in conf.beat_schedule
    celery_app.loader.import_default_modules()  # what a worker does at start-up
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


def test_the_broker_is_redis_when_configured_and_files_otherwise():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from mentoring.celery import app; import django; django.setup(); print(app.conf.broker_url)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        | {"DJANGO_SETTINGS_MODULE": "mentoring.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "filesystem://localhost//"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from mentoring.celery import app; import django; django.setup(); print(app.conf.broker_url)",
        ],
        cwd=ROOT,
        env=dict(os.environ)
        | {"DJANGO_SETTINGS_MODULE": "mentoring.settings.local", "REDIS_URL": "redis://cache:6379/3"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "redis://cache:6379/3"
