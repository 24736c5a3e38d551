"""Applying the ledger's statements to its subscribers exactly once (a transactional outbox).

``activity_record`` writes one ``Delivery`` per interested subscriber in the statement's
own transaction. Each delivery is applied in a transaction that also deletes it:
- at once, right after the statement commits, in the process that recorded it (so live
  boards move without delay);
- by the worker's sweep (``deliveries_sweep``, every few seconds), for every delivery
  that is due: the process died between the commit and the delivery, the subscriber
  failed (it is retried with a growing delay, and admins see the error), or it asked to
  wait (``Retry``, for example while a rank store is rebuilt).

A statement's deliveries are applied in one transaction (each subscriber in a savepoint):
a projection kept in the database changes in the transaction that deletes its row, so it
hears each statement once: a crash before that commit leaves both undone, and the
sweep applies it later. Projections elsewhere (a Redis rank store) make their own writes
idempotent per statement (``leaderboards.store``). Live broadcasts are sent after the
commit; a crash loses at most that nudge, never the state it announces.
"""

import logging
import threading
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
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
    # Every statement of a transaction is applied together after its commit: the first
    # of their callbacks takes them all (so 500 clicks of one write are one transaction,
    # and a coalescing subscriber hears them once); the others find nothing left. The
    # statements of a rolled-back savepoint have no rows, and are skipped.
    waiting = _waiting_statements()
    waiting[activity.pk] = activity

    # A named function rather than functools.partial: Django logs a failing robust
    # callback by its __qualname__.
    def deliver() -> None:
        statements = dict(waiting)
        waiting.clear()
        if statements:
            deliveries_apply(*statements.values())

    deliver.__qualname__ = f"deliveries of activity {activity.pk}"
    transaction.on_commit(deliver, robust=True)


_local = threading.local()


def _waiting_statements() -> dict[int, Activity]:
    if not hasattr(_local, "waiting"):
        _local.waiting = {}
    return _local.waiting


def deliveries_apply(*activities: Activity) -> int:
    """Apply the pending deliveries of these statements; returns how many were applied (0
    when another process or a group delivery got there first)."""
    known = {activity.pk: activity for activity in activities}
    return _apply(Delivery.objects.filter(activity_id__in=list(known)), known=known)


def deliveries_sweep(*, limit: int = 1000) -> int:
    """Apply up to ``limit`` deliveries that are due; returns how many were applied."""
    now = timezone.now()
    due = Delivery.objects.filter(due__lte=now).order_by("due", "pk")
    return _apply(due.filter(pk__in=list(due.values_list("pk", flat=True)[:limit])))


Row = tuple[int, int, int]  # (delivery, activity, attempts)


def _apply(rows, *, known: dict[int, Activity] | None = None) -> int:
    """Apply ``rows`` in one transaction, each subscriber in a savepoint of its own: one
    that fails or asks to wait keeps its rows for later, the others' work commits.
    Returns how many rows were applied."""
    known = known or {}
    applied: list[int] = []
    with transaction.atomic():
        # Rows another process is applying are locked: skip them (on SQLite, write
        # transactions take turns, and the rows are gone by then).
        locked = Delivery.objects.select_for_update(skip_locked=True)
        columns = ("pk", "activity_id", "attempts", "subscriber", "group")
        work: list[tuple[str, list[Row]]] = []
        groups: dict[tuple[str, str], list[Row]] = {}
        for pk, activity_id, attempts, name, group in rows.select_for_update(
            skip_locked=True
        ).values_list(*columns):
            if not group:
                work.append((name, [(pk, activity_id, attempts)]))
            elif (name, group) in groups:
                groups[(name, group)].append((pk, activity_id, attempts))
            else:
                groups[(name, group)] = [(pk, activity_id, attempts)]
                work.append((name, groups[(name, group)]))
        if groups:  # a coalescing subscriber applies its group's other rows with this call
            taken = {row[0] for members in groups.values() for row in members}
            siblings = Q()
            for name, group in groups:
                siblings |= Q(subscriber=name, group=group)
            for pk, activity_id, attempts, name, group in (
                locked.filter(siblings).exclude(pk__in=taken).values_list(*columns)
            ):
                groups[(name, group)].append((pk, activity_id, attempts))
        for name, members in work:
            if _apply_one(name, members, known=known):
                applied += [row[0] for row in members]
        Delivery.objects.filter(pk__in=applied).delete()
    return len(applied)


def _apply_one(name: str, members: list[Row], *, known: dict[int, Activity]) -> bool:
    """Give a subscriber the latest statement of ``members``; returns whether they are
    applied (or need no applying)."""
    subscriber = subscribers().get(name)
    if subscriber is None:  # a subscriber that no longer exists hears nothing
        return True
    latest = max(row[1] for row in members)
    activity = known.get(latest) or Activity.objects.select_related("actor").get(pk=latest)
    taken = [row[0] for row in members]
    try:
        with transaction.atomic():
            subscriber(activity)
    except Retry as wait:
        _postpone(taken, WAIT_SECONDS, f"waiting: {wait}")
    except Exception as error:
        logger.exception("Subscriber %r failed on activity %s; it is retried", name, latest)
        attempts = max(row[2] for row in members)
        backoff = min(MAX_BACKOFF_SECONDS, 5 * 2 ** min(attempts, 20))
        _postpone(taken, backoff, f"{error.__class__.__name__}: {error}", failed=True)
    else:
        return True
    return False


def _postpone(pks: list[int], seconds: float, error: str, *, failed: bool = False) -> None:
    changes = {"due": timezone.now() + timedelta(seconds=seconds), "error": error[:2000]}
    if failed:
        changes["attempts"] = F("attempts") + 1
    Delivery.objects.filter(pk__in=pks).update(**changes)
