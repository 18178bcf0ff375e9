"""PeerPath settings: one file, read from the environment (see README, "Configuration").

The defaults run a local demo with nothing installed: a SQLite file under ``var/`` and a
filesystem Celery transport. Production sets ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL``,
``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``EMAIL_URL`` and leaves ``DEBUG`` off.
"""

import base64
import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mentorship.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
    mailer_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PEERPATH_VAR_DIR", str(BASE_DIR / "var")))

try:
    DEBUG = env_bool("DEBUG", False)
    SECRET_KEY = env_str("SECRET_KEY")
    if not SECRET_KEY and os.environ.get("PEERPATH_KEYLESS_COMMAND") == "1":
        # manage.py sets this only for commands that read code, never requests or
        # secrets (makemigrations, makemessages...): a throwaway key is enough there.
        SECRET_KEY = secrets.token_urlsafe(50)
    if not SECRET_KEY:
        if not DEBUG:
            raise ImproperlyConfiguredEnv(
                "SECRET_KEY is not set. Set it to a long random value "
                "(or DEBUG=1 for a local demo only)."
            )
        SECRET_KEY = "local-demo-only-not-secret-" + "x" * 40  # noqa: S105
    # Keys of the field-level encryption of clinical notes (accounts/fields.py): Fernet keys,
    # comma-separated, the first one current. Never derived from SECRET_KEY.
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
    if not FIELD_ENCRYPTION_KEYS and os.environ.get("PEERPATH_KEYLESS_COMMAND") == "1":
        FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()]
    if not FIELD_ENCRYPTION_KEYS:
        if not DEBUG:
            raise ImproperlyConfiguredEnv(
                "FIELD_ENCRYPTION_KEYS is not set. Set it to one or more Fernet keys, "
                "comma-separated, the current one first (bin/run generates one under var/)."
            )
        FIELD_ENCRYPTION_KEYS = ["bG9jYWwtZGVtby1vbmx5LW5vdC1zZWNyZXQta2V5ISE="]
    for _key in FIELD_ENCRYPTION_KEYS:
        try:
            if len(base64.urlsafe_b64decode(_key.encode())) != 32:
                raise ValueError
        except ValueError:
            raise ImproperlyConfiguredEnv(
                "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded "
                "bytes), comma-separated."
            ) from None
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
    DATABASE_URL = env_url(
        "DATABASE_URL", None, schemes={"postgres", "postgresql", "sqlite", "pgsql"}
    )
    REDIS_URL = env_url("REDIS_URL", None, schemes={"redis", "rediss"})
    EMAIL_URL = env_url(
        "EMAIL_URL",
        f"file://{VAR_DIR / 'mail'}",
        schemes={"smtp", "smtps", "console", "file", "memory"},
    )
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PeerPath <no-reply@peerpath.localhost>")
    SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
    # Plain-HTTP loopback runs (the demo, the benchmark) turn off only the HTTPS redirect and
    # the Secure cookie flag; every other production header stays on.
    INSECURE_HTTP = env_bool("PEERPATH_INSECURE_HTTP", DEBUG)
    CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60, minimum=0)
except ImproperlyConfiguredEnv as error:
    raise ImproperlyConfigured(str(error)) from None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
    "matching",
    "sessions.apps.MentoringSessionsConfig",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Writes a "denied" audit event for every 403/404 a signed-in person gets from a view.
    "accounts.middleware_privacy.AuditDeniedMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.auth.middleware.SessionTimeoutMiddleware",
    "accounts.auth.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Cache-Control: no-store on every page the application generates (health information).
    "accounts.middleware_privacy.PrivateNoStoreMiddleware",
    # django-axes wants to see the final response of a sign-in attempt: keep it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"
ASGI_APPLICATION = "mentorship.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accounts.context_processors.unread_notifications",
                "accounts.auth.context_processors.session_timeout",
            ],
            "builtins": ["mentorship.templatetags.peerpath"],
        },
    },
]

if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    # Lets two test runs on one server keep separate test databases.
    if env_str("TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
else:
    # The embedded demo database: WAL and immediate transactions let the web server, the
    # worker and beat share one file without "database is locked" surprises.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "peerpath.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Length and a common-password check, no composition rules (NIST SP 800-63B; README,
# "Sign-in and sessions").
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "accounts.auth.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": 256},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes first: it counts failures and refuses a locked-out account+address pair.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# Django's label for an empty choice has no Spanish in Django's own catalogue yet; marked here,
# it is carried by the project's catalogue (locale/), which takes precedence.
gettext_noop("- Select an option -")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from its PyPI package and is served by the app: no CDN.
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Cache ----------------------------------------------------------------------------------
# Shared by every web process (rate limits of public forms) and kept in the database, the one
# store every deployment has: no page depends on Redis being up. The table is created by
# migration accounts/0006.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "peerpath_cache",
    }
}

# --- Celery -------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # A web request that queues a task while Redis is down gives up within a second
        # (the outbox row stays due and the sweep delivers it), instead of retrying.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
        "socket_connect_timeout": 1,
    }
else:
    # No server needed: kombu's filesystem transport keeps messages under var/celery/.
    # Web, worker and beat are still separate processes.
    _broker_dir = VAR_DIR / "celery" / "messages"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    for _folder in ("processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How long an outbox row may stay "sending" before the sweep assumes its worker died and
# queues it again (accounts/delivery.py); the sweep's period is in mentorship/celery.py.
NOTIFICATION_STALE_SECONDS = env_int("NOTIFICATION_STALE_SECONDS", 600, minimum=1)
CELERY_TIMEZONE = TIME_ZONE

# --- Email --------------------------------------------------------------------------------
MAILERS = {"default": mailer_from_url(EMAIL_URL)}
if EMAIL_URL.startswith("file://"):
    Path(MAILERS["default"]["OPTIONS"]["file_path"]).mkdir(parents=True, exist_ok=True)

# --- Sign-in and sessions (README, "Sign-in and sessions") ------------------------------
try:
    # Idle and absolute session limits, enforced by accounts.auth.middleware. "Staff" is
    # everyone who can see other people's records (and needs a second factor).
    SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_MINUTES_STAFF", 15, minimum=1) * 60
    SESSION_IDLE_TIMEOUT_MENTEE = env_int("SESSION_IDLE_MINUTES_MENTEE", 60, minimum=1) * 60
    SESSION_ABSOLUTE_TIMEOUT_STAFF = env_int("SESSION_ABSOLUTE_HOURS_STAFF", 12, minimum=1) * 3600
    SESSION_ABSOLUTE_TIMEOUT_MENTEE = env_int("SESSION_ABSOLUTE_HOURS_MENTEE", 12, minimum=1) * 3600
    # The warning appears this many seconds before the idle limit.
    SESSION_TIMEOUT_WARNING = env_int("SESSION_TIMEOUT_WARNING_SECONDS", 120, minimum=10)
    AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
    AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
except ImproperlyConfiguredEnv as error:
    raise ImproperlyConfigured(str(error)) from None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in forms (ours and the admin's) post the email as "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
# Its start-up banner would open the output of every management command.
AXES_VERBOSE = False
# Failures are counted per account and REMOTE_ADDR (django-axes' default), never from a
# client-supplied X-Forwarded-For.
# A locked-out attempt gets the very answer a wrong password gets: nothing tells an
# attacker whether the account exists or is locked.
AXES_LOCKOUT_CALLABLE = "accounts.auth.views.lockout_response"
OTP_TOTP_ISSUER = "PeerPath"
# Views a signed-in person may open before passing the second factor, besides the sign-in
# steps themselves (those carry accounts.auth.decorators.second_factor_exempt).
SECOND_FACTOR_EXEMPT_VIEWS = [
    "logout",
    "healthz",
    "ping",
    "set_language",
    "mentoring_sessions:feedback_link",
    "accounts:pathway_apply",
    "accounts:pathway_apply_thanks",
    "evaluation:measure_link",
    "evaluation:stakeholder_link",
]

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = max(SESSION_ABSOLUTE_TIMEOUT_STAFF, SESSION_ABSOLUTE_TIMEOUT_MENTEE)
SESSION_COOKIE_SECURE = not INSECURE_HTTP
CSRF_COOKIE_SECURE = not INSECURE_HTTP
# Scripts read the token from the form's hidden field, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = not INSECURE_HTTP
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_MASK_CALLABLE = "accounts.audit.mask_completely"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every stylesheet it parses; only its problems are worth a line.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
