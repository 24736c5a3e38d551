from django.apps import AppConfig


class BadgesConfig(AppConfig):
    """Badge classes, awards and Open Badges 2.0 assertions (built in a later issue)."""

    name = "badges"
