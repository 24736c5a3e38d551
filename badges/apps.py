from django.apps import AppConfig


class BadgesConfig(AppConfig):
    """Points-based levels and badges with Open Badges 2.0 hosted assertions."""

    name = "badges"
