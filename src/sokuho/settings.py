"""The one settings module. Everything machine-specific comes from the environment.

SOKUHO_DATA    data directory (SQLite database, media, generated secret); ./sokuho-data
DATABASE_URL   sqlite:///… or postgres://…; defaults to the SQLite file in SOKUHO_DATA
SECRET_KEY     required by `sokuho serve`; `sokuho demo` keeps one in SOKUHO_DATA
ALLOWED_HOSTS  comma-separated
REDIS_URL      optional: shared cache (and, later, rankings) in Redis
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
    "sokuho.pagecache",
    "sokuho.demo",
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
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sokuho.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sokuho.urls"
WSGI_APPLICATION = "sokuho.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sokuho.news.context_processors.site_furniture",
            ],
        },
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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
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

# --- sokuho --------------------------------------------------------------------
# How often the in-process scheduler wakes up (publishing, expiry, later jobs).
SOKUHO_SCHEDULER_INTERVAL = float(os.environ.get("SOKUHO_SCHEDULER_INTERVAL", "10"))
SOKUHO_ARTICLES_PER_PAGE = 20

# Full-page cache for anonymous readers (sokuho.pagecache): how long the app keeps a
# page (purges end it sooner), and what a CDN or Varnish in front may do.
SOKUHO_PAGE_CACHE = env_bool("SOKUHO_PAGE_CACHE", True)
SOKUHO_PAGE_CACHE_SECONDS = int(os.environ.get("SOKUHO_PAGE_CACHE_SECONDS", "600"))
SOKUHO_PAGE_CACHE_EDGE_SECONDS = int(os.environ.get("SOKUHO_PAGE_CACHE_EDGE_SECONDS", "60"))
SOKUHO_PAGE_CACHE_STALE_SECONDS = int(os.environ.get("SOKUHO_PAGE_CACHE_STALE_SECONDS", "30"))
SOKUHO_VARNISH_URLS = env_list("SOKUHO_VARNISH_URLS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"sokuho": {"level": os.environ.get("SOKUHO_LOG_LEVEL", "INFO")}},
}
