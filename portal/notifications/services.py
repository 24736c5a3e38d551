"""Sending and reading personal notifications."""

from django.db import transaction
from django.utils import timezone

from portal.realtime import broadcast_on_commit, group_name

from .models import Notification


@transaction.atomic
def notification_send(
    *, user, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Store a notification and push it to the person's open pages after commit."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title[:200], body=body, url=url, created_at=timezone.now()
    )
    broadcast_on_commit(
        group_name("user", user.pk),
        {
            "type": "notification",
            "kind": kind,
            "title": notification.title,
            "body": body,
            "url": url,
            "created": notification.created_at.isoformat(),
        },
    )
    return notification


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
