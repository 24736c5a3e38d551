"""python manage.py rebuild_rollups [--check]"""

from django.core.management.base import BaseCommand

from portal.measurement.rollups import rollups_rebuild
from portal.measurement.services import milestones_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the measurement rollups (each person's funnel milestones and the daily "
        "figures) from the ledger. With --check, only report how many differ; exits 1 "
        "when any do. Run it with the worker running, so no statement waits for delivery."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; change nothing.")

    def handle(self, *args, check, **options):
        # Milestones first: they record where each person's statements are counted.
        people = milestones_rebuild(check_only=check)
        rows = rollups_rebuild(check_only=check)
        verb = "differ from" if check else "were rebuilt from"
        self.stdout.write(f"{len(people)} people's milestones {verb} the ledger.")
        self.stdout.write(f"{rows} daily rollup rows {verb} the ledger.")
        if check and (people or rows):
            raise SystemExit(1)
