"""Sending and reading personal notifications; their wording is in templates
(``notification_text``), their links come from ``reverse()``."""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.template import Context, Engine
from django.utils import timezone, translation

from portal.events import NotificationsNotificationSent
from portal.people.models import User
from portal.people.selectors import language_of
from portal.people.worktime import deliver_times
from portal.realtime import broadcast, broadcast_many, group_name

from .models import DigestSubscription, Notification
from .push import pushes_queue

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


def notification_text(name: str, /, *, to: User | None = None, **context) -> dict[str, str]:
    """The ``title`` and ``body`` of a notification, worded in
    ``templates/notifications/messages/<name>.txt``: its first line is the title, the
    rest the body (plain text, escaped where it is shown). In the language of ``to``, the
    person it is for (their own choice, else the portal's default)."""
    template = Engine.get_default().get_template(f"notifications/messages/{name}.txt")
    with translation.override(language_of(to)):
        text = template.render(Context(context, autoescape=False)).strip()
    title, _, body = text.partition("\n")
    return {"title": title.strip(), "body": body.strip()}


@transaction.atomic
def notification_send(
    *, user: User, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Store a notification; push it to the person's open pages after commit, or, outside
    their working hours, when their next working window opens."""
    return notification_send_many(
        [{"user": user, "kind": kind, "title": title, "body": body, "url": url}]
    )[0]


@transaction.atomic
def notification_send_many(items: list[dict]) -> list[Notification]:
    """``notification_send`` for many at once (``user``, ``kind``, ``title``, ``body``,
    ``url`` each): one insert, and one trip to the channel layer after commit."""
    now = timezone.now()
    due = deliver_times([item["user"].pk for item in items], now)
    made = Notification.objects.bulk_create(
        Notification(
            user=item["user"],
            kind=item["kind"],
            title=item["title"][:200],
            body=item.get("body", ""),
            url=item.get("url", ""),
            created_at=now,
            push_due_at=due[item["user"].pk] if due[item["user"].pk] > now else None,
        )
        for item in items
    )
    _push_many([note for note in made if note.push_due_at is None])
    return made


def notification_push(*, user_id: int, kind: str, title: str, body: str = "", url: str = ""):
    """Push a passing notification (a toast) to the person's open pages after commit,
    without keeping it in their list: for events as frequent as points earned. Outside
    the person's working hours there is none (it would be stale by the morning)."""
    now = timezone.now()
    if deliver_times([user_id], now)[user_id] > now:
        return
    broadcast(group_name("user", user_id), _event(kind, title[:200], body, url, now))


def _event(kind, title, body, url, created) -> NotificationsNotificationSent:
    return NotificationsNotificationSent(
        type="notifications.notification_sent", kind=kind, title=title, body=body, url=url,
        created=created.isoformat(),
    )  # fmt: skip


def _push_many(notes: list[Notification]) -> None:
    """To the person's open pages (after commit), and to their phones (web push)."""
    if not notes:
        return
    pushes_queue(notes)
    broadcast_many(
        [(group_name("user", note.user_id), _event(note.kind, note.title, note.body, note.url,
                                                   note.created_at))
         for note in notes]
    )  # fmt: skip


def notifications_due(*, now=None, batch: int = 500) -> int:
    """A worker job: push the notifications whose person's working window has opened.
    Returns how many it pushed."""
    now = now or timezone.now()
    pushed = 0
    while True:
        with transaction.atomic():
            notes = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(push_due_at__lte=now)
                .order_by("push_due_at", "pk")[:batch]
            )
            if not notes:
                return pushed
            Notification.objects.filter(pk__in=[note.pk for note in notes]).update(push_due_at=None)
            _push_many(notes)
        pushed += len(notes)


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def digest_switch(*, user: User, enabled: bool) -> DigestSubscription:
    subscription, _ = DigestSubscription.objects.update_or_create(
        user=user, defaults={"enabled": enabled}
    )
    return subscription
