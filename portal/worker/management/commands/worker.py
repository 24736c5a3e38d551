"""python manage.py worker: runs background tasks, and keeps the ledger's projections
converging (see ``portal.worker.housekeeping``). Start one or more beside the web
workers; ``make run`` starts one. Options are those of ``db_worker``."""

import threading

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from portal.worker.housekeeping import housekeeping_loop


class Command(DbWorkerCommand):
    help = "Run background tasks and the housekeeping that keeps derived data converging."

    def handle(self, *args, **options):
        # The reloader would run housekeeping in two processes; restart by hand instead.
        options["reload"] = False
        stop = threading.Event()
        thread = threading.Thread(
            target=housekeeping_loop,
            args=(options["worker_id"], stop),
            name="housekeeping",
            daemon=True,
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
