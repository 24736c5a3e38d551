"""python manage.py import_people FILE.csv [--dry-run] [--invite]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.people.importing import PeopleImportError, import_people


class Command(BaseCommand):
    help = (
        "Create or update people from a CSV file with the columns email, first_name, "
        "last_name, department, team, manager_email, location, job_role, cohort (the "
        "invitation wave, kept when a later file leaves it empty). The whole file is "
        "checked first: if any row is invalid nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but write nothing."
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="Email each newly created person a link to set their password.",
        )

    def handle(self, *args, file, dry_run, invite, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > settings.PEOPLE_IMPORT_MAX_BYTES:
            raise CommandError(
                f"{file} is larger than {settings.PEOPLE_IMPORT_MAX_BYTES:,} bytes; split it."
            )
        try:
            report = import_people(data=path.read_bytes(), dry_run=dry_run, invite=invite)
        except PeopleImportError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"Nothing was imported: {len(error.problems)} problem(s) in {file}."
            ) from None
        if report.ignored_columns:
            self.stderr.write(f"Ignored unknown column(s): {', '.join(report.ignored_columns)}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(prefix + report.summary())
        if report.invited:
            self.stdout.write(f"invited {report.invited}")
