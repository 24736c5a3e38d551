"""The daily privacy job (retention, leavers' erasure, batched workshop credit), checked
hourly by every background worker (``settings.WORKER_JOBS``) and reserved per day in the
database, so it runs once a day whatever the number of workers."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import RetentionRun
from .retention import retention_apply

logger = logging.getLogger(__name__)


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
