"""OpenDVC settings. Every value comes from the environment; `.env.example` lists them all.

The defaults are the embedded runtime: SQLite, local files, the database task queue,
local-memory cache and e-mail written to a local outbox folder.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def setting(name: str, default: str) -> str:
    """A string setting where an empty value (as in .env.example) means the default."""
    return env.str(name, default="") or default


VAR_DIR = Path(setting("OPENDVC_VAR_DIR", str(BASE_DIR / "var"))).resolve()
# The embedded runtime keeps its database, files and outbox here; make sure it exists.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("OPENDVC_DEBUG", default=False)
SECRET_KEY = setting("OPENDVC_SECRET_KEY", "insecure-dev-key-change-me-in-production-0000")
ALLOWED_HOSTS = env.list("OPENDVC_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("OPENDVC_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = setting("OPENDVC_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "opendvc.core",
    "opendvc.audit",
    "opendvc.directory",
    "opendvc.accounts",
    "opendvc.notifications",
    "opendvc.catalog",
    "opendvc.dossiers",
    "opendvc.payments",
    "opendvc.feedback",
    "opendvc.surveys",
    "opendvc.vault",
    "opendvc.assistant",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Django's GZip middleware pads responses against BREACH; result lists shrink ~5x.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opendvc.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "opendvc.urls"
WSGI_APPLICATION = "opendvc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": environ.Env.db_url_config(
        setting("OPENDVC_DATABASE_URL", f"sqlite:///{VAR_DIR / 'opendvc.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades inside write transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not memory: threads of the concurrency tests must share it. One file
    # per test process, so two test runs on one machine never share (and destroy) a database.
    DATABASES["default"]["TEST"] = {
        "NAME": setting(
            "OPENDVC_TEST_SQLITE_NAME", str(VAR_DIR / f"test_opendvc_{os.getpid()}.sqlite3")
        )
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("OPENDVC_DB_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = setting("OPENDVC_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASK_BACKEND = setting("OPENDVC_TASK_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASK_BACKEND],
        "QUEUES": ["default"],
    }
}
INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["opendvc.accounts.backends.PhoneOrEmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "catalog:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = setting("OPENDVC_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(setting("OPENDVC_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": setting(
            "OPENDVC_STATIC_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_URL = setting("OPENDVC_EMAIL_URL", "")
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    # The embedded default: each message is written to the local outbox folder, one file per
    # Message-ID (a message sent again replaces its file; see opendvc/core/mail.py).
    EMAIL_BACKEND = "opendvc.core.mail.OutboxBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"
DEFAULT_FROM_EMAIL = setting("OPENDVC_DEFAULT_FROM_EMAIL", "OpenDVC <no-reply@opendvc.local>")
# Seconds an SMTP exchange may hang before the task gives up (and the sweep retries later).
EMAIL_TIMEOUT = 30
# Jobs the task worker runs on every heartbeat (every 30 s under `opendvc serve`): dotted paths
# to callables taking `now`. The outbox sends what a lost task left unsent and what waited for
# quiet hours or a retry; unpaid payments past their time expire; overdue PAKN are flagged;
# the assistant's conversations past their time are deleted.
OPENDVC_PERIODIC_JOBS = [
    "opendvc.notifications.outbox.periodic",
    "opendvc.payments.actions.expire_payments",
    "opendvc.feedback.actions.flag_overdue",
    "opendvc.assistant.chat.purge_conversations",
]

# The assistant (opendvc/assistant/engine): an optional OpenAI-compatible endpoint that rewords
# answers (off when empty; its text is shown only if grounded in the record), the hotline it
# hands over to, and how long a conversation is kept after its last turn.
ASSISTANT_LLM_URL = setting("OPENDVC_ASSISTANT_LLM_URL", "")
ASSISTANT_LLM_KEY = setting("OPENDVC_ASSISTANT_LLM_KEY", "")
ASSISTANT_LLM_MODEL = setting("OPENDVC_ASSISTANT_LLM_MODEL", "default")
ASSISTANT_LLM_TIMEOUT = env.int("OPENDVC_ASSISTANT_LLM_TIMEOUT", default=8)
ASSISTANT_HOTLINE = setting("OPENDVC_ASSISTANT_HOTLINE", "")
ASSISTANT_KEEP_HOURS = env.int("OPENDVC_ASSISTANT_KEEP_HOURS", default=24)

# Messages to citizens (opendvc/notifications). Each channel's provider: the sandbox records
# instead of sending; "mail" sends e-mail through EMAIL_BACKEND (the outbox folder above, or
# SMTP with OPENDVC_EMAIL_URL); "esms" and "zns" call the SMS brandname and Zalo ZNS APIs.
NOTIFY_PROVIDERS = {
    "email": setting("OPENDVC_EMAIL_PROVIDER", "mail"),
    "sms": setting("OPENDVC_SMS_PROVIDER", "sandbox"),
    "zalo": setting("OPENDVC_ZALO_PROVIDER", "sandbox"),
}
NOTIFY_MAX_ATTEMPTS = env.int("OPENDVC_NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_BACKOFF_SECONDS = env.int("OPENDVC_NOTIFY_BACKOFF_SECONDS", default=30)
# How long a worker's claim on a message lasts before another may send it (the worker died).
NOTIFY_LEASE_SECONDS = env.int("OPENDVC_NOTIFY_LEASE_SECONDS", default=300)
NOTIFY_HTTP_TIMEOUT = env.int("OPENDVC_NOTIFY_HTTP_TIMEOUT", default=10)
# SMS brandname API (eSMS-style): credentials, the registered brandname, and the secret the
# delivery-report callback must carry.
ESMS_API_URL = setting("OPENDVC_ESMS_API_URL", "https://rest.esms.vn/MainService.svc/json")
ESMS_API_KEY = setting("OPENDVC_ESMS_API_KEY", "")
ESMS_SECRET_KEY = setting("OPENDVC_ESMS_SECRET_KEY", "")
ESMS_BRANDNAME = setting("OPENDVC_ESMS_BRANDNAME", "OPENDVC")
ESMS_CALLBACK_SECRET = setting("OPENDVC_ESMS_CALLBACK_SECRET", "opendvc-sms-callback-change-me")
# Zalo ZNS: the API, the OA's access token, and the app id and OA secret key that sign webhooks.
ZNS_API_URL = setting("OPENDVC_ZNS_API_URL", "https://business.openapi.zalo.me/message/template")
ZNS_ACCESS_TOKEN = setting("OPENDVC_ZNS_ACCESS_TOKEN", "")
ZALO_APP_ID = setting("OPENDVC_ZALO_APP_ID", "")
ZALO_OA_SECRET = setting("OPENDVC_ZALO_OA_SECRET", "opendvc-zalo-secret-change-me")
# SMS longer than this many parts is refused by the template editor and cut when sent.
SMS_MAX_PARTS = env.int("OPENDVC_SMS_MAX_PARTS", default=3)

# Online payments (VNPay 2.1.0 protocol). The embedded default talks to the built-in sandbox
# gateway, served by this site under /payments/sandbox/; in production, set the merchant's
# terminal code and secret, the gateway's URLs, and OPENDVC_PAYMENTS_SANDBOX=false.
PAYMENTS_SANDBOX = env.bool("OPENDVC_PAYMENTS_SANDBOX", default=True)
VNPAY_TMN_CODE = setting("OPENDVC_VNPAY_TMN_CODE", "OPENDVC1")
VNPAY_HASH_SECRET = setting("OPENDVC_VNPAY_HASH_SECRET", "opendvc-sandbox-secret-change-me")
VNPAY_PAY_URL = setting("OPENDVC_VNPAY_PAY_URL", f"{SITE_URL}/payments/sandbox/pay")
VNPAY_API_URL = setting("OPENDVC_VNPAY_API_URL", f"{SITE_URL}/payments/sandbox/api")
PAYMENT_EXPIRY_MINUTES = env.int("OPENDVC_PAYMENT_EXPIRY_MINUTES", default=15)
# Where the sandbox gateway sends IPNs (at VNPay the merchant registers it for its terminal);
# empty: this site's payments:vnpay_ipn.
PAYMENTS_SANDBOX_IPN_URL = setting("OPENDVC_PAYMENTS_SANDBOX_IPN_URL", "")

# Digital signatures of results: each agency's key and certificate (PEM) live in
# <PKI_DIR>/agencies/<agency code>.{key,crt}; the trusted root(s) in <PKI_DIR>/ca.crt.
# `opendvc setup_demo_pki` creates a demo CA and certificates for the demo province.
PKI_DIR = Path(setting("OPENDVC_PKI_DIR", str(VAR_DIR / "pki")))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("OPENDVC_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The catalog data shipped with the project; `import_catalog` reads these by default.
CATALOG_DATA_DIR = Path(setting("OPENDVC_CATALOG_DATA_DIR", str(PACKAGE_DIR / "data")))
# Search: how often (seconds) a web process checks whether the catalog changed and its index
# must be rebuilt; and the synonym table that maps everyday words to the catalog's words.
OPENDVC_SEARCH_RECHECK_SECONDS = env.float("OPENDVC_SEARCH_RECHECK_SECONDS", default=5.0)
OPENDVC_SYNONYMS_FILE = Path(
    setting("OPENDVC_SYNONYMS_FILE", str(PACKAGE_DIR / "catalog" / "data" / "synonyms.txt"))
)
# Legal time: office hours of the one-stop desks (a dossier submitted outside them is received
# at the next opening), and how often (seconds) a process rereads administrator-entered days.
OPENDVC_OFFICE_OPENS = setting("OPENDVC_OFFICE_OPENS", "07:30")
OPENDVC_OFFICE_CLOSES = setting("OPENDVC_OFFICE_CLOSES", "17:00")
OPENDVC_CALENDAR_RECHECK_SECONDS = env.float("OPENDVC_CALENDAR_RECHECK_SECONDS", default=60.0)
# Reverse proxies in front of the web nodes (nginx: 1). Their X-Forwarded-For gives the
# client's address for rate limits and the audit log; 0 trusts no header.
OPENDVC_TRUSTED_PROXIES = env.int("OPENDVC_TRUSTED_PROXIES", default=0)
# Public dossier tracking: failed lookups allowed per client address and per dossier code.
OPENDVC_TRACKING_MAX_FAILURES_PER_IP = env.int("OPENDVC_TRACKING_MAX_FAILURES_PER_IP", default=10)
OPENDVC_TRACKING_MAX_FAILURES_PER_CODE = env.int(
    "OPENDVC_TRACKING_MAX_FAILURES_PER_CODE", default=5
)
OPENDVC_TRACKING_WINDOW_SECONDS = env.int("OPENDVC_TRACKING_WINDOW_SECONDS", default=900)
# Each check of an uploaded PDF on a result's verification page runs a signature validation:
# so many per client address per window.
VERIFY_CHECK_LIMIT = {
    "limit": env.int("OPENDVC_VERIFY_CHECKS_PER_WINDOW", default=20),
    "window": env.int("OPENDVC_VERIFY_WINDOW_SECONDS", default=600),
}
# Dossier documents (PDF, JPEG, PNG, checked by content): bytes per file, files per
# component, bytes per dossier; and the limits that stop decompression and pixel bombs.
OPENDVC_UPLOAD_MAX_BYTES = env.int("OPENDVC_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
OPENDVC_UPLOAD_MAX_FILES_PER_COMPONENT = env.int(
    "OPENDVC_UPLOAD_MAX_FILES_PER_COMPONENT", default=5
)
OPENDVC_UPLOAD_MAX_BYTES_PER_DOSSIER = env.int(
    "OPENDVC_UPLOAD_MAX_BYTES_PER_DOSSIER", default=50 * 1024 * 1024
)
# Personal e-data store: production MUST set OPENDVC_VAULT_KEY (empty = derived from SECRET_KEY,
# for the embedded set-up only; rotating SECRET_KEY would then make stored files unreadable).
VAULT_KEY = setting("OPENDVC_VAULT_KEY", "")
VAULT_QUOTA_BYTES = env.int("OPENDVC_VAULT_QUOTA_BYTES", default=200 * 1024 * 1024)
# Empty: <MEDIA_ROOT>/../vault, never under MEDIA_ROOT (whose files may be served as they are).
VAULT_ROOT = setting("OPENDVC_VAULT_ROOT", "")
OPENDVC_UPLOAD_MAX_PDF_PAGES = env.int("OPENDVC_UPLOAD_MAX_PDF_PAGES", default=500)
OPENDVC_UPLOAD_MAX_PDF_OBJECTS = env.int("OPENDVC_UPLOAD_MAX_PDF_OBJECTS", default=50_000)
OPENDVC_UPLOAD_MAX_PDF_INFLATED_BYTES = env.int(
    "OPENDVC_UPLOAD_MAX_PDF_INFLATED_BYTES", default=256 * 1024 * 1024
)
OPENDVC_UPLOAD_MAX_IMAGE_PIXELS = env.int("OPENDVC_UPLOAD_MAX_IMAGE_PIXELS", default=100_000_000)
# The demo province set up by `opendvc setup_demo` (code of the 2025 administrative unit).
DEMO_PROVINCE_CODE = setting("OPENDVC_DEMO_PROVINCE_CODE", "24")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": setting("OPENDVC_LOG_LEVEL", "WARNING")},
}
