"""Which ledger statements become personal notifications, and what they say."""

from django.urls import reverse

from portal.activity.verbs import BADGE_EARNED, LEVEL_REACHED

from .services import notification_send


def notify_from_activity(activity) -> None:
    result = activity.result or {}
    if activity.verb == BADGE_EARNED.id:
        notification_send(
            user=activity.actor,
            kind="badge",
            title=f"You earned the badge “{result.get('badge', activity.object_label)}”",
            body="It is on your badges page, ready to share.",
            url=reverse("badges:assertion_page", args=[result["assertion"]])
            if result.get("assertion")
            else reverse("badges:mine"),
        )
    elif activity.verb == LEVEL_REACHED.id:
        notification_send(
            user=activity.actor,
            kind="level",
            title=f"You reached the level {result.get('level', activity.object_label)}",
            body=f"{result.get('threshold', 0):,} points and counting.",
            url=reverse("badges:mine"),
        )
