"""python manage.py send_programme_summary [--month YYYY-MM]"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.measurement.summary import summaries_send


class Command(BaseCommand):
    help = (
        "Send a month's summary to every programme admin who has not had it (default: last "
        "month). The worker does this on the 1st; this is for a resend or a first month."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month to summarise, as YYYY-MM.")

    def handle(self, *args, month, **options):
        if month:
            try:
                year, number = (int(part) for part in month.split("-"))
                first = date(year, number, 1)
            except ValueError:
                raise CommandError("Give the month as YYYY-MM, for example 2026-11.") from None
        else:
            today = timezone.localdate()
            first = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
        run = summaries_send(month=first)
        self.stdout.write(
            f"{first:%B %Y}: sent {run.sent}, already sent {run.already_sent}, failed {run.failed}."
        )
        if run.failed:
            raise SystemExit(1)
