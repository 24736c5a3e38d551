"""python manage.py rebuild_points [--check]"""

from django.core.management.base import BaseCommand, CommandError

from portal.activity.services import points_rebuild


class Command(BaseCommand):
    help = "Recompute everyone's points totals from the activity ledger."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report differences; exit non-zero if any.",
        )

    def handle(self, *args, check, **options):
        differences = points_rebuild(check_only=check)
        for user_id, (stored, ledger) in sorted(differences.items()):
            self.stdout.write(f"user {user_id}: stored {stored}, ledger {ledger}")
        if check and differences:
            raise CommandError(f"{len(differences)} points totals differ from the ledger.")
        verb = "differ" if check else "corrected"
        self.stdout.write(f"{len(differences)} totals {verb}.")
