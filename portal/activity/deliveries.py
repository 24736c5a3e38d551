"""Applying the ledger's statements to its subscribers exactly once (a transactional outbox).

``activity_record`` writes one ``Delivery`` per interested subscriber in the statement's
own transaction. Each delivery is applied in a transaction that also deletes it:
- at once, right after the statement commits, in the process that recorded it (so live
  boards move without delay);
- by the worker's sweep (``deliveries_sweep``, every few seconds), for every delivery
  that is due: the process died between the commit and the delivery, the subscriber
  failed (it is retried with a growing delay, and admins see the error), or it asked to
  wait (``Retry``, for example while a rank store is rebuilt).

A projection kept in the database changes in the transaction that deletes the delivery,
so it hears each statement once: a crash before that commit leaves both undone, and the
sweep applies it later. Projections elsewhere (a Redis rank store) make their own writes
idempotent per statement (``leaderboards.store``). Live broadcasts are sent after the
commit; a crash loses at most that nudge, never the state it announces.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Activity, Delivery
from .subscribers import subscribers

logger = logging.getLogger(__name__)

# The sweep leaves a new delivery to the process that recorded it for this long.
GRACE_SECONDS = 10
# A subscriber that asked to wait (``Retry``) is tried again after this long.
WAIT_SECONDS = 2
# A failing subscriber is retried after 5 s, 10 s, 20 s... and then at least hourly.
MAX_BACKOFF_SECONDS = 3600


class Retry(Exception):
    """Raised by a subscriber that cannot apply a statement now but will later (its store
    is being rebuilt); the delivery waits without counting as a failure."""


def deliveries_create(activity: Activity) -> None:
    """Note, in the caller's transaction, every subscriber that must hear ``activity``,
    and apply them right after the commit."""
    due = timezone.now() + timedelta(seconds=GRACE_SECONDS)
    rows = []
    for name, subscriber in subscribers().items():
        wants = getattr(subscriber, "wants", None)
        if wants is not None and not wants(activity):
            continue
        coalesce = getattr(subscriber, "coalesce", None)
        group = ":".join(str(part) for part in coalesce(activity)) if coalesce else ""
        rows.append(Delivery(activity=activity, subscriber=name, group=group[:200], due=due))
    if not rows:
        return
    Delivery.objects.bulk_create(rows)

    # A named function rather than functools.partial: Django logs a failing robust
    # callback by its __qualname__.
    def deliver() -> None:
        deliveries_apply(activity)

    deliver.__qualname__ = f"deliveries of activity {activity.pk}"
    transaction.on_commit(deliver, robust=True)


def deliveries_apply(activity: Activity) -> int:
    """Apply the pending deliveries of one statement; returns how many were applied (0 when
    another process or a group delivery got there first)."""
    pending = list(
        Delivery.objects.filter(activity_id=activity.pk).values_list("pk", "subscriber", "group")
    )
    return sum(_deliver(pk, name, group, known=activity) for pk, name, group in pending)


def deliveries_sweep(*, limit: int = 1000) -> int:
    """Apply up to ``limit`` deliveries that are due; returns how many were applied."""
    applied = 0
    done_groups = set()
    due = (
        Delivery.objects.filter(due__lte=timezone.now())
        .order_by("due", "pk")
        .values_list("pk", "subscriber", "group")[:limit]
    )
    for pk, name, group in list(due):
        if group and (name, group) in done_groups:
            continue
        applied += _deliver(pk, name, group)
        if group:
            done_groups.add((name, group))
    return applied


def _deliver(pk: int, name: str, group: str, known: Activity | None = None) -> int:
    subscriber = subscribers().get(name)
    if subscriber is None:  # a subscriber that no longer exists hears nothing
        Delivery.objects.filter(subscriber=name).delete()
        return 0
    taken: list[int] = []
    try:
        with transaction.atomic():
            # Another process applying the same rows holds their locks: skip them (on
            # SQLite, write transactions take turns and the rows are gone by then).
            rows = Delivery.objects.select_for_update(skip_locked=True)
            rows = rows.filter(subscriber=name, group=group) if group else rows.filter(pk=pk)
            found = list(rows.values_list("pk", "activity_id"))
            if not found:
                return 0
            taken = [row_pk for row_pk, _ in found]
            latest = max(activity_id for _, activity_id in found)
            activity = (
                known
                if known is not None and known.pk == latest
                else Activity.objects.select_related("actor").get(pk=latest)
            )
            subscriber(activity)
            Delivery.objects.filter(pk__in=taken).delete()
    except Retry as wait:
        Delivery.objects.filter(pk__in=taken).update(
            due=timezone.now() + timedelta(seconds=WAIT_SECONDS), error=f"waiting: {wait}"[:2000]
        )
        return 0
    except Exception as error:
        logger.exception("Subscriber %r failed on activity %s; it is retried", name, pk)
        for row in Delivery.objects.filter(pk__in=taken):
            row.attempts += 1
            backoff = min(MAX_BACKOFF_SECONDS, 5 * 2 ** min(row.attempts - 1, 20))
            row.due = timezone.now() + timedelta(seconds=backoff)
            row.error = f"{error.__class__.__name__}: {error}"[:2000]
            row.save(update_fields=["attempts", "due", "error"])
        return 0
    return len(taken)
