"""Sending: each delivery is posted by a background task after the commit that made it,
retried with backoff while the other side fails, and logged (the Delivery row).

A worker job (``deliveries_due``) sends what is due: retries, and anything a task never
sent (the worker was down). Claiming a row moves its next attempt forward in one
conditional update, so two workers never send the same delivery at once; a receiver
that got a delivery twice (a crash between its answer and our write) can tell by the
``X-Advocate-Delivery`` header, which stays the same.
"""

import json
import logging
from datetime import timedelta
from functools import partial

import requests
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from portal.signatures import signed_headers

from .models import Delivery, DeliveryState

logger = logging.getLogger(__name__)

# Seconds before each retry; after the last, the delivery is failed (the log shows it).
BACKOFF = (30, 120, 600, 3600, 6 * 3600)
TIMEOUT = 10
LEASE = timedelta(seconds=60)  # a claimed delivery is not claimed again before this


def deliveries_queue(deliveries: list[Delivery]) -> None:
    """After the current transaction commits, a task sends each of these."""
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(partial(_enqueue, ids))


def _enqueue(ids: list[int]) -> None:
    for delivery_id in ids:
        delivery_send_task.enqueue(delivery_id=delivery_id)


@task()
def delivery_send_task(delivery_id: int) -> str:
    return delivery_send(delivery_id)


def delivery_send(delivery_id: int, *, now=None) -> str:
    """Send one delivery if it is due and nobody else is sending it; its new state."""
    now = now or timezone.now()
    row = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING).first()
    if row is None or row.next_attempt_at > now:
        return row.state if row else "gone"
    claimed = Delivery.objects.filter(
        pk=row.pk, state=DeliveryState.PENDING, next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return "claimed elsewhere"
    row = Delivery.objects.select_related("webhook", "channel").get(pk=row.pk)
    target = row.target
    if target is None or not target.active:
        row.state, row.error = DeliveryState.FAILED, "The webhook or channel was switched off."
        row.save(update_fields=["state", "error"])
        return row.state
    body = json.dumps(row.payload, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "AdvocatePortal/1"}
    if row.webhook is not None:
        headers |= signed_headers(secret=row.webhook.secret, body=body)
        headers |= {"X-Advocate-Event": row.event, "X-Advocate-Delivery": row.key}
    status, error = None, ""
    try:
        answer = requests.post(
            target.url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
        status = answer.status_code
        if not 200 <= status < 300:
            error = f"The receiver answered {status}."
    except requests.RequestException as failure:
        # The exception's text may quote the address (and its token): only its kind.
        error = f"Could not reach the receiver ({type(failure).__name__})."
    row.attempts += 1
    row.status_code = status
    row.error = error
    if not error:
        row.state, row.sent_at = DeliveryState.SENT, timezone.now()
    elif row.attempts > len(BACKOFF):
        row.state = DeliveryState.FAILED
        logger.warning("Delivery %s to %s failed for good: %s", row.pk, target, error)
    else:
        row.next_attempt_at = timezone.now() + timedelta(seconds=BACKOFF[row.attempts - 1])
    row.save(
        update_fields=["attempts", "status_code", "error", "state", "sent_at", "next_attempt_at"]
    )
    return row.state


def deliveries_due(*, limit: int = 200) -> int:
    """A worker job: send the deliveries whose time has come. Returns how many it tried."""
    due = list(
        Delivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:limit]
    )
    for delivery_id in due:
        delivery_send(delivery_id)
    return len(due)


def delivery_retry(delivery: Delivery) -> None:
    """An admin's "Send again": a failed delivery is tried again now."""
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(), error=""
    )
    deliveries_queue([delivery])
