"""python manage.py pair_mentors [--dry-run]

Pairs everyone who needs a mentor with the mentor that gives the best total fit,
within every mentor's capacity, and prints each pair with its reasons.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.errors import ServiceError
from portal.mentoring.proposals import pairings_propose
from portal.mentoring.services import pairings_apply


class Command(BaseCommand):
    help = "Pair mentees with mentors (the best total fit within capacities)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the pairs without making them."
        )

    def handle(self, *args, dry_run, **options):
        proposals = pairings_propose()
        if not proposals:
            self.stdout.write("Nobody to pair: everyone who needs a mentor has one, or no "
                              "mentor has a free place.")  # fmt: skip
            return
        for proposal in proposals:
            self.stdout.write(
                f"{proposal.mentee.name} -> {proposal.mentor.name} (fit {proposal.score}): "
                + "; ".join(proposal.reasons)
            )
        if dry_run:
            self.stdout.write(f"{len(proposals)} pairs proposed; nothing changed (--dry-run).")
            return
        try:
            pairs = [(proposal.mentee.user_id, proposal.mentor.user_id) for proposal in proposals]
            applied = pairings_apply(pairs=pairs, proposed=set(pairs))
        except ServiceError as error:
            raise CommandError(f"Nothing was applied: {error.message}") from error
        self.stdout.write(f"{len(applied.created)} pairs made.")
