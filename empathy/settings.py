"""Settings for the empathy interview workbench.

Every value that differs between a laptop and a district comes from the environment,
read here and nowhere else (see README "Running it for a district").
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from empathy.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -----------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY to a long random "
            "string, or DEBUG=true on a development laptop."
        )
    # Only reachable with DEBUG on: a fixed key is harmless on a developer's machine.
    SECRET_KEY = "django-insecure-development-only-key-not-for-production-use"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    # Single sign-on and two-factor sign-in (district/sso.py, district/two_factor.py).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    # Our apps, in layer order: each may import only from those above it.
    "audit",
    "participants",
    "programs",
    "recruitment",
    "interviews",
    "analysis",
    "actions",
    "reports",
    "privacy",
    "district",
    "empathy.apps.EmpathyConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "district.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "empathy.middleware.IdleSessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "district.two_factor.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content Security Policy: scripts, styles, fonts and images only from this server (front-end files are
# vendored), no inline scripts and no eval. Inline style *attributes* stay allowed for the data-driven bar
# widths; they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling: 5 failures for a username from one address lock that pair out for a cool-off
# that grows on repeat (empathy.accounts.cool_off) and always ends.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "empathy.accounts.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address comes from one function (audit.log.client_address) for throttling, the audit log
# and the follow-up limits alike: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the
# X-Forwarded-For entry that many places from the right (entries further left are the client's own).
TRUSTED_PROXY_COUNT = max(0, env_int("TRUSTED_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "audit.log.client_address"
AXES_VERBOSE = False

ROOT_URLCONF = "empathy.urls"
WSGI_APPLICATION = "empathy.wsgi.application"
ASGI_APPLICATION = "empathy.asgi.application"

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
                "district.context.district",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DEFAULT_SQLITE_PATH = BASE_DIR / "db.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a note is being written; the busy timeout makes a
    # second writer wait its turn instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The hot paths' plain statements are prepared once per PostgreSQL connection (toolkit/sql_rows.execute).
# Off behind a connection pooler in transaction mode (PgBouncer before 1.21), which does not keep them.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A database cache, not process memory: rate limits and locks must hold across
    # gunicorn workers even without Redis.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "empathy_cache"}}

# --- Accounts and sessions --------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A session ends after this many minutes without a request (shared school computers).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 60)
# Roster, OneRoster, consent and codebook files above this are refused before they are read.
UPLOAD_MAX_MEGABYTES = env_int("UPLOAD_MAX_MEGABYTES", 25)
# A codebook of a few hundred codes is large; 200,000 nested ones is an attack on the import.
CODEBOOK_MAX_CODES = env_int("CODEBOOK_MAX_CODES", 1000)
# The coding assistant (analysis/assistant.py) learns a code once people have coded this many notes with it.
ASSISTANT_MIN_CODED_NOTES = env_int("ASSISTANT_MIN_CODED_NOTES", 8)
# What an upload may unpack to, checked before and while it is read (toolkit/limits.py): a .zip or
# .xlsx is refused above these sizes, entry count or compression ratio, any table above these columns,
# rows, cells or characters in one cell, so a small file cannot take the memory or time of a big one.
UPLOAD_MAX_UNCOMPRESSED_MEGABYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_MEGABYTES", 100)
UPLOAD_MAX_ARCHIVE_ENTRIES = env_int("UPLOAD_MAX_ARCHIVE_ENTRIES", 50)
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100)
TABLE_MAX_COLUMNS = env_int("TABLE_MAX_COLUMNS", 200)
TABLE_MAX_ROWS = env_int("TABLE_MAX_ROWS", 100_000)
TABLE_MAX_CELLS = env_int("TABLE_MAX_CELLS", 2_000_000)
TABLE_MAX_CELL_CHARACTERS = env_int("TABLE_MAX_CELL_CHARACTERS", 10_000)
# The idle clock is written back to the session at most this often, not on every request, and at most
# every quarter of the timeout when that is shorter (empathy.middleware.idle_refresh_seconds).
SESSION_IDLE_REFRESH_SECONDS = 60
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security (production values unless DEBUG is on) ------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", not DEBUG) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Single sign-on and two-factor sign-in (django-allauth) ------------------------------

# Staff sign in with the school's account through allauth's providers; the district's rules (allowed
# domains, making accounts, SSO only) are district/sso.py's, applied by the adapters. Providers come from
# the district set-up page (secrets encrypted in the database) or from these variables.
ACCOUNT_ADAPTER = "district.sso_adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "district.sso_adapter.SocialAccountAdapter"
MFA_ADAPTER = "district.sso_adapter.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"  # the identity provider's own verification is what counts (district/sso.py)
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # a sign-in starts only from the sign-in page's form (a POST with its CSRF token)
SOCIALACCOUNT_STORE_TOKENS = False  # provider tokens are used during sign-in and never kept
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MFA_SUPPORTED_TYPES = ["totp"]  # recovery codes are the district app's, stored hashed (district/two_factor.py)
MFA_TOTP_ISSUER = "Empathy Interviews"
SSO_GOOGLE_CLIENT_ID = env_str("SSO_GOOGLE_CLIENT_ID")
SSO_MICROSOFT_CLIENT_ID = env_str("SSO_MICROSOFT_CLIENT_ID")
SSO_MICROSOFT_TENANT = env_str("SSO_MICROSOFT_TENANT")
SSO_OIDC_CLIENT_ID = env_str("SSO_OIDC_CLIENT_ID")
SSO_OIDC_NAME = env_str("SSO_OIDC_NAME", "your school account")
SSO_OIDC_SERVER_URL = env_str("SSO_OIDC_SERVER_URL")
SOCIALACCOUNT_PROVIDERS: dict = {
    "google": {"SCOPE": ["openid", "profile", "email"], "AUTH_PARAMS": {"prompt": "select_account"},
               "OAUTH_PKCE_ENABLED": True},
    "microsoft": {"SCOPE": ["User.Read", "openid", "email", "profile"], "OAUTH_PKCE_ENABLED": True},
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}
if SSO_GOOGLE_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["google"]["APPS"] = [{
        "client_id": SSO_GOOGLE_CLIENT_ID, "secret": env_str("SSO_GOOGLE_SECRET"), "name": "Google"}]
if SSO_MICROSOFT_CLIENT_ID and not SSO_MICROSOFT_TENANT:
    raise ImproperlyConfigured(
        "SSO_MICROSOFT_TENANT is required with SSO_MICROSOFT_CLIENT_ID: the district's directory (tenant) id or "
        "domain, so that only the district's own Entra ID accounts can sign in.")
if SSO_MICROSOFT_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["microsoft"]["APPS"] = [{
        "client_id": SSO_MICROSOFT_CLIENT_ID, "secret": env_str("SSO_MICROSOFT_SECRET"), "name": "Microsoft",
        "settings": {"tenant": SSO_MICROSOFT_TENANT}}]
if SSO_OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [{
        "provider_id": env_str("SSO_OIDC_SLUG", "school"), "name": SSO_OIDC_NAME, "client_id": SSO_OIDC_CLIENT_ID,
        "secret": env_str("SSO_OIDC_SECRET"), "settings": {"server_url": SSO_OIDC_SERVER_URL}}]

# --- Internationalisation ---------------------------------------------------------------

# The language of a page: the person's own choice (kept in their session from their account), else the
# switcher's cookie, else the district's default (district/language.py). Families' pages open in the
# language recorded for the student's family (toolkit/languages.py).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["empathy.formats"]
LANGUAGE_COOKIE_NAME = "empathy_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")  # the district's zone: every time shown, audit log included
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    # Files go through the storage API only, so a district can point this at a shared
    # object store when web servers and workers run on different machines.
    "default": {"BACKEND": env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Forms --------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail (console by default: password resets print to the terminal) ---------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Empathy Interviews <no-reply@localhost>")

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker, tasks run in-process at the moment they are sent (the laptop mode).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a worker, the coding assistant learns when the workbench is next opened, not inside a coding request
# (analysis/retraining.py).
ASSISTANT_TRAINS_ON_PAGE_VIEW = env_bool("ASSISTANT_TRAINS_ON_PAGE_VIEW", CELERY_TASK_ALWAYS_EAGER)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only after it finishes, and goes back to the queue if its
# worker dies, so a killed worker never loses a report.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
# Redis re-delivers an unacknowledged task after this long; it must exceed the longest
# a task can run, retries and their back-off included.
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With `celery beat` running, action digests go out on Monday mornings. The digest itself is
# idempotent per owner and week, so a schedule that fires twice sends nothing twice.
CELERY_BEAT_SCHEDULE = {
    "weekly-action-digest": {"task": "actions.send_action_digests", "schedule": crontab(hour=7, minute=0, day_of_week=1)},
    # Idempotent: a program already purged is skipped, so a missed or doubled night does no harm.
    "nightly-retention-purge": {"task": "privacy.purge_expired", "schedule": crontab(hour=2, minute=30)},
}

# --- Interview rules (read by code and tests alike) -----------------------------------

PROTOCOL_MIN_QUESTIONS = env_int("PROTOCOL_MIN_QUESTIONS", 4)
PROTOCOL_MAX_QUESTIONS = env_int("PROTOCOL_MAX_QUESTIONS", 8)
FOCUS_GROUP_MIN_STUDENTS = env_int("FOCUS_GROUP_MIN_STUDENTS", 3)
FOCUS_GROUP_MAX_STUDENTS = env_int("FOCUS_GROUP_MAX_STUDENTS", 8)
FOLLOW_UP_LINK_DAYS = env_int("FOLLOW_UP_LINK_DAYS", 14)
# Counts of students below this are shown as "fewer than N" (10 is the most common state rule);
# a lead may choose a higher threshold or a lower one down to the minimum, never below it.
SUPPRESSION_THRESHOLD_DEFAULT = 10
# A program's student-level data is removed this many days after it ends unless its lead chose
# another date (COPPA's 2025 rule: no keeping children's data "just in case").
RETENTION_DAYS_AFTER_END = env_int("RETENTION_DAYS_AFTER_END", 365)
# Days between the first night a program is past its retention date and the night its data goes:
# its leads are warned by e-mail and on the dashboard and can still move a wrong date.
RETENTION_GRACE_DAYS = env_int("RETENTION_GRACE_DAYS", 14)
# Uploaded roster files hold every student's row; once imported (or abandoned) they go after this.
UPLOAD_KEEP_DAYS = env_int("UPLOAD_KEEP_DAYS", 30)
SUPPRESSION_THRESHOLD_MIN = 5
# Report rendering: transient errors retry with capped back-off, always inside the visibility timeout.
REPORT_MAX_RETRIES = 3
# Deliveries of one render (retries and redeliveries after a killed worker alike) before it is failed.
REPORT_MAX_DELIVERIES = env_int("REPORT_MAX_DELIVERIES", REPORT_MAX_RETRIES + 2)
REPORT_RETRY_BACKOFF_MAX_SECONDS = 120
# Follow-up codes (interviews.followups): a valid code always opens. Different wrong codes from one
# address in the window below, beyond this, are answered "too many tries" (a school's network shares
# one address, so the budget is high and only failures count).
FOLLOW_UP_RATE_LIMIT = env_int("FOLLOW_UP_RATE_LIMIT", 200)
# Wrong codes that share two of a code's three groups, from any address, before codes sharing them are
# refused in the window (so a partly seen slip cannot be completed by trying the rest).
FOLLOW_UP_CODE_FAILURE_LIMIT = env_int("FOLLOW_UP_CODE_FAILURE_LIMIT", 20)
FOLLOW_UP_RATE_WINDOW_SECONDS = 600

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "empathy": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # WeasyPrint warns about every SVG styling property of a chart it does not know (matplotlib's
        # fill and stroke) although it draws them; dozens of lines per report hid real problems.
        "weasyprint": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

