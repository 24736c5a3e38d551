from django.apps import AppConfig


class BadgesConfig(AppConfig):
    """Points-based levels and badges with Open Badges 2.0 hosted assertions."""

    name = "badges"

    def ready(self):
        from portal.activity.subscribers import subscribe

        from .services import badges_evaluate

        subscribe("badges", badges_evaluate)
