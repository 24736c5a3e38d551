"""python manage.py adjust_points EMAIL POINTS --reason TEXT [--key KEY]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.activity.selectors import points_total
from portal.activity.services import points_adjust


class Command(BaseCommand):
    help = (
        "Record a manual points correction for a person (negative allowed) and print their "
        "new total. With --key, running the same adjustment again applies it once."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("points", type=int)
        parser.add_argument("--reason", required=True, help="Why the points change.")
        parser.add_argument("--key", help="Idempotency key: the same key applies once.")

    def handle(self, *args, email, points, reason, key, **options):
        User = get_user_model()
        try:
            user = User.objects.get(email__iexact=email.strip())  # stored lower-case
        except User.DoesNotExist:
            raise CommandError(f"No person with the email address {email!r}.") from None
        try:
            recorded = points_adjust(user=user, points=points, reason=reason, key=key)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not recorded.created:
            self.stderr.write(f"Adjustment {key!r} was already applied; nothing changed.")
        self.stdout.write(f"{user.email} now has {points_total(user=user)} points")
