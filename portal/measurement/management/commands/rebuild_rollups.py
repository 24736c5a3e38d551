"""python manage.py rebuild_rollups [--check]"""

from django.core.management.base import BaseCommand

from portal.measurement.services import milestones_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the measurement rollups (each person's funnel milestones) from the ledger. "
        "With --check, only report how many differ; exits 1 when any do."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; change nothing.")

    def handle(self, *args, check, **options):
        differences = milestones_rebuild(check_only=check)
        verb = "differ from" if check else "were rebuilt from"
        self.stdout.write(f"{len(differences)} people's milestones {verb} the ledger.")
        if check and differences:
            raise SystemExit(1)
