"""Test settings: the real settings, with the few changes a test run needs."""

import os
import tempfile
import uuid
from datetime import time
from pathlib import Path

# Each test run keeps its Redis leaderboard keys apart from any other run.
os.environ.setdefault("LEADERBOARD_REDIS_PREFIX", f"lbtest:{uuid.uuid4().hex}:")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-real-portal")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ["DEBUG"] = "0"

from portal.settings import *  # noqa: F403
from portal.settings import BASE_DIR, DATABASES, REDIS_URL

# A file, not SQLite's shared in-memory database: the concurrency tests and the live
# daphne server (another process) need real, separately locked connections.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="advocate-test-media-"))
EXPORT_ROOT = Path(tempfile.mkdtemp(prefix="advocate-test-exports-"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests flush the database under a running server; a cached board could outlive its
# data. The caching itself is tested with this setting overridden.
LEADERBOARD_CACHE_SECONDS = 0
# Tracked-link clicks are written right after each reply, so tests can read them.
SHARING_CLICK_FLUSH_SECONDS = 0
SHARING_CONVERSION_SECRET = "tests-only-conversion-secret"
# Tasks run as they are queued (after the commit that queues them); the worker's tests
# use the database backend and real worker processes.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
if REDIS_URL:
    # Keep test keys apart from anything else using the same Redis.
    # Each run's cache keys apart from earlier runs' too: rate-limit counters (password
    # resets per hour) must not carry over from the run before.
    CACHES["default"]["KEY_PREFIX"] = os.environ.setdefault(  # noqa: F405
        "CACHE_KEY_PREFIX", f"advocate-test-{uuid.uuid4().hex[:12]}"
    )
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = "advocate-test"  # noqa: F405
# Working time: always open in tests (a shift from midnight to midnight, every day), so
# that what the suite expects does not depend on the hour it runs; the working-time
# tests set the programme's hours themselves.
WORK_DAYS = "1234567"
WORK_HOURS = "00:00-00:00"
WORK_START = WORK_END = time(0, 0)
# Web Push: the local push service the tests start (tests/servers.py WebPushService).
WEB_PUSH_SERVICES = [*WEB_PUSH_SERVICES, "localhost"]  # noqa: F405
DEBUG_PUSH_HTTP = True
