"""python manage.py purge_share_clicks

Deletes raw tracked-link clicks older than the retention in Settings → Privacy and the
visitor salts of past days; daily figures stay. ``apply_retention`` does this and more.
"""

from django.core.management.base import BaseCommand

from portal.people.models import PrivacySettings
from portal.sharing.services import clicks_purge


class Command(BaseCommand):
    help = "Delete raw tracked-link clicks past the retention period; daily figures stay."

    def handle(self, *args, **options):
        deleted = clicks_purge()
        self.stdout.write(
            f"Deleted {deleted} raw click{'s' if deleted != 1 else ''} older than "
            f"{PrivacySettings.load().retain_clicks_days} days."
        )
