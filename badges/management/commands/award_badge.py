from django.core.management.base import BaseCommand, CommandError

from badges.models import Badge
from badges.openbadges import assertion_url
from badges.services import badge_award
from portal.errors import ServiceError
from portal.locales import originals
from portal.people.models import User, normalise_email


class Command(BaseCommand):
    help = "Award a badge to a person; prints the new assertion's URL on the last line."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("email")
        parser.add_argument("--evidence", default="", help="A URL showing why it was earned.")
        parser.add_argument("--note", default="", help="Why it was earned, in words.")

    def handle(self, *args, slug, email, evidence, note, **options):
        badge = originals(Badge.objects.filter(slug=slug)).first()
        if badge is None:
            raise CommandError(f"There is no badge with the slug {slug!r}.")
        user = User.objects.filter(email=normalise_email(email)).first()
        if user is None:
            raise CommandError(f"No one in the portal has the email {email!r}.")
        if evidence and not evidence.startswith(("https://", "http://")):
            raise CommandError("--evidence must be an http(s) URL.")
        try:
            award = badge_award(
                badge=badge, user=user, evidence_url=evidence, note=note, automatic=True
            )
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Awarded {badge.name} to {user.email}.")
        self.stdout.write(assertion_url(award))
