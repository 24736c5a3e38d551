from django.core.management.base import BaseCommand, CommandError

from leaderboards.services import leaderboards_rebuild


class Command(BaseCommand):
    help = "Rebuild every leaderboard from the activity ledger (or, with --check, compare)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Report differences and exit 1 if any."
        )

    def handle(self, *args, check, **options):
        differences = leaderboards_rebuild(check_only=check)
        for key, (stored, ledger) in list(differences.items())[:50]:
            if key[2] == "count":
                board, window, _, points = key
                self.stdout.write(
                    f"{board} {window} people with {points} points: stored {stored}, "
                    f"ledger {ledger}"
                )
            else:
                board, window, user_id = key
                self.stdout.write(
                    f"{board} {window} person {user_id}: stored {stored}, ledger {ledger}"
                )
        if check and differences:
            raise CommandError(f"{differences.total} leaderboard totals differ from the ledger.")
        verb = "found" if check else "corrected"
        self.stdout.write(
            f"Leaderboards match the ledger ({differences.total} differences {verb})."
        )
