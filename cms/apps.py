from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Wagtail home, standard and guidelines pages, and the branding site settings."""

    name = "cms"
    verbose_name = "Content"
