"""The test suite: in-memory SQLite by default; real PostgreSQL and Redis when their URLs are set."""

import os

from .base import *  # noqa: F403
from .base import REDIS_URL, VAR_DIR

STATIC_ROOT = VAR_DIR / "static-test"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

DEBUG = False
SECRET_KEY = "tests-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in-process; tests marked `redis` switch this off and start a real worker on the Redis broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Parallel test processes share one Redis, each with its own database: each sends to and consumes its own
# queue, so a worker never runs another process's task against the wrong database.
CELERY_TASK_DEFAULT_QUEUE = f"celery-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
LOGGING = {"version": 1, "disable_existing_loggers": False}
