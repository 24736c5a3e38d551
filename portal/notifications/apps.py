from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Personal in-app notifications (badge earned, level reached, ...)."""

    name = "portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from portal.activity.subscribers import subscribe

        from .subscribers import notify_from_activity

        subscribe("notifications", notify_from_activity)
