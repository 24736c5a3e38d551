from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Personal in-app notifications (badge earned, level reached, ...)."""

    name = "portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"
