from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "portal.sharing"
    label = "sharing"
    verbose_name = "Content hub and sharing"
    default_auto_field = "django.db.models.BigAutoField"
