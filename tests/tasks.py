"""Running queued tasks inside a test, the way the worker does."""

from django_tasks_db.models import DBTaskResult

# The database backend, as `make run` and production use it (tests default to running
# tasks as they are queued).
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_queued() -> None:
    """Run every ready task with the worker's own claim-and-run steps (its loop closes
    connections between tasks, which a test's transaction cannot allow)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )  # fmt: skip
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim("test-worker")
        worker.run_task(result)
