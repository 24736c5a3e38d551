"""python manage.py export_xapi [--since DATE] [--output FILE]"""

import json
import sys
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from portal.integrations.xapi import statements


class Command(BaseCommand):
    help = (
        "Write every ledger statement and scenario choice as xAPI 1.0.3 statements (a JSON "
        "array), from --since on. Ids are stable: importing twice makes no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="A date (2026-11-01) or a date and time.")
        parser.add_argument("--output", help="A file to write (default: standard output).")

    def handle(self, *args, since=None, output=None, **options):
        moment = None
        if since:
            moment = parse_datetime(since)
            if moment is None:
                day = parse_date(since)
                if day is None:
                    raise CommandError(f"--since {since!r} is not a date (2026-11-01).")
                moment = datetime.combine(day, time.min)
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        target = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        count = 0
        try:
            target.write("[")
            for count, statement in enumerate(statements(since=moment), start=1):
                target.write(",\n" if count > 1 else "\n")
                target.write(json.dumps(statement, ensure_ascii=False))
            target.write("\n]\n")
        finally:
            if output:
                target.close()
        self.stderr.write(f"{count} statements.")
