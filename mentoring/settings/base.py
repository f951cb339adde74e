"""Settings shared by every environment.

Everything that differs between machines comes from the environment (django-environ), so the same code runs
on a laptop (SQLite, no servers) and in production (PostgreSQL, Redis, Celery workers). A value that cannot
be parsed stops start-up with a message naming the variable, rather than running with a surprise.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from sso.config import providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# Where the embedded default keeps its database, mail, cache and broker; the browser journeys use their own.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env.str(name, default=default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def env_positive_int(name: str, default: int) -> int:
    try:
        value = env.int(name, default=default)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {env.str(name)!r}.") from exc
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1; got {value}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false; got {raw!r}.")


# --- Core -------------------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env.str("SITE_NAME", default="Mentoring")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "bootstrap",
    "mentoring",
    "people",
    "programs",
    "cohorts",
    "matching",
    "feedback",
    "outcomes",
    "notifications",
    "ninja",
    "sso",
    "scim",
    "calendars",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "sso.middleware.CompanySignInFormActionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "people.timezones.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mentoring.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "people.middleware.RequireMFAForHRAdminsMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"
ASGI_APPLICATION = "mentoring.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentoring.context_processors.site",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mentoring.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the background worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mentoring",
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # A task taken by a worker that died is handed to another worker once it has been unacknowledged this
    # many seconds; workers look for such tasks every 10 s times the throttle.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "visibility_timeout": env_positive_int("CELERY_VISIBILITY_TIMEOUT", 3600),
        "unacked_restore_throttle": env_positive_int("CELERY_RESTORE_THROTTLE", 10),
    }
else:
    # No Redis: the cache lives in files under var/ (shared by every process on the machine, which
    # allauth's rate limits need) and Celery talks to kombu's filesystem transport under var/, so the worker
    # and beat started by `make run` work with no server at all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://localhost//"
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }

CELERY_TIMEZONE = env.str("TIME_ZONE", default="UTC")
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# The one beat schedule. Beat only wakes dispatchers; each decides from the database what is due, so a
# missed or doubled beat changes nothing.
CELERY_BEAT_SCHEDULE = {
    "people.fail_stale_imports": {
        "task": "people.fail_stale_imports",
        "schedule": crontab(minute="*/10"),
    },
    "programs.approve_silent_managers": {
        "task": "programs.approve_silent_managers",
        "schedule": crontab(minute=5),
    },
    "matching.expire_mentor_requests": {
        "task": "matching.expire_mentor_requests",
        "schedule": crontab(minute="*/15"),
    },
    "feedback.remind_sessions": {
        "task": "feedback.remind_sessions",
        "schedule": crontab(minute="*/15"),
    },
    "feedback.remind_feedback": {
        "task": "feedback.remind_feedback",
        "schedule": crontab(minute=20),
    },
    "feedback.nudge_cadence": {
        "task": "feedback.nudge_cadence",
        "schedule": crontab(hour=7, minute=10),
    },
    "feedback.warn_inactive": {
        "task": "feedback.warn_inactive",
        "schedule": crontab(hour=7, minute=25),
    },
    "feedback.open_checkins": {
        "task": "feedback.open_checkins",
        "schedule": crontab(hour=6, minute=40),
    },
    "programs.program_phases": {
        "task": "programs.program_phases",
        "schedule": crontab(hour=6, minute=5),
    },
    "feedback.complete_ended_programs": {
        "task": "feedback.complete_ended_programs",
        "schedule": crontab(hour=6, minute=20),
    },
    "feedback.purge_closed_pairs": {
        "task": "feedback.purge_closed_pairs",
        "schedule": crontab(hour=2, minute=50),
    },
    "notifications.send_digests": {
        "task": "notifications.send_digests",
        "schedule": crontab(day_of_week=1, hour=7, minute=0),
    },
    "cohorts.nomination_windows": {
        "task": "cohorts.nomination_windows",
        "schedule": crontab(minute=35),
    },
    "mentoring.clear_expired_sessions": {
        "task": "mentoring.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "cohorts.send_event_reminders": {
        "task": "cohorts.send_event_reminders",
        "schedule": crontab(minute="7,22,37,52"),
    },
    "cohorts.remind_attendance": {
        "task": "cohorts.remind_attendance",
        "schedule": crontab(minute=41),
    },
    "cohorts.remind_outstanding_reviews": {
        "task": "cohorts.remind_outstanding_reviews",
        "schedule": crontab(hour=8, minute=5),
    },
}

# --- Auth and accounts ------------------------------------------------------------------------------------

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", ("mandatory", "optional", "none"), "optional"
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so they are visible and tunable in one place.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Only people in the HR directory may create a login; everyone else is told to ask HR.
ACCOUNT_SIGNUP_DIRECTORY_ONLY = env_bool("ACCOUNT_SIGNUP_DIRECTORY_ONLY", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# HR admins see everyone's HR data: require them to set up TOTP before they use the product.
MFA_REQUIRED_FOR_HR_ADMINS = env_bool("MFA_REQUIRED_FOR_HR_ADMINS", False)
# Company sign-in (OpenID Connect, SAML 2.0): HR admins add providers in the browser (Single sign-on), or the
# environment gives them as JSON in SSO_PROVIDERS (see sso/config.py and docs/sso.md).
SOCIALACCOUNT_PROVIDERS: dict = providers_from_env(env.str("SSO_PROVIDERS", default=""))
SOCIALACCOUNT_ADAPTER = "sso.adapters.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# SCIM provisioning (docs/scim.md): what a person provisioned without these HR fields gets.
SCIM_DEFAULT_JOB_LEVEL = env_positive_int("SCIM_DEFAULT_JOB_LEVEL", 1)
SCIM_DEFAULT_DIVISION = env.str("SCIM_DEFAULT_DIVISION", default="Unassigned")
SCIM_DEFAULT_DEPARTMENT = env.str("SCIM_DEFAULT_DEPARTMENT", default="Unassigned")
# Calendar feeds (docs/calendar-feeds.md): how far back and ahead a personal feed reaches.
CALENDAR_FEED_PAST_DAYS = env_positive_int("CALENDAR_FEED_PAST_DAYS", 90)
CALENDAR_FEED_FUTURE_DAYS = env_positive_int("CALENDAR_FEED_FUTURE_DAYS", 365)
# Read API (docs/api.md): calls per token, e.g. "120/min".
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
ACCOUNT_FORMS = {
    "login": "sso.forms.SsoAwareLoginForm",
    "reset_password": "sso.forms.SsoAwareResetPasswordForm",
    "signup": "sso.forms.SsoAwareSignupForm",
}

# Data retention: the free text and private notes of pairs closed longer ago than this many days are purged
# by a daily job (the purge is logged). Unset: kept (off by default).
_retention = env.str("PAIR_TEXT_RETENTION_DAYS", default="")
PAIR_TEXT_RETENTION_DAYS = env_positive_int("PAIR_TEXT_RETENTION_DAYS", 1) if _retention else None

# Outcome dashboards cache their figures this many seconds (0: never); pages say as of when.
_dashboards_cache = env.str("OUTCOMES_CACHE_SECONDS", default="900")
OUTCOMES_CACHE_SECONDS = 0 if _dashboards_cache == "0" else env_positive_int("OUTCOMES_CACHE_SECONDS", 900)
if OUTCOMES_CACHE_SECONDS > 15 * 60:
    raise ImproperlyConfigured("OUTCOMES_CACHE_SECONDS must be at most 900 (figures at most 15 minutes old).")

# --- Sessions and browser security ------------------------------------------------------------------------

SESSION_COOKIE_AGE = env_positive_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# true: a login ends when the browser closes (and in any case after SESSION_COOKIE_AGE seconds).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
# Seconds without a request after which a login is signed out; unset: only SESSION_COOKIE_AGE applies.
_idle = env.str("SESSION_IDLE_TIMEOUT", default="")
SESSION_IDLE_TIMEOUT = env_positive_int("SESSION_IDLE_TIMEOUT", 1) if _idle else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Content Security Policy (django-csp): every script, style, font and image comes from this site, with no
# inline script, event handler or style attribute (tests/mentoring/test_security_headers.py scans the
# templates). Data URIs are allowed for images only: the two-factor QR code is one. The sign-in pages add
# the company sign-in providers' origins to form-action (sso.middleware); CSP_FORM_ACTION adds others.
# (Not a setting named CSP_REPORT_ONLY: django-csp would take it for its own older settings.)
_csp_report_only = env_bool("CSP_REPORT_ONLY", False)
_csp_directives: dict[str, list[str]] = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF, *env.list("CSP_FORM_ACTION", default=[])],
    "frame-ancestors": [NONE],
}
if _csp_report_uri := env.str("CSP_REPORT_URI", default=""):
    _csp_directives["report-uri"] = [_csp_report_uri]
# Report-only sends the same policy for browsers to report on without blocking anything.
CONTENT_SECURITY_POLICY: dict | None = None if _csp_report_only else {"DIRECTIVES": _csp_directives}
CONTENT_SECURITY_POLICY_REPORT_ONLY: dict | None = (
    {"DIRECTIVES": _csp_directives} if _csp_report_only else None
)

# The audit log (django-auditlog): what is recorded is listed in mentoring/audit.py. Loading fixtures is not
# an action of anyone's.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

# --- E-mail -----------------------------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentoring <mentoring@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Internationalisation ---------------------------------------------------------------------------------

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English")]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone.") from exc
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Product settings -------------------------------------------------------------------------------------

# Directory imports: the largest upload accepted through the browser.
PEOPLE_IMPORT_MAX_UPLOAD_MB = env_positive_int("PEOPLE_IMPORT_MAX_UPLOAD_MB", 20)
# Each import form has its own size limit and checks the content against the extension (mentoring.uploads).
# Around them: a request's fields other than files may total 5 MB, an upload over 5 MB is spooled to a
# temporary file instead of memory, and no form takes more than one file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# No figure a sponsor sees may describe a group smaller than this.
MIN_GROUP_SIZE = env_positive_int("MIN_GROUP_SIZE", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
