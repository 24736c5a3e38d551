from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The public API (django-ninja) at /api/v1/, with personal and service tokens."""

    name = "portal.api"
    label = "api"
    verbose_name = "API"
