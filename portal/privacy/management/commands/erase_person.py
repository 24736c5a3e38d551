"""Erase a person's data (GDPR Art. 17); the admin's erasure requests do the same."""

from django.core.management.base import BaseCommand, CommandError

from portal.people.models import User, normalise_email
from portal.privacy.erasure import Identity, person_erase, references_find


class Command(BaseCommand):
    help = "Erase a person: their data goes, what others' points depend on is pseudonymised."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Afterwards, search every table for their id, email and names (slow).",
        )

    def handle(self, *args, email, verify, **options):
        user = User.objects.filter(email=normalise_email(email)).first()
        if user is None:
            raise CommandError(f"Nobody has the email {email!r}.")
        identity = Identity.of(user)
        report = person_erase(user=user)
        for what, count in report.removed.items():
            self.stdout.write(f"removed {what}: {count}")
        for what, count in report.pseudonymised.items():
            self.stdout.write(f"pseudonymised {what}: {count}")
        if verify:
            found = references_find(
                user_id=identity.user_id, profile_id=identity.profile_id, strings=identity.strings
            )
            for place in found:
                self.stdout.write(f"still refers to them: {place}")
            if found:
                raise CommandError(f"{len(found)} references remain.")
            self.stdout.write("No references remain.")
