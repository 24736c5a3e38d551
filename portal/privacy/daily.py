"""The daily privacy job (retention, leavers' erasure, batched workshop credit), run by
every daphne worker's event loop and reserved per day in the database, so it runs once a
day whatever the number of workers."""

import asyncio
import logging

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import RetentionRun
from .retention import retention_apply

logger = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 3600.0


def daily_run_once() -> bool:
    """Apply retention if nobody has today; returns whether this call ran it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            run = RetentionRun.objects.create(day=timezone.localdate(now), started_at=now)
    except IntegrityError:
        return False  # another worker (or an earlier check) has today
    report = retention_apply(now=now)
    run.finished_at = timezone.now()
    run.report = report.removed
    run.save(update_fields=["finished_at", "report"])
    return True


class DailyJob:
    def __init__(self):
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._every_hour())

    async def _every_hour(self) -> None:
        while True:
            try:
                await database_sync_to_async(daily_run_once)()
            except Exception:
                logger.exception("The daily privacy job failed; it tries again in an hour")
            await asyncio.sleep(CHECK_EVERY_SECONDS)


daily_job = DailyJob()


def with_daily_job(app):
    """Start the daily job on the server's loop with its first HTTP request to Django (it
    wraps Django only, so tracked-link redirects pay nothing for it)."""

    async def wrapped(scope, receive, send):
        if scope["type"] == "http" and settings.PRIVACY_DAILY_JOB:
            daily_job.start()
        await app(scope, receive, send)

    return wrapped
