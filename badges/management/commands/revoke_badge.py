import uuid

from django.core.management.base import BaseCommand, CommandError

from badges.services import badge_revoke
from portal.errors import ServiceError


class Command(BaseCommand):
    help = "Revoke a badge assertion with a reason (published with the revocation)."

    def add_arguments(self, parser):
        parser.add_argument("assertion_id")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, assertion_id, reason, **options):
        try:
            award_id = uuid.UUID(assertion_id)
        except ValueError as error:
            raise CommandError(f"{assertion_id!r} is not an assertion id.") from error
        try:
            award = badge_revoke(award_id=award_id, reason=reason)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Revoked {award.badge.name} of {award.user.email}.")
