#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if not any(os.environ.get(name) for name in ("SECRET_KEY", "DEBUG", "DATABASE_URL")):
        # The checkout's embedded portal (SQLite in the checkout, as `make run` serves
        # it): its commands run with `make run`'s development settings. A deployment
        # sets DATABASE_URL or SECRET_KEY, and keeps the strict checks.
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
