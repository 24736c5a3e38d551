"""Settings come from the environment; check them in fresh interpreters."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qv9!zT2mW8pL4xR6nB3cF5hJ1gD0sY-aE_uI+oP=tZ4rVb8NmQw2Xs9Lk",
    "ALLOWED_HOSTS": "advocates.example.com",
    "SITE_URL": "https://advocates.example.com",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = manage("check", DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_environment_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def python_with(code: str, **env: str) -> list[str]:
    """What a fresh interpreter with the portal's settings prints, word by word."""
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1", **env},
    )
    return result.stdout.split()


def backends_with(**env: str) -> list[str]:
    """The cache and channel layer backends the portal picks in ``env``."""
    return python_with(
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND']); print(s.CHANNEL_LAYERS['default']['BACKEND'])",
        **env,
    )


def test_redis_url_switches_cache_and_channel_layer():
    assert backends_with(REDIS_URL="redis://127.0.0.1:6379/0") == [
        "portal.cache.ResilientRedisCache",
        "channels_redis.core.RedisChannelLayer",
    ]
    assert backends_with() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "portal.layers.InMemoryChannelLayer",
    ]


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    """Checked in a fresh interpreter, so it holds whichever database this run uses."""
    printed = python_with(
        "from django.db import connection as c; cur = c.cursor(); "
        "cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]); "
        "cur.execute('PRAGMA busy_timeout'); print(cur.fetchone()[0]); "
        "print(c.settings_dict['OPTIONS']['transaction_mode'])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    )
    assert printed == ["wal", "20000", "IMMEDIATE"]


def test_daphne_serves_runserver():
    assert settings.INSTALLED_APPS[0] == "daphne"
    assert settings.ASGI_APPLICATION == "portal.asgi.application"


def test_the_redis_layer_waits_longer_than_its_blocking_receive():
    """redis-py 8 gives up a read after 5 s by default, the length of the layer's blocking
    pop; idle sockets would be closed (django/channels_redis#422)."""
    from channels_redis.core import RedisChannelLayer

    [timeout] = python_with(
        "from django.conf import settings as s; "
        "print(s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]['socket_timeout'])",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert float(timeout) > RedisChannelLayer.brpop_timeout


POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BACKEND_PIDS = """
from concurrent.futures import ThreadPoolExecutor
from django.db import connection

def request():
    # As under ASGI: each request in a thread of its own, its connection closed after.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    connection.close()
    return pid

pids = {ThreadPoolExecutor(1).submit(request).result() for _ in range(10)}
print(len(pids), connection.settings_dict["OPTIONS"].get("pool", {}).get("max_size"))
"""


def test_database_pool_keeps_connections_for_the_next_request():
    try:
        psycopg.connect(POSTGRES, connect_timeout=5).close()
    except psycopg.OperationalError as error:  # pragma: no cover - PostgreSQL is a service here
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432: {error}")
    # Ten requests in turn share the pool's connections (PostgreSQL processes): the one
    # it opens at start and, as the first request may come before that one is ready,
    # a second.
    connections, size = python_with(BACKEND_PIDS, DATABASE_URL=POSTGRES, DATABASE_POOL="4")
    assert int(connections) <= 2
    assert size == "4"
    # Without the pool each request opens its own.
    assert python_with(BACKEND_PIDS, DATABASE_URL=POSTGRES) == ["10", "None"]


def test_a_workers_start_up_heap_is_frozen_out_of_the_garbage_collector():
    """Everything loaded at start-up, the URLconf and its views included, is left out of
    the cyclic collector's full collections (portal/asgi.py)."""
    frozen, before_urls = python_with(
        "import gc, sys; import portal.asgi; "
        "print(gc.get_freeze_count()); print(int('portal.urls' in sys.modules))"
    )
    assert int(frozen) > 100_000
    assert before_urls == "1"
