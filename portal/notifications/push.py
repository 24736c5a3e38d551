"""Web Push (RFC 8030, with VAPID, RFC 8292) through ``pywebpush``: a person's
notifications on their phone or browser, for the kinds they chose (``PushChoice``).

Pushes go out as a background task after the notification is pushed to the person's
pages (in their working hours: see ``services.notification_send_many``). A subscription
the push service says is gone (404 or 410) is removed; other failures are logged and the
notification stays in the person's list.
"""

import base64
import json
import logging
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django_tasks import task
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from .models import Notification, PushChoice, PushKey, PushSubscription

logger = logging.getLogger(__name__)

# How long a push service keeps trying to reach a phone that is off (seconds).
TIME_TO_LIVE = 24 * 3600


def push_key() -> PushKey:
    """The portal's VAPID key pair, made the first time anything needs it."""
    key = PushKey.objects.order_by("pk").first()
    if key is not None:
        return key
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    PushKey.objects.create(private_pem=pem, public_key=_b64url(public))
    return PushKey.objects.order_by("pk")[0]  # two workers at once: the first one wins


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def subscription_save(*, user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep a browser's subscription for ``user`` (a browser that changes hands moves)."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def subscription_remove(*, user, endpoint: str) -> bool:
    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0] > 0


def choices_of(user) -> PushChoice:
    return PushChoice.objects.filter(user=user).first() or PushChoice(user=user)


def choices_save(*, user, **kinds: bool) -> PushChoice:
    choice, _ = PushChoice.objects.update_or_create(user=user, defaults=kinds)
    return choice


def pushes_queue(notes: list[Notification]) -> None:
    """After the commit, a task pushes those of ``notes`` whose kind the person wants on
    their phone and who have a subscription."""
    candidates = [note for note in notes if note.kind in PushChoice.KINDS]
    if not candidates:
        return
    wanted = {
        (choice.user_id, field)
        for choice in PushChoice.objects.filter(user_id__in={n.user_id for n in candidates})
        for field in set(PushChoice.KINDS.values())
        if getattr(choice, field)
    }
    ids = [note.pk for note in candidates if (note.user_id, PushChoice.KINDS[note.kind]) in wanted]
    if (
        ids
        and PushSubscription.objects.filter(
            user_id__in={note.user_id for note in candidates}
        ).exists()
    ):
        transaction.on_commit(lambda: pushes_send.enqueue(ids))


@task()
def pushes_send(notification_ids: list[int]) -> dict:
    """Push each notification to every subscription of its person."""
    key = push_key()
    vapid = Vapid02.from_pem(key.private_pem.encode())
    sent = gone = failed = 0
    notes = Notification.objects.filter(pk__in=notification_ids)
    subscriptions: dict[int, list[PushSubscription]] = {}
    for subscription in PushSubscription.objects.filter(user_id__in={n.user_id for n in notes}):
        subscriptions.setdefault(subscription.user_id, []).append(subscription)
    for note in notes:
        payload = json.dumps(
            {"title": note.title, "body": note.body, "url": note.url or "/me/notifications/",
             "tag": f"{note.kind}-{note.pk}"}
        )  # fmt: skip
        for subscription in subscriptions.get(note.user_id, []):
            outcome = _send(subscription, payload, vapid)
            sent += outcome == "sent"
            gone += outcome == "gone"
            failed += outcome == "failed"
    return {"sent": sent, "gone": gone, "failed": failed}


def _send(subscription: PushSubscription, payload: str, vapid: Vapid02) -> str:
    try:
        webpush(
            {"endpoint": subscription.endpoint,
             "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data=payload,
            vapid_private_key=vapid,
            vapid_claims={"sub": settings.WEB_PUSH_CONTACT},
            ttl=TIME_TO_LIVE,
            timeout=10,
            headers={"Content-Type": "application/octet-stream"},
        )  # fmt: skip
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):
            subscription.delete()  # the browser unsubscribed, or the phone is gone
            return "gone"
        logger.warning("A push to subscription %s failed (%s)", subscription.pk, status)
        return "failed"
    except (OSError, ValueError) as error:
        logger.warning(
            "A push to subscription %s failed: %s", subscription.pk, type(error).__name__
        )
        return "failed"
    return "sent"


def endpoint_allowed(endpoint: str) -> bool:
    """Only https addresses of the browsers' push services (``WEB_PUSH_SERVICES``)."""
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" and not (parts.scheme == "http" and settings.DEBUG_PUSH_HTTP):
        return False
    return any(
        host.endswith(allowed) if allowed.startswith(".") else host == allowed
        for allowed in settings.WEB_PUSH_SERVICES
    )
