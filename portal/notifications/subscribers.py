"""Which ledger statements become personal notifications, and what they say."""

from django.urls import reverse

from portal.activity.verbs import BADGE_EARNED, LEVEL_REACHED, RECOGNITION_RECEIVED, VERBS

from .services import notification_push, notification_send


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
    elif activity.verb == RECOGNITION_RECEIVED.id:
        giver = result.get("from")
        notification_send(
            user=activity.actor,
            kind="recognition",
            title=f"{giver} recognised you" if giver else "You were recognised",
            body=result.get("message", ""),
            url=reverse("badges:mine"),
        )
    if activity.points > 0 and activity.verb not in (BADGE_EARNED.id, LEVEL_REACHED.id):
        # Points are frequent: a toast, not an entry in the list (the level and badges
        # they lead to are kept).
        verb = VERBS.get(activity.verb)
        what = f"You {verb.label}" if verb else "Points"
        notification_push(
            user_id=activity.actor_id,
            kind="points",
            title=f"+{activity.points} points",
            body=f"{what}: {activity.object_label}" if activity.object_label else what + ".",
            url=reverse("badges:mine"),
        )


NOTIFIED_VERBS = {BADGE_EARNED.id, LEVEL_REACHED.id, RECOGNITION_RECEIVED.id}
notify_from_activity.wants = lambda activity: activity.points > 0 or activity.verb in NOTIFIED_VERBS
