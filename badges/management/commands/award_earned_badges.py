from django.core.management.base import BaseCommand

from badges.services import badges_award_earned
from portal.people.models import User


class Command(BaseCommand):
    help = (
        "Award every active badge to everyone who already meets its criteria "
        "(run after creating a badge that people may already qualify for)."
    )

    def handle(self, *args, **options):
        total = 0
        for user in User.objects.filter(is_active=True).iterator(chunk_size=500):
            total += len(badges_award_earned(user=user))
        self.stdout.write(f"Awarded {total} badge{'s' if total != 1 else ''}.")
