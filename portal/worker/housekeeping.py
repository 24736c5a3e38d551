"""What the background worker does besides running tasks, every few seconds.

- It beats (``WorkerBeat``), so that the tasks of a worker that died are run again.
- It puts tasks back in the queue: those claimed by a worker that stopped beating, and
  failed ones with attempts left (after 10 s, 20 s, 40 s...; the last failure stays
  visible to admins with its traceback).
- It runs the jobs of ``settings.WORKER_JOBS`` (import path and interval in seconds):
  the ledger's delivery sweep, the rank store's repair, the daily privacy job, the
  pruning of finished tasks (``tasks_prune``)... Each job
  is safe to run in several workers at once.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
# A worker not seen for this long is taken for dead, and its running tasks run again.
DEAD_AFTER_SECONDS = 30
# A failing task runs at most this many times in all.
TASK_MAX_ATTEMPTS = 5
TASK_RETRY_SECONDS = 10
# Finished tasks are kept this long: long enough for admins to see failures (the
# "Background work" report shows a week), not forever (a busy tracked-link path hands
# over a batch of clicks every half second).
SUCCEEDED_KEPT = timedelta(days=1)
FAILED_KEPT = timedelta(days=30)


def beat(worker_id: str, *, started_at) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id[:64], defaults={"seen_at": timezone.now(), "started_at": started_at}
    )


def workers_alive(*, now=None) -> int:
    """How many background workers beat lately."""
    since = (now or timezone.now()) - timedelta(seconds=DEAD_AFTER_SECONDS)
    return WorkerBeat.objects.filter(seen_at__gte=since).count()


def tasks_recover(*, now=None) -> int:
    """Queue again the tasks of dead workers, and failed tasks with attempts left; returns
    how many. Tasks are written to be run again safely (they check what is done)."""
    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(
            seen_at__gte=now - timedelta(seconds=DEAD_AFTER_SECONDS)
        ).values_list("worker_id", flat=True)
    )
    requeued = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "worker_ids", "started_at"
    ):
        last = (result.worker_ids or [""])[-1]
        if last not in alive and result.started_at < now - timedelta(seconds=DEAD_AFTER_SECONDS):
            requeued += DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, run_after=timezone.now())
    # Only the last day's failures are looked at (the longest wait between attempts is
    # minutes), so failures kept for admins over months are not read every few seconds.
    recent = now - timedelta(days=1)
    for result in DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=recent
    ).only("worker_ids", "finished_at"):
        attempts = len(result.worker_ids or [])
        if attempts >= TASK_MAX_ATTEMPTS or result.finished_at is None:
            continue
        retry_at = result.finished_at + timedelta(seconds=TASK_RETRY_SECONDS * 2 ** (attempts - 1))
        if retry_at <= now:
            requeued += DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.FAILED
            ).update(status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None)
    return requeued


def tasks_prune(*, now=None) -> int:
    """Delete finished tasks past their keeping time; returns how many."""
    now = now or timezone.now()
    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - SUCCEEDED_KEPT
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - FAILED_KEPT
    ).delete()
    return deleted + failed


@dataclass
class Job:
    path: str
    every: float
    due: float = 0.0
    function: Callable[[], object] = field(default=lambda: None, repr=False)


def jobs() -> list[Job]:
    return [
        Job(path=path, every=float(every), function=import_string(path))
        for path, every in settings.WORKER_JOBS
    ]


def housekeeping_once(worker_id: str, *, started_at, due_jobs: list[Job]) -> None:
    """One round: beat, recover tasks, then every job that is due."""
    beat(worker_id, started_at=started_at)
    recovered = tasks_recover()
    if recovered:
        logger.info("Queued %s tasks again (failed, or left by a dead worker)", recovered)
    for job in due_jobs:
        if job.due > time.monotonic():
            continue
        job.due = time.monotonic() + job.every
        try:
            job.function()
        except Exception:
            logger.exception("Background job %s failed; it runs again in %s s", job.path, job.every)


def housekeeping_loop(worker_id: str, stop: threading.Event) -> None:
    started_at = timezone.now()
    due_jobs = jobs()
    while not stop.is_set():
        close_old_connections()
        try:
            housekeeping_once(worker_id, started_at=started_at, due_jobs=due_jobs)
        except Exception:
            logger.exception("Housekeeping failed; it runs again in %s s", BEAT_SECONDS)
        finally:
            close_old_connections()
        stop.wait(BEAT_SECONDS)
