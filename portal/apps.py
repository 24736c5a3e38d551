from django.apps import AppConfig
from django.urls import register_converter

from .converters import DatabaseIdConverter

# ``<id:...>`` in paths. Registered as the app loads, before any app's models (Wagtail's
# routable pages declare their paths there) or URLconfs are read.
register_converter(DatabaseIdConverter, "id")


class PortalConfig(AppConfig):
    """The project package itself: templates, static files and the health check."""

    name = "portal"
    verbose_name = "Advocate Portal"
