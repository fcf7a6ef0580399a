"""Settings for Encyclopedia, read from the environment.

Defaults make `make run` work on a laptop (SQLite file, local-memory cache, DEBUG on).
With DEBUG off, SECRET_KEY must come from the environment.
"""

import os
import shutil
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

SITE_NAME = os.environ.get("SITE_NAME", "WellnessWiki")
SITE_SUBTITLE = os.environ.get("SITE_SUBTITLE", "free medical and wellness encyclopedia")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "reversion",
    "markdownx",
    "ninja",
    "django_q",
    "django_otp",  # two-step sign-in (wiki/second_factor.py): authenticator apps
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # and single-use backup codes
    "captcha",
    "wiki",
    "wiki.api",
    "encyclopedia",
]

MIDDLEWARE = [
    # A reader's GET that met an unreachable primary (a failover) is answered from a replica.
    "encyclopedia.replicas.PrimaryUnreachableMiddleware",
    # A page-cache hit is answered before anything else runs (its stamp reads the primary).
    "wiki.page_cache.AnonymousPageCacheMiddleware",
    # The language the path says (/es/…), for the whole request: wiki/languages.py.
    "wiki.languages.RequestLanguageMiddleware",
    "encyclopedia.replicas.ReadReplicaMiddleware",  # where reads go; inert without a replica
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wiki.api.bot_passwords.BotSessionMiddleware",  # a bot password's session: the API only
    "django_otp.middleware.OTPMiddleware",  # whether this session passed its second step
    "encyclopedia.two_factor.SecondStepMiddleware",  # …and must have, or must set it up
    "encyclopedia.middleware.ReaderTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "encyclopedia.urls"
WSGI_APPLICATION = "encyclopedia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGE_BIDI
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "encyclopedia.context_processors.site",
            ],
        },
    },
]
# Widgets render through TEMPLATES, so templates/ may hold a widget's own (the captcha's).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite file by default, PostgreSQL (psycopg 3 with Django's pool) by DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}

# A task-queue worker (`manage.py qcluster`) forks its processes: a connection pool opened
# before the fork would be shared by them, so a worker connects without one.
QUEUE_WORKER = sys.argv[1:2] == ["qcluster"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if not QUEUE_WORKER:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
        }
    # Django then gives the pool psycopg_pool's check: a pooled connection is tried before a
    # request gets it. After a PostgreSQL restart the pool holds dead connections, and each
    # would otherwise answer one request with a 500.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: PostgreSQL compiles a query whose estimated cost passes 100,000,
    # which a list's joins do on tables not yet analysed, and that takes 50-150 ms for a
    # query that runs in one. Our queries are short; none runs long enough to gain from it.
    # (The revision-hiding test on PostgreSQL: 26.8 s with JIT, 10.6 s without.)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    # Writers queue for the one write lock at BEGIN (IMMEDIATE) instead of failing at once
    # when a read transaction tries to upgrade; tests use a file so locking is the real one.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(BASE_DIR / "test-db.sqlite3")
    )
# A streaming replica for reads (encyclopedia/replicas.py), e.g.
# DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/encyclopedia
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=0),
        # In tests the alias is the primary itself (the replica tests start a real one).
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": 2,
    }
    DATABASE_ROUTERS = ["encyclopedia.replicas.ReplicaRouter"]
    # The Action API's maxlag= compares with this (wiki/api/action/bots.py); without a
    # replica the lag is 0.
    API_REPLICA_LAG = "encyclopedia.replicas.replica_lag"
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", 5))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", 2))
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", 10))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis by REDIS_URL (a Redis that is down or hung is a miss), else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "encyclopedia.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "encyclopedia"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
            },
        }
    }
    # Redis Sentinel (deploy/ha.py): REDIS_SENTINELS=host:port,… and REDIS_SENTINEL_MASTER
    # (the name the sentinels monitor) make the cache ask them where the master is, and follow
    # it after a failover; REDIS_URL then gives only the database number.
    if os.environ.get("REDIS_SENTINELS"):
        CACHES["default"]["OPTIONS"].update(
            sentinels=[
                (host, int(port))
                for host, _, port in (
                    s.strip().rpartition(":") for s in os.environ["REDIS_SENTINELS"].split(",")
                )
            ],
            sentinel_master=os.environ.get("REDIS_SENTINEL_MASTER", "encyclopedia"),
        )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# After a Redis failure, skip Redis this long (every operation a miss), then try once again:
# a hung Redis costs one timeout, not one per cache operation.
REDIS_BREAKER_SECONDS = float(os.environ.get("REDIS_BREAKER_SECONDS", "5"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "wiki.editing.views.csrf_failure"  # says why, hands back the typed text
LOGIN_URL = "login"

# Sign-in throttling (encyclopedia/signin.py), on the site's and the admin's sign-in forms:
# this many failures for one account, or from one address, refuse sign-in for the lockout.
SIGNIN_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGNIN_FAILURES_PER_ACCOUNT", 5))
SIGNIN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGNIN_FAILURES_PER_ADDRESS", 20))
SIGNIN_LOCKOUT_SECONDS = int(os.environ.get("SIGNIN_LOCKOUT_SECONDS", 15 * 60))
# Two-step sign-in (TOTP and backup codes): the roles that must set it up before they do
# anything else once signed in (administrators, reviewers, suppressors, staff); anyone may.
TWO_FACTOR_REQUIRED_FOR = env_list("TWO_FACTOR_REQUIRED_FOR", "")
TWO_FACTOR_CODE_SECONDS = int(os.environ.get("TWO_FACTOR_CODE_SECONDS", 5 * 60))
OTP_TOTP_ISSUER = SITE_NAME  # the account's name in the authenticator app
# Behind a proxy or load balancer, the META key of the header it adds the client's address to
# (e.g. HTTP_X_FORWARDED_FOR); its last entry is used. Empty: REMOTE_ADDR.
SIGNIN_CLIENT_ADDRESS_HEADER = os.environ.get("SIGNIN_CLIENT_ADDRESS_HEADER", "")
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Backups of the embedded default (encyclopedia/backups.py; PostgreSQL: pgBackRest). The
# health endpoint and the admin warn when the newest is older than BACKUP_MAX_AGE_HOURS.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", 14))
BACKUP_MAX_AGE_HOURS = float(os.environ.get("BACKUP_MAX_AGE_HOURS", 26))
# PostgreSQL's backups: pgBackRest's stanza (empty: not set up) and configuration file, and
# how this machine stops and starts the server for a restore (encyclopedia/pg_backups.py).
PGBACKREST_STANZA = os.environ.get("PGBACKREST_STANZA", "")
PGBACKREST_CONFIG = os.environ.get("PGBACKREST_CONFIG", "")
PG_STOP_COMMAND = os.environ.get("PG_STOP_COMMAND", "systemctl stop postgresql")
PG_START_COMMAND = os.environ.get("PG_START_COMMAND", "systemctl start postgresql")

# The site's languages (wiki/languages.py): the default one's pages at the addresses they always
# had, every other's under its prefix (/es/wiki/…). Settings, not rows: the URL map, the compiled
# catalogues (LOCALE_PATHS) and each language's search configuration are chosen at deployment.
# WIKI_LANGUAGES picks from ALL_LANGUAGES (the default language first or not, it is LANGUAGE_CODE).
LANGUAGE_CODE = os.environ.get("WIKI_DEFAULT_LANGUAGE", "en")
ALL_LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LANGUAGES = [
    (code, name)
    for code, name in ALL_LANGUAGES
    if code in env_list("WIKI_LANGUAGES", "en,es,ar") or code == LANGUAGE_CODE
]
TIME_ZONE = "UTC"
USE_I18N = True
# The interface's translations (gettext catalogues, README "Interface languages"): locale/<lang>/
# LC_MESSAGES/django.po in the repository, compiled to .mo by the Makefile (gitignored).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "encyclopedia.apps.StaticFinder",  # static/ less the visual editor's npm sources
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media files (wiki/media/) go through Django's storage: the file system under MEDIA_ROOT, or
# an S3-compatible object store when AWS_STORAGE_BUCKET_NAME is set (django-storages, the
# `s3` extra: pip install ".[s3]"; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,  # public images, addresses that can be cached
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Anonymous article pages: kept whole in the cache until an edit drops them; CDNs may keep
# them PAGE_CACHE_MAX_AGE seconds (Cache-Control: public).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", 60))
# Front caches (Varnish, deploy/varnish/) banned whenever the page cache drops a page, e.g.
# FRONT_CACHE_URLS=http://127.0.0.1:6081 (comma-separated, one per front cache).
FRONT_CACHES = [u.strip() for u in os.environ.get("FRONT_CACHE_URLS", "").split(",") if u.strip()]
# House advertisements (encyclopedia/promotions.py): off unless asked for; never on articles
# in the categories named here (comma-separated), whatever a promotion says.
PROMOTIONS_ENABLED = env_bool("PROMOTIONS_ENABLED", False)
PROMOTIONS_EXCLUDED_CATEGORIES = env_list("PROMOTIONS_EXCLUDED_CATEGORIES", "")

# Editing limits.
WIKI_MAX_SOURCE_BYTES = int(os.environ.get("WIKI_MAX_SOURCE_BYTES", 2 * 1024 * 1024))
WIKI_MAX_UPLOAD_BYTES = int(os.environ.get("WIKI_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
# The body is read URL-encoded: a byte of text may take three characters (%XX), so a text
# just within the limit, in any script and with any punctuation, still gets to the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * WIKI_MAX_SOURCE_BYTES + 512 * 1024

# Writes through the REST API, per personal token (wiki.api.rest.auth.TokenWriteThrottle).
API_WRITE_RATE = os.environ.get("API_WRITE_RATE", "60/min")
# The Action API's sign-in (action=login, clientlogin) checks passwords with the site's form,
# so the sign-in throttle (encyclopedia/signin.py) holds there too.
API_SIGNIN_FORM = "encyclopedia.signin.SignInForm"

# Content safety and rendering bounds (wiki/rendering/, wiki/uploads.py).
# Uploaded images under MEDIA_URL are served by the app itself (also with DEBUG off).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Images from other sites in articles (tracking pixels): off, they become plain links.
WIKI_ALLOW_REMOTE_IMAGES = env_bool("WIKI_ALLOW_REMOTE_IMAGES", False)
# CPU seconds rendering one text may take before it is refused as too complex (well under
# gunicorn's 30 s timeout, far above what the largest ordinary article needs; bench/README.md).
WIKI_RENDER_BUDGET_SECONDS = float(os.environ.get("WIKI_RENDER_BUDGET_SECONDS", 10))

# Medical review (wiki/review/): the site page readers reach from the "Medically reviewed"
# line, explaining how pages are reviewed (a site page, edited in the admin).
WIKI_REVIEW_POLICY_URL = "/how-we-review"
# Readers (anyone not an editor) are shown the last medically reviewed revision of an article
# that has one, with a notice and a link to the newer changes; editors see the latest. Each
# article's "readers see the reviewed revision" overrides this either way.
WIKI_READERS_SEE_REVIEWED = env_bool("WIKI_READERS_SEE_REVIEWED", True)
# Readers too (not only editors) are told when a translation's source article has changed since.
WIKI_SHOW_OUTDATED_TO_READERS = env_bool("WIKI_SHOW_OUTDATED_TO_READERS", False)
# The level a revision needs to be the stable one readers are shown (issue 30, FlaggedRevs'
# tiers): "reviewed" (medically reviewed, by the Reviewers) or "checked" (any editor verified
# it is not vandalism; a medically reviewed revision counts as checked).
WIKI_STABLE_LEVEL = os.environ.get("WIKI_STABLE_LEVEL", "reviewed").strip().lower()
if WIKI_STABLE_LEVEL not in ("checked", "reviewed"):
    raise ImproperlyConfigured("WIKI_STABLE_LEVEL is “checked” or “reviewed”.")
# Months after its last review that an article is due for another, when none of its
# categories sets its own interval (a category's "review interval" in the admin).
WIKI_REVIEW_INTERVAL_MONTHS = int(os.environ.get("WIKI_REVIEW_INTERVAL_MONTHS", 12))
# Reader reports (wiki/reports/): anyone but an editor may send at most this many reports from
# one address, and an article may receive at most this many, within the window (seconds).
WIKI_REPORTS_PER_ADDRESS = int(os.environ.get("WIKI_REPORTS_PER_ADDRESS", 5))
WIKI_REPORTS_PER_ARTICLE = int(os.environ.get("WIKI_REPORTS_PER_ARTICLE", 20))
WIKI_REPORTS_WINDOW_SECONDS = int(os.environ.get("WIKI_REPORTS_WINDOW_SECONDS", 3600))
# A reviewer whose disclosure declares a competing interest in one of an article's categories
# (or a category above one): "refuse" (the review is refused, for another reviewer to make) or
# "show" (the review is made, and the conflict shown beside it on the article and in lists).
WIKI_REVIEW_CONFLICT_POLICY = os.environ.get("WIKI_REVIEW_CONFLICT_POLICY", "refuse")
if WIKI_REVIEW_CONFLICT_POLICY not in {"refuse", "show"}:
    raise ImproperlyConfigured('WIKI_REVIEW_CONFLICT_POLICY must be "refuse" or "show".')
# Where an ISBN in a reference leads (a book search of the site's choice); {isbn} is replaced.
WIKI_ISBN_URL = os.environ.get("WIKI_ISBN_URL", "https://openlibrary.org/isbn/{isbn}")

# References filled from an identifier in the cite dialog (wiki/editing/citation_lookup.py):
# each service's address, the contact e-mail Crossref's polite pool and NCBI ask for, how long
# a service may take, how long answers are kept, and how large a pasted web page may be.
CITATION_CROSSREF_URL = os.environ.get("CITATION_CROSSREF_URL", "https://api.crossref.org")
CITATION_EUTILS_URL = os.environ.get(
    "CITATION_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
)
CITATION_OPENLIBRARY_URL = os.environ.get("CITATION_OPENLIBRARY_URL", "https://openlibrary.org")
CITATION_CONTACT_EMAIL = os.environ.get("CITATION_CONTACT_EMAIL", "")
CITATION_TIMEOUT_SECONDS = float(os.environ.get("CITATION_TIMEOUT_SECONDS", 8))
CITATION_CACHE_SECONDS = int(os.environ.get("CITATION_CACHE_SECONDS", 7 * 24 * 3600))
CITATION_MAX_PAGE_BYTES = int(os.environ.get("CITATION_MAX_PAGE_BYTES", 2_000_000))
# A pasted web address on a private or loopback network is refused (no look-ups inside ours).
CITATION_ALLOW_PRIVATE_URLS = env_bool("CITATION_ALLOW_PRIVATE_URLS", False)
# The cite dialog and the editor's Sources panel flag sources older than this many years (a
# hint, never a refusal).
CITATION_OLD_SOURCE_YEARS = int(os.environ.get("CITATION_OLD_SOURCE_YEARS", 5))
# Look-ups one editor may send to the services in a minute (answers from the cache are free).
CITATION_LOOKUPS_PER_MINUTE = int(os.environ.get("CITATION_LOOKUPS_PER_MINUTE", 30))
# The scheduled check of cited DOIs and PMIDs for retractions, expressions of concern and
# corrections (wiki/retractions/): through the services and contact address above, at most
# this many requests a second (NCBI's limit without a key is 3), each cited work again after
# this many days, so many a run (two requests a DOI at most: keep a run within QUEUE_TIMEOUT).
CITATION_CHECK_REQUESTS_PER_SECOND = float(os.environ.get("CITATION_CHECK_REQUESTS_PER_SECOND", 3))
CITATION_CHECK_INTERVAL_DAYS = int(os.environ.get("CITATION_CHECK_INTERVAL_DAYS", 7))
CITATION_CHECK_BATCH = int(os.environ.get("CITATION_CHECK_BATCH", 200))

# django-markdownx: our sanitizing renderer, our permission-checked endpoints.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "wiki.rendering.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_UPLOAD_MAX_SIZE = WIKI_MAX_UPLOAD_BYTES
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"]
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_SERVER_CALL_LATENCY = 300

# Security headers; the HTTPS ones only when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Session and CSRF cookies are Secure in production (DEBUG off), whoever redirects to HTTPS
# (this app, or a TLS proxy in front of it with SECURE_SSL_REDIRECT=0). Only a site served on
# plain HTTP (`make serve` locally, `make cluster` on loopback) turns them off, with both set
# to 0: a client that honours the flag would never send them back there.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)

# Content-Security-Policy (django-csp): scripts and styles only from our own files, never
# inline; the one inline block, the JSON-LD data, carries the request's nonce. Article images
# may be hosted elsewhere (https). A cached anonymous page keeps the header it was stored with,
# so its nonce and its body always match.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# E-mail: the console in development, SMTP when EMAIL_HOST is set (production).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wiki@localhost")
# Links in mails: the site's address as readers reach it.
WIKI_SITE_URL = os.environ.get("WIKI_SITE_URL", "http://localhost:8000")

# The task queue (wiki/tasks.py): django-q2 with the site's own database as its broker, so a job
# whose worker died mid-job runs again (its Redis broker would lose it) and `make run` needs
# nothing more. A worker is `manage.py qcluster`; tests run jobs inline (WIKI_TASKS_INLINE).
QUEUE_TIMEOUT = int(os.environ.get("QUEUE_TIMEOUT", 300))  # seconds a job may run
Q_CLUSTER = {
    "name": "encyclopedia",
    "orm": "default",
    "workers": int(os.environ.get("QUEUE_WORKERS", 2)),
    "timeout": QUEUE_TIMEOUT,
    # A job not finished this long after a worker took it (the worker died) is taken again.
    "retry": int(os.environ.get("QUEUE_RETRY", QUEUE_TIMEOUT + 60)),
    "max_attempts": 5,
    "ack_failures": True,  # a job that raised is recorded as failed; jobs retry themselves
    "catch_up": False,
    "bulk": 1,
    "poll": 0.5,
    "save_limit": 1000,
    "label": "Task queue",
}
WIKI_TASKS_INLINE = env_bool("WIKI_TASKS_INLINE", False)
# Pages one job re-renders after a template they use changed (wiki/transclusion); the next
# batch is a job of its own, so no job runs long.
WIKI_TEMPLATE_RERENDER_BATCH = int(os.environ.get("WIKI_TEMPLATE_RERENDER_BATCH", 200))
# After a migrate that applies wiki 0024 or 0025 (or a flush), write the shipped templates as
# pages: the infobox types and the starter skeletons (wiki/transclusion/shipping.py). The test
# suite turns it off: its sites start empty.
WIKI_SHIP_TEMPLATES = env_bool("WIKI_SHIP_TEMPLATES", True)

# "Download as PDF" (wiki/printing/): the paper size when the link does not say (a4 or letter),
# the seconds one PDF may take to make before it is stopped, the largest PDF (and page) in bytes,
# and how many PDFs one address may ask for in an hour.
WIKI_PDF_PAPER = os.environ.get("WIKI_PDF_PAPER", "a4").lower()
WIKI_PDF_TIMEOUT_SECONDS = float(os.environ.get("WIKI_PDF_TIMEOUT_SECONDS", 60))
WIKI_PDF_MAX_BYTES = int(os.environ.get("WIKI_PDF_MAX_BYTES", 30 * 1024 * 1024))
WIKI_PDF_PER_ADDRESS = int(os.environ.get("WIKI_PDF_PER_ADDRESS", 30))

# Self-registration (encyclopedia/accounts.py): on in development and the demo, off unless
# asked for when DEBUG is off. A new account reads until an administrator adds it to Editors,
# or, with REGISTRATION_AUTO_EDITOR_DAYS set, edits once its address was confirmed that long.
REGISTRATION_OPEN = env_bool("REGISTRATION_OPEN", DEBUG)
REGISTRATION_AUTO_EDITOR_DAYS = (
    int(os.environ["REGISTRATION_AUTO_EDITOR_DAYS"])
    if os.environ.get("REGISTRATION_AUTO_EDITOR_DAYS")
    else None
)
REGISTRATION_CONFIRM_DAYS = int(os.environ.get("REGISTRATION_CONFIRM_DAYS", 3))
REGISTRATIONS_PER_ADDRESS_PER_DAY = int(os.environ.get("REGISTRATIONS_PER_ADDRESS_PER_DAY", 3))
# Abuse limits of young accounts (wiki/limits.py).
WIKI_SAVES_PER_MINUTE = int(os.environ.get("WIKI_SAVES_PER_MINUTE", 10))
WIKI_YOUNG_ACCOUNT_DAYS = int(os.environ.get("WIKI_YOUNG_ACCOUNT_DAYS", 4))
WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS = int(os.environ.get("WIKI_YOUNG_ACCOUNT_EXTERNAL_LINKS", 3))
# The self-hosted captcha (django-simple-captcha, wiki/antiabuse/captcha.py): on sign-up,
# password reset, anonymous reader reports, and young accounts' edits that add links.
WIKI_CAPTCHA_FOR_LINKS = env_bool("WIKI_CAPTCHA_FOR_LINKS", True)
# Held edits (wiki/antiabuse/holding.py): a young account's edits wait for an editor's approval.
WIKI_HOLD_NEW_ACCOUNT_EDITS = env_bool("WIKI_HOLD_NEW_ACCOUNT_EDITS", False)
# The time all abuse rules together may take on one edit; a rule past it is skipped and logged.
WIKI_ABUSE_RULES_BUDGET_MS = int(os.environ.get("WIKI_ABUSE_RULES_BUDGET_MS", 300))
CAPTCHA_FLITE_PATH = os.environ.get("CAPTCHA_FLITE_PATH") or shutil.which("flite")
CAPTCHA_TIMEOUT = int(os.environ.get("CAPTCHA_TIMEOUT", 20))  # minutes a challenge may be answered
CAPTCHA_LENGTH = 5
CAPTCHA_FONT_SIZE = 44  # drawn large, shown at 4rem: readable on a phone
