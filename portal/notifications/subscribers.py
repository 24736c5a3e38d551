"""Which ledger statements become personal notifications, and what they say."""

from django.urls import reverse

from portal.activity.subscribers import subscriber
from portal.activity.verbs import BADGE_EARNED, LEVEL_REACHED, RECOGNITION_RECEIVED

from .services import notification_push, notification_send, notification_text

NOTIFIED_VERBS = {BADGE_EARNED.id, LEVEL_REACHED.id, RECOGNITION_RECEIVED.id}


@subscriber(wants=lambda activity: activity.points > 0 or activity.verb in NOTIFIED_VERBS)
def notify_from_activity(activity) -> None:
    result = activity.result or {}
    if activity.verb == BADGE_EARNED.id:
        notification_send(
            user=activity.actor,
            kind="badge",
            **notification_text(
                "badge_earned", to=activity.actor, badge=result.get("badge", activity.object_label)
            ),
            url=reverse("badges:assertion_page", args=[result["assertion"]])
            if result.get("assertion")
            else reverse("badges:mine"),
        )
    elif activity.verb == LEVEL_REACHED.id:
        notification_send(
            user=activity.actor,
            kind="level",
            **notification_text(
                "level_reached",
                to=activity.actor,
                level=result.get("level", activity.object_label),
                threshold=result.get("threshold", 0),
            ),
            url=reverse("badges:mine"),
        )
    elif activity.verb == RECOGNITION_RECEIVED.id:
        notification_send(
            user=activity.actor,
            kind="recognition",
            **notification_text(
                "recognition_received",
                to=activity.actor,
                giver=result.get("from"),
                message=result.get("message", ""),
            ),
            url=reverse("badges:mine"),
        )
    if activity.points > 0 and activity.verb not in (BADGE_EARNED.id, LEVEL_REACHED.id):
        # Points are frequent: a toast, not an entry in the list (the level and badges
        # they lead to are kept).
        notification_push(
            user_id=activity.actor_id,
            kind="points",
            **notification_text(
                "points_earned",
                to=activity.actor,
                points=activity.points,
                verb=activity.you_label,
                label=activity.object_label,
            ),
            url=reverse("badges:mine"),
        )
