"""Settings for gridcenter: one module, every value from the environment.

The README's "Settings" table lists each variable. ``GRIDCENTER_ENV`` chooses the
defaults: ``production`` (the default) insists on a real ``SECRET_KEY`` and turns on
the HTTPS protections; ``development`` (set by ``make run`` and ``make test``) allows
a throw-away key and local hosts.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gridcenter.contentpolicy import content_security_policy
from gridcenter.env import Env

env = Env()
BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env.choice("GRIDCENTER_ENV", "production", ("production", "development"))
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env.bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when GRIDCENTER_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env.required_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
else:
    SECRET_KEY = env.str("SECRET_KEY", "development-only-key-never-used-in-production-0123456789")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "accounts.admin_site.AdminConfig",  # Django's admin, on a site that asks for MFA where it is required
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "gridcenter.axes_app.AxesConfig",  # django-axes, named in Chinese in the admin
    "gridcenter",
    "accounts",
    "grids",
    "departments",
    "incidents",
    "patrols",
    "worktime",
    "dashboard",
    "evaluation",
    "notifications",
    "exports",
    "caselists",
    "stats",
]

MIDDLEWARE = [
    # First: /healthz answers the container health checks before any host check.
    "gridcenter.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gridcenter.contentpolicy.ContentSecurityPolicyMiddleware",  # django-csp, with the page's ws(s):// origin
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gridcenter.middleware.PreferredLanguageMiddleware",
    # In the user's language: every error answer under /api/ is JSON; a NUL in the query is a 400.
    "gridcenter.middleware.ApiErrorMiddleware",
    "gridcenter.middleware.NullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); then a session that still owes its second factor sees only the MFA pages.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.MfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gridcenter.middleware.PrivacyHeadersMiddleware",  # no-store when signed in; Permissions-Policy
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gridcenter.urls"
WSGI_APPLICATION = "gridcenter.wsgi.application"
ASGI_APPLICATION = "gridcenter.asgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Form widgets render through TEMPLATES too: templates/leaflet/ then overrides django-leaflet's
# map widget (the admin's map fields) with one that needs no inline script (the CSP allows none).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Data stores -------------------------------------------------------------
DATABASE_URL = env.url(
    "DATABASE_URL", "postgis://postgres@127.0.0.1:5432/gridcenter", ("postgis", "postgres", "postgresql")
)
# GeoDjango needs the PostGIS backend whichever scheme the URL uses.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=env.int("DB_CONN_MAX_AGE", 600, minimum=0),
        conn_health_checks=True,
    )
}
# No JIT: compiling the evaluation's large queries cost seconds (a month at scale: 9 s, 6 s without).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.url("REDIS_URL", "redis://127.0.0.1:6379/0", ("redis", "rediss"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "gridcenter",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

CHANNEL_LAYERS: dict[str, dict[str, Any]] = {
    "default": {
        # A read timeout past channels-redis's BZPOPMIN block, a blocking pool, one send to many
        # groups (gridcenter/channel_layer.py); live sockets renew their groups (consumers.py).
        "BACKEND": "gridcenter.channel_layer.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": "gridcenter:ws", "group_expiry": 1800},
    }
}

# --- Celery (read by gridcenter/celery.py through the CELERY_ namespace) -------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
# A late run of a task "expires" is dropped: the next one finds the same work in the database.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "clear-expired-sessions": {"task": "accounts.tasks.clear_expired_sessions_task", "schedule": timedelta(hours=6)},
    "prune-access-records": {"task": "accounts.tasks.prune_access_records_task", "schedule": timedelta(days=1)},
    # Readers fold too; this keeps the pending changes short when no screen is open.
    "fold-dashboard-rollups": {"task": "dashboard.tasks.fold_rollups_task", "schedule": timedelta(minutes=1)},
    "close-stale-patrols": {"task": "patrols.tasks.close_stale_patrols_task", "schedule": timedelta(minutes=30)},
    # The wall screen's department ranking (month-to-date evaluation), pushed when it changes.
    "push-dashboard-ranking": {
        "task": "dashboard.tasks.push_ranking_task",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "check-dashboard-rollups": {"task": "dashboard.tasks.check_rollups_task", "schedule": timedelta(days=1)},
    # The SLA clock: warnings, overdue and escalation steps.
    "sla-sweep": {
        "task": "incidents.tasks.sla_sweep_task",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    # Last month is published (frozen) on the 1st at 01:00 (TIME_ZONE); publishing twice is harmless.
    "publish-evaluation": {
        "task": "evaluation.tasks.publish_previous_month_task",
        "schedule": crontab(minute=0, hour=1, day_of_month=1),
    },
}

# --- Accounts ----------------------------------------------------------------
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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Reverse proxies in front of Django (nginx under `make run` and in deploy/): the client is
# the PROXY_COUNT-th address from the right of X-Forwarded-For (gridcenter.clientip).
PROXY_COUNT = env.int("PROXY_COUNT", 1, minimum=0, maximum=5)

# Login throttling (django-axes, accounts/lockout.py): a username from one client address locks after
# LOGIN_FAILURE_LIMIT failures; an address, whatever the usernames, after LOGIN_ADDRESS_FAILURE_LIMIT.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.lockout.LoginAttemptHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "gridcenter.clientip.client_ip"
# The access record (accounts.AccessRecord) keeps this many days; a daily task prunes older rows.
ACCESS_RECORD_DAYS = env.int("ACCESS_RECORD_DAYS", 180, minimum=1, maximum=3650)

# Two-factor sign-in (accounts/services/mfa.py): the roles that must use an authenticator app (TOTP)
# to sign in. Production: the centre's roles and the administrators; development: nobody, so the
# demo logins of `make run` work with a password alone. Anyone else may turn it on for themselves.
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", ["dispatcher", "leader", "admin"] if PRODUCTION else [])
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = env.str("MFA_ISSUER", "吉首网格中心")
# django-otp's throttling of wrong codes: after n failures in a row a device refuses codes for 2^(n-1) s.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

DEMO_PASSWORD = env.str("DEMO_PASSWORD", "demo12345")

# --- The domain (working time, cases, SLA, notifications, evaluation) --------
from gridcenter.domain_settings import *  # noqa: E402, F403
from gridcenter.domain_settings import EVALUATION_PROVISIONAL_SECONDS  # noqa: E402

CELERY_BEAT_SCHEDULE["refresh-evaluation"] = {
    "task": "evaluation.tasks.refresh_provisional_task",
    "schedule": timedelta(seconds=EVALUATION_PROVISIONAL_SECONDS // 2),
    "options": {"expires": EVALUATION_PROVISIONAL_SECONDS // 2},
}


# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and media files ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# var/vendor holds the npm-installed libraries copied there by scripts/setup.sh.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "var" / "vendor")]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# nginx's `internal` location of MEDIA_ROOT: set, a checked view answers with X-Accel-Redirect
# and nginx sends the file; empty, Django streams it. No URL serves the folder (gridcenter.files).
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not (MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")):
    raise ImproperlyConfigured("MEDIA_ACCEL_REDIRECT must be empty or a path that starts and ends with '/'.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Maps ------------------------------------------------------------------------
MAP_TILE_URL = env.str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# The first words of every map's attribution line (Leaflet's own default adds a flag to its link).
MAP_ATTRIBUTION_PREFIX = env.str("MAP_ATTRIBUTION_PREFIX", "Leaflet")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (28.276, 109.712),
    "DEFAULT_ZOOM": 11,
    "MIN_ZOOM": 8,
    "MAX_ZOOM": 19,
    "TILES": [(_("Map"), MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION, "maxZoom": 19})],
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": MAP_ATTRIBUTION_PREFIX,
    # Leaflet guesses its marker images' folder from its script's URL, which the hashed
    # names of production's static storage break; tell it the folder instead.
    "FORCE_IMAGE_PATH": True,
}

# Phones' API tokens (accounts.ApiToken) end this many days after sign-in.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", 30, minimum=1, maximum=366)

# --- API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "gridcenter.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON with its nesting bounded (gridcenter/parsers.py), forms, multipart with photos.
    "DEFAULT_PARSER_CLASSES": [
        "gridcenter.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "gridcenter.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "token": env.rate("API_TOKEN_RATE", "20/min"),
        "writes": env.rate("API_WRITE_RATE", "120/min"),
        "public": env.rate("API_PUBLIC_RATE", "120/min"),
    },
    "EXCEPTION_HANDLER": "gridcenter.api.exception_handler",
    # Throttles find the client address by the same rule as gridcenter.clientip.
    "NUM_PROXIES": PROXY_COUNT,
}
# The most rows one page of an API list holds, whatever ?limit= asks (gridcenter/pagination.py).
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", 200, minimum=1, maximum=10_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "gridcenter API",
    "DESCRIPTION": "Phone and integration API of the grid command centre (网格化社会服务管理).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Request bodies as components of their own: files as binary, required text non-blank.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gridcenter.schema.postprocess",
    ],
}

# --- Security ----------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", PRODUCTION)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", 12 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (gridcenter/contentpolicy.py): scripts and styles from the site's own
# files only, images also from the tile server. CSP_REPORT_ONLY=true sends it as
# Content-Security-Policy-Report-Only (browsers report violations, block nothing): a rollout.
# Not a setting of that name: django-csp 4 takes CSP_* settings for its old configuration.
_csp_report_only = env.bool("CSP_REPORT_ONLY", False)
if _csp_report_only:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = content_security_policy(MAP_TILE_URL)
else:
    CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILE_URL)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Logging -----------------------------------------------------------------------
LOG_LEVEL = env.choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Debian 12 ships GDAL 3.6, which cannot block network access while parsing a spatial
# reference. Spatial references here come only from our own code and from files an
# administrator imports, never from anonymous input, so the warning is known and accepted.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
