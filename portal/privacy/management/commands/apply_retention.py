"""Apply the retention settings now (the daily job does the same)."""

from django.core.management.base import BaseCommand

from portal.privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Delete personal data past its retention period (Settings → Privacy)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        report = retention_apply(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
