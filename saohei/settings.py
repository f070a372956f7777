"""Saohei settings: every value comes from the environment, with safe defaults for a laptop.

Production is declared with SAOHEI_ENV=production; it then refuses to start without a
SECRET_KEY, a SAOHEI_DATA_KEY and ALLOWED_HOSTS. See .env.example and docs/operations.md.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAOHEI_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
log = logging.getLogger("saohei.settings")

PRODUCTION = env.str("SAOHEI_ENV", default="development") == "production"
DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be on when SAOHEI_ENV=production.")


def _local_secret(name: str, env_name: str, make) -> str:
    """A secret kept under var/ with mode 0600, generated on first use (development only)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
        logging.getLogger("saohei.settings").warning(
            "No %s in the environment: generated a development value in %s. "
            "Never use it in production.",
            env_name,
            path,
        )
    return path.read_text().strip()


def _secret_from_env(name: str) -> str | None:
    """NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    if os.environ.get(name):
        return os.environ[name]
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return None


SECRET_KEY = _secret_from_env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when SAOHEI_ENV=production.")
    SECRET_KEY = _local_secret("secret_key", "SECRET_KEY", lambda: secrets.token_urlsafe(50))

# Data-encryption keys: base64 of 32 random bytes each, comma-separated; the first encrypts,
# all decrypt (rotation). Parsed and checked by saohei.core.crypto.
SAOHEI_DATA_KEY = _secret_from_env("SAOHEI_DATA_KEY")
if not SAOHEI_DATA_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SAOHEI_DATA_KEY is required when SAOHEI_ENV=production: "
            '32 random bytes in standard base64, e.g. `python -c "import os, base64; '
            'print(base64.b64encode(os.urandom(32)).decode())"`.'
        )
    SAOHEI_DATA_KEY = _local_secret(
        "data_key", "SAOHEI_DATA_KEY", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
    )
# aes-256-gcm (default) or sm4-gcm (GM/T 0002) for new values; both are always readable.
SAOHEI_CIPHER = env.str("SAOHEI_CIPHER", default="aes-256-gcm")
# sha256 (default) or sm3 (GM/T 0004) for new audit entries.
SAOHEI_AUDIT_HASH = env.str("SAOHEI_AUDIT_HASH", default="sha256")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when SAOHEI_ENV=production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "saohei.core",
    "saohei.orgs",
    "saohei.audit",
    "saohei.clues",
    "saohei.transfers",
    "saohei.cases",
    "saohei.reports",
    "saohei.entities",
    "saohei.vetting",
    "saohei.linkage",
    "saohei.intake",
    "saohei.rectification",
    "saohei.oversight",
    "saohei.campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "saohei.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "saohei.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "saohei.core.middleware.SessionPolicyMiddleware",
    "saohei.orgs.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saohei.urls"
WSGI_APPLICATION = "saohei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "saohei" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saohei.core.context_processors.navigation",
            ],
        },
    }
]

# Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'saohei.sqlite3'}")
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two writers queue
        # on the busy timeout instead of failing with "database is locked" on upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file, not :memory:, so that tests with threads see one database, as production does.
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
_db["ATOMIC_REQUESTS"] = False
# In production a worker thread keeps its connection for a while instead of opening one per
# request (a new SQLite connection and its pragmas were 3% of a loaded server's time), checked
# before reuse; tests and development open one per request.
_db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
_db["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

# Authentication and security -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "saohei.core.passwords.PolicyLengthValidator"},
    {"NAME": "saohei.core.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed logins (django-axes); the limit and cool-off come from the
# security policy that the security administrator sets (saohei.core.models.SecurityPolicy).
AXES_FAILURE_LIMIT = "saohei.core.policy.failure_limit"
AXES_COOLOFF_TIME = "saohei.core.policy.cool_off"
# Lock the account, not the address: offices sit behind one NAT address, and 等保 asks for
# account lock-out. (axes.W006 warns about the address; that is the point.)
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "saohei.core.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp"]

# Two-factor login (saohei.orgs.twofactor): compulsory for the office head, the clue custodian
# and the three officers, optional for everyone else. The issuer names the account in the
# authenticator app.
OTP_TOTP_ISSUER = env.str("SAOHEI_OTP_ISSUER", default="扫黑除恶督办平台")
# Wait 1, 2, 4, 8 … seconds after each wrong code (django-otp); the security policy's failure
# limit then locks the second step for its cool-off period.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Single sign-on through OpenID Connect (mozilla-django-oidc), off unless SAOHEI_OIDC_ENABLED.
# The IdP's claims name the user's unit (unit code) and roles (group names): see
# saohei.orgs.oidc and docs/operations.md.
SAOHEI_OIDC_ENABLED = env.bool("SAOHEI_OIDC_ENABLED", default=False)
if SAOHEI_OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("saohei.orgs.oidc.SaoheiOIDCBackend")
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _secret_from_env("OIDC_RP_CLIENT_SECRET") or ""
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
    OIDC_VERIFY_SSL = env.bool("OIDC_VERIFY_SSL", default=True)
    if not OIDC_RP_CLIENT_SECRET and OIDC_RP_SIGN_ALGO.startswith("HS"):
        raise ImproperlyConfigured("OIDC_RP_CLIENT_SECRET is required with an HS* algorithm.")
    # Which claims carry the username, the unit code and the role names.
    SAOHEI_OIDC_USERNAME_CLAIM = env.str("SAOHEI_OIDC_USERNAME_CLAIM", default="preferred_username")
    SAOHEI_OIDC_UNIT_CLAIM = env.str("SAOHEI_OIDC_UNIT_CLAIM", default="unit")
    SAOHEI_OIDC_ROLES_CLAIM = env.str("SAOHEI_OIDC_ROLES_CLAIM", default="roles")
    SAOHEI_OIDC_NAME_CLAIM = env.str("SAOHEI_OIDC_NAME_CLAIM", default="name")
    # Whether a sign-in the IdP reports as multi-factor (an `amr` value listed here, e.g.
    # "otp,hwk,mfa") stands for the local second factor. Empty (default): the required roles
    # still give a local TOTP code after signing in through the IdP.
    SAOHEI_OIDC_TRUSTED_AMR = env.list("SAOHEI_OIDC_TRUSTED_AMR", default=[])

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
HTTPS = env.bool("SAOHEI_HTTPS", default=PRODUCTION)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
# Every name under the site's domain over HTTPS only, and the header browsers' preload lists
# ask for: an operator's decision for the whole domain (deploy/saohei.env sets both), so off
# unless set.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("SAOHEI_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No origin but our own, ever: the intranet has no internet and the pages hold case data.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Django's admin and chart libraries set style attributes; no external origin allowed.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "saohei" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Cache ----------------------------------------------------------------------------------------
# Counts kept a short while (saohei.core.recent: the to-do badge, the dashboard's figures),
# shared by the worker processes of a host through files under var/ (no other server to run on
# the intranet). Each application host keeps its own: the age stays bounded by the time set
# there, and a user's own last action is read from the database all hosts share.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.str("SAOHEI_CACHE_DIR", default=str(VAR_DIR / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves finders in development
STATICFILES_DIRS = [BASE_DIR / "saohei" / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
# Attachments (evidence, scanned letters): largest file accepted, and the kinds of file.
SAOHEI_MAX_ATTACHMENT_MB = env.int("SAOHEI_MAX_ATTACHMENT_MB", default=50)
SAOHEI_ATTACHMENT_TYPES = env.list(
    "SAOHEI_ATTACHMENT_TYPES",
    default=[
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "jpg",
        "jpeg",
        "png",
        "txt",
        "mp3",
        "mp4",
        "wav",
        "zip",
    ],
)

# REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["saohei.core.api_permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "saohei.core.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Saohei API",
    "DESCRIPTION": "Clue-and-case supervision platform (扫黑除恶线索案件督办平台)",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # One name per choice set, so clients see ClueStatus, CaseStage, … not hashed names.
    "ENUM_NAME_OVERRIDES": {
        "ClueStatus": "saohei.clues.choices.Status",
        "ClueCategory": "saohei.clues.choices.Category",
        "CaseStage": "saohei.cases.choices.Stage",
        "CaseKind": "saohei.cases.choices.CaseKind",
        "TransferStatus": "saohei.transfers.choices.TransferStatus",
        "TransferKind": "saohei.transfers.choices.TransferKind",
        "UnitKind": "saohei.orgs.choices.UnitKind",
        "AssetKind": "saohei.cases.choices.AssetKind",
        "AuditAction": "saohei.audit.models.Action",
    },
}

# Ledger imports started in the browser run in a background thread with a progress bar.
SAOHEI_IMPORTS_IN_BACKGROUND = env.bool("SAOHEI_IMPORTS_IN_BACKGROUND", default=True)

# The conclusion rate (查结率) the briefing holds the district to: below it, 存在问题 says so.
SAOHEI_CONCLUSION_RATE_TARGET = env.float("SAOHEI_CONCLUSION_RATE_TARGET", default=0.9)

# Rewards for reports (举报奖励): a proposal above the ceiling is refused.
SAOHEI_REWARD_CEILING = env.int("SAOHEI_REWARD_CEILING", default=200_000)

# Public reporting portal (举报平台, saohei.intake). SAOHEI_PORTAL_ONLY=1 makes this process
# serve the portal's public pages and nothing else (no login, admin, API or clue pages), so
# it can sit in another network zone. Reporters' addresses are not kept unless
# SAOHEI_PORTAL_KEEP_IP=1.
SAOHEI_PORTAL_ONLY = env.bool("SAOHEI_PORTAL_ONLY", default=False)
if SAOHEI_PORTAL_ONLY:
    ROOT_URLCONF = "saohei.portal_urls"
SAOHEI_PORTAL_KEEP_IP = env.bool("SAOHEI_PORTAL_KEEP_IP", default=False)

# Case linking (串并): two clues or cases at the same place, or described alike, are suggested
# as linked when they happened within this many days of each other.
SAOHEI_LINK_WINDOW_DAYS = env.int("SAOHEI_LINK_WINDOW_DAYS", default=90)

# Logging: informant identity never reaches a log (protected fields are never logged by us;
# request bodies are not logged).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {"saohei": {"level": env.str("SAOHEI_LOG_LEVEL", default="INFO")}},
}
