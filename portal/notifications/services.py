"""Sending and reading personal notifications; their wording is in templates
(``notification_text``), their links come from ``reverse()``."""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.template import Context, Engine
from django.utils import timezone

from portal.events import NotificationsNotificationSent
from portal.people.models import User
from portal.realtime import broadcast, broadcast_many, group_name

from .models import DigestSubscription, Notification

logger = logging.getLogger(__name__)


def send_once(*, reserve: Callable[[], object], send: Callable[[], object], what: str) -> str:
    """Reserve a message in the database, then send it, so runs that overlap or repeat
    never send it twice: ``reserve`` creates the row a unique constraint guards, and a
    failed ``send`` deletes it again for the next run. Returns "sent", "already_sent"
    (another run reserved it) or "failed" (logged, with ``what`` naming the message)."""
    try:
        with transaction.atomic():
            reservation = reserve()
    except IntegrityError:
        return "already_sent"
    try:
        send()
    except Exception:
        logger.exception("%s failed; it is tried again", what)
        reservation.delete()  # type: ignore[attr-defined]
        return "failed"
    return "sent"


def notification_text(name: str, /, **context) -> dict[str, str]:
    """The ``title`` and ``body`` of a notification, worded in
    ``templates/notifications/messages/<name>.txt``: its first line is the title, the
    rest the body (plain text, escaped where it is shown)."""
    template = Engine.get_default().get_template(f"notifications/messages/{name}.txt")
    text = template.render(Context(context, autoescape=False)).strip()
    title, _, body = text.partition("\n")
    return {"title": title.strip(), "body": body.strip()}


@transaction.atomic
def notification_send(
    *, user: User, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Store a notification and push it to the person's open pages after commit."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title[:200], body=body, url=url, created_at=timezone.now()
    )
    _push(user.pk, kind, notification.title, body, url, notification.created_at)
    return notification


def notification_send_many(items: list[dict]) -> list[Notification]:
    """``notification_send`` for many at once (``user``, ``kind``, ``title``, ``body``,
    ``url`` each): one insert, and one trip to the channel layer after commit."""
    now = timezone.now()
    made = Notification.objects.bulk_create(
        Notification(
            user=item["user"],
            kind=item["kind"],
            title=item["title"][:200],
            body=item.get("body", ""),
            url=item.get("url", ""),
            created_at=now,
        )
        for item in items
    )
    broadcast_many(
        [(group_name("user", note.user_id), _event(note.kind, note.title, note.body, note.url, now))
         for note in made]
    )  # fmt: skip
    return made


def notification_push(*, user_id: int, kind: str, title: str, body: str = "", url: str = ""):
    """Push a passing notification (a toast) to the person's open pages after commit,
    without keeping it in their list: for events as frequent as points earned."""
    _push(user_id, kind, title[:200], body, url, timezone.now())


def _event(kind, title, body, url, created) -> NotificationsNotificationSent:
    return NotificationsNotificationSent(
        type="notifications.notification_sent", kind=kind, title=title, body=body, url=url,
        created=created.isoformat(),
    )  # fmt: skip


def _push(user_id, kind, title, body, url, created) -> None:
    broadcast(group_name("user", user_id), _event(kind, title, body, url, created))


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def digest_switch(*, user: User, enabled: bool) -> DigestSubscription:
    subscription, _ = DigestSubscription.objects.update_or_create(
        user=user, defaults={"enabled": enabled}
    )
    return subscription
