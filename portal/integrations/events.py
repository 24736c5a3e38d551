"""What the portal tells other systems, from the ledger and from the hub.

- ``integrations_hear``, a ledger subscriber (``ACTIVITY_SUBSCRIBERS``): shares, readers
  milestones, badges and completed courses go to the webhooks that chose them;
  recognitions and badges go to chat channels, only for people who agreed to be named
  in the recognition feed (and never once they left).
- ``hub_item_published`` (Wagtail's ``published``): a new hub item goes to the channels
  that follow one of its topics.
- ``highlights_weekly``, a worker job: on Monday morning the week's top advocates on the
  company board, as the board shows them (aliases; hidden people and leavers left out).

Each message becomes one ``Delivery`` per webhook or channel, keyed so that hearing the
same thing twice sends it once.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from badges.models import Badge
from leaderboards.boards import COMPANY
from leaderboards.selectors import board_top
from portal.activity.models import Activity
from portal.activity.subscribers import subscriber
from portal.activity.verbs import (
    BADGE_EARNED,
    CONTENT_SHARED,
    COURSE_COMPLETED,
    RECOGNITION_RECEIVED,
    SHARE_CLICKED,
)
from portal.recognition.models import Recognition
from portal.recognition.selectors import public_entry, public_label
from portal.sharing.links import tracked_url
from portal.sharing.models import ContentItem, Share

from .delivery import deliveries_queue
from .messages import Message, chat_payload
from .models import ChatChannel, Delivery, Event, Webhook

READER_MILESTONES = (10, 50, 100, 500, 1000)
WEBHOOK_VERBS = {
    CONTENT_SHARED.id: Event.SHARE_MADE,
    SHARE_CLICKED.id: Event.CLICK_MILESTONE,
    BADGE_EARNED.id: Event.BADGE_EARNED,
    COURSE_COMPLETED.id: Event.COURSE_COMPLETED,
}
CHAT_VERBS = {RECOGNITION_RECEIVED.id, BADGE_EARNED.id}


Row = tuple[Webhook | None, ChatChannel | None, str, str, dict]


def _deliver(rows: list[Row]) -> None:
    """Make the deliveries (once per key) and have them sent after the commit."""
    made = []
    for webhook, channel, event, key, payload in rows:
        try:
            with transaction.atomic():
                made.append(
                    Delivery.objects.create(
                        webhook=webhook, channel=channel, event=event, key=key, payload=payload
                    )
                )
        except IntegrityError:
            continue  # heard before: sent (or being sent) already
    deliveries_queue(made)


# --- the ledger ------------------------------------------------------------------------


def _wanted(activity: Activity) -> bool:
    return activity.verb in WEBHOOK_VERBS or activity.verb in CHAT_VERBS


@subscriber(wants=_wanted)
def integrations_hear(activity: Activity) -> None:
    rows: list[Row] = []
    event = WEBHOOK_VERBS.get(activity.verb)
    hooks = [hook for hook in Webhook.objects.filter(active=True) if event in hook.events]
    if event is not None and hooks:
        found = _webhook_data(activity, event)
        if found is not None:
            moment, data = found
            for hook in hooks:
                person: dict[str, int | str] = {"id": activity.actor_id}
                if hook.include_email:
                    person["email"] = activity.actor.email
                payload: dict = {
                    "event": event,
                    "occurred_at": activity.timestamp.isoformat(),
                    "person": person,
                    "data": data,
                }
                rows.append((hook, None, event, f"webhook:{hook.pk}:{moment}", payload))
    if activity.verb in CHAT_VERBS:
        rows += _chat_rows(activity)
    _deliver(rows)


def _webhook_data(activity: Activity, event: str) -> tuple[str, dict] | None:
    """What a webhook hears of this statement, under a key for its moment (None: not a
    moment worth telling, such as a reader that crosses no milestone)."""
    result = activity.result or {}
    if event == Event.SHARE_MADE or event == Event.CLICK_MILESTONE:
        share = Share.objects.select_related("item").filter(pk=activity.object_id).first()
        if share is None:
            return None
        data = {
            "share": {"id": share.pk, "network": share.network, "url": tracked_url(share.code)},
            "item": {"id": share.item_id, "title": share.item.title, "url": share.item.url},
        }
        if event == Event.SHARE_MADE:
            return f"share:{share.pk}", data
        reached = [milestone for milestone in READER_MILESTONES if share.clicks >= milestone]
        if not reached:
            return None
        return f"share:{share.pk}:readers:{reached[-1]}", data | {"readers": reached[-1]}
    if event == Event.BADGE_EARNED:
        assertion = result.get("assertion")
        return f"activity:{activity.pk}", {
            "badge": result.get("badge", activity.object_label),
            "assertion_url": settings.SITE_URL + reverse("badges:assertion_page", args=[assertion])
            if assertion
            else None,
        }
    return f"activity:{activity.pk}", {
        "course": {"id": int(activity.object_id or 0), "title": activity.object_label}
    }


def _named(user) -> bool:
    """Whether chat may name this person: active, and agreed to be named in the feed."""
    profile = getattr(user, "profile", None)
    return user.is_active and profile is not None and profile.consent_feed


def _chat_rows(activity: Activity) -> list[Row]:
    if not _named(activity.actor):
        return []
    if activity.verb == RECOGNITION_RECEIVED.id:
        recognition = (
            Recognition.objects.select_related(
                "recipient__profile", "giver__profile", "category", "badge"
            )
            .filter(pk=activity.object_id)
            .first()
        )
        if recognition is None:
            return []
        entry = public_entry(recognition)
        message = Message(
            title=f"{entry['recipient']} was recognised by {entry['giver']}",
            lines=[f"“{entry['message']}”", entry["category"]],
            link=("See the recognition feed", settings.SITE_URL + reverse("recognition:feed")),
        )
        channels = ChatChannel.objects.filter(active=True, recognitions=True)
    else:
        badge = Badge.objects.filter(pk=activity.object_id).first()
        name = badge.name if badge else activity.object_label
        assertion = (activity.result or {}).get("assertion")
        message = Message(
            title=f"{public_label(activity.actor)} earned the badge {name}",
            lines=[badge.description] if badge and badge.description else [],
            link=(
                (
                    "See the badge",
                    settings.SITE_URL + reverse("badges:assertion_page", args=[assertion]),
                )
                if assertion
                else None
            ),
        )
        channels = ChatChannel.objects.filter(active=True, badges=True)
    return [
        (None, channel, activity.verb, f"chat:{channel.pk}:activity:{activity.pk}",
         chat_payload(channel.kind, message))
        for channel in channels
    ]  # fmt: skip


# --- the hub ---------------------------------------------------------------------------


def hub_item_published(sender, instance, **kwargs) -> None:
    """Wagtail's ``published``: a hub item that everyone may see goes to the channels that
    follow one of its topics (items for some locations or roles only are not announced)."""
    if not isinstance(instance, ContentItem) or instance.locations or instance.job_roles:
        return
    topics = {tag.name.lower() for tag in instance.tags.all()}
    channels = [
        channel
        for channel in ChatChannel.objects.filter(active=True).exclude(topics="")
        if channel.topic_set() & topics
    ]
    if not channels:
        return
    message = Message(
        title=f"New in the content hub: {instance.title}",
        lines=[line for line in [instance.summary, "Topics: " + ", ".join(sorted(topics))] if line],
        link=("Share it from the hub", settings.SITE_URL + reverse("sharing:hub")),
    )
    _deliver(
        [
            (
                None,
                channel,
                "hub.published",
                f"chat:{channel.pk}:item:{instance.pk}",
                chat_payload(channel.kind, message),
            )
            for channel in channels
        ]
    )


# --- the weekly highlight --------------------------------------------------------------

HIGHLIGHT_WEEKDAY, HIGHLIGHT_HOUR, HIGHLIGHT_TOP = 0, 9, 5


def highlights_weekly(*, now=None) -> int:
    """A worker job: from Monday 09:00 (local time) on, the past week's top advocates to
    each channel that wants them, once a week. Returns how many deliveries it made."""
    now = timezone.localtime(now or timezone.now())
    week_start = (now - timedelta(days=(now.weekday() - HIGHLIGHT_WEEKDAY) % 7)).replace(
        hour=HIGHLIGHT_HOUR, minute=0, second=0, microsecond=0
    )
    if week_start > now:
        week_start -= timedelta(days=7)
    channels = list(ChatChannel.objects.filter(active=True, weekly_highlight=True))
    week = week_start.date().isoformat()
    keys = {f"chat:{channel.pk}:highlight:{week}" for channel in channels}
    done = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
    channels = [c for c in channels if f"chat:{c.pk}:highlight:{week}" not in done]
    if not channels:
        return 0
    entries = board_top(COMPANY, "week", at=week_start - timedelta(days=1), limit=HIGHLIGHT_TOP)
    if not entries:
        return 0
    message = Message(
        title="Last week's top advocates",
        lines=[f"{entry.rank}. {entry.name}: {entry.points} points" for entry in entries],
        link=("See the leaderboard", settings.SITE_URL + reverse("leaderboards:board")),
    )
    _deliver(
        [
            (
                None,
                channel,
                "boards.weekly",
                f"chat:{channel.pk}:highlight:{week}",
                chat_payload(channel.kind, message),
            )
            for channel in channels
        ]
    )
    return len(channels)
