"""python manage.py purge_share_clicks

Deletes raw tracked-link clicks older than SHARING_CLICK_RETENTION_DAYS and the visitor
salts of past days; daily figures stay. Each worker also does this once a day.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.sharing.services import clicks_purge


class Command(BaseCommand):
    help = "Delete raw tracked-link clicks past the retention period; daily figures stay."

    def handle(self, *args, **options):
        deleted = clicks_purge()
        self.stdout.write(
            f"Deleted {deleted} raw click{'s' if deleted != 1 else ''} older than "
            f"{settings.SHARING_CLICK_RETENTION_DAYS} days."
        )
