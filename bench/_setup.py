"""Shared set-up for benchmarks: a throw-away migrated database, never the real one."""

import atexit
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_with_scratch_database() -> None:
    """Configure Django on a fresh database: a temporary SQLite file by default, or a
    ``bench_``-prefixed database next to the one ``DATABASE_URL`` names."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if not os.environ.get("DATABASE_URL"):
        scratch = Path(tempfile.mkdtemp(prefix="advocate-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        # The test settings name a test database file of their own; never share it with
        # a test run that may be going on at the same time.
        connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"]
    else:
        connection.settings_dict["TEST"]["NAME"] = "bench_advocate_portal"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    atexit.register(connection.creation.destroy_test_db, old_name, verbosity=0)
