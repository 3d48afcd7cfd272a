"""SIKESAL settings: one file, driven by environment variables (see .env.example).

The defaults are the embedded mode (`make run`: SQLite in var/, console email).
With DEBUG off the process refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> None:
    """Add the NAME=value lines of `path` to the environment; a variable already set wins.

    `make run` writes a git-ignored .env (DEBUG=true and a generated SECRET_KEY), so that a
    `manage.py` command typed by hand runs in the same embedded mode. A server has no .env.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if value:  # "NAME=" as in .env.example: not set here, so the default applies
            os.environ.setdefault(name, value)


read_env_file(BASE_DIR / ".env")
VAR_DIR = Path(os.environ.get("SIKESAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# Used only with DEBUG on; check --deploy flags any "django-insecure-" key.
_DEV_SECRET_KEY = "django-insecure-sikesal-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off SIKESAL refuses to start without a real secret; "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY
if not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
    or SECRET_KEY == _DEV_SECRET_KEY
):
    # The rules of `check --deploy` (security.W009), enforced: with a guessable key anyone can
    # sign session cookies, password-reset links and the device cookie.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for DEBUG off: it must have at least 50 characters, at least 5 "
        "different ones, and not be a 'django-insecure-' or the development key; generate one "
        "with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin admits active superusers only (sikesal/core/admin_site.py).
    "sikesal.core.admin_apps.SikesalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sikesal.core",
    "sikesal.accounts",
    "sikesal.agencies",
    "sikesal.complaints",
    "sikesal.intake",
    "sikesal.notifications",
    "sikesal.reports",
    "sikesal.api",
    "sikesal.open311",
    "sikesal.pwa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sikesal.core.middleware.PermissionsPolicyMiddleware",
    # Before sessions and views: a NUL in the address must never reach the database.
    "sikesal.core.middleware.ControlCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A public page kept for anonymous readers is served here, before the session and the
    # rest (sikesal/core/page_cache.py); the first answer for it passes through them all.
    "sikesal.core.page_cache.PublicPageMiddleware",
    # Outside the session: a session that SQLite found locked gets the busy page, not a 500.
    "sikesal.core.db.DatabaseBusyAfterViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's saved language applies.
    "sikesal.core.middleware.LanguageChoiceMiddleware",
    # Staff and account pages are never stored; every page names its viewer for the
    # phone app's service worker (sikesal/pwa/middleware.py).
    "sikesal.pwa.middleware.PhoneCacheMiddleware",
    # Staff pages are login-only by default; public and citizen pages opt out explicitly.
    "sikesal.core.middleware.LoginRequiredMiddleware",
    # An API endpoint's missing method is a 405 before its authentication asks for a token.
    "sikesal.api.middleware.MethodNotAllowedFirstMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the others, so that a lockout answers before any view runs (django-axes).
    "axes.middleware.AxesMiddleware",
    # Last: on SQLite it runs the view itself, again when the database was locked, once
    # every other middleware has let the request through.
    "sikesal.core.db.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "sikesal.core.context_processors.site",
                "sikesal.notifications.context_processors.notifications",
                "sikesal.complaints.context_processors.staff",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sikesal.sqlite3'}"
# A server process keeps its connection between requests: opening one per request cost a
# read page nearly half its time on PostgreSQL (issue #13: reuse served 1.86x as many).
# CONN_HEALTH_CHECKS tests a kept connection before a request uses it, so a restarted
# database costs one reconnect, not an error page. SQLite opens a local file, and
# runserver (`make run`) starts a thread per request that would each keep one: 0 there.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(
            os.environ.get("DATABASE_CONN_MAX_AGE")
            or ("0" if DATABASE_URL.startswith("sqlite") else "600")
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", default=False
):
    # PostgreSQL compiles a query it costs high (a count over the open complaints) to
    # machine code first: 115 ms of the overdue count's 330 ms at a million complaints, for
    # a query that runs once. The pages' queries are short; the compilation never pays.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # One writer at a time (sikesal/core/db.py): WAL lets pages read while someone writes;
    # BEGIN IMMEDIATE takes the write lock before a transaction reads, so it waits for the
    # lock at its start (up to the busy timeout) instead of failing halfway; a unit of work
    # that still finds the database locked is run again twice (retry_on_lock), so a write
    # waits at most three timeouts before the "server is busy" page. 20 s: with 5 s, 200
    # citizens filing at once got the busy page one post in three and starved the worker;
    # with 20 s none did (bench/sqlite_crowd.py, README). synchronous=NORMAL is durable in
    # WAL mode except for the last commits before a power cut.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": float(os.environ.get("SIKESAL_SQLITE_BUSY_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------------------
# Rate limits and API throttles count in the cache: each process on its own with the
# default local memory (embedded), exactly across processes with Redis (REDIS_URL).
# Public pages read by anonymous visitors are kept whole (sikesal/core/page_cache.py) for
# at most SIKESAL_PAGE_CACHE_SECONDS (0: not kept), in `pages`, under the versions of what
# they show, in `page_versions`. Every process must see a new version at once: without
# Redis the versions are files in the var folder (each gunicorn worker reads the same),
# while each process keeps pages in its own memory.
SIKESAL_PAGE_CACHE_SECONDS = int(os.environ.get("SIKESAL_PAGE_CACHE_SECONDS", "60"))
# A version the cache drops (expired, evicted) is replaced by a new random one, which only
# costs a render: a day bounds the versions of complaints read once and never again.
PAGE_VERSION_SECONDS = 24 * 60 * 60
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "sikesal",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "sikesal-pages",
        },
        "page_versions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "sikesal-page-versions",
            "TIMEOUT": PAGE_VERSION_SECONDS,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sikesal-pages",
            # Pages of a few tens of kilobytes each: at most some tens of megabytes a process.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
        "page_versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "page-versions"),
            "TIMEOUT": PAGE_VERSION_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sikesal.accounts.backends.UsernameEmailMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Failed logins (sikesal/accounts/throttle.py): the (account, address) pair is locked after
# AXES_FAILURE_LIMIT failures, never every user behind one address or every address of one
# account; one address is stopped after SIKESAL_LOGIN_IP_FAILURE_LIMIT failures across
# accounts; one account guessed from many addresses gets growing delays.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "sikesal.accounts.throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "sikesal.accounts.throttle.lockout_response"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "sikesal.accounts.throttle.client_ip"
# Attempts refused during a lock are not counted: retrying does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# One count per person, whichever of username, email or mobile they typed.
AXES_USERNAME_CALLABLE = "sikesal.accounts.backends.lockout_username"
SIKESAL_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("SIKESAL_LOGIN_IP_FAILURE_LIMIT", "50"))
SIKESAL_LOGIN_ACCOUNT_FREE_FAILURES = int(
    os.environ.get("SIKESAL_LOGIN_ACCOUNT_FREE_FAILURES", "10")
)
SIKESAL_LOGIN_ACCOUNT_MAX_DELAY = int(os.environ.get("SIKESAL_LOGIN_ACCOUNT_MAX_DELAY", "300"))
# The client's address: REMOTE_ADDR, unless this many trusted proxies (e.g. 1 for the nginx
# in front) append it to SIKESAL_PROXY_IP_HEADER. Never set it without such a proxy: the
# header would be whatever the client writes.
SIKESAL_TRUSTED_PROXY_COUNT = int(os.environ.get("SIKESAL_TRUSTED_PROXY_COUNT", "0"))
SIKESAL_PROXY_IP_HEADER = "HTTP_" + os.environ.get(
    "SIKESAL_PROXY_IP_HEADER", "X-Forwarded-For"
).upper().replace("-", "_")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading HSTS binds every subdomain of the city's domain to HTTPS for browsers, hard to
# undo; that is the domain owner's decision (SECURE_HSTS_PRELOAD=true), not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Behind nginx terminating TLS: trust its X-Forwarded-Proto (only when it sets it).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-csp 4: the new dict setting. Everything is served from our own origin (no CDN);
# map tiles come from MAP_TILE_URL's host.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Background work ----------------------------------------------------------------------
# Embedded: a durable queue in the same database, run by `manage.py run_worker` (make run
# starts it). At scale: TASKS_BACKEND=rq with Redis (django-tasks-rq), run by
# `manage.py rqworker --job-class django_tasks_rq.Job default`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    # django-tasks-rq reads its queues through django_rq, which also provides `rqworker`.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
elif TASKS_BACKEND == "immediate":
    # Tests and one-off scripts: run each task at once, in the enqueuing process.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be database, rq or immediate.")

# Email and SMS leave through the outbox (sikesal/notifications/delivery.py). After the nth
# failed attempt the next one waits the nth number of minutes; after the last the message
# is marked failed (administrators can retry it from the admin).
SIKESAL_OUTBOX_BACKOFF_MINUTES = [
    int(minutes) for minutes in env_list("SIKESAL_OUTBOX_BACKOFF_MINUTES", "1,5,15,60,240,720")
]
# A message whose worker died while sending it is sent again after this many seconds. It
# must exceed the slowest send (EMAIL_TIMEOUT, the SMS gateway's timeout), or a slow send
# could be taken over by a second worker and go out twice.
SIKESAL_OUTBOX_LEASE_SECONDS = int(os.environ.get("SIKESAL_OUTBOX_LEASE_SECONDS", "300"))
# Messages one delivery task sends before handing over to a fresh task.
SIKESAL_OUTBOX_BATCH_SIZE = int(os.environ.get("SIKESAL_OUTBOX_BATCH_SIZE", "100"))
# Web Push, the outbox's third channel (sikesal/notifications/push.py): the VAPID key pair
# (base64url, as `manage.py generate_vapid_keys` prints them) and the contact a push service may
# write to (mailto: or https:). All three or none: without them push is off, and the
# opt-in on /akun/ is hidden. Startup refuses a key that is not a P-256 pair.
SIKESAL_VAPID_PUBLIC_KEY = os.environ.get("SIKESAL_VAPID_PUBLIC_KEY", "").strip()
SIKESAL_VAPID_PRIVATE_KEY = os.environ.get("SIKESAL_VAPID_PRIVATE_KEY", "").strip()
SIKESAL_VAPID_SUBJECT = os.environ.get("SIKESAL_VAPID_SUBJECT", "").strip()
# The public address of the site, for the links in emails and SMS and the QR code frozen
# into a submitted recap (sikesal.core.links). Default: the first of ALLOWED_HOSTS over
# HTTPS (with DEBUG on: the development server; `make run` sets it for its PORT).
SIKESAL_SITE_URL = os.environ.get(
    "SIKESAL_SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}",
).rstrip("/")
if "*" in SIKESAL_SITE_URL:
    raise ImproperlyConfigured("ALLOWED_HOSTS starts with a wildcard: set SIKESAL_SITE_URL.")
# A link to a host this site does not answer to would be dead in every email, and frozen
# for good into a recap's PDF.
_site = urlsplit(SIKESAL_SITE_URL)
_site_host = f"[{_site.hostname}]" if ":" in (_site.hostname or "") else _site.hostname or ""
if _site.scheme not in {"http", "https"} or not validate_host(_site_host, ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        f"SIKESAL_SITE_URL {SIKESAL_SITE_URL!r} must be an http(s) address on one of "
        f"ALLOWED_HOSTS ({', '.join(ALLOWED_HOSTS)})."
    )

# Periodic jobs: `manage.py run_scheduler` (make run starts it) enqueues each task once
# every_seconds have passed since its last run, recorded in the database
# (sikesal/core/periodic.py). Each "task" is the dotted path of a django-tasks task that
# takes no arguments.
SIKESAL_PERIODIC_TASKS = {
    # Passed deadlines: flag them and alert the agency head and the Secretariat once.
    "complaints.check_deadlines": {
        "task": "sikesal.complaints.tasks.check_deadlines",
        "every_seconds": 15 * 60,
    },
    # Clarification unanswered in 30 days, response unrated in 10 working days, archive.
    "complaints.apply_timeouts": {
        "task": "sikesal.complaints.tasks.apply_timeouts",
        "every_seconds": 60 * 60,
    },
    # Complaints changed since the last fold, into the figures' tally (readers correct for
    # the rest, so this only keeps that correction small).
    "complaints.fold_rollups": {
        "task": "sikesal.complaints.tasks.fold_rollups",
        "every_seconds": 60,
    },
    # Photos uploaded to a form that was never sent (SIKESAL_STAGED_PHOTO_DAYS).
    "complaints.delete_stale_photos": {
        "task": "sikesal.complaints.tasks.delete_stale_photos",
        "every_seconds": 6 * 60 * 60,
    },
    # Letter scans uploaded to an intake form that was never sent (same number of days).
    "intake.delete_stale_letter_scans": {
        "task": "sikesal.intake.tasks.delete_stale_letter_scans",
        "every_seconds": 6 * 60 * 60,
    },
    # Photos still waiting for the worker after their own task should have run (task lost).
    "complaints.prepare_pending_photos": {
        "task": "sikesal.complaints.tasks.prepare_pending_photos",
        "every_seconds": 5 * 60,
    },
    # Monthly recaps (Pasal 9): drafts on the 1st, reminders to heads on the 5th and 9th.
    "reports.recap_calendar": {
        "task": "sikesal.reports.tasks.recap_calendar",
        "every_seconds": 60 * 60,
    },
    # Retries, and messages whose enqueue was lost or whose worker died.
    "notifications.retry_due": {
        "task": "sikesal.notifications.tasks.deliver_outbox",
        "every_seconds": 60,
    },
    # Finished rows of the database queue (kept 14 days for inspection).
    "core.prune_task_results": {
        "task": "sikesal.core.periodic.prune_task_results",
        "every_seconds": 24 * 60 * 60,
    },
}

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
# Seconds; a hung SMTP server must not outlast the outbox lease (the message would go twice).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SIKESAL Kota Jambi <sikesal@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- SMS ----------------------------------------------------------------------------------
# sikesal.core.sms.send_sms goes through SMS_BACKEND: the console in development, the
# city's HTTP SMS gateway in production (sikesal.core.sms.LocmemBackend in tests).
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "sikesal.core.sms.ConsoleBackend" if DEBUG else "sikesal.core.sms.HttpGatewayBackend",
)
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))  # seconds
SMS_SENDER = os.environ.get("SMS_SENDER", "SIKESAL")

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Photos are never served from MEDIA_URL but through a view that checks who asks
# (sikesal/complaints/views/photos.py). Behind nginx, set this to an `internal` location
# aliased to MEDIA_ROOT (e.g. /protected-media/) and nginx sends the files.
SIKESAL_MEDIA_ACCEL_REDIRECT = os.environ.get("SIKESAL_MEDIA_ACCEL_REDIRECT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("SIKESAL_PLAIN_STATIC", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools log every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- SIKESAL ------------------------------------------------------------------------------
SIKESAL_SITE_NAME = os.environ.get("SIKESAL_SITE_NAME", "SIKESAL Kota Jambi")
# Whether cuti bersama (collective leave days) stop deadline clocks like public holidays.
SIKESAL_CUTI_BERSAMA_IS_DAY_OFF = env_bool("SIKESAL_CUTI_BERSAMA_IS_DAY_OFF", default=True)
# The nearest kelurahan within this distance answers a point that falls in a gap between the
# simplified polygons; farther out the point is outside the city.
SIKESAL_REGION_SNAP_METRES = float(os.environ.get("SIKESAL_REGION_SNAP_METRES", "300"))

# --- The city ---------------------------------------------------------------------------
# Who runs this installation. Every official document (recap, report), page and map reads
# these through sikesal.core.city; another local government sets its own (.env.example).
SIKESAL_CITY_NAME = os.environ.get("SIKESAL_CITY_NAME", "Kota Jambi")
# The place name that dates a signed letter: "Jambi, 4 Desember 2026".
SIKESAL_CITY_PLACE = os.environ.get("SIKESAL_CITY_PLACE", "Jambi")
# The province, for referrals ("Pemerintah Provinsi Jambi", "Ombudsman RI Perwakilan Jambi").
SIKESAL_CITY_PROVINCE = os.environ.get("SIKESAL_CITY_PROVINCE", "Jambi")
# The seat of the Sekretariat Pengaduan, as the public pages name it.
SIKESAL_CITY_SECRETARIAT = os.environ.get(
    "SIKESAL_CITY_SECRETARIAT", "Dinas Komunikasi dan Informatika (Diskominfo) Kota Jambi"
)
SIKESAL_CITY_HEAD_TITLE = os.environ.get("SIKESAL_CITY_HEAD_TITLE", "Walikota Jambi")
SIKESAL_CITY_INSPECTOR_TITLE = os.environ.get(
    "SIKESAL_CITY_INSPECTOR_TITLE", "Inspektur Kota Jambi"
)
# The regulation that sets up the complaint system, in full and short.
SIKESAL_CITY_REGULATION = os.environ.get(
    "SIKESAL_CITY_REGULATION", "Peraturan Walikota Jambi Nomor 40 Tahun 2017"
)
SIKESAL_CITY_REGULATION_SHORT = os.environ.get(
    "SIKESAL_CITY_REGULATION_SHORT", "Perwal Jambi 40/2017"
)
# Letterhead lines above the Secretariat's office name, separated by "|".
SIKESAL_CITY_LETTERHEAD = os.environ.get("SIKESAL_CITY_LETTERHEAD", "PEMERINTAH KOTA JAMBI")
# A logo under static/ for the page header (empty: none).
SIKESAL_CITY_LOGO = os.environ.get("SIKESAL_CITY_LOGO", "")
# The map: its centre "latitude,longitude", zoom, and bounds "south,west,north,east".
SIKESAL_MAP_CENTRE = os.environ.get("SIKESAL_MAP_CENTRE", "-1.61,103.60")
SIKESAL_MAP_ZOOM = int(os.environ.get("SIKESAL_MAP_ZOOM", "13"))
SIKESAL_MAP_BOUNDS = os.environ.get("SIKESAL_MAP_BOUNDS", "-1.70,103.50,-1.52,103.72")

# --- The phone app (sikesal.pwa.identity) -------------------------------------------------
# The installed app's short name under its icon, and its colours (the header's brand blue).
SIKESAL_APP_SHORT_NAME = os.environ.get("SIKESAL_APP_SHORT_NAME", "SIKESAL")
SIKESAL_APP_THEME_COLOR = os.environ.get("SIKESAL_APP_THEME_COLOR", "#0b3d5c")
SIKESAL_APP_BACKGROUND_COLOR = os.environ.get("SIKESAL_APP_BACKGROUND_COLOR", "#ffffff")
# The Android app on Google Play (a Trusted Web Activity, docs/android.md): its package id
# and the SHA-256 fingerprints of the keys that sign it ("AA:BB:...", comma-separated).
SIKESAL_ANDROID_PACKAGE = os.environ.get("SIKESAL_ANDROID_PACKAGE", "id.go.jambikota.sikesal")
SIKESAL_ANDROID_SHA256_FINGERPRINTS = env_list("SIKESAL_ANDROID_SHA256_FINGERPRINTS")
# The app's Google Play page once it is published there
# (https://play.google.com/store/apps/details?id=<package>); empty until then, and the
# pages offer only the app installed from the site.
SIKESAL_ANDROID_PLAY_URL = os.environ.get("SIKESAL_ANDROID_PLAY_URL", "").strip()

# Whether the agency pages (Pasal 11.1) name each complaint officer, or show only the roles
# and how many hold them.
SIKESAL_PUBLISH_OFFICER_NAMES = env_bool("SIKESAL_PUBLISH_OFFICER_NAMES", default=True)
# --- Monthly recaps ----------------------------------------------------------------------
# The first month (YYYY-MM) whose recap agencies owe: no recap before it is listed, late,
# reminded or drafted. Empty: the month of the first complaint or first submitted recap,
# else the current month. Set it in production, above all when old complaints are imported.
SIKESAL_GO_LIVE_MONTH = os.environ.get("SIKESAL_GO_LIVE_MONTH", "").strip()
if SIKESAL_GO_LIVE_MONTH and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", SIKESAL_GO_LIVE_MONTH):
    raise ImproperlyConfigured(
        f"SIKESAL_GO_LIVE_MONTH must be YYYY-MM, e.g. 2026-11; got {SIKESAL_GO_LIVE_MONTH!r}."
    )

# --- Complaints ---------------------------------------------------------------------------
# Deadline defaults from ../shared/data/SOURCES.md; each can be changed per installation.
SIKESAL_DEADLINES = {
    # Secretariat reviews and routes a new complaint (SP4N-LAPOR! practice).
    "review_working_days": int(os.environ.get("SIKESAL_REVIEW_WORKING_DAYS", "3")),
    # An agency's first follow-up to the citizen after routing (SP4N-LAPOR! practice).
    "first_followup_working_days": int(os.environ.get("SIKESAL_FOLLOWUP_WORKING_DAYS", "5")),
    # Any response to the citizen (UU 25/2009).
    "response_calendar_days": int(os.environ.get("SIKESAL_RESPONSE_CALENDAR_DAYS", "14")),
    # A decision on a complete complaint (UU 25/2009, Perpres 76/2013).
    "decision_calendar_days": int(os.environ.get("SIKESAL_DECISION_CALENDAR_DAYS", "60")),
    # The citizen completes an incomplete complaint, else it is declined as incomplete.
    "clarification_calendar_days": int(os.environ.get("SIKESAL_CLARIFICATION_CALENDAR_DAYS", "30")),
    # The citizen rates or objects to a response, else the complaint closes.
    "rating_working_days": int(os.environ.get("SIKESAL_RATING_WORKING_DAYS", "10")),
    # A closed or declined complaint is archived after this many days.
    "archive_after_days": int(os.environ.get("SIKESAL_ARCHIVE_AFTER_DAYS", "30")),
}
# How often a citizen may object to a response and send it back to the agency.
SIKESAL_MAX_OBJECTIONS = int(os.environ.get("SIKESAL_MAX_OBJECTIONS", "2"))
SIKESAL_PHOTO_MAX_BYTES = int(os.environ.get("SIKESAL_PHOTO_MAX_MB", "10")) * 1024 * 1024
SIKESAL_PHOTO_MAX_COUNT = 5
# A photo's pixels are counted from its header and refused above this, before decoding:
# decoding takes about 3 to 4 bytes a pixel (40 MP: ~160 MB), whatever the file's size.
SIKESAL_PHOTO_MAX_PIXELS = int(os.environ.get("SIKESAL_PHOTO_MAX_MEGAPIXELS", "40")) * 1_000_000
# Photos one person may upload in an hour (citizens and staff alike); each costs a decode.
SIKESAL_PHOTO_MAX_PER_HOUR = int(os.environ.get("SIKESAL_PHOTO_MAX_PER_HOUR", "30"))
# Photos (and letter scans) uploaded to a form that was never sent are deleted after this
# many days.
SIKESAL_STAGED_PHOTO_DAYS = int(os.environ.get("SIKESAL_STAGED_PHOTO_DAYS", "7"))
# The scan of a letter entered by an officer (assisted intake, a PDF or an image): at most this.
SIKESAL_LETTER_SCAN_MAX_BYTES = (
    int(os.environ.get("SIKESAL_LETTER_SCAN_MAX_MB", "10")) * 1024 * 1024
)

# --- API (sikesal/api) and Open311 (sikesal/open311) --------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sikesal.api.authentication.DeviceTokenAuthentication",
        # The web's own scripts: the browser's session, CSRF-checked.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sikesal.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "sikesal.api.throttling.UserRateThrottle",
        "sikesal.api.throttling.AddressRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("SIKESAL_API_USER_RATE", "1200/hour"),
        "address": os.environ.get("SIKESAL_API_ADDRESS_RATE", "3000/hour"),
        # POST /api/v1/auth/token/ and /auth/register/ per address, beside the login
        # lockout's and the registration's own counts (many phones share a carrier's address).
        "sign_in": os.environ.get("SIKESAL_API_SIGN_IN_RATE", "300/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Open311 GeoReport v2 (/open311/): the jurisdiction_id clients may send (any other is
# refused), and how far back requests.json and servicerequestupdates.json look by default.
SIKESAL_OPEN311_JURISDICTION = os.environ.get("SIKESAL_OPEN311_JURISDICTION", "jambikota.go.id")
SIKESAL_OPEN311_DEFAULT_DAYS = int(os.environ.get("SIKESAL_OPEN311_DEFAULT_DAYS", "90"))
SIKESAL_OPEN311_MAX_RESULTS = int(os.environ.get("SIKESAL_OPEN311_MAX_RESULTS", "1000"))
SPECTACULAR_SETTINGS = {
    "TITLE": "SIKESAL API",
    "DESCRIPTION": (
        "API SIKESAL (Sistem Informasi Keluhan dan Saran), Perwal Jambi 40/2017. "
        "The SIKESAL API for the Android app and agencies' systems: see docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Vendored Swagger UI and ReDoc (drf-spectacular-sidecar): no CDN on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The refusals any endpoint may answer before its own code runs, and the links from a
    # list or a creation to its items (sikesal/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sikesal.api.schema.document_shared_errors",
        "sikesal.api.schema.link_lists_to_their_items",
    ],
}
# A device token ends this many days after it was issued (the app signs in again).
SIKESAL_API_TOKEN_DAYS = int(os.environ.get("SIKESAL_API_TOKEN_DAYS", "180"))
