"""Which background workers are alive: a task claimed by a worker that stopped beating
(killed, or its machine gone) is given to another."""

from django.db import models


class WorkerBeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"worker {self.worker_id} (seen {self.seen_at:%Y-%m-%d %H:%M:%S})"
