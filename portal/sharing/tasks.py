"""Background tasks of the content hub (run by ``python manage.py worker``)."""

import uuid
from datetime import date

from django_tasks import task

from .services import Hit, clicks_batch_store, clicks_purge


@task()
def clicks_store(*, batch: str, hits: list[list], requests: list[list], purge: bool) -> int:
    """Store a batch of clicks noted by the tracked-link path (``tracking.Tracker``).

    ``hits`` are ``Hit.as_row()`` lists, ``requests`` ``[share id, day, count]``. A batch
    is stored once however often its task runs. With ``purge`` (once a day per web
    process) raw clicks past their retention go too. Returns the number of hits stored.
    """
    counts = {(int(share_id), date.fromisoformat(day)): int(count)
              for share_id, day, count in requests}  # fmt: skip
    stored = clicks_batch_store(
        batch=uuid.UUID(batch), hits=[Hit.from_row(row) for row in hits], requests=counts
    )
    if purge:
        clicks_purge()
    return len(hits) if stored else 0
