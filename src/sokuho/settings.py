"""The one settings module. Everything machine-specific comes from the environment.

SOKUHO_DATA    data directory (SQLite database, media, generated secret); ./sokuho-data
DATABASE_URL   sqlite:///… or postgres://…; defaults to the SQLite file in SOKUHO_DATA
SECRET_KEY     required by `sokuho serve`; `sokuho demo` keeps one in SOKUHO_DATA
ALLOWED_HOSTS  comma-separated
REDIS_URL      optional: shared cache and rankings in Redis
MEDIA_ROOT     defaults to SOKUHO_DATA/media
SOKUHO_BASE_URL  the public origin, e.g. https://news.example.jp
SOKUHO_ENV     "production" (default), "demo" or "test"
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest sets PYTEST_VERSION; the test settings are these plus the few TESTING switches below.
TESTING = os.environ.get("SOKUHO_ENV") == "test" or "PYTEST_VERSION" in os.environ
SOKUHO_ENV = "test" if TESTING else os.environ.get("SOKUHO_ENV", "production")
if TESTING and not os.environ.get("SOKUHO_DATA"):
    os.environ["SOKUHO_DATA"] = tempfile.mkdtemp(prefix="sokuho-test-")
DATA_DIR = Path(os.environ.get("SOKUHO_DATA", "sokuho-data")).resolve()

# A key that `sokuho serve` refuses: only for manage commands on a developer's machine.
INSECURE_SECRET_KEY = "django-insecure-sokuho-development-key-never-use-in-production"  # noqa: S105


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    return INSECURE_SECRET_KEY


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SOKUHO_SITE_NAME = os.environ.get("SOKUHO_SITE_NAME", "速報ニュース")
SOKUHO_BASE_URL = os.environ.get("SOKUHO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAIL_SITE_NAME = SOKUHO_SITE_NAME
WAGTAILADMIN_BASE_URL = SOKUHO_BASE_URL

INSTALLED_APPS = [
    "sokuho.ja",
    "sokuho.news",
    "sokuho.scheduler",
    "sokuho.feeds",
    "sokuho.sponsored",
    "sokuho.magazine",
    "sokuho.newsletter",
    "sokuho.quizzes",
    "sokuho.search",
    "sokuho.pagecache",
    "sokuho.rankings",
    "sokuho.related",
    "sokuho.demo",
    "sokuho.newsroom",
    "sokuho.security",
    "sokuho.backups",
    "sokuho.wire",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: a stored page keeps every header the middleware below adds.
    "sokuho.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sokuho.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sokuho.security.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sokuho.urls"
WSGI_APPLICATION = "sokuho.wsgi.application"

# Readers' pages show no user, permission or message: their (Jinja2) templates get only
# the site's furniture (Django's Jinja2 backend passes `request` itself). Pages inside
# the admin get Django's full set.
READER_CONTEXT_PROCESSORS = ["sokuho.news.context_processors.site_furniture"]
CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    *READER_CONTEXT_PROCESSORS,
]
# The reader site (pages, fragments, feeds, emails) is Jinja2, in each app's jinja2/
# folder: an uncached article page renders in a fraction of the time of Django's
# template language (bench/http.py). Django templates remain for Wagtail's admin and
# the pages that extend it.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "sokuho.templating.environment",
            "context_processors": READER_CONTEXT_PROCESSORS,
            "extensions": [
                "wagtail.images.jinja2tags.images",
                "sokuho.ja.jinja2tags.japanese",
                "sokuho.news.jinja2tags.news",
                "sokuho.rankings.jinja2tags.rankings",
                "sokuho.related.jinja2tags.related",
                "sokuho.magazine.jinja2tags.magazine",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
]

# --- Database ----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'sokuho.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, each statement's placeholders rewritten once (sokuho.db.sqlite3).
    DATABASES["default"]["ENGINE"] = "sokuho.db.sqlite3"
    # WAL lets readers and the scheduler work while a writer commits; IMMEDIATE
    # transactions avoid "database is locked" on lock upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 600
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA mmap_size=134217728; PRAGMA cache_size=-20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Article search (sokuho.search): FTS5 on SQLite, tsvector + GIN on PostgreSQL.
SOKUHO_SEARCH = {
    "BACKEND": (
        "sokuho.search.backends.postgres.PostgresSearchBackend"
        if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        else "sokuho.search.backends.sqlite.SQLiteSearchBackend"
    )
}

# --- Cache -------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sokuho.pagecache.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sokuho",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sokuho",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "sokuho-renditions"}
if not REDIS_URL:
    CACHES["renditions"]["LOCATION"] = "sokuho-renditions"

# Most-read rankings: hourly view counts in Redis when there is one, else in the database.
SOKUHO_RANKINGS = {
    "BACKEND": (
        "sokuho.rankings.backends.redis.RedisRankingStore"
        if REDIS_URL
        else "sokuho.rankings.backends.sql.SQLRankingStore"
    ),
    "OPTIONS": {"url": REDIS_URL} if REDIS_URL else {},
    "CLIENT_IP_HEADER": os.environ.get("SOKUHO_CLIENT_IP_HEADER", ""),
}

# --- Tasks -------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Email -------------------------------------------------------------------
# SMTP when EMAIL_HOST is set; otherwise each message is written to SOKUHO_DATA/mail.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsletter@localhost")
# The daily newsletter digest: JST time of day, and how long a confirmation link works.
SOKUHO_DIGEST_TIME = os.environ.get("SOKUHO_DIGEST_TIME", "07:00")
SOKUHO_NEWSLETTER_CONFIRM_HOURS = float(os.environ.get("SOKUHO_NEWSLETTER_CONFIRM_HOURS", "48"))

# --- Auth --------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "wagtailadmin_login"

# --- Language and time ---------------------------------------------------------
LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ja", "日本語"), ("en", "English")]

# --- Static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
if TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
SOKUHO_SERVE_MEDIA = env_bool("SOKUHO_SERVE_MEDIA", True)
STORAGES = {
    # Uploaded file names become plain ASCII (sokuho.security.storage).
    "default": {"BACKEND": "sokuho.security.storage.SafeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Static files are served from the package itself: no collectstatic step on first run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

# --- Wagtail -------------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "sokuho.search.wagtail_backend"}}
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Security ----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if SOKUHO_BASE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
# The rest of the hardening lives in sokuho.security (headers, CSP, uploads, 2FA, lockout).
SESSION_COOKIE_AGE = int(os.environ.get("SOKUHO_SESSION_HOURS", "12")) * 3600
SESSION_COOKIE_SAMESITE = "Lax"
AUTHENTICATION_BACKENDS = [
    "sokuho.security.login.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SOKUHO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SOKUHO_LOGIN_LOCKOUT_MINUTES", "30")) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account, and per address
AXES_LOCKOUT_CALLABLE = "sokuho.security.login.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
if os.environ.get("SOKUHO_PROXY_COUNT"):  # behind N trusted reverse proxies
    AXES_IPWARE_PROXY_COUNT = int(os.environ["SOKUHO_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
OTP_TOTP_ISSUER = SOKUHO_SITE_NAME
SOKUHO_2FA_SUPERUSERS = env_bool("SOKUHO_2FA_SUPERUSERS", SOKUHO_ENV == "production")
SECURE_SSL_REDIRECT = env_bool("SOKUHO_SSL_REDIRECT")  # when no proxy redirects to https
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SOKUHO_HSTS_SUBDOMAINS")
WAGTAILIMAGES_IMAGE_FORM_BASE = "sokuho.security.uploads.SafeImageForm"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff e-mail hashes sent to a third party

# --- sokuho --------------------------------------------------------------------
# How often the in-process scheduler wakes up (publishing, expiry, later jobs).
SOKUHO_SCHEDULER_INTERVAL = float(os.environ.get("SOKUHO_SCHEDULER_INTERVAL", "10"))
SOKUHO_ARTICLES_PER_PAGE = 20

# Full-page cache for anonymous readers (sokuho.pagecache): how long the app keeps a
# page (purges end it sooner), and what a CDN or Varnish in front may do.
# Watch folder: pictures older than this are moved to done/pictures/.
SOKUHO_WIRE_PICTURE_KEEP_HOURS = float(os.environ.get("SOKUHO_WIRE_PICTURE_KEEP_HOURS", "24"))
# Wire push: after this many failed token checks from one address, that address is
# refused (429) until the window passes.
SOKUHO_WIRE_PUSH_FAILURE_LIMIT = int(os.environ.get("SOKUHO_WIRE_PUSH_FAILURE_LIMIT", "10"))
SOKUHO_WIRE_PUSH_LOCKOUT_SECONDS = int(os.environ.get("SOKUHO_WIRE_PUSH_LOCKOUT_SECONDS", "600"))

SOKUHO_PAGE_CACHE = env_bool("SOKUHO_PAGE_CACHE", True)
SOKUHO_PAGE_CACHE_SECONDS = int(os.environ.get("SOKUHO_PAGE_CACHE_SECONDS", "600"))
SOKUHO_PAGE_CACHE_EDGE_SECONDS = int(os.environ.get("SOKUHO_PAGE_CACHE_EDGE_SECONDS", "60"))
SOKUHO_PAGE_CACHE_STALE_SECONDS = int(os.environ.get("SOKUHO_PAGE_CACHE_STALE_SECONDS", "30"))
# Each process keeps its most-read pages in memory and re-checks them against the shared
# cache at most this often: the longest a purge made on another node or worker can lag.
SOKUHO_PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("SOKUHO_PAGE_CACHE_LOCAL_SECONDS", "0.1"))
SOKUHO_PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("SOKUHO_PAGE_CACHE_LOCAL_ENTRIES", "500"))
# Read by every page render; kept in process memory this long when the cache is Redis.
SOKUHO_NEAR_CACHE_SECONDS = float(os.environ.get("SOKUHO_NEAR_CACHE_SECONDS", "1"))
SOKUHO_NEAR_CACHE_PREFIXES = (
    "sokuho:routing",
    "sokuho:nav:",
    "sokuho:rankings:snapshot",
    "sokuho:magazine:promos",
    "wagtail_site_root_paths",
)
# Never looked up in the page cache: static files, uploads and the admin.
SOKUHO_PAGE_CACHE_SKIP_PREFIXES = (STATIC_URL, MEDIA_URL, "/admin/")
SOKUHO_VARNISH_URLS = env_list("SOKUHO_VARNISH_URLS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"sokuho": {"level": os.environ.get("SOKUHO_LOG_LEVEL", "INFO")}},
}
