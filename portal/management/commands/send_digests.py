"""python manage.py send_digests [--dry-run]

Sends this week's digest email to everyone who has not switched it off and has
something to read: the next onboarding step, new hub content on their topics,
recognition received and, for mentors, check-ins due. Run it weekly (cron); running
it again in the same week sends nothing twice.
"""

from django.core.management.base import BaseCommand

from portal.digests import digests_send


class Command(BaseCommand):
    help = "Send the weekly digest emails (never twice in the same week)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args, dry_run, **options):
        run = digests_send(dry_run=dry_run)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{run.sent} digests {verb}; {run.already_sent} already sent this week; "
            f"{run.skipped_empty} with nothing to say; {run.failed} failed."
        )
