from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package itself: templates, static files and the health check."""

    name = "portal"
    verbose_name = "Advocate Portal"
