"""Settings for Advocate Portal, read from the environment.

The same settings serve development, tests and production; only the environment
changes. Unset ``DATABASE_URL`` and ``REDIS_URL`` give the embedded, service-free
portal (SQLite, in-process channel layer, local-memory cache).
"""

import os
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            'string (for example the output of `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or set DEBUG=1 for local development.'
        )
    # Development only: a fixed key keeps sessions across restarts of `make run`.
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set it to the host names the portal answers to, "
        "comma-separated (for example ALLOWED_HOSTS=advocates.example.com)."
    )
# The contact address in the Open Badges issuer profile.
BADGE_ISSUER_EMAIL = os.environ.get("BADGE_ISSUER_EMAIL", "badges@example.com")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [SITE_URL]

INSTALLED_APPS = [
    "daphne",  # first, so that `runserver` serves HTTP and WebSockets through daphne
    "portal",
    "portal.people",
    "portal.activity",
    "leaderboards",
    "portal.notifications",
    "portal.sharing",
    "portal.recognition",
    "portal.mentoring",
    "portal.privacy",
    "portal.measurement",
    "portal.identity",
    "portal.integrations",
    "portal.api",
    "ninja",
    "djangosaml2",
    "cms",
    "courses",
    "badges",
    "portal.worker",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
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
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language for people who chose none (portal.people.middleware.
    # LanguageMiddleware applies a person's own choice once they are known).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Wagtail's pages find their site from the process's copy (cms/sites.py); after
    # CommonMiddleware, which refuses a host that ALLOWED_HOSTS does not name.
    "cms.sites.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.people.middleware.LanguageMiddleware",
    # The SAML request in flight, for single sign-on with SAML (portal/identity/saml.py).
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.AdminFramingMiddleware",
    "portal.people.middleware.TwoFactorMiddleware",
    "portal.people.middleware.OnboardingRequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a lockout into the "too many attempts" page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.notifications.context_processors.unread_notifications",
                "portal.people.navigation.navigation",
            ],
        },
    },
]

# Form widgets render with the project's templates (templates/includes/...) too.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite file in the checkout unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL: a pool of connections per process (psycopg's), DATABASE_POOL at most. Under
# ASGI every request runs in a thread of its own, so persistent connections would pile
# up and without either each request opens a connection (a PostgreSQL process) anew.
DATABASE_POOL = int(os.environ.get("DATABASE_POOL", "0"))
if DATABASE_POOL and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django insists
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": DATABASE_POOL, "timeout": 30,
    }  # fmt: skip
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock
        # when a transaction starts, so concurrent writers queue on the busy timeout
        # instead of failing half-way with "database is locked".
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous has no rights

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on with OpenID Connect (portal/identity/oidc.py, mozilla-django-oidc): set
# OIDC_ISSUER (its discovery document gives the endpoints), OIDC_CLIENT_ID and
# OIDC_CLIENT_SECRET; register SITE_URL + "/oidc/callback/" as the redirect URI and
# SITE_URL + "/" as the post-logout redirect URI with the provider.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your company account")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for ending the provider's session at sign-out
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATE_CLASS = "portal.identity.oidc.SignInStart"
OIDC_CALLBACK_CLASS = "portal.identity.oidc.SignInCallback"


# Which claim carries each of the person's attributes (OIDC_CLAIM_<ATTRIBUTE>; empty:
# the provider does not send it, and the portal keeps what it has). A dotted name reads
# inside an object (address.locality).
def env_mapping(prefix: str, defaults: dict[str, str]) -> dict[str, str]:
    """Each key's value from ``<prefix><KEY>`` in the environment, else its default."""
    return {
        key: os.environ.get(f"{prefix}{key.upper()}", value).strip()
        for key, value in defaults.items()
    }


OIDC_CLAIMS = env_mapping(
    "OIDC_CLAIM_",
    {
        "first_name": "given_name",
        "last_name": "family_name",
        "department": "department",
        "team": "team",
        "job_role": "job_title",
        "location": "location",
        "manager_email": "manager_email",
        "cohort": "",
        # Working time: OpenID Connect's standard zoneinfo claim; hourly pay ("yes"/"no").
        "time_zone": "zoneinfo",
        "hourly": "",
    },
)
if OIDC_ISSUER:
    if not OIDC_ISSUER.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"OIDC_ISSUER must be the provider's URL (https://...), not {OIDC_ISSUER!r}."
        )
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "OIDC_ISSUER is set, but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is not: set both "
            "to the client the identity provider registered for the portal."
        )
    AUTHENTICATION_BACKENDS.append("portal.identity.oidc.Backend")
# The password form on the sign-in page; 0 hides it where single sign-on is set up
# (/accounts/login/?password=1 still shows it, for administrators' own accounts).
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
# Whether a sign-in through the company's provider stands for two-step sign-in (the
# provider enforces its own); 0 asks for the portal's code as well.
SSO_COUNTS_AS_TWO_FACTOR = env_bool("SSO_COUNTS_AS_TWO_FACTOR", True)
# Single sign-on with SAML 2.0 (portal/identity/saml.py, djangosaml2 on pysaml2): the
# identity provider's metadata from SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE; give
# the provider SITE_URL + "/saml2/metadata/" (the portal's metadata: its entity ID and
# SITE_URL + "/saml2/acs/"). Signing needs Debian's xmlsec1.
SAML_IDP_METADATA_URL = os.environ.get("SAML_IDP_METADATA_URL", "").strip()
SAML_IDP_METADATA_FILE = os.environ.get("SAML_IDP_METADATA_FILE", "").strip()
SAML_PROVIDER_NAME = os.environ.get("SAML_PROVIDER_NAME", OIDC_PROVIDER_NAME)
SAML_SP_ENTITY_ID = os.environ.get("SAML_SP_ENTITY_ID", "").strip()
SAML_SP_KEY_FILE = os.environ.get("SAML_SP_KEY_FILE", "").strip()
SAML_SP_CERT_FILE = os.environ.get("SAML_SP_CERT_FILE", "").strip()
SAML_XMLSEC_BINARY = os.environ.get("SAML_XMLSEC_BINARY", "/usr/bin/xmlsec1")
SAML_ATTRIBUTE_EMAIL = os.environ.get("SAML_ATTRIBUTE_EMAIL", "mail").strip()
# Which attribute carries each of the person's attributes (SAML_ATTRIBUTE_<ATTRIBUTE>),
# as for OpenID Connect; the defaults are the LDAP names (inetOrgPerson).
SAML_ATTRIBUTES = env_mapping(
    "SAML_ATTRIBUTE_",
    {
        "first_name": "givenName",
        "last_name": "sn",
        "department": "departmentNumber",
        "team": "ou",
        "job_role": "title",
        "location": "l",
        "manager_email": "manager",
        "cohort": "",
        "time_zone": "",
        "hourly": "",
    },
)
SAML_CONFIG_LOADER = "portal.identity.saml.config_loader"
SAML_ACS_FAILURE_RESPONSE_FUNCTION = "portal.identity.saml.sign_in_failed"
SAML_CREATE_UNKNOWN_USER = True
SAML_ATTRIBUTE_MAPPING: dict[str, tuple[str, ...]] = {}
# The request the portal sent travels in this cookie; the provider's answer comes back
# from another site, which browsers allow only for SameSite=None (and so https).
SAML_SESSION_COOKIE_SAMESITE = "None" if SITE_URL.startswith("https://") else "Lax"
if SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE:
    AUTHENTICATION_BACKENDS.append("portal.identity.saml.Backend")
SSO_BACKENDS = ["portal.identity.oidc.Backend", "portal.identity.saml.Backend"]
# Provisioning with SCIM 2.0 (portal/identity/scim.py, django-scim2) at /scim/v2/, with
# bearer tokens made by `python manage.py scim_token create NAME`.
SCIM_SERVICE_PROVIDER = {
    "NETLOC": SITE_URL.split("://", 1)[-1],
    "SCHEME": SITE_URL.split("://", 1)[0],
    "AUTHENTICATION_SCHEMES": [{"type": "oauthbearertoken", "name": "Bearer token"}],
    # The views (portal/identity/scim_urls.py) name the portal's adapters themselves.
    "AUTH_CHECK_MIDDLEWARE": "portal.identity.scim_auth.BearerTokenCheck",
}

LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"
# Password reset and invitation links stay valid for a week.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts at one
# account from one network, that account is locked for that network for
# AXES_COOLOFF_MINUTES (another network, a colleague's office, is not affected, so nobody
# can lock a person out from elsewhere). Axes stores a keyed pseudonym of the network
# (portal.clients.network_pseudonym), never an address. Failed attempts are kept for
# SECURITY_LOG_DAYS (Django admin: Axes; audit log: failed sign-ins).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.clients.network_pseudonym"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins go to the audit log instead
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Two-step sign-in (django-otp): an authenticator app, with backup codes. Required for
# programme admins and superusers unless TWO_FACTOR_REQUIRED=0; optional for everyone.
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "1") != "0"
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Advocate Portal")
SECURITY_LOG_DAYS = int(os.environ.get("SECURITY_LOG_DAYS", "90"))
# Password reset requests: at most this many per hour for one address, and per network.
PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
PASSWORD_RESET_RATE_PER_NETWORK = os.environ.get("PASSWORD_RESET_RATE_PER_NETWORK", "20/h")

# Leaderboard rank store: Redis sorted sets under this key prefix when REDIS_URL is set.
LEADERBOARD_REDIS_PREFIX = os.environ.get("LEADERBOARD_REDIS_PREFIX", "lb:")
# Seconds a board's top (the part every viewer shares) stays cached at one version; a
# change makes a new version at once, so this only bounds what no change announces.
LEADERBOARD_CACHE_SECONDS = 30

# Background work: Django's task framework with its database backend (no broker needed;
# `python manage.py worker` runs the tasks and the jobs below, `make run` starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Who hears of each statement recorded in the activity ledger, in this order: its name
# (kept on the statement's Delivery rows; see portal/activity/subscribers.py) and the
# function that applies it.
ACTIVITY_SUBSCRIBERS = {
    # First: live boards are the first to hear of points.
    "leaderboards": "leaderboards.services.leaderboards_record",
    "notifications": "portal.notifications.subscribers.notify_from_activity",
    "mentoring": "portal.mentoring.services.ledger.mentoring_hear",
    "badges": "badges.services.badges_evaluate",
    # The programme dashboard's daily rollups and each person's funnel milestones.
    "measurement": "portal.measurement.services.measurement_hear",
    # Webhooks to other systems and messages to chat channels (portal/integrations).
    "integrations": "portal.integrations.events.integrations_hear",
}

# Whether a statement falls outside an hourly worker's paid hours (then it earns
# nothing): the programme's working-time settings decide (portal/people/worktime.py).
ACTIVITY_UNPAID_TIME = "portal.people.worktime.unpaid_time"

# What every worker does besides tasks: (function, every so many seconds). Each is safe
# to run in several workers at once.
WORKER_JOBS = [
    # Ledger statements that no process applied after their commit (it died, or a
    # subscriber failed or had to wait): applied exactly once.
    ("portal.activity.deliveries.deliveries_sweep", 2),
    # A rank store that is not ready (Redis restarted empty) is rebuilt from the ledger.
    ("leaderboards.services.leaderboards_repair", 5),
    # Retention, leavers' erasure, batched workshop credit: reserved once per day.
    ("portal.privacy.daily.daily_run_once", 3600),
    # The weekly digests, from Monday 08:00 (local time), then hourly while someone's
    # working window has not opened yet.
    ("portal.digests.digests_weekly", 600),
    # Notifications made outside people's working hours, pushed when their window opens.
    ("portal.notifications.services.notifications_due", 60),
    # One-time form tokens older than a day.
    ("portal.submissions.submissions_prune", 3600),
    # Prepared exports past EXPORT_KEEP_HOURS, files included.
    ("portal.exports.exports_prune", 3600),
    # Finished tasks: succeeded ones after a day, failed ones after 30 days.
    ("portal.worker.housekeeping.tasks_prune", 3600),
    # People whose profile moved by a bulk update (an import, a deleted team): their
    # history moves with them in the programme dashboard's rollups.
    ("portal.measurement.rollups.rollups_follow", 300),
    # The monthly summary to programme admins, from the 1st at 08:00: queued once a month.
    ("portal.measurement.summary.summaries_monthly", 600),
    # RSS and Atom content sources: new entries become draft hub items in moderation.
    ("portal.sharing.sources.sources_check", 900),
    # Webhook and chat deliveries that are due: retries, and any a task never sent.
    ("portal.integrations.delivery.deliveries_due", 30),
    # Ledger statements and scenario choices to the Learning Record Store (xAPI).
    ("portal.integrations.xapi.xapi_push", 60),
    # Monday 09:00: the past week's top advocates to the chat channels that want them.
    ("portal.integrations.events.highlights_weekly", 600),
]

# Content hub. Tracked links stop working this many days after the share; raw clicks
# (hashed visitors) are deleted after the retention period, daily figures are kept.
SHARING_LINK_DAYS = int(os.environ.get("SHARING_LINK_DAYS", "365"))
# Clicks are written in batches this often (seconds); 0 writes each one after its reply.
SHARING_CLICK_FLUSH_SECONDS = float(os.environ.get("SHARING_CLICK_FLUSH_SECONDS", "0.5"))
# One network (an IPv4 /24 or IPv6 /64: a household, an office, one address with many
# browsers) adds at most this many unique readers to a share per day.
SHARING_CLICKS_PER_NETWORK = int(os.environ.get("SHARING_CLICKS_PER_NETWORK", "3"))
# The company's site signs conversion reports with this secret (HMAC-SHA256); without
# it, POST /api/conversions refuses every report.
SHARING_CONVERSION_SECRET = os.environ.get("SHARING_CONVERSION_SECRET", "")
# A signed report older or newer than this (seconds) is refused as a possible replay.
SHARING_CONVERSION_MAX_AGE = 300

# The Learning Record Store the portal pushes xAPI 1.0.3 statements to (its endpoint,
# for example https://lrs.example.com/xAPI/; basic auth), in batches of XAPI_BATCH.
XAPI_LRS_URL = os.environ.get("XAPI_LRS_URL", "").strip()
XAPI_LRS_USERNAME = os.environ.get("XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = os.environ.get("XAPI_LRS_PASSWORD", "")
XAPI_BATCH = int(os.environ.get("XAPI_BATCH", "200"))
if XAPI_LRS_URL and not (XAPI_LRS_USERNAME and XAPI_LRS_PASSWORD):
    raise ImproperlyConfigured(
        "XAPI_LRS_URL is set, but XAPI_LRS_USERNAME or XAPI_LRS_PASSWORD is not: set the "
        "credentials the Learning Record Store gave the portal."
    )

# Cache and channel layer: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "advocate"),
            # Fail fast while Redis is away: reads fall back to the database.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CHANNEL_LAYERS: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # The layer waits on blocking pops of up to 5 s; redis-py 8 gives up a
                # read after 5 s by default, which would close idle sockets
                # (django/channels_redis#422). Allow the wait, and a margin.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "advocate"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # One process only: fine for `make run`; several daphne workers need REDIS_URL.
    CHANNEL_LAYERS = {"default": {"BACKEND": "portal.layers.InMemoryChannelLayer"}}

LANGUAGE_CODE = "en-gb"
# The interface's languages (locale/<code>/LC_MESSAGES, checked complete by `make test`):
# a person's own choice on their profile, else their browser's, else English.
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content per language (wagtail-localize): pages, hub items and badges can have a version
# in each of the interface's languages; people see theirs where one is published
# (portal/locales.py), and everything they do is recorded against the original.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# Working time (portal/people/worktime.py): the programme's default days (ISO weekday
# digits, 1 is Monday) and hours until a programme admin changes them (Settings ->
# Working time); notifications, nudges and digests wait for a person's working hours.
WORK_DAYS = os.environ.get("WORK_DAYS", "12345")
WORK_HOURS = os.environ.get("WORK_HOURS", "09:00-17:00")
if not WORK_DAYS or not set(WORK_DAYS) <= set("1234567"):
    raise ImproperlyConfigured("WORK_DAYS lists ISO weekday digits, such as 12345.")
try:
    WORK_START, WORK_END = (time.fromisoformat(part.strip()) for part in WORK_HOURS.split("-"))
except ValueError:
    raise ImproperlyConfigured("WORK_HOURS is a start and an end, such as 09:00-17:00.") from None
# Web Push (portal/notifications/push.py): the contact push services may write to about
# the portal's pushes (the VAPID "sub" claim). The key pair is made on first use.
WEB_PUSH_CONTACT = os.environ.get("WEB_PUSH_CONTACT", "mailto:advocacy@example.com")
# The push services a subscription may point at (host names, or ".suffix" for any host
# under it): the browsers' own, so nobody can make the portal post to another address.
WEB_PUSH_SERVICES = env_list(
    "WEB_PUSH_SERVICES",
    "fcm.googleapis.com,.push.services.mozilla.com,.push.apple.com,.notify.windows.com",
)
# Plain-http push services (a local test service only; never in production).
DEBUG_PUSH_HTTP = env_bool("DEBUG_PUSH_HTTP", False)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Exports the worker prepares (portal.exports): private files, never served as media,
# downloadable by the person who asked, deleted after EXPORT_KEEP_HOURS.
EXPORT_ROOT = Path(os.environ.get("EXPORT_ROOT", BASE_DIR / "exports"))
EXPORT_KEEP_HOURS = int(os.environ.get("EXPORT_KEEP_HOURS", "24"))
EXPORT_BUILDERS = {"recognition_audit": "portal.recognition.exports.audit_csv"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedStaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development whitenoise serves straight from the app folders; in production from
# STATIC_ROOT, filled by `collectstatic` (the Makefile runs it).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: console in development, SMTP otherwise.
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
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Advocate Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict whenever the portal is served over https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SITE_URL.startswith("https://") and not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Pages may not be framed; the Wagtail admin may frame itself (live preview), see
# portal.middleware.AdminFramingMiddleware.
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): the portal's pages run only their own scripts and
# styles, no inline code; the one inline <style> (the programme's colour) carries the
# request's nonce. The Wagtail and Django admins keep inline scripts and styles (their
# editors need them), and may frame themselves: see portal.middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF],  # same-origin WebSockets included (CSP level 3)
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")
CSP_ADMIN_REPLACE = {
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
}
# Browser features the portal never uses are off for it and anything it might embed
# (django-permissions-policy); sharing uses the Web Share API, which needs no permission.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}
# Load balancers probe health over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Advocate Portal")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Lesson videos (mp4, webm, with vtt captions) are documents played in the page.
WAGTAILDOCS_EXTENSIONS = [
    *("csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"),
    *("mp4", "webm", "vtt"),
]
WAGTAIL_USER_CUSTOM_FIELDS: list[str] = []
# Uploaded images are checked whole (damaged files are refused) and capped in pixels: an
# image is decoded and resized in memory (about 10 bytes per pixel all told), so 16
# million pixels (4000 x 4000) keeps a worker under 300 MB (see docs/PERFORMANCE.md).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.ImageForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 16_000_000
# No avatars from Gravatar: nothing is loaded from the internet at run time.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# People import
PEOPLE_IMPORT_MAX_BYTES = int(os.environ.get("PEOPLE_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# On SQLite an import commits this many people at a time (each part holds the one write
# lock briefly); on PostgreSQL it is one transaction.
PEOPLE_IMPORT_WRITE_CHUNK = int(os.environ.get("PEOPLE_IMPORT_WRITE_CHUNK", "2000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "portal": {"level": os.environ.get("PORTAL_LOG_LEVEL", "INFO")},
        # Their warnings quote the provider's answer, with the person's attributes.
        "djangosaml2": {"level": "ERROR"},
        "saml2": {"level": "ERROR"},
    },
}
