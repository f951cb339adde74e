"""A developer's machine and the `make run` demo: SQLite, files under var/, no servers needed."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")

for _folder in ("log", "mail", "cache", "celery/broker", "celery/processed", "media"):
    (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)
